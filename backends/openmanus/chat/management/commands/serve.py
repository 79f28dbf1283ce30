"""`manage.py serve`: migrate, start the JWKS endpoint, optionally seed the demo, and run daphne
on 127.0.0.1, printing exactly one ready line once it listens."""
import sys

from daphne.server import Server  # installs the asyncio reactor: import before anything else of twisted
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from chat.agent.runner import AsyncioRunner
from chat.demo import DEMO_PASSWORD, DEMO_SUB, ensure_demo_user, seed_demo
from chat.jwks_server import start_jwks_server
from chat.keys import SigningKey


class Command(BaseCommand):
    help = "Run the openmanus reference backend (REST + WebSocket + JWKS) on 127.0.0.1."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8090, help="REST + WebSocket port (0 = any free port)")
        parser.add_argument("--jwks-port", type=int, default=0, help="JWKS port (default: any free port)")
        parser.add_argument("--seed-demo", action="store_true", help="demo user and conversations, once")
        parser.add_argument("--tick-ms", type=int, default=settings.OPENMANUS_AGENT_TICK_MS, help="pause between agent actions")
        parser.add_argument("--seed", default=settings.OPENMANUS_AGENT_SEED, help="seed of the scripted agent's choices")
        parser.add_argument("--token-ttl", type=int, default=settings.OPENMANUS_TOKEN_TTL, help="lifetime of the printed token (s)")

    def handle(self, *args, **o):
        call_command("migrate", verbosity=0, interactive=False)
        key = SigningKey.load_or_create(settings.OPENMANUS_KEY_DIR)
        _jwks, jwks_url = start_jwks_server(key.jwks(), o["jwks_port"])
        settings.OPENMANUS_JWKS_URL = jwks_url
        chat = apps.get_app_config("chat")
        chat.runner = AsyncioRunner(seed=o["seed"], tick_ms=o["tick_ms"], max_steps=settings.OPENMANUS_AGENT_MAX_STEPS)
        seeded = ""
        if o["seed_demo"]:
            ensure_demo_user()
            n = seed_demo(o["seed"], settings.OPENMANUS_AGENT_MAX_STEPS)
            seeded = f" demo={n}-conversations-added" if n else " demo=present"
            seeded += f" admin-login={DEMO_SUB}/{DEMO_PASSWORD}"

        from openmanus_server.asgi import application

        server = None

        def ready():
            host, port = server.listening_addresses[0]
            token = key.mint(sub=DEMO_SUB, issuer=settings.OPENMANUS_JWT_ISSUER,
                             audience=settings.OPENMANUS_JWT_AUDIENCE, ttl=o["token_ttl"])
            sys.stdout.write(
                f"openmanus backend ready: api=http://{host}:{port}/api ws=ws://{host}:{port}/ws jwks={jwks_url} "
                f"data={settings.DATA_DIR} user={DEMO_SUB} token={token} ttl={o['token_ttl']}s{seeded} "
                f"(more tokens: npm run backend:openmanus:token -- --data {settings.DATA_DIR} [--ttl N])\n"
            )
            sys.stdout.flush()

        server = Server(
            application,
            endpoints=[f"tcp:port={o['port']}:interface=127.0.0.1"],
            signal_handlers=True,
            verbosity=0,
            ready_callable=ready,
        )
        server.run()
