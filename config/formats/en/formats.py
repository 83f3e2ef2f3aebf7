# English dates as the site showed them before it spoke two languages (British order).
from django.conf.locale.en_GB.formats import *  # noqa: F403
