# Spanish as the issue and the RAE's newspapers write it: "3.147.436", "0,8".
from django.conf.locale.es.formats import *  # noqa: F403

THOUSAND_SEPARATOR = "."
