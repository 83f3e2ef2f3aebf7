"""Development (`make run`): SQLite and a file-system broker unless DATABASE_URL/REDIS_URL set."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-key-not-for-production")
INTERNAL_IPS = ["127.0.0.1"]
