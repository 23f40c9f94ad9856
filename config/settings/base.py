"""Base settings: every setting of the shop, read from the environment with embedded defaults.

With no environment at all the shop runs on the embedded engines (SQLite, a
disk cache shared by all processes, Celery on a SQLite broker). Setting
`DATABASE_URL`, `REDIS_URL`, `CELERY_BROKER_URL` … switches to the production
engines with the same code. README.md lists every variable.
"""

import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from corsheaders.defaults import default_headers as corsheaders_default_headers
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env, redis_next_database
from meiduo.core.observability import logging_config, sentry_init
from meiduo.core.secretfiles import random_key

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env.str("MEIDUO_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

# Unset, the key is random and made once per data folder (MEIDUO_DATA_DIR/secret_key, mode 0600): a laptop's shop
# never signs with a key that anyone else knows. Production settings require SECRET_KEY from the environment.
SECRET_KEY = env.str("SECRET_KEY", "") or random_key(DATA_DIR / "secret_key")
DEBUG = env.bool("DEBUG", False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "meiduo.operations.apps.OperationsAdminConfig",  # django.contrib.admin with the dashboard as its index
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt",  # for its translations (token errors in the active language)
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "csp",
    "meiduo.core",
    "meiduo.users",
    "meiduo.verifications",
    "meiduo.oauth",
    "meiduo.areas",
    "meiduo.addresses",
    "meiduo.goods",
    "meiduo.stock",
    "meiduo.search",
    "meiduo.carts",
    "meiduo.orders",
    "meiduo.payments",
    "meiduo.feedback",
    "meiduo.compat",
    "meiduo.operations",
    # Demo data and fake providers (make run, tests); production settings leave it out.
    "meiduo.demo",
]

MIDDLEWARE = [
    # First: every log line of the request carries its id (config/wsgi.py writes the X-Request-ID header).
    "meiduo.core.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before whitenoise, so the storefront's files (index.html) it answers get the policy and frame protection too.
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "meiduo.core.middleware.ServiceUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite by default (WAL, IMMEDIATE transactions so writers queue instead of
# failing, a busy timeout); any DATABASE_URL (postgres://, mysql://) instead.
DATABASE_URL = env.str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'db.sqlite3'}")
# A server database keeps connections open between requests (with health checks): opening one per request
# halves order throughput on PostgreSQL (bench/orders_bench.py). SQLite opens a file, which costs nothing.
_server_db = not DATABASE_URL.startswith("sqlite")
DATABASES = {
    "default": {
        **env.db_url_config(DATABASE_URL),
        "CONN_MAX_AGE": env.int("DB_CONN_MAX_AGE", 60 if _server_db else 0),
    }
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend, with write transactions queued fairly between web processes (docs/performance.md).
    DATABASES["default"]["ENGINE"] = "meiduo.core.sqlite_backend"
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Read replicas (docs/operations.md): only reads that tolerate lag go to them (meiduo.core.dbrouter). A replica
# that does not answer within connect_timeout (the URL's ?connect_timeout= may change it) is skipped for
# DATABASE_REPLICA_RETRY_SECONDS; in tests each reads the primary's test database on its own server (MIRROR).
for _index, _url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[])):
    _replica = env.db_url_config(_url)
    DATABASES[f"replica{_index + 1}"] = {
        **_replica,
        "OPTIONS": {"connect_timeout": 2, **_replica.get("OPTIONS", {})},
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "TEST": {"MIRROR": "default"},
    }
READ_REPLICAS = [alias for alias in DATABASES if alias.startswith("replica")]
DATABASE_REPLICA_RETRY_SECONDS = env.int("DATABASE_REPLICA_RETRY_SECONDS", 30)
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.mysql":
        # MySQL / MariaDB (docs/operations.md): 4-byte UTF-8, strict mode (an over-long or invalid value is an error,
        # never silently cut), READ COMMITTED (what meiduo/stock/services.py's compare-and-set needs; Django's default).
        _database["OPTIONS"] = {
            "charset": "utf8mb4",
            "init_command": "SET sql_mode='STRICT_TRANS_TABLES'",
            "isolation_level": "read committed",
            **_database.get("OPTIONS", {}),
        }
        # MySQL has no partial indexes: Django creates the SKU list indexes (models.Index(condition=…)) in full,
        # which serve the same reads; its warning about that (printed by every migrate) is silenced.
        SILENCED_SYSTEM_CHECKS = ["models.W037"]
