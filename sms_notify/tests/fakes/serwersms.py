"""A fake SerwerSMS.pl HTTPS API v2: ``messages/send_sms``, ``messages/reports`` and
``account/limits`` (``.json``, POSTed JSON bodies).

Accepts ``Authorization: Bearer <token>`` or ``username``/``password`` in the body; bad
credentials get ``{"error": {"code": 1001, "type": "InvalidUser", ...}}`` like the API's
general error format.  A message with a sender is FULL, without one ECO; each type has its
own message limit (error 3002/3000 when exhausted).  Refused numbers come back as ``unsent``
items with ``error_code``/``error_message``.

``unique_id`` values are stored with their messages so that reports can be filtered by them.
SerwerSMS documents ``unique_id`` as the client's own identifier, not as a key it refuses to
reuse, so this fake accepts a repeated ``unique_id`` too.

Phones: SerwerSMS works with numbers "in an international format, for example +48500600700"
(dev.serwersms.pl/en/https-api-v2/introduction; the ``phone`` examples of
dev.serwersms.pl/en/https-api-v2/sending-sms-messages-with-the-same-content), so the answers and
reports give the number that way (:func:`international`), whatever spelling the client sent.
"""

import itertools
import re
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from ...tools.gsm import analyze
from .base import FakeGateway, json_response, text_response

UNIQUE_ID = re.compile(r"^[A-Za-z0-9]{3,50}$")
ITEM_ERRORS = {
    "bad_number": (2200, "Nieprawidlowy numer odbiorcy"),
    "undeliverable": (2200, "Nieprawidlowy numer odbiorcy"),
    "forbidden": (2206, "Numer znajduje sie na czarnej liscie"),
    "bad_sender": (2205, "Nieprawidlowa nazwa nadawcy"),
    "bad_text": (2203, "Nieprawidlowa wiadomosc"),
}


def error(code, kind, message):
    return json_response({"error": {"code": code, "type": kind, "message": message}})


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


#: SerwerSMS reports dates in Polish local time, without a zone
VENDOR_ZONE = ZoneInfo("Europe/Warsaw")


def _date(timestamp):
    return datetime.fromtimestamp(timestamp, VENDOR_ZONE).strftime("%Y-%m-%d %H:%M:%S")


def international(phone):
    """A number as SerwerSMS writes it: ``+`` and its digits."""
    return "+" + "".join(ch for ch in str(phone or "") if ch.isdigit())


class FakeSerwersms(FakeGateway):
    def __init__(self, token="serwersms-token", login="api_user", password="api_pass"):
        super().__init__()
        self.token = token
        self.login = login
        self.password = password
        self.limits = {"eco": 100, "full": 100}
        self.messages = {}
        self._ids = itertools.count(1)

    def is_authorized(self, request):
        if request.headers.get("authorization") == f"Bearer {self.token}":
            return True
        body = request.json or {}
        return body.get("username") == self.login and body.get("password") == self.password

    def auth_failure(self, request):
        return error(1001, "InvalidUser", "Incorrect login or password")

    def handle(self, request):
        body = request.json
        if body is None:
            return error(1006, "InvalidData", "Incorrect data format")
        if request.path == "/messages/send_sms.json":
            return self._send(body)
        if request.path == "/messages/reports.json":
            return self._reports(body)
        if request.path == "/account/limits.json":
            items = [
                {"type": kind, "chars_limit": 918, "value": value}
                for kind, value in self.limits.items()
            ]
            return json_response({"items": items})
        return text_response("not found", status=404)

    def _send(self, body):
        phones = _as_list(body.get("phone"))
        unique_ids = _as_list(body.get("unique_id"))
        text = body.get("text") or ""
        sender = body.get("sender") or ""
        if not phones or not text:
            return error(2000, "ValidationRequiredError", "Missing required parameters")
        if unique_ids and (
            len(unique_ids) != len(phones) or not all(UNIQUE_ID.match(u) for u in unique_ids)
        ):
            return error(1006, "InvalidData", "Incorrect data format")
        kind = "full" if sender else "eco"
        parts = analyze(text).segments
        needed = parts * sum(1 for phone in phones if not self.number_error(phone))
        if needed > self.limits[kind] or any(self.number_error(p) == "no_funds" for p in phones):
            if kind == "full":
                return error(3002, "SendError", "Exhausted the limit of available SMS FULL")
            return error(3000, "SendError", "Exhausted the limit of available SMS ECO+")
        now = time.time()
        items = []
        for index, phone in enumerate(phones):
            problem = self.number_error(phone)
            if sender in self.forbidden_senders:
                problem = "bad_sender"
            elif self.text_forbidden(text):
                problem = "bad_text"
            message_id = f"{next(self._ids):010x}"
            item = {
                "id": message_id,
                "phone": international(phone),
                "queued": _date(now),
                "text": text,
            }
            if problem:
                code, message = ITEM_ERRORS[problem]
                item.update(status="unsent", parts=parts, error_code=code, error_message=message)
            else:
                item.update(status="queued", parts=parts)
                self.limits[kind] -= parts
            self.messages[message_id] = {
                **item,
                "status": "unsent" if problem else "in_progress",
                "reason": "wrong_number" if problem else None,
                "unique_id": unique_ids[index] if unique_ids else None,
                "sender": sender,
                "type": kind,
                "utf": bool(body.get("utf")),
                "sent": None,
                "delivered": None,
            }
            items.append(item)
        unsent = sum(1 for item in items if item["status"] == "unsent")
        answer = {"success": True, "queued": len(items) - unsent, "unsent": unsent}
        if body.get("details"):
            answer["items"] = items
        return json_response(answer)

    def _reports(self, body):
        ids = set(_as_list(body.get("id")))
        unique_ids = set(_as_list(body.get("unique_id")))
        if not ids and not unique_ids:
            return error(2000, "ValidationRequiredError", "Missing required parameters")
        items = [
            {
                key: message[key]
                for key in (
                    "id",
                    "phone",
                    "status",
                    "queued",
                    "sent",
                    "delivered",
                    "sender",
                    "type",
                    "text",
                    "parts",
                    "reason",
                )
            }
            for message in self.messages.values()
            if message["id"] in ids or (message["unique_id"] and message["unique_id"] in unique_ids)
        ]
        return json_response({"paging": {"page": 1, "count": 1}, "items": items})

    # test helpers

    def set_status(self, message_id, status, reason=None, at=None):
        with self.lock:
            message = self.messages[message_id]
            moment = _date(at or time.time())
            message.update(status=status, reason=reason)
            if status in ("sent", "delivered", "undelivered"):
                message["sent"] = message["sent"] or moment
            if status in ("delivered", "undelivered"):
                message["delivered"] = moment
