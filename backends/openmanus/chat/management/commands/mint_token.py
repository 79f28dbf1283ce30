"""Prints a Clerk-style RS256 JWT that the running backend accepts (same data directory), or with
--session a Django sessionid for the same user."""
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.core.management.base import BaseCommand

from chat.demo import DEMO_SUB
from chat.keys import SigningKey


class Command(BaseCommand):
    help = "Print a valid token (JWT for the JWKS, or --session for a sessionid cookie value)."

    def add_arguments(self, parser):
        parser.add_argument("--sub", default=DEMO_SUB, help="Clerk user id (default user_demo)")
        parser.add_argument("--ttl", type=int, default=settings.OPENMANUS_TOKEN_TTL, help="seconds (default 60)")
        parser.add_argument("--session", action="store_true", help="print a sessionid instead of a JWT")

    def handle(self, *args, sub, ttl, session, **options):
        if session:
            call_command("migrate", verbosity=0, interactive=False)
            user, _ = get_user_model().objects.get_or_create(username=sub)
            store = SessionStore()
            store["_auth_user_id"] = str(user.pk)
            store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
            store["_auth_user_hash"] = user.get_session_auth_hash()
            store.create()
            self.stdout.write(store.session_key)
            return
        key = SigningKey.load_or_create(settings.OPENMANUS_KEY_DIR)
        self.stdout.write(
            key.mint(sub=sub, issuer=settings.OPENMANUS_JWT_ISSUER, audience=settings.OPENMANUS_JWT_AUDIENCE, ttl=ttl)
        )
