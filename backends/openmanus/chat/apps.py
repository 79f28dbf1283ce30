from django.apps import AppConfig
from django.conf import settings
from django.db.backends.signals import connection_created
from django.utils.module_loading import import_string


class ChatConfig(AppConfig):
    """Holds the scripted agent runner and the JWKS verifier: the one place they are built."""

    name = "chat"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .auth import ClerkVerifier

        runner_class = import_string(settings.OPENMANUS_AGENT_RUNNER)
        self.runner = runner_class(
            seed=settings.OPENMANUS_AGENT_SEED,
            tick_ms=settings.OPENMANUS_AGENT_TICK_MS,
            max_steps=settings.OPENMANUS_AGENT_MAX_STEPS,
        )
        self.verifier = ClerkVerifier()
        connection_created.connect(_sqlite_pragmas)


def _sqlite_pragmas(sender, connection, **kwargs):
    # WAL lets the token command and the tests read while the agent writes.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