DATABASE_ROUTERS = ["meiduo.core.dbrouter.ReplicaRouter"]
if not any(_database["ENGINE"].startswith("django.db.backends.postgresql") for _database in DATABASES.values()):
    # DRF imports django.contrib.postgres (and with it psycopg and its bundled libpq: about 11 MB a process)
    # whenever psycopg is installed, to map PostgreSQL's model fields; no model here has one. Without a PostgreSQL
    # database that import is answered "not installed" (a None entry in sys.modules, the import system's own way).
    sys.modules.setdefault("django.contrib.postgres", None)  # type: ignore[arg-type]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caches ---------------------------------------------------------------
# `default` holds cached answers (catalog, areas) and anything that may be
# evicted; `security` holds rate-limit counters, login/SMS tries, codes and
# one-time nonces, where no catalog entry can evict them (meiduo.core.securitycache).
# Both engines give atomic add/incr, which the rate limits rely on. Every wait
# on a cache is bounded (Redis socket timeouts; CACHE_MAX_WAIT seconds on the
# embedded diskcache), so a cache outage is a quick 503, never a hang.
REDIS_URL = env.str("REDIS_URL", "")
# The security cache's Redis: by default the next database of REDIS_URL's server that is not the Celery
# broker's (so clearing or flushing the answer cache leaves it alone). Eviction is per server: in
# production point it at a Redis with `maxmemory-policy noeviction` (docs/security.md).
REDIS_SECURITY_URL = env.str("REDIS_SECURITY_URL", "") or (
    REDIS_URL and redis_next_database(REDIS_URL, avoid=env.str("CELERY_BROKER_URL", ""))
)
CACHE_MAX_WAIT = float(env.str("CACHE_MAX_WAIT", "1"))
CACHES: dict[str, dict[str, object]]
if REDIS_URL:
    _redis_options = {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2}
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": _redis_options,
            "KEY_PREFIX": "meiduo",
        },
        "security": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_SECURITY_URL,
            "OPTIONS": _redis_options,
            "KEY_PREFIX": "meiduo-security",
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "meiduo.core.boundedcache.BoundedDiskCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"size_limit": 2**30},
            "KEY_PREFIX": "meiduo",
            "MAX_WAIT": CACHE_MAX_WAIT,
        },
        "security": {
            "BACKEND": "meiduo.core.boundedcache.BoundedDiskCache",
            "LOCATION": str(DATA_DIR / "security-cache"),
            # Only expired entries are ever removed: no size-based eviction.
            "OPTIONS": {"eviction_policy": "none"},
            "KEY_PREFIX": "meiduo",
            "MAX_WAIT": CACHE_MAX_WAIT,
        },
    }

# --- Celery ---------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", REDIS_URL or f"sqla+sqlite:///{DATA_DIR / 'celery-broker.sqlite3'}")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}

