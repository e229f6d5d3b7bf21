"""Settings for the alliance portal, read from environment variables.

Every variable is listed with its default in README.md. With none set, the portal runs embedded: SQLite
and a Celery broker on the filesystem under ``var/``, no server needed.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# Off unless asked for: a production install that forgets DEBUG is not a debugging server. `make run`
# (scripts/) and the test settings (alliance/test_settings.py) turn it on with the development key below.
DEBUG = env_bool("DEBUG", False)

# Without DEBUG there is no default key: the web server (alliance/wsgi.py) and the worker (alliance/celery.py)
# read it at start, which Django refuses while it is empty ("The SECRET_KEY setting must not be empty"), while management commands that sign nothing (makemigrations, check,
# collectstatic) still run.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-8f2c61d0a4e9"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
PORT = int(os.environ.get("PORT", "8000"))
SITE_URL = os.environ.get("SITE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")
# The footer's lines a site run in China carries: who operates it and its ICP 备案号 (linked to the MIIT register).
SITE_OPERATOR = os.environ.get("SITE_OPERATOR", "")
SITE_ICP = os.environ.get("SITE_ICP", "")

INSTALLED_APPS = [
    "alliance.apps.AllianceConfig",
    "members.apps.MembersConfig",
    "governance.apps.GovernanceConfig",
    "projects.apps.ProjectsConfig",
    "finance.apps.FinanceConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "simple_history",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "alliance.middleware.ChosenLanguageMiddleware",
    "alliance.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "alliance.middleware.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Handles a view's database connection errors with a 503 (AxesMiddleware defines no process_exception,
    # so this one still sees them first).
    "alliance.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "alliance.urls"
WSGI_APPLICATION = "alliance.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alliance.context_processors.site_footer",
                "alliance.context_processors.navigation",
            ],
        },
    },
]

# Database: an SQLite file under var/ by default; DATABASE_URL=postgres://… in production and CI.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A request fails within seconds (503 page, alliance/middleware.py) instead of hanging while the
    # database is unreachable.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so that a Celery worker started by the tests sees the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
    # IMMEDIATE: a write transaction takes the lock when it begins and waits for it (up to the timeout)
    # instead of failing with "database is locked" when the web server and the worker write at once.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "alliance.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a login for a (username, IP) pair locked out after repeated failures.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "profile"
LOGOUT_REDIRECT_URL = "home"
# guardian: no anonymous user row; anonymous visitors hold no object permission.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["alliance.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# The only directory a PDF may load files from (alliance/pdf.py).
PDF_ASSETS_DIR = BASE_DIR / "static" / "pdf"
# The cut-down CJK fonts `manage.py build_pdf_fonts` writes (scripts/setup.sh runs it); not in git.
PDF_FONTS_DIR = BASE_DIR / "pdf-fonts"

# Private files (attachments, certificates, receipts): never under STATIC_ROOT and never served by
# URL; only views that check the permission stream them.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Never routed: no URL pattern serves MEDIA_ROOT (only the test live server would).
MEDIA_URL = "/media/"
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# The whole body of one request, files included (alliance.middleware.RequestSizeLimitMiddleware): a bigger one gets
# the 413 page. Each file is capped at 10 MB by its kind (alliance/uploads.py); more go in several saves.
REQUEST_MAX_BYTES = int(os.environ.get("REQUEST_MAX_MB", "50")) * 1024 * 1024

# Where the private files live. By default the local disk (MEDIA_ROOT), which is one machine's: with web processes and
# workers on several machines, MEDIA_STORAGE=s3 puts them in one bucket of an S3-protocol object store that all of them
# reach (alliance/storage.py). The bucket must not be public: the files are served only through the views.
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "filesystem":
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    from botocore.config import Config as _S3Config

    _media_storage = {
        "BACKEND": "alliance.storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            # A key prefix, so that several portals (or a test run) can share one bucket.
            "location": os.environ.get("AWS_LOCATION", ""),
            # As the filesystem storage: a name already taken gets a new one, nothing is overwritten by accident
            # (alliance/documents.py deletes a PDF's old file itself before writing its fixed name again).
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": False,
            # A store that does not answer fails the request within seconds instead of holding a web process.
            # Addressing "path" for most self-hosted stores; "virtual" where the host asks for bucket.endpoint names.
            "client_config": _S3Config(
                connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"},
                signature_version="s3v4", s3={"addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE", "path")},
            ),
        },
    }
    if not _media_storage["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
else:
    raise ImproperlyConfigured("MEDIA_STORAGE must be filesystem or s3.")

STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail: written to files under var/mail/ unless EMAIL_BACKEND says otherwise (smtp in production).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "联盟服务平台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# How long the link of a sign-up's verification e-mail works; the person can ask for a new one at any time.
EMAIL_VERIFICATION_DAYS = int(os.environ.get("EMAIL_VERIFICATION_DAYS", "3"))
# Sign-ups accepted from one client address in an hour (alliance/ratelimit.py): enough for a school's shared
# network, too few to open accounts in bulk.
SIGNUP_LIMIT_PER_HOUR = int(os.environ.get("SIGNUP_LIMIT_PER_HOUR", "20"))

# Celery: kombu's filesystem transport under var/ by default; redis://… in production and CI.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem"):
    _broker_dir = VAR_DIR / "broker"
    for _folder in ("queue", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A message a killed worker had taken (acks_late) goes back to the queue after this many seconds.
        "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
        # Fail fast when Redis is down, so a request that enqueues never waits for it (the work is already
        # recorded and a sweep enqueues it later, alliance/queueing.py). Without these a publish retried
        # for ~6 s when the port was closed, and hung forever when Redis was stopped but the port open.
        "max_retries": 0,
        "socket_connect_timeout": 2,
        "socket_timeout": 2,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
# A worker's claim on a PDF to render (alliance/documents.py) is taken over after this many seconds: longer than
# a task may run, so only a dead worker's claim is ever taken over.
DOCUMENT_CLAIM_TIMEOUT = int(os.environ.get("DOCUMENT_CLAIM_TIMEOUT", CELERY_TASK_TIME_LIMIT + 30))
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Every machine may run beat: each due job is claimed in the broker's Redis first and sent by one beat only
# (alliance/beat.py).
CELERY_BEAT_SCHEDULER = "alliance.beat:SingleRunScheduler"
# Periodic jobs; later apps add theirs here. The PDF sweeps run every minute: they hand a failed PDF back to a
# worker when its back-off (1, 2, 4, 8 minutes) is over; with nothing to do each costs two small queries.
CELERY_BEAT_SCHEDULE = {
    "email-sweep": {"task": "alliance.tasks.email_sweep", "schedule": 300.0},
    "members-certificate-sweep": {"task": "members.tasks.certificate_sweep", "schedule": 60.0},
    "members-expiry-daily": {"task": "members.tasks.members_expiry_daily", "schedule": crontab(hour=6, minute=30)},
    "governance-council-reminders": {"task": "governance.tasks.council_reminders_check", "schedule": 86400.0},
    "governance-pdf-sweep": {"task": "governance.tasks.pdf_sweep", "schedule": 60.0},
    # Hourly: a correspondence deadline is reminded of between 24 and 23 hours before it.
    "governance-vote-deadline-reminders": {"task": "governance.tasks.vote_deadline_reminders", "schedule": 3600.0},
    "projects-pdf-sweep": {"task": "projects.tasks.pdf_sweep", "schedule": 60.0},
    "finance-receipt-sweep": {"task": "finance.tasks.receipt_sweep", "schedule": 60.0},
    "finance-dues-reminders": {"task": "finance.tasks.dues_reminders", "schedule": crontab(hour=9, minute=0)},
}

# Cache, shared by the web processes (rendered pages, alliance/pagecache.py): Redis when CACHE_URL names one,
# failing soft when it is down (alliance/cache.py); otherwise files under var/, which need no server and are
# shared by the processes of one machine. Sessions are kept in the database, which they must survive Redis being
# down with, and read from this cache (alliance/sessions.py): a signed-in request costs no session query.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "alliance.cache.FailSoftRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "portal",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
elif CACHE_URL:
    raise ImproperlyConfigured("CACHE_URL must be a redis://, rediss:// or unix:// URL, or empty.")
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            # Every page of every directory in both languages, with room to spare (the default culls at 300).
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# Login lock-out (django-axes): after AXES_FAILURE_LIMIT failed logins for one account from one address,
# that pair is refused for the cool-off period (a Chinese page, status 429); a success resets the count.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # the login forms post the e-mail as "username"
AXES_USERNAME_CALLABLE = "alliance.lockout.username_of_attempt"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Behind the README's TLS-terminating proxy, set TRUSTED_PROXY_COUNT to the number of proxies in front (1): the
# client's address is then read from the right of X-Forwarded-For (what the nearest proxy saw), so every person
# does not share the proxy's address, and a client cannot choose its own by sending the header itself.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "alliance.lockout.client_address"
AXES_VERBOSE = False

SESSION_ENGINE = "alliance.sessions"
# Staff: a working day without activity ends the session (alliance/middleware.py); others keep Django's two weeks.
STAFF_SESSION_IDLE_SECONDS = int(os.environ.get("STAFF_SESSION_IDLE_HOURS", "9")) * 3600
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# History is a record, read and never restored from (alliance/admin.py ReadOnlyHistoryAdmin). A change reason
# is free text (a withdrawal reason, a motion title): stored without the default 100-character limit.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "WARNING"}},
}
