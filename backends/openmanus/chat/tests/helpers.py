"""A Clerk stand-in for tests: a fresh RSA key, its JWKS on a loopback port, token minting."""
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import override_settings

from chat.jwks_server import start_jwks_server
from chat.keys import SigningKey

ISSUER = "https://clerk.test.invalid"
AUDIENCE = "openmanus-tests"


class ClerkStandIn:
    def __init__(self, activate=True):
        self.dir = tempfile.TemporaryDirectory()
        self.key = SigningKey.load_or_create(Path(self.dir.name))
        self.server, self.url = start_jwks_server(self.key.jwks())
        self.settings = override_settings(
            OPENMANUS_JWKS_URL=self.url, OPENMANUS_JWT_ISSUER=ISSUER, OPENMANUS_JWT_AUDIENCE=AUDIENCE
        )
        self.active = activate
        if activate:
            self.settings.enable()

    def token(self, sub="user_test", ttl=60, **kw):
        return self.key.mint(sub=sub, issuer=kw.pop("issuer", ISSUER), audience=kw.pop("audience", AUDIENCE), ttl=ttl, **kw)

    def close(self):
        if self.active:
            self.settings.disable()
        self.server.shutdown()
        self.server.server_close()
        self.dir.cleanup()


def use_inline_runner(test_case):
    """The REST tests run each agent plan at once, inside the request."""
    from django.apps import apps

    from chat.agent.runner import InlineRunner

    chat = apps.get_app_config("chat")
    previous = chat.runner
    chat.runner = InlineRunner(seed="tests", max_steps=settings.OPENMANUS_AGENT_MAX_STEPS)
    test_case.addCleanup(setattr, chat, "runner", previous)
