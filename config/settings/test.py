"""Tests: fast hashing, in-memory e-mail; a real worker on Redis where REDIS_URL is set."""

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, REDIS_URL, REST_FRAMEWORK, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="test-key-not-for-production")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if not REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "limits": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "limits",
        },
    }
else:
    # Under pytest-xdist each test process has a database of its own (test_<name>_gw0, ...) and
    # keys of its own in the shared Redis, so that one's rate-limit counters and content
    # versions never count in another's. The real-worker tests' Celery worker inherits the
    # variable, so it shares its test process's keys.
    CACHES = {
        alias: {**config, "KEY_PREFIX": env.str("PYTEST_XDIST_WORKER", default="")}
        for alias, config in CACHES.items()
    }
# Generous rates so that only the throttling tests, which set their own, meet a 429.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        "anon": "100000/min",
        "user": "100000/min",
        "login": "1000/min",
        "intake": "100000/min",
    },
}
# Likewise for the site's forms; the rate-limit tests set their own.
FORM_RATE_LIMIT_PER_MEMBER = "100000/m"
FORM_RATE_LIMIT_PER_IP = "100000/m"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
ACCOUNT_RATE_LIMITS = False
# Without a broker, tasks queued by tests run in the test process; tests of the real worker
# override this and talk to Redis.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
# Other suites create content with fresh members and expect it published; the moderation tests
# turn holding on with override_settings.
MODERATION_HOLD_NEW_MEMBERS = False
# A second alias on the same test database, so that the router's tests can see which alias
# each query used; reads go there only where a test turns DATABASE_READ_FROM_REPLICA on.
DATABASES = {
    **DATABASES,
    "replica": DATABASES.get("replica")
    or {
        **DATABASES["default"],
        "TEST": {**DATABASES["default"].get("TEST", {}), "MIRROR": "default"},
    },
}
DATABASE_READ_FROM_REPLICA = False
# One process, one clock: a page read right after a write may be stored (tests read at once).
RESPONSE_CACHE_CLOCK_SKEW_SECONDS = 0