# --- Auth -----------------------------------------------------------------
AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = ["meiduo.users.backends.UsernameOrMobileBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["meiduo.core.tokenauth.SessionJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PARSER_CLASSES": [
        "meiduo.core.parsers.FastJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["meiduo.core.renderers.FastJSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "meiduo.core.pagination.StandardPagination",
    "PAGE_SIZE": 10,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "meiduo.core.exceptions.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Default request rates (meiduo/core/throttles.py); particular endpoints keep their stricter limits.
    "DEFAULT_THROTTLE_CLASSES": [
        "meiduo.core.throttles.SharedRateThrottle",
        "meiduo.core.throttles.ProcessReadThrottle",
    ],
}
# "<requests>/<s|min|h|d>" or "" for no limit. Writes and signed-in users' requests share one budget across
# processes and hosts (the security cache); anonymous reads count per web process.
API_RATE_PER_USER = env.str("API_RATE_PER_USER", "600/min")
API_RATE_PER_CLIENT = env.str("API_RATE_PER_CLIENT", "300/min")
API_READ_RATE_PER_CLIENT = env.str("API_READ_RATE_PER_CLIENT", "1200/min")
# Client addresses never throttled (e.g. a load generator on loopback: `make bench` sets it). Empty by default.
THROTTLE_EXEMPT_IPS = env.list("THROTTLE_EXEMPT_IPS", default=[])

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(seconds=env.int("JWT_ACCESS_TTL", 30 * 60)),
    "REFRESH_TOKEN_LIFETIME": timedelta(seconds=env.int("JWT_REFRESH_TTL", 14 * 24 * 3600)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "AUTH_HEADER_TYPES": ("JWT", "Bearer"),
    "SIGNING_KEY": env.str("JWT_SIGNING_KEY", "") or SECRET_KEY,
    "ALGORITHM": "HS256",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Meiduo Mall API",
    "DESCRIPTION": (
        "The public storefront API (contract v1). Authenticate with `Authorization: JWT <token>`.\n\n"
        "Every error body carries `code`, a stable machine-readable string: `invalid` (400, with `codes` per "
        "field), `captcha_required`, `rejected`, `stock_short` (with `sku_id`), `payment_unverified`, "
        "`bad_request`, `parse_error` (400); `not_authenticated`, `token_not_valid`, `authentication_failed` "
        "(401); `permission_denied` (403); `not_found` (404); `method_not_allowed` (405); `order_open` (409); "
        "`unsupported_media_type` (415); `throttled` (429, with `Retry-After`); `server_error` (500); "
        "`unavailable` (503). See docs/errors.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Several answers have a `status` with choices: the refund's gets a name of its own.
    "ENUM_NAME_OVERRIDES": {
        "RefundStatusEnum": ["refunding", "refunded"],
        "OrderStatusEnum": "meiduo.orders.models.OrderInfo.Status",
    },
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI assets are served by the shop itself (works offline).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Content-Security-Policy and framing -------------------------------------------
# Tokens live in the browser's storage, so no script may run but the shop's own files: no inline script, no eval,
# no other host. Styles: the shop's files plus inline style attributes (Vue's and the admin's). Pictures: the shop,
# data: URLs (the SVG icons of the admin) and the media host when media are on object storage. No page may be framed.
X_FRAME_OPTIONS = "DENY"
_MEDIA_HOSTS = [f"https://{env.str('S3_CUSTOM_DOMAIN', '')}"] if env.str("S3_CUSTOM_DOMAIN", "") else []
if env.str("S3_ENDPOINT_URL", ""):
    _MEDIA_HOSTS.append("{0.scheme}://{0.netloc}".format(urlsplit(env.str("S3_ENDPOINT_URL", ""))))
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *_MEDIA_HOSTS],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- CORS -----------------------------------------------------------------
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=["http://127.0.0.1:8080", "http://localhost:8080"])
CORS_ALLOW_CREDENTIALS = True
CORS_URLS_REGEX = r"^/api/.*$"
# Clients without cookies carry the guest cart in this header (meiduo/carts/stores.py), and read it from answers.
CORS_ALLOW_HEADERS = (*corsheaders_default_headers, "x-cart-token")
CORS_EXPOSE_HEADERS = ["X-Cart-Token", "X-Request-ID"]

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------
# The storefront SPA (frontend/, built by `make run`) is served from the site root:
# whitenoise serves its files (hashed /assets/* cached forever), Django answers
# every other non-API path with its index.html (history-mode routing).
FRONTEND_DIST = BASE_DIR / "frontend" / "dist"
WHITENOISE_ROOT = FRONTEND_DIST if FRONTEND_DIST.is_dir() else None
WHITENOISE_IMMUTABLE_FILE_TEST = r"^/?assets/.+-[A-Za-z0-9_-]{8,}\.\w+$"
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Media (product images): the local folder above, served by the app, or S3-compatible object storage
# (AWS S3, MinIO, Aliyun OSS, Tencent COS …) through django-storages, with public URLs.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", "local")
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET", ""),
            "endpoint_url": env.str("S3_ENDPOINT_URL", "") or None,
            "region_name": env.str("S3_REGION", "") or None,
            "access_key": env.str("S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", "") or None,
            "custom_domain": env.str("S3_CUSTOM_DOMAIN", "") or None,
            "location": env.str("S3_LOCATION", "media"),
            "default_acl": env.str("S3_DEFAULT_ACL", "") or None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
