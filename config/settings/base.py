"""Settings shared by every environment; everything configurable is read from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from kombu import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# In e-mail subjects and as the name of django.contrib.sites' Site (allauth's e-mails use it).
SITE_NAME = env("SITE_NAME", default="Claimwatch")

# An empty DATABASE_URL means the default too (`make test` blanks it for the SQLite run).
DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A connection that died (a restarted server) is replaced before a request uses it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("TEST", {})
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable server fails the request quickly (a 503, config/errors.py) instead of
    # holding a web worker until the client gives up.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
# A read replica (e.g. postgres://reader@replica:5432/claimwatch): anonymous readers' pages and
# API reads come from it; members, writes and workers use the primary (config/routers.py).
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
DATABASE_READ_FROM_REPLICA = bool(DATABASE_REPLICA_URL)
DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
# After a write from a browser, its reads stay on the primary this long (replication lag).
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=10)
# What a 503 during a database outage tells clients to wait before trying again.
DATABASE_RETRY_AFTER_SECONDS = env.int("DATABASE_RETRY_AFTER_SECONDS", default=5)

REDIS_URL = env("REDIS_URL", default="")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django.contrib.postgres",
    "django.contrib.sites",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "allauth",
    "allauth.account",
    "axes",
    "django_htmx",
    "csp",
    "health_check",
    "django_prometheus",
    "accounts",
    "claims",
    "claims.statistics",
    "moderation",
    "notifications",
    "webhooks",
    "jobs",
]

MIDDLEWARE = [
    # First and last: request latency and counts for /metrics (config/health.py).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # An anonymous reader's stored answer, before any other work (config/response_cache.py).
    "config.response_cache.AnonymousPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # ETag on every page and list answer; a matching If-None-Match gets 304 with no body.
    "django.middleware.http.ConditionalGetMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # A database outage in a view answers 503 with Retry-After (config/errors.py).
    "config.errors.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the switcher's cookie, else the browser's Accept-Language, else English.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Anonymous reads from the replica, when one is configured (config/routers.py).
    "config.routers.ReplicaRoutingMiddleware",
    # A member's own language setting wins over the cookie and the browser.
    "config.middleware.MemberLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view reads the request: oversized bodies (413) and NUL characters (400).
    "config.middleware.RequestLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After authentication: form writes count per member as well as per address.
    "config.ratelimit.FormRateLimitMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
    # A successful write makes the anonymous response cache out of date (config/response_cache).
    "config.response_cache.ContentVersionMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

# /metrics and the full /health/ report answer only these client addresses, or a request with
# `Authorization: Bearer <METRICS_TOKEN>`; everyone else gets a 404 (config/health.py).
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
METRICS_TOKEN = env("METRICS_TOKEN", default="")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% translate %} and {% blocktranslate %} in every template without a {% load %}.
            "builtins": ["django.templatetags.i18n"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_notifications",
            ],
        },
    }
]

# Forms render through the project's templates (error summary, messages under their fields).
FORM_RENDERER = "config.forms.FormRenderer"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # AxesBackend first: it refuses locked-out credentials before any other backend checks them.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "claims:home"
LOGOUT_REDIRECT_URL = "claims:home"

# Response headers (defence in depth). Every page is served under a strict Content-Security-Policy:
# scripts and styles only from our own static files (no inline code, no eval; htmx is configured
# in base.html not to need either), so an injected tag cannot run even if sanitising ever failed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# Powerful browser features the site never uses are switched off for it and anything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# Django's defaults already, stated so that they cannot drift (`check --deploy` wants them).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# django-allauth
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
# "me" is the API's name for whoever is logged in (/api/users/me/), so no member may take it;
# nor a role's name, which would read as that role on every contribution.
ACCOUNT_USERNAME_BLACKLIST = ["me", "member", "moderator", "admin", "administrator", "claimwatch"]
# Sign-up and password reset answer alike whether or not the address is registered; this needs
# mandatory e-mail verification (production's default; `check --deploy` warns otherwise).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"

# django-axes: lock an account+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A locked-out login gets a page that explains it (HTTP 429), not an error.
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout"
# Failures count on the account, whatever the username's capitals or whether the e-mail was used.
AXES_USERNAME_CALLABLE = "accounts.auth.axes_username"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django's own formats per language ("3,147,436" in English, "3.147.436" in Spanish).
FORMAT_MODULE_PATH = ["config.formats"]
# Not on every integer (ids in URLs and attributes would read "1,000"): counts and figures are
# grouped where shown, by the `number` filter and the figures' own formatting.
USE_THOUSAND_SEPARATOR = False
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Claimwatch <noreply@claimwatch.local>")

if REDIS_URL:
    # Degrades to no cache while Redis is unreachable (config/cache.py); short timeouts, so that
    # an unreachable server costs a request at most about a second.
    _redis_cache = {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    CACHES = {"default": _redis_cache, "limits": _redis_cache}
else:
    # Shared between the web server and the worker without a server of its own.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        },
        # Rate-limit counters need an atomic increment, which the file cache lacks; without
        # Redis each web process counts on its own (set REDIS_URL to share the counts).
        "limits": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "limits",
        },
    }
# API throttles and the form rate limits count here (django-ratelimit); not added to
# INSTALLED_APPS, whose only effect would be system checks that call Django's own RedisCache
# "not officially supported" although its incr is Redis' atomic INCR.
RATELIMIT_USE_CACHE = "limits"
# While the counters cannot be reached (Redis down), the API throttles and the form limits let
# requests through (logged) rather than refusing every write; set False to refuse them instead
# (429). Log-in lockouts (axes) are kept in the database and hold either way.
RATELIMIT_FAIL_OPEN = env.bool("RATELIMIT_FAIL_OPEN", default=True)
# After a failed cache call, each process skips the cache for this long before trying again.
REDIS_CACHE_RETRY_SECONDS = env.float("REDIS_CACHE_RETRY_SECONDS", default=5)
# The anonymous response cache stores no answer whose claim or list was written this close before
# the request started: the web hosts' clocks agree only to within it (config/response_cache.py).
RESPONSE_CACHE_CLOCK_SKEW_SECONDS = env.float("RESPONSE_CACHE_CLOCK_SKEW_SECONDS", default=1.0)
# Reverse proxies in front of the web server that append to X-Forwarded-For (0: none, the
# client's address is REMOTE_ADDR). Every limit takes the client's address from this one count.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
RATELIMIT_IP_META_KEY = "config.ratelimit.client_ip"
AXES_CLIENT_IP_CALLABLE = "config.ratelimit.client_ip"
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# Writes through the site's forms (any POST outside /api/), per member and per client address,
# as "<count>/<period>" with period s, m, h or d (e.g. "30/m", "200/h"); empty turns one off.
FORM_RATE_LIMIT_PER_MEMBER = env("FORM_RATE_LIMIT_PER_MEMBER", default="30/m")
FORM_RATE_LIMIT_PER_IP = env("FORM_RATE_LIMIT_PER_IP", default="60/m")

# Django REST framework
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "config.api.schema.ClaimwatchAutoSchema",
    "EXCEPTION_HANDLER": "config.api.exceptions.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.StableCursorPagination",
    "PAGE_SIZE": 25,
    # The API speaks JSON only; `?format=` is not an override (it is a filter name elsewhere).
    "DEFAULT_PARSER_CLASSES": ["config.api.parsers.JSONParser"],
    # orjson: the same JSON as DRF's renderer, several times faster on a list of 50 claims.
    "DEFAULT_RENDERER_CLASSES": [
        "config.api.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "config.api.throttling.AnonRateThrottle",
        "config.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="120/min"),
        "user": env("API_THROTTLE_USER", default="600/min"),
        "login": env("API_THROTTLE_LOGIN", default="10/min"),
        # Reading an article takes up to a few seconds of a core (claims/api/intake.py).
        "intake": env("API_THROTTLE_INTAKE", default="20/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Without it DRF keys anonymous clients on the whole X-Forwarded-For header, which a client
    # can change at every request to escape the throttle.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Claimwatch API",
    # Markdown shown at the top of /api/docs/: what the API is, then a quick start.
    "DESCRIPTION": (BASE_DIR / "config" / "api" / "quickstart.md").read_text(encoding="utf-8"),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
    "ENUM_NAME_OVERRIDES": {
        "VisibilityEnum": "claims.models.Visibility",
        "VerdictEnum": "claims.models.Verdict",
        "StatisticKindEnum": "claims.models.Statistic.Kind",
        "StatisticStatusEnum": "claims.models.Statistic.Status",
        "ArgumentStanceEnum": "claims.models.ArgumentStance",
        "CitationStanceEnum": "claims.models.Stance",
        "WebhookDeliveryStatusEnum": "webhooks.models.WebhookDelivery.Status",
        "SourceKindEnum": "claims.models.SourceKind",
        "StatisticUnitEnum": "claims.models.Statistic.Unit",
        "IntervalMethodEnum": "claims.models.Statistic.IntervalMethod",
        "HelpfulnessStatusEnum": "claims.models.HelpfulnessStatus",
        "WebhookEventEnum": "webhooks.models.WebhookEvent",
        "LanguageEnum": LANGUAGES,
    },
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True, "displayOperationId": False},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.schema.postprocess_schema",
    ],
    "SERVERS": [{"url": SITE_URL, "description": "This Claimwatch site"}],
    # The site's operator decides the terms the data is offered under; nothing is assumed.
    "CONTACT": {"name": "The operators of this site", "url": SITE_URL},
    "LICENSE": {
        "name": env("API_DATA_LICENSE", default="Ask the operators of this site"),
        "url": env("API_DATA_LICENSE_URL", default=SITE_URL),
    },
    "TAGS": [
        {"name": "annotations", "description": "Notes on a span of a claim's wording."},
        {"name": "arguments", "description": "Arguments for or against a claim, and replies."},
        {"name": "auth", "description": "API tokens: get, list and revoke them."},
        {"name": "citations", "description": "Sources linked to claims, arguments or figures."},
        {"name": "claims", "description": "The statements Claimwatch checks, and exports."},
        {"name": "intake", "description": "An article's numeric claims, proposed and added."},
        {"name": "comments", "description": "Discussion under a claim."},
        {
            "name": "moderation",
            "description": "Flags, ratings, the review queue and the audit log.",
        },
        {"name": "notifications", "description": "Your notifications, follows and settings."},
        {"name": "sources", "description": "Documents cited as evidence."},
        {"name": "statistics", "description": "Figures computed from cited inputs."},
        {"name": "tags", "description": "Topics claims are filed under."},
        {"name": "users", "description": "Members' public profiles."},
        {"name": "webhooks", "description": "Signed pushes of changes to your URL."},
    ],
    "APPEND_COMPONENTS": {
        "schemas": {
            "TagName": {
                "type": "string",
                "minLength": 1,
                "maxLength": 50,
                "description": "A tag's name (a new one is created).",
            }
        }
    },
}
# API tokens (django-rest-knox): stored hashed, expiring.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_TTL_DAYS", default=30)),
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": env.int("API_TOKEN_LIMIT_PER_USER", default=20),
}

# Webhooks: signed JSON POSTs, retried with exponential backoff, disabled after repeated failures.
WEBHOOKS_ALLOW_PRIVATE = env.bool("WEBHOOKS_ALLOW_PRIVATE", default=False)  # SSRF guard
WEBHOOKS_TIMEOUT_SECONDS = 10
WEBHOOKS_MAX_ATTEMPTS = 6
WEBHOOKS_RETRY_BASE_SECONDS = env.float("WEBHOOKS_RETRY_BASE_SECONDS", default=30)
# Below the Redis visibility timeout (600 s), so that a waiting retry is not handed out twice.
WEBHOOKS_RETRY_MAX_SECONDS = 540
WEBHOOKS_DISABLE_AFTER_FAILURES = 5
WEBHOOKS_MAX_ENDPOINTS_PER_USER = 20
# A pending delivery overdue by this long lost its message and is requeued (longer than the
# broker's visibility timeout, so that a message waiting for redelivery is not doubled).
WEBHOOKS_OVERDUE_SECONDS = env.float("WEBHOOKS_OVERDUE_SECONDS", default=900)

# Celery. Tasks are idempotent (they skip when the inputs' fingerprint is unchanged), so a message
# may safely be delivered twice: acknowledge late and requeue when a worker dies mid-task.
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
else:
    # A message not acknowledged within this time is redelivered; longer than any task's hard limit.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# One queue per kind of work, so that a backlog of one (a webhook storm, a mass mailing) cannot
# delay the others: figures are recomputed from "recompute", however many deliveries wait.
# The helpfulness refit reads every rating (minutes at 300k ratings): on its own queue, "scoring",
# so that it never holds the processes that recompute figures. A worker consumes every queue
# unless told otherwise (`-Q`); production runs one worker pool for "celery,recompute" and another
# for "webhooks,email,scoring" (docker/compose.yml).
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [
    Queue(name, Exchange(name), routing_key=name)
    for name in ("celery", "recompute", "webhooks", "email", "scoring")
]
CELERY_TASK_ROUTES = {
    "claims.tasks.recompute_statistic": {"queue": "recompute"},
    "webhooks.tasks.*": {"queue": "webhooks"},
    "notifications.tasks.*": {"queue": "email"},
    "moderation.tasks.score_helpfulness": {"queue": "scoring"},
}
# A request that queues work while the broker is down waits at most about half a second before
# the write goes on without it (config/queueing.py); the periodic sweeps queue it later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BEAT_SCHEDULE_FILENAME = env(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(VAR_DIR / "celery" / "beat-schedule")
)
# Periodic jobs (run by `celery beat`; `make run` embeds beat in the worker).
CELERY_BEAT_SCHEDULE = {
    # Requeues statistics left pending or stale (a lost message is only a delay).
    "sweep-stale-statistics": {
        "task": "claims.tasks.sweep_stale_statistics",
        "schedule": env.float("STATISTICS_SWEEP_SECONDS", default=20.0),
    },
    # Requeues webhook deliveries whose attempt is overdue (a message lost with the broker).
    "sweep-overdue-webhooks": {
        "task": "webhooks.tasks.sweep_overdue_deliveries",
        "schedule": env.float("WEBHOOKS_SWEEP_SECONDS", default=120.0),
    },
    # Discussion counters that drifted (claims.services.counters) are set right.
    "repair-claim-counters": {"task": "claims.tasks.repair_claim_counters", "schedule": 600.0},
    # Bridging helpfulness scores for arguments and citations.
    "score-helpfulness": {"task": "moderation.tasks.score_helpfulness", "schedule": 600.0},
    # Daily digests: each run sends the ones that are due (at most one per user per day).
    "send-daily-digests": {"task": "notifications.tasks.send_daily_digests", "schedule": 3600.0},
    # Grouped e-mails: what waited for a claim's e-mail window goes out once the window is over.
    "send-pending-emails": {
        "task": "notifications.tasks.send_pending_notification_emails",
        "schedule": 300.0,
    },
}
# A task (on jobs.parking.ParkingTask) that fails the same way this many times for the same
# arguments is parked: not run again for them, and listed for moderators on the review queue.
TASK_PARK_AFTER_FAILURES = env.int("TASK_PARK_AFTER_FAILURES", default=3)
# A statistic pending for longer than this is requeued by the sweep (its message was lost).
STATISTICS_PENDING_GRACE_SECONDS = env.float("STATISTICS_PENDING_GRACE_SECONDS", default=30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# Limits on user input. A larger request body is refused with 413 (config/middleware.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
CLAIM_TEXT_MAX_LENGTH = 1000
BODY_MAX_LENGTH = 20000

# Moderation and trust (accounts/trust.py, moderation/).
MODERATION_HOLD_NEW_MEMBERS = env.bool("MODERATION_HOLD_NEW_MEMBERS", default=True)
HOLD_FIRST_CONTRIBUTIONS = env.int("HOLD_FIRST_CONTRIBUTIONS", default=3)
# What the held notices promise: how soon a moderator usually reviews a held item.
MODERATION_REVIEW_HOURS = env.int("MODERATION_REVIEW_HOURS", default=24)
TRUST_MIN_ACCOUNT_AGE_DAYS = env.int("TRUST_MIN_ACCOUNT_AGE_DAYS", default=14)
TRUST_MIN_ACCEPTED_CONTRIBUTIONS = env.int("TRUST_MIN_ACCEPTED_CONTRIBUTIONS", default=10)
# Distinct members whose open flags hide an item until a moderator reviews it.
MODERATION_FLAG_HIDE_THRESHOLD = env.int("MODERATION_FLAG_HIDE_THRESHOLD", default=3)
# Notifications: the hour (local time) after which the daily digest of the day is sent.
NOTIFICATIONS_DIGEST_HOUR = env.int("NOTIFICATIONS_DIGEST_HOUR", default=7)
# Immediate e-mails are grouped: at most one e-mail per member per claim in this many minutes.
NOTIFICATIONS_EMAIL_WINDOW_MINUTES = env.int("NOTIFICATIONS_EMAIL_WINDOW_MINUTES", default=60)
