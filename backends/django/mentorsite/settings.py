"""Settings of the Django Channels reference backend (backends.md §2 and §3, as deployed).

Everything a test needs to vary comes from the environment, so one process runs one configuration:

  DJANGO_DB_PATH                SQLite file (default: <this folder>/.data/db.sqlite3)
  DJANGO_SECRET_KEY             signing key; default: read from (or created in) <db dir>/secret_key,
                                so sessions and JWTs survive a restart on the same database
  DJANGO_ALLOWED_HOSTS          comma-separated; also the hosts a socket Origin may name
  DJANGO_ACCESS_TOKEN_SECONDS   simplejwt access lifetime (default 3600 = 60 min)
  DJANGO_REFRESH_TOKEN_SECONDS  simplejwt refresh lifetime (default 86400 = 1 day)
  DJANGO_ANON_THROTTLE          DRF anonymous rate (default "100/hour"; logins count)
"""
import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

DB_PATH = Path(os.environ.get("DJANGO_DB_PATH") or BASE_DIR / ".data" / "db.sqlite3")
DB_PATH.parent.mkdir(parents=True, exist_ok=True)


def _secret_key():
    env = os.environ.get("DJANGO_SECRET_KEY")
    if env:
        return env
    path = DB_PATH.parent / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        return key


SECRET_KEY = _secret_key()
# A deployment runs with DEBUG off; the 301 for a missing trailing slash on POST needs it off too.
DEBUG = False
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]

INSTALLED_APPS = [
    "daphne",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "channels",
    "accounts",
    "chat",
    "challenges",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before CommonMiddleware: an unprefixed path answers 302 to /en/..., then a missing slash 301.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "mentorsite.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.contrib.auth.context_processors.auth", "django.contrib.messages.context_processors.messages"]},
    }
]
ASGI_APPLICATION = "mentorsite.asgi.application"
WSGI_APPLICATION = None

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DB_PATH),
        # daphne runs sync views and consumers in threads; wait for the writer instead of failing.
        "OPTIONS": {"timeout": 20},
        "TEST": {"NAME": ":memory:"},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# The in-memory layer: one daphne process holds every socket.
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ar", "Arabic")]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

SESSION_COOKIE_AGE = 14 * 24 * 3600  # Django's default: two weeks
SESSION_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

REST_FRAMEWORK = {
    # JWT first: a Bearer that fails is a 401 before the session is ever looked at.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "accounts.authentication.SessionAuthenticationWithOrigin",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "mentorsite.pagination.StandardPagination",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("DJANGO_ANON_THROTTLE", "100/hour")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(seconds=int(os.environ.get("DJANGO_ACCESS_TOKEN_SECONDS", "3600"))),
    "REFRESH_TOKEN_LIFETIME": timedelta(seconds=int(os.environ.get("DJANGO_REFRESH_TOKEN_SECONDS", "86400"))),
    "ROTATE_REFRESH_TOKENS": True,
    # backends.md says "rotating"; the stricter reading is taken: a used refresh token is dead.
    "BLACKLIST_AFTER_ROTATION": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["stderr"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    # Every 4xx is an expected answer here (tests make hundreds); real failures (5xx) still log.
    "loggers": {"django.request": {"level": "ERROR"}},
}

if len(sys.argv) > 1 and sys.argv[1] == "test":
    # Django's own test runner: a fast hasher keeps the suite short; nothing else changes.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