elif MEDIA_STORAGE != "local":
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'local' or 's3', not {MEDIA_STORAGE!r}.")

# --- Verification codes, SMS and rate limits ----------------------------------
SMS_PROVIDER = env.str("SMS_PROVIDER", "console")
SMS_CAPTCHA_REQUIRED = env.bool("SMS_CAPTCHA_REQUIRED", True)
SMS_CODE_TTL = 300
SMS_SEND_INTERVAL = 60
SMS_CODE_MAX_TRIES = 5
SMS_DAILY_LIMIT_PER_MOBILE = env.int("SMS_DAILY_LIMIT_PER_MOBILE", 10)
SMS_DAILY_LIMIT_PER_IP = env.int("SMS_DAILY_LIMIT_PER_IP", 50)
IMAGE_CODE_TTL = 300
IMAGE_CODES_PER_MINUTE_PER_IP = env.int("IMAGE_CODES_PER_MINUTE_PER_IP", 30)
ALIYUN_SMS_ACCESS_KEY_ID = env.str("ALIYUN_SMS_ACCESS_KEY_ID", "")
ALIYUN_SMS_ACCESS_KEY_SECRET = env.str("ALIYUN_SMS_ACCESS_KEY_SECRET", "")
ALIYUN_SMS_SIGN_NAME = env.str("ALIYUN_SMS_SIGN_NAME", "")
ALIYUN_SMS_TEMPLATE_CODE = env.str("ALIYUN_SMS_TEMPLATE_CODE", "")
ALIYUN_SMS_ENDPOINT = env.str("ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/")

LOGIN_FAILURE_WINDOW = 15 * 60
# Failures of an account (any client) after which its login needs an image captcha; failures of one client on
# one account after which that client waits 1, 2, 4 … 60 s between attempts; failures of one client (any account)
# after which it is refused (429) for the rest of the window. No limit locks the account itself.
LOGIN_FAILURES_BEFORE_CAPTCHA = env.int("LOGIN_FAILURES_BEFORE_CAPTCHA", 3)
LOGIN_FAILURES_BEFORE_DELAY = 5
LOGIN_FAILURES_PER_IP = env.int("LOGIN_FAILURES_PER_IP", 50)

# Trust X-Forwarded-For from this many proxies in front of the app (nginx: 1).
NUM_PROXIES = env.int("NUM_PROXIES", 0)

# --- Catalog and search -------------------------------------------------------
# Search engine: "sqlite" (FTS5, the embedded default), "postgres" (PostgreSQL
# full text) or "mysql" (InnoDB FULLTEXT); by default the one matching the database.
SEARCH_BACKEND = env.str(
    "SEARCH_BACKEND",
    {"postgresql": "postgres", "mysql": "mysql"}.get(DATABASES["default"]["ENGINE"].split(".")[-1], "sqlite"),
)
# A search answers at most this many (best) results: counting stops there, so `count` is exact below it.
SEARCH_MAX_RESULTS = env.int("SEARCH_MAX_RESULTS", 1000)
# Seconds between re-rankings of search results by sales (orders change sales without re-indexing).
SEARCH_RANK_REFRESH_INTERVAL = env.int("SEARCH_RANK_REFRESH_INTERVAL", 600)
CELERY_BEAT_SCHEDULE["search-ranks-refresh"] = {
    "task": "meiduo.search.tasks.search_ranks_refresh",
    "schedule": float(SEARCH_RANK_REFRESH_INTERVAL),
}
# Seconds a public catalog answer stays in the server cache; any catalog edit
# invalidates every cached answer at once, so this only bounds how old the
# stock/sales figures shown may be.
CATALOG_CACHE_TIMEOUT = env.int("CATALOG_CACHE_TIMEOUT", 60)
# Cache-Control max-age of public catalog answers (0: clients revalidate with the ETag each time).
CATALOG_HTTP_MAX_AGE = env.int("CATALOG_HTTP_MAX_AGE", 0)
# Each web process keeps cached answers in memory (meiduo.core.fronttier) and checks the shared catalog
# version at most every this many seconds: the bound within which an edit shows on every answer
# (0: on every request, so an edit shows on the very next request).
CATALOG_VERSION_CHECK_INTERVAL = float(env.str("CATALOG_VERSION_CHECK_INTERVAL", "1"))
# Product page views are counted in each web process and written together at most this often (seconds): one
# UPDATE per viewed SKU per interval instead of one per view. A crash loses at most this long of views.
SKU_VIEWS_FLUSH_SECONDS = env.float("SKU_VIEWS_FLUSH_SECONDS", 5.0)
# Bytes of cached answers each web process keeps in memory (least recently used dropped first).
FRONT_CACHE_MAX_BYTES = env.int("FRONT_CACHE_MAX_BYTES", 16 * 2**20)

