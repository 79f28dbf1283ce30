"""The Clerk stand-in's JWKS endpoint: a small HTTP server on 127.0.0.1 in a daemon thread.

It is a separate listener (not a Django route) so that verifying a token never waits on the
server that is handling the request being verified.
"""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

JWKS_PATH = "/.well-known/jwks.json"


def start_jwks_server(jwks: dict, port: int = 0):
    body = json.dumps(jwks).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            if self.path.split("?")[0] != JWKS_PATH:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "public, max-age=300")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            return None

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="jwks", daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{JWKS_PATH}"
