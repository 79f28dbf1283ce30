"""Runs daphne in this process on 127.0.0.1 and prints one line, `listening <host> <port>`, once the
port is bound and the reactor runs (port 0 picks a free port). SIGTERM/SIGINT stop it, and so
does the death of the parent process (the launcher), so a killed launcher leaves no daphne behind."""
import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the ASGI application with daphne."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, **opts):
        from daphne.endpoints import build_endpoint_description_strings
        from daphne.server import Server
        from twisted.internet import reactor

        from mentorsite.asgi import application

        server = None

        def announce():
            host, port = server.listening_addresses[0]
            sys.stdout.write(f"listening {host} {port}\n")
            sys.stdout.flush()

        parent = os.getppid()

        def orphaned():
            if os.getppid() != parent:
                server.stop()

        def ready():
            from twisted.internet.task import LoopingCall

            LoopingCall(orphaned).start(1.0, now=False)
            if not server.listening_addresses:
                sys.stderr.write("daphne did not bind\n")
                server.stop()
                return
            reactor.callWhenRunning(announce)

        server = Server(
            application=application,
            endpoints=build_endpoint_description_strings(host=opts["host"], port=opts["port"]),
            ready_callable=ready,
            signal_handlers=True,
            verbosity=0,
        )
        server.run()
