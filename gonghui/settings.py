"""Gonghui settings: one file, every knob from the environment, SQLite by default."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GONGHUI_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env_str("GONGHUI_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", not PRODUCTION)


def _dev_secrets() -> dict[str, str]:
    """Random keys for a developer's machine, made once under var/ (never in the repository)."""
    from gonghui.core.devsecrets import load_or_create

    return load_or_create(VAR_DIR / "dev-secrets.json")


_secrets = {} if PRODUCTION else _dev_secrets()

# Production takes every setting from the environment and refuses to start, naming every variable missing at
# once, rather than run half-configured (docs/deploy.md; docs/decisions/0031-production-stack.md).
PRODUCTION_REQUIRED = (
    "SECRET_KEY", "GONGHUI_DATA_KEYS", "GONGHUI_INDEX_KEY", "GONGHUI_AUDIT_KEYS", "DATABASE_URL", "REDIS_URL",
    "ALLOWED_HOSTS",
)  # fmt: skip
if PRODUCTION and (missing := [name for name in PRODUCTION_REQUIRED if not os.environ.get(name)]):
    raise ImproperlyConfigured(
        "生产模式（GONGHUI_ENV=production）缺少必需的环境变量，拒绝启动：" + "、".join(missing)
        + "。见 docs/deploy.md。"
    )  # fmt: skip


def secret(name: str) -> str:
    value = os.environ.get(name) or _secrets.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in the environment（缺少环境变量 {name}）")
    return value


SECRET_KEY = secret("SECRET_KEY")
# Personal-data keys: "keyid:hex" pairs; the first is used to encrypt, all of them decrypt.
GONGHUI_DATA_KEYS = secret("GONGHUI_DATA_KEYS")
GONGHUI_INDEX_KEY = secret("GONGHUI_INDEX_KEY")
# Audit-chain keys (HMAC-SM3, docs/security.md §23): "keyid:64hex" pairs (ids up to 32 characters); the first seals,
# all of them verify.
GONGHUI_AUDIT_KEYS = secret("GONGHUI_AUDIT_KEYS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # Swagger UI for /api/v1/docs from local static files, not a CDN
    "gonghui.core",
    "gonghui.orgs",
    "gonghui.accounts",
    "gonghui.members",
    "gonghui.joining",
    "gonghui.rosters",
    "gonghui.dues",
    "gonghui.portal",
    "gonghui.console",
    "gonghui.privacy",
    "gonghui.cases",
    "gonghui.assistance",
    "gonghui.venues",
    "gonghui.activities",
    "gonghui.benefits",
    "gonghui.contracts",
    "gonghui.news",
    "gonghui.messages",
    "gonghui.finance",
    "gonghui.fundreview",
    "gonghui.governance",
    "gonghui.rights",
    "gonghui.democracy",
    "gonghui.workforce",
    "gonghui.learning",
]

MIDDLEWARE = [
    "gonghui.core.requestlog.RequestLogMiddleware",  # request id, one JSON access line per request
    "gonghui.core.health.DatabaseUnavailableMiddleware",  # a dropped database connection: a clear 503
    "django.middleware.security.SecurityMiddleware",
    "gonghui.core.security_headers.SecurityHeadersMiddleware",  # CSP and Permissions-Policy
    "gonghui.core.middleware.RefuseNulCharactersMiddleware",  # a \0 in a parameter: a 400 in Chinese, not a 500
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gonghui.accounts.middleware.TwoFactorMiddleware",  # holds a signed-in user at the 2FA step
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gonghui.core.middleware.NoStoreForPersonalDataMiddleware",
    "gonghui.accounts.session_policy.LoginPolicyMiddleware",  # idle/absolute session timeout, password expiry
]

