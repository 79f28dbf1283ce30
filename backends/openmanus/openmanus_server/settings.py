"""Settings of the openmanus reference backend (Django + channels + DRF, loopback only).

Everything that differs between runs comes from the environment, so the CLI (`manage.py serve`),
the token minting command and the test run share one settings module.
"""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("OPENMANUS_DATA_DIR", BASE_DIR / ".data"))
DATA_DIR.mkdir(parents=True, exist_ok=True)

# A reference backend bound to 127.0.0.1: the key only signs sessions of local demo users.
SECRET_KEY = os.environ.get("OPENMANUS_SECRET_KEY", "openmanus-reference-backend-loopback-only")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "channels",
    "chat",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "openmanus_server.urls"
ASGI_APPLICATION = "openmanus_server.asgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "openmanus.sqlite3"),
        "OPTIONS": {"timeout": 20},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One process, one event loop: the in-memory layer is what a single daphne worker needs.
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "chat.auth.ClerkJWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": None,
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True
STATIC_URL = "/static/"
SESSION_COOKIE_AGE = 14 * 24 * 3600

# Clerk stand-in: tokens are RS256 JWTs checked against the JWKS at OPENMANUS_JWKS_URL
# (served on loopback by `manage.py serve`), with this issuer and audience.
OPENMANUS_JWT_ISSUER = os.environ.get("OPENMANUS_JWT_ISSUER", "https://clerk.openmanus.test")
OPENMANUS_JWT_AUDIENCE = os.environ.get("OPENMANUS_JWT_AUDIENCE", "openmanus")
OPENMANUS_JWKS_URL = os.environ.get("OPENMANUS_JWKS_URL", "")
OPENMANUS_TOKEN_TTL = int(os.environ.get("OPENMANUS_TOKEN_TTL", "60"))
OPENMANUS_KEY_DIR = Path(os.environ.get("OPENMANUS_KEY_DIR", DATA_DIR / "keys"))

# The scripted agent: one tick is the pause between two of its actions.
OPENMANUS_AGENT_RUNNER = os.environ.get("OPENMANUS_AGENT_RUNNER", "chat.agent.runner.AsyncioRunner")
OPENMANUS_AGENT_SEED = os.environ.get("OPENMANUS_AGENT_SEED", "openmanus")
OPENMANUS_AGENT_TICK_MS = int(os.environ.get("OPENMANUS_AGENT_TICK_MS", "250"))
OPENMANUS_AGENT_MAX_STEPS = int(os.environ.get("OPENMANUS_AGENT_MAX_STEPS", "20"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["stderr"], "level": os.environ.get("OPENMANUS_LOG_LEVEL", "WARNING")},
}
