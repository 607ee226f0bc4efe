"""A fake of Odoo's IAP SMS endpoint: a real JSON-RPC server on 127.0.0.1.

Nothing here imports Odoo: the Odoo tests and the benchmark both use it.
"""

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class JsonRpcHandler(BaseHTTPRequestHandler):
    """Answers JSON-RPC calls with ``server.answer(path, params)``; keeps every call."""

    disable_nagle_algorithm = True  # see FakeGateway: no 40 ms stall per answer

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        payload = json.loads(self.rfile.read(length) or b"{}")
        self.server.calls.append((self.path, payload.get("params")))
        result = self.server.answer(self.path, payload.get("params") or {})
        body = json.dumps({"jsonrpc": "2.0", "id": payload.get("id"), "result": result}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass  # keep the test log free of access lines


@contextmanager
def json_rpc_server(answer):
    """A real HTTP server on 127.0.0.1 speaking JSON-RPC; yields ``(base_url, calls)``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), JsonRpcHandler)
    server.answer = answer
    server.calls = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.calls
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def iap_accept_all(path, params):
    """IAP's answer to ``/api/sms/3/send`` when every number is accepted, one credit each."""
    return [
        {"uuid": number["uuid"], "state": "success", "credit": 1.0}
        for message in params["messages"]
        for number in message["numbers"]
    ]
