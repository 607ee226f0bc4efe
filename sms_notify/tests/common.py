import json
import socket
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch

from odoo.tests import TransactionCase

from odoo.addons.sms.tools.sms_api import SmsApi

from .fakes.smsc import FakeSmsc


class SmsNotifyCommon(TransactionCase):
    """Base of the suite's tests: a customer with a mobile number and a chosen gateway.

    Every existing gateway is archived first so that a test decides alone which gateway sends
    (demo databases come with an active sandbox)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["sms.notify.gateway"].search([]).action_archive()
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Anna Petrova",
                "phone": "+7 912 345-67-89",
                "country_id": cls.env.ref("base.ru").id,
            }
        )

    @classmethod
    def _create_gateway(cls, gateway_type="sandbox", **values):
        return cls.env["sms.notify.gateway"].create(
            {"name": f"Test {gateway_type}", "gateway_type": gateway_type, **values}
        )

    def _post_sms(self, record, body, numbers=None, run_queue=True):
        """Post an SMS on ``record``'s chatter, as a user pressing "Send SMS" would, then run
        the queue as the cron worker woken by the post does."""
        if numbers:
            message = record._message_sms(body, sms_numbers=numbers)
        else:
            message = record._message_sms(body, partner_ids=record.ids)
        if run_queue:
            self.env["sms.sms"]._process_queue()
        return message

    def _sms_of(self, message):
        return self.env["sms.sms"].search([("mail_message_id", "=", message.id)])


class SmscGatewayCommon(SmsNotifyCommon):
    """An SMSC gateway first in line, talking to a fresh local SMSC server in every test (it
    remembers what it received and its scripted failures)."""

    gateway_values = {"sequence": 1, "sender": "OPTICS", "timeout": 2}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gateway = cls._create_gateway(
            "smsc", login="shop", password="secret", **cls.gateway_values
        )

    def setUp(self):
        super().setUp()
        self.fake = self.enterContext(FakeSmsc(login="shop", password="secret", price=1.4))
        self.gateway.base_url = self.fake.url


class JsonRpcHandler(BaseHTTPRequestHandler):
    """Answers JSON-RPC calls with ``server.answer(path, params)``; keeps every call."""

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


@contextmanager
def _iap_calls_allowed(env, url):
    """Point Odoo's IAP SMS client at ``url`` (always on 127.0.0.1).

    Odoo refuses every IAP call while tests run; the guard is lifted around the HTTP call
    itself only, so everything else still knows it runs in a test (and never commits)."""
    env["ir.config_parameter"].sudo().set_param("sms.endpoint", url)
    contact_iap = SmsApi._contact_iap

    def contact_iap_unguarded(api, *args, **kwargs):
        current = threading.current_thread()
        testing = getattr(current, "testing", False)
        current.testing = False
        try:
            return contact_iap(api, *args, **kwargs)
        finally:
            current.testing = testing

    with patch.object(SmsApi, "_contact_iap", contact_iap_unguarded):
        yield


@contextmanager
def iap_endpoint(env, answer):
    """Odoo's IAP SMS client talks to a local JSON-RPC server answering with ``answer``."""
    with json_rpc_server(answer) as (url, calls), _iap_calls_allowed(env, url):
        yield calls


@contextmanager
def iap_unreachable(env):
    """Odoo's IAP SMS client talks to a local port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with _iap_calls_allowed(env, f"http://127.0.0.1:{port}"):
        yield


def iap_accept_all(path, params):
    """IAP's answer to ``/api/sms/3/send`` when every number is accepted, one credit each."""
    return [
        {"uuid": number["uuid"], "state": "success", "credit": 1.0}
        for message in params["messages"]
        for number in message["numbers"]
    ]