# --- Cart and orders ----------------------------------------------------------
# Anonymous carts live in a signed JSON cookie holding at most this many lines.
CART_COOKIE_MAX_LINES = env.int("CART_COOKIE_MAX_LINES", 50)
CART_COOKIE_AGE = env.int("CART_COOKIE_AGE", 14 * 24 * 3600)
CART_COOKIE_SECURE = env.bool("CART_COOKIE_SECURE", False)
CART_COOKIE_SAMESITE = env.str("CART_COOKIE_SAMESITE", "Lax")
# Freight of an order; free from ORDER_FREE_SHIPPING_THRESHOLD of goods on (empty: never free).
ORDER_FREIGHT = env.str("ORDER_FREIGHT", "10.00")
ORDER_FREE_SHIPPING_THRESHOLD = env.str("ORDER_FREE_SHIPPING_THRESHOLD", "")
# Seconds an unpaid online-payment order waits for payment before it is cancelled.
ORDER_PAY_TIMEOUT = env.int("ORDER_PAY_TIMEOUT", 30 * 60)
CELERY_BEAT_SCHEDULE["orders-cancel-expired"] = {
    "task": "meiduo.orders.tasks.orders_cancel_expired",
    "schedule": float(env.int("ORDER_EXPIRY_INTERVAL", 60)),
}

# --- Customer messages (meiduo.feedback, docs/feedback.md) -------------------------
# Largest attachment of a message, bytes (a picture or a PDF; nginx's client_max_body_size must allow it).
FEEDBACK_ATTACHMENT_MAX_BYTES = env.int("FEEDBACK_ATTACHMENT_MAX_BYTES", 5 * 2**20)
# Messages one shopper may send per day (429 past it).
FEEDBACK_DAILY_LIMIT = env.int("FEEDBACK_DAILY_LIMIT", 20)

# --- The notes' front end (meiduo.compat, docs/compat.md) ----------------------
# Folder of the exported index.html and goods/<sku_id>.html (served by nginx next to front_end_pc).
COMPAT_STATIC_DIR = Path(env.str("COMPAT_STATIC_DIR", str(DATA_DIR / "compat-pages"))).resolve()
# Origin put before the shop's site paths (/media/...) in those pages ("" when served from the shop's origin).
COMPAT_SHOP_URL = env.str("COMPAT_SHOP_URL", "")
# Seconds between checks for a catalog change to re-export after (0: only by `manage.py export_static_pages`).
COMPAT_STATIC_REFRESH_INTERVAL = env.int("COMPAT_STATIC_REFRESH_INTERVAL", 300)
if COMPAT_STATIC_REFRESH_INTERVAL:
    CELERY_BEAT_SCHEDULE["compat-static-pages-refresh"] = {
        "task": "meiduo.compat.tasks.static_pages_refresh",
        "schedule": float(COMPAT_STATIC_REFRESH_INTERVAL),
    }

# --- E-mail -----------------------------------------------------------------
EMAIL_URL = env.str("EMAIL_URL", "")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "美多商城 <no-reply@meiduo.example>")
EMAIL_VERIFY_URL = env.str("EMAIL_VERIFY_URL", "http://127.0.0.1:8000/success_verify_email.html")

