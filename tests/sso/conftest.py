"""A real HTTP server on 127.0.0.1 serving discovery documents, so the portal's reading of them is tested over the wire."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class DiscoveryServer:
    def __init__(self):
        self.routes = {}  # path -> (status, body bytes, headers, delay seconds)
        handler = self._handler()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                status, body, headers, delay = server.routes.get(self.path, (404, b"not found", {}, 0))
                if delay:
                    time.sleep(delay)
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        return Handler

    def document(self, issuer_path="/tenant", **overrides):
        """A discovery document for the issuer base + issuer_path, served at its well-known address; returns that address."""
        issuer = self.base + issuer_path
        doc = {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/authorize",
            "token_endpoint": f"{issuer}/token",
            "userinfo_endpoint": f"{issuer}/userinfo",
            "jwks_uri": f"{issuer}/jwks",
            "end_session_endpoint": f"{issuer}/logout",
        }
        doc.update(overrides)
        doc = {key: value for key, value in doc.items() if value is not None}
        path = f"{issuer_path}/.well-known/openid-configuration"
        self.serve(path, json.dumps(doc).encode())
        return self.base + path

    def serve(self, path, body, *, status=200, headers=None, delay=0):
        self.routes[path] = (status, body, headers or {}, delay)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def discovery_server():
    server = DiscoveryServer()
    yield server
    server.close()