ROOT_URLCONF = "gonghui.urls"
WSGI_APPLICATION = "gonghui.wsgi.application"

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

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'gonghui.sqlite3'}",
        conn_max_age=int(env_str("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }
# A streaming-replication standby (docs/deploy.md "Read replicas"): the overview and list exports read from it
# (core.replica); in tests it mirrors the default database.
if replica_url := os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(replica_url, conn_max_age=int(env_str("DB_CONN_MAX_AGE", "60")))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["gonghui.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The org path index carries member_count as a covering column on PostgreSQL; SQLite simply ignores it.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Lockout after repeated failures (gonghui.accounts.lockout) for the page login and the API token alike.
# Workers made by online joining sign in by phone number; everything else is the accounts lockout backend.
AUTHENTICATION_BACKENDS = ["gonghui.joining.backends.PhoneOrUsernameBackend"]
# The minimum length the security policy starts with; afterwards the security admin sets it.
PASSWORD_MIN_LENGTH = int(env_str("PASSWORD_MIN_LENGTH", "12"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "gonghui.accounts.policy.PolicyLengthValidator"},  # the policy's minimum, at most 128
    {"NAME": "gonghui.accounts.policy.PolicyCharacterClassesValidator"},  # 等保 mode: 3 of 4 classes
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Rate-limit counters (gonghui.core.ratelimit) live here: Redis when REDIS_URL is set, so that every web
# process shares them; otherwise this process's memory (one process: development, tests).
# While Redis is down the counters fall back to this process's memory (gonghui.core.cache), so pages keep working.
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "gonghui.core.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "gonghui",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "gonghui"}
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Background tasks: the database queue (django_tasks_db) by default; in production RQ on Redis (django-tasks-rq),
# run by `manage.py task_worker` processes apart from the web processes. REDIS_TASKS_URL may name another Redis
# (or database number) than the cache's.
RQ_BACKEND = "django_tasks_rq.RQBackend"
TASKS = {
    "default": {"BACKEND": env_str("TASKS_BACKEND", RQ_BACKEND if PRODUCTION else "django_tasks_db.DatabaseBackend")}
}
if TASKS["default"]["BACKEND"] == RQ_BACKEND:
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": env_str("REDIS_TASKS_URL", REDIS_URL), "DEFAULT_TIMEOUT": 3600}}

SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "gonghui.core.views.csrf_failure"  # the project's own page, in Chinese
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The load balancer's probes speak plain HTTP to the process (gonghui.core.health).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "gonghui.core.logging.MaskPersonalDataFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        # One JSON object per line, with the request id; masked once more as a whole (gonghui.core.logging).
        "json": {"()": "gonghui.core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env_str("LOG_FORMAT", "json" if PRODUCTION else "plain"),
            "filters": ["mask_personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # The access log is gonghui.core.requestlog's line per request; Django's own would repeat it.
    "loggers": {"django.server": {"level": "WARNING"}},
}

# Member list: above this many rows a filtered count is shown as "more than".
GONGHUI_COUNT_LIMIT = int(env_str("GONGHUI_COUNT_LIMIT", "10000"))
# The member tables LIST-partitioned by province (PostgreSQL only; `manage.py partition_by_province` converts
# them first, the system checks refuse otherwise): scoped reads of a one-province grant add `province = X`
# (decision 0052, docs/deploy.md).
GONGHUI_PARTITION_BY_PROVINCE = env_bool("GONGHUI_PARTITION_BY_PROVINCE")

# Uploads (rosters): the largest file accepted, in MB; gonghui.core.uploads checks the content as well.
GONGHUI_UPLOAD_MAX_MB = int(env_str("GONGHUI_UPLOAD_MAX_MB", "50"))
# A long job's worker renews its lease after every batch; a job whose lease ran out this many seconds after
# the last renewal is stalled (its worker died) and is resumed (gonghui.core.jobs).
GONGHUI_JOB_LEASE_SECONDS = int(env_str("GONGHUI_JOB_LEASE_SECONDS", "120"))

# Text messages (gonghui.core.sms): "console" logs them (number masked), "locmem" keeps them for tests, or the
# dotted path of a gateway's send(phone, text) in production.
GONGHUI_SMS_BACKEND = env_str("GONGHUI_SMS_BACKEND", "console")
# Channels of the message centre beyond the inbox and text messages (gonghui.messages.channels): dotted classes.
GONGHUI_MESSAGE_CHANNELS = env_list("GONGHUI_MESSAGE_CHANNELS", "gonghui.messages.channels.WechatTemplateLog")