# --- User center ------------------------------------------------------------
# EMAIL_URL picks Django's mail backend: `console:` (default: mails printed by
# the worker), `smtp://user:pass@host:587?tls=1`, `smtp://…:465?ssl=1`,
# `submission://user:pass@host` (587 + STARTTLS), `file:///path`, `memory:`, `dummy:`.
if EMAIL_URL:
    _email = env.email_url_config(EMAIL_URL)
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
    EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
    EMAIL_TIMEOUT = _email["EMAIL_TIMEOUT"]
    if _email["EMAIL_FILE_PATH"]:
        EMAIL_FILE_PATH = _email["EMAIL_FILE_PATH"]
EMAIL_VERIFY_TTL = 24 * 3600  # the link in the verification mail
# Registration by e-mail: the storefront page the activation link opens, and how long the link works.
ACCOUNT_ACTIVATION_URL = env.str("ACCOUNT_ACTIVATION_URL", "http://127.0.0.1:8000/activate")
ACCOUNT_ACTIVATION_TTL = 24 * 3600
PASSWORD_RESET_STEP_TTL = env.int("PASSWORD_RESET_STEP_TTL", 10 * 60)  # each forgotten-password token
BROWSE_HISTORY_LENGTH = 5
# Tokens carry a hash of the password hash: a password change or reset ends every
# session at once, access tokens included (checked on the user lookup every request makes anyway).
SIMPLE_JWT["CHECK_REVOKE_TOKEN"] = True

# --- Third-party login ---------------------------------------------------------
# A provider is offered only when its client id, secret and redirect URI are all
# set (the redirect URI is the storefront's callback page registered with the
# provider). *_API_URL point the protocol at another host (the loopback fakes).
QQ_CLIENT_ID = env.str("QQ_CLIENT_ID", "")
QQ_CLIENT_SECRET = env.str("QQ_CLIENT_SECRET", "")
QQ_REDIRECT_URI = env.str("QQ_REDIRECT_URI", "")
QQ_API_URL = env.str("QQ_API_URL", "https://graph.qq.com")
WEIBO_CLIENT_ID = env.str("WEIBO_CLIENT_ID", "")
WEIBO_CLIENT_SECRET = env.str("WEIBO_CLIENT_SECRET", "")
WEIBO_REDIRECT_URI = env.str("WEIBO_REDIRECT_URI", "")
WEIBO_API_URL = env.str("WEIBO_API_URL", "https://api.weibo.com")
WEIXIN_CLIENT_ID = env.str("WEIXIN_CLIENT_ID", "")
WEIXIN_CLIENT_SECRET = env.str("WEIXIN_CLIENT_SECRET", "")
WEIXIN_REDIRECT_URI = env.str("WEIXIN_REDIRECT_URI", "")
WEIXIN_OPEN_URL = env.str("WEIXIN_OPEN_URL", "https://open.weixin.qq.com")
WEIXIN_API_URL = env.str("WEIXIN_API_URL", "https://api.weixin.qq.com")
# Seconds to wait for a provider's answer before telling the shopper it is unavailable (503).
OAUTH_PROVIDER_TIMEOUT = env.int("OAUTH_PROVIDER_TIMEOUT", 5)

