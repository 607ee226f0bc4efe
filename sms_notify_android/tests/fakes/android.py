"""A fake SMS Gateway for Android local server: the app's HTTP API as the phone serves it.

``POST /message`` (also ``/messages``), ``GET /message/{id}``, ``POST``/``GET /webhooks``,
``GET /device`` behind HTTP basic auth, ``GET /health`` without it.  A message id already
held is refused with HTTP 409, as the app does.  The phone's life is scripted:

* :meth:`FakeAndroid.progress` moves a message to ``Sent``, ``Delivered`` or ``Failed`` and
  calls the webhook registered for that event (signed like the app when ``signing_key`` is
  set); :meth:`FakeAndroid.receive` calls the ``sms:received`` webhook;
* ``rebinding = True``: the server answers HTTP 503 and its health check fails;
* stopping the fake leaves nothing listening: the phone is unreachable.

Webhook calls are handed to ``post(url, body, headers)``, by default ``requests.post``; Odoo
tests pass their own opener so the call reaches the test server.
"""

import base64
import itertools
import json
import time
from datetime import datetime, timezone

import requests

from ....sms_notify.tests.fakes.base import FakeGateway, json_response, text_response
from ...tools.android import signature


def _now_text():
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class FakeAndroid(FakeGateway):
    def __init__(self, username="sms", password="phone-pass", signing_key=None):
        super().__init__()
        self.username = username
        self.password = password
        self.signing_key = signing_key
        self.device_id = "fake-device-1"
        self.messages = {}
        self.webhooks = {}
        self.rebinding = False
        self._ids = itertools.count(1)

    # protocol

    def is_authorized(self, request):
        if request.path == "/health":
            return True
        expected = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return request.headers.get("authorization") == f"Basic {expected}"

    def auth_failure(self, request):
        return text_response("Unauthorized", status=401)

    def handle(self, request):
        path = request.path.rstrip("/")
        if path == "/health":
            status = "fail" if self.rebinding else "pass"
            checks = {"messages:failed": {"status": status, "observedValue": 0}}
            return json_response(
                {"status": status, "checks": checks, "version": "fake"},
                status=500 if self.rebinding else 200,
            )
        if self.rebinding:
            return json_response({"message": "service is not ready"}, status=503)
        if path in ("/message", "/messages") and request.method == "POST":
            return self._send(request.json or {})
        if path.startswith(("/message/", "/messages/")) and request.method == "GET":
            message = self.messages.get(path.rsplit("/", 1)[1])
            if message is None:
                return text_response("Not Found", status=404)
            return json_response(self._state(message))
        if path in ("/webhook", "/webhooks") and request.method == "POST":
            return self._register(request.json or {})
        if path in ("/webhook", "/webhooks"):
            return json_response(list(self.webhooks.values()))
        if path == "/device":
            return json_response([{"id": self.device_id, "name": "Fake/Phone"}])
        return text_response("Not Found", status=404)

    def _send(self, data):
        texts = [data.get("message"), (data.get("textMessage") or {}).get("text")]
        texts = [text for text in texts if text is not None]
        if len(texts) != 1 or not texts[0]:
            return json_response({"message": "Text message is empty"}, status=400)
        if not data.get("phoneNumbers"):
            return json_response({"message": "Empty phone numbers list"}, status=400)
        if data.get("ttl") is not None and int(data["ttl"]) <= 0:
            return json_response({"message": "message already expired"}, status=400)
        message_id = data.get("id") or f"fake-{next(self._ids)}"
        if message_id in self.messages:
            return json_response({"message": f"message {message_id} already exists"}, 409)
        number = data["phoneNumbers"][0]
        problem = self.number_error(number)
        if problem == "bad_number":
            return json_response({"message": f"Invalid phone number {number}"}, status=400)
        message = {
            "id": message_id,
            "text": texts[0],
            "numbers": list(data["phoneNumbers"]),
            "state": "Pending",
            "error": None,
            "states": {"Pending": _now_text()},
            "request": data,
        }
        self.messages[message_id] = message
        return json_response(self._state(message), status=202)

    def _state(self, message):
        return {
            "id": message["id"],
            "deviceId": self.device_id,
            "state": message["state"],
            "isHashed": False,
            "isEncrypted": False,
            "recipients": [
                {"phoneNumber": number, "state": message["state"], "error": message["error"]}
                for number in message["numbers"]
            ],
            "states": message["states"],
        }

    def _register(self, data):
        url = str(data.get("url") or "")
        # the app's own rule (WebHooksService.replace)
        if not (url.startswith("https://") or url.startswith("http://127.0.0.1")):
            return json_response(
                {"message": "url must start with https:// or http://127.0.0.1"}, status=400
            )
        webhook_id = data.get("id") or f"hook-{next(self._ids)}"
        self.webhooks[webhook_id] = {"id": webhook_id, "url": url, "event": data.get("event")}
        return json_response(self.webhooks[webhook_id], status=201)

    # scripting the phone

    def webhook_calls(self, event, payload):
        """``(url, body, headers)`` of the calls the app makes for ``event``."""
        calls = []
        for hook in list(self.webhooks.values()):
            if hook["event"] != event:
                continue
            body = json.dumps(
                {
                    "id": f"event-{next(self._ids)}",
                    "webhookId": hook["id"],
                    "event": event,
                    "deviceId": self.device_id,
                    "payload": payload,
                }
            ).encode()
            headers = {"Content-Type": "application/json"}
            if self.signing_key:
                timestamp = str(int(time.time()))
                headers["X-Timestamp"] = timestamp
                headers["X-Signature"] = signature(self.signing_key, body, timestamp)
            calls.append((hook["url"], body, headers))
        return calls

    def _call(self, event, payload, post):
        post = post or (
            lambda url, body, headers: requests.post(url, data=body, headers=headers, timeout=10)
        )
        return [
            post(url, body, headers) for url, body, headers in self.webhook_calls(event, payload)
        ]

    def progress(self, message_id, state, reason="RESULT_ERROR_GENERIC_FAILURE", post=None):
        """Move a message on to ``Sent``, ``Delivered`` or ``Failed`` and call the webhook."""
        message = self.messages[message_id]
        now = _now_text()
        message["state"] = state
        message["states"][state] = now
        payload = {
            "messageId": message_id,
            "phoneNumber": message["numbers"][0],
            "recipient": message["numbers"][0],
            "simNumber": message["request"].get("simNumber"),
        }
        if state == "Sent":
            event = "sms:sent"
            payload.update(sentAt=now, partsCount=1)
        elif state == "Delivered":
            event = "sms:delivered"
            payload.update(deliveredAt=now)
        elif state == "Failed":
            event = "sms:failed"
            message["error"] = reason
            payload.update(failedAt=now, reason=reason)
        else:
            raise ValueError(f"the phone does not report {state!r}")
        return self._call(event, payload, post)

    def receive(self, number, text, post=None):
        """A customer's SMS arrives on the phone."""
        payload = {
            "messageId": f"in-{next(self._ids)}",
            "message": text,
            "phoneNumber": number,
            "sender": number,
            "simNumber": 1,
            "receivedAt": _now_text(),
        }
        return self._call("sms:received", payload, post)