# --- Payment ---
# PAYMENT_GATEWAY: "demo" (default: a gateway served by the shop itself, with its
# own keys generated into MEIDUO_DATA_DIR, that signs exactly like Alipay) or
# "alipay" (the Alipay open API; sandbox unless ALIPAY_SANDBOX=false). Keys are
# PEM or Alipay's bare base64, given inline or as files. docs/payments.md.
PAYMENT_GATEWAY = env.str("PAYMENT_GATEWAY", "demo")
ALIPAY_APP_ID = env.str("ALIPAY_APP_ID", "")
ALIPAY_APP_PRIVATE_KEY = env.str("ALIPAY_APP_PRIVATE_KEY", "")
ALIPAY_APP_PRIVATE_KEY_FILE = env.str("ALIPAY_APP_PRIVATE_KEY_FILE", "")
ALIPAY_PUBLIC_KEY = env.str("ALIPAY_PUBLIC_KEY", "")
ALIPAY_PUBLIC_KEY_FILE = env.str("ALIPAY_PUBLIC_KEY_FILE", "")
ALIPAY_SANDBOX = env.bool("ALIPAY_SANDBOX", True)
ALIPAY_GATEWAY_URL = env.str("ALIPAY_GATEWAY_URL", "")  # empty: the sandbox or production endpoint
# Where the shopper's browser lands after paying (the storefront's pay-result page) and
# where the gateway posts its asynchronous notification (must be reachable by Alipay).
PAYMENT_RETURN_URL = env.str("PAYMENT_RETURN_URL", "http://127.0.0.1:8000/pay_success.html")
PAYMENT_NOTIFY_URL = env.str("PAYMENT_NOTIFY_URL", "http://127.0.0.1:8000/api/v1/payment/alipay/notify/")
PAYMENT_DEMO_GATEWAY_URL = env.str("PAYMENT_DEMO_GATEWAY_URL", "http://127.0.0.1:8000/api/v1/payment/demo/gateway/")
PAYMENT_GATEWAY_TIMEOUT = env.int("PAYMENT_GATEWAY_TIMEOUT", 10)  # seconds per call to the gateway
# Lost notifications: every PAYMENT_SETTLE_INTERVAL seconds the gateway is asked about
# unpaid orders whose payment page was handed out.
CELERY_BEAT_SCHEDULE["payments-settle-pending"] = {
    "task": "meiduo.payments.tasks.payments_settle_pending",
    "schedule": float(env.int("PAYMENT_SETTLE_INTERVAL", 120)),
}
# Refunds: every REFUND_RETRY_INTERVAL seconds each refund the gateway has not confirmed is tried again.
CELERY_BEAT_SCHEDULE["payments-refunds-retry"] = {
    "task": "meiduo.payments.tasks.refunds_retry",
    "schedule": float(env.int("REFUND_RETRY_INTERVAL", 300)),
}

# --- Operations (docs/operations.md) -------------------------------------------
# The dashboard lists launched SKUs with this many units or fewer.
LOW_STOCK_THRESHOLD = env.int("LOW_STOCK_THRESHOLD", 10)

# --- Logging and error tracking (meiduo.core.observability, docs/operations.md) --------------------------
LOG_LEVEL = env.str("LOG_LEVEL", "INFO")
# A folder for meiduo.log (rotated by size, shared by every process); empty: stdout only.
LOG_DIR = env.str("LOG_DIR", "")
LOG_FILE_MAX_BYTES = env.int("LOG_FILE_MAX_BYTES", 20 * 2**20)
LOG_FILE_BACKUPS = env.int("LOG_FILE_BACKUPS", 10)
# One JSON object per line (on stdout and in the file) instead of plain text.
LOG_JSON = env.bool("LOG_JSON", False)
LOGGING = logging_config(
    level=LOG_LEVEL, log_dir=LOG_DIR, json_lines=LOG_JSON, max_bytes=LOG_FILE_MAX_BYTES, backups=LOG_FILE_BACKUPS
)
# Errors and transactions slower than SENTRY_SLOW_TRANSACTION_MS go to Sentry when SENTRY_DSN is set.
SENTRY_DSN = env.str("SENTRY_DSN", "")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", "production")
SENTRY_RELEASE = env.str("SENTRY_RELEASE", "")
# Share of requests and jobs timed (the slow ones among them are sent); 0 turns transactions off.
SENTRY_TRACES_SAMPLE_RATE = float(env.str("SENTRY_TRACES_SAMPLE_RATE", "1.0"))
SENTRY_SLOW_TRANSACTION_MS = env.int("SENTRY_SLOW_TRANSACTION_MS", 1000)
if SENTRY_DSN:
    sentry_init(
        dsn=SENTRY_DSN,
        environment=SENTRY_ENVIRONMENT,
        release=SENTRY_RELEASE,
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
        slow_transaction_ms=SENTRY_SLOW_TRANSACTION_MS,
    )
