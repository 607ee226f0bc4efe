"""A fake SMSAPI: ``sms.do`` (sending and ``status=`` queries) and ``user.do?credits=1``.

Requires ``Authorization: Bearer <token>`` (HTTP 401 with error 101 otherwise).  Answers
``format=json`` like SMSAPI: ``{"count", "list": [{id, points, number, date_sent,
submitted_number, status, idx, error}]}`` plus ``parts`` with ``details=1``, refused numbers in
``invalid_numbers``, request errors as ``{"error": N, "message": ...}``: 13 no valid number,
14 bad sender, 20 ``idx`` count not matching the numbers, 53 ``idx`` already used with
``check_idx=1``, 56 expiration outside 1-12 hours, 103 not enough points.

Every ``idx`` ever accepted is remembered, so a resend under ``check_idx=1`` is refused the way
the engine's reconciliation expects.
"""

import itertools
import time

from ...tools.gsm import analyze
from .base import FakeGateway, json_response, text_response

STATUS_CODES = {
    "NOT_FOUND": 401,
    "EXPIRED": 402,
    "SENT": 403,
    "DELIVERED": 404,
    "UNDELIVERED": 405,
    "FAILED": 406,
    "REJECTED": 407,
    "UNKNOWN": 408,
    "QUEUE": 409,
    "ACCEPTED": 410,
    "RENEWAL": 411,
    "STOP": 412,
}


def error(code, message, **extra):
    return json_response({"error": code, "message": message, **extra})


class FakeSmsapi(FakeGateway):
    def __init__(self, token="smsapi-token", points=100.0, price=0.16, username="shop"):
        super().__init__()
        self.token = token
        self.points = points
        self.price = price
        self.username = username
        self.messages = {}
        self.used_idx = set()
        #: list ``idx`` in the send answer's items (switch off to test matching by number)
        self.echo_idx = True
        self._ids = itertools.count(1)

    def is_authorized(self, request):
        return request.headers.get("authorization") == f"Bearer {self.token}"

    def auth_failure(self, request):
        return json_response({"error": 101, "message": "Authorization failed"}, status=401)

    def handle(self, request):
        params = request.params
        if params.get("format") != "json":
            return text_response("ERROR:8")
        if request.path == "/sms.do" and "status" in params:
            return self._status(params["status"])
        if request.path == "/sms.do":
            return self._send(params)
        if request.path == "/user.do" and params.get("credits") == "1":
            return json_response({"points": round(self.points, 4), "proCount": 0, "ecoCount": 0})
        return text_response("not found", status=404)

    def _send(self, params):
        numbers = [number for number in (params.get("to") or "").split(",") if number]
        text = params.get("message") or ""
        sender = params.get("from") or ""
        idxs = params["idx"].split("|") if params.get("idx") else []
        if not numbers or not text:
            return error(11, "Message empty or too long")
        if idxs and len(idxs) != len(numbers):
            return error(20, "Invalid number of IDX parameters")
        if params.get("check_idx") == "1" and any(idx in self.used_idx for idx in idxs):
            return error(53, "Not unique idx. Message with this idx was already sent")
        if sender and sender in self.forbidden_senders:
            return error(14, "Invalid sender field")
        expiration = params.get("expiration_date")
        now = int(time.time())
        if expiration and not (3600 <= int(expiration) - now <= 12 * 3600):
            return error(56, "Expiration date must be between 1 and 12 hours from sending")
        valid, invalid = [], []
        for index, number in enumerate(numbers):
            problem = self.number_error(number)
            digits = "".join(ch for ch in number if ch.isdigit())
            if problem in ("bad_number", "undeliverable", "forbidden") or len(digits) < 9:
                reason = "Invalid number"
                if problem == "forbidden":
                    reason = "Number is on the blacklist"
                invalid.append({"number": digits, "submitted_number": number, "message": reason})
            else:
                valid.append((number, idxs[index] if idxs else None))
        if not valid:
            return error(13, "No correct phone numbers", invalid_numbers=invalid)
        parts = analyze(text).segments
        cost = round(parts * self.price * len(valid), 4)
        if cost > self.points or any(self.number_error(n) == "no_funds" for n, _i in valid):
            return error(103, "Not enough points to send messages")
        self.points = round(self.points - cost, 4)
        listed = []
        for number, idx in valid:
            message_id = f"{next(self._ids):024d}"
            item = {
                "id": message_id,
                "points": round(parts * self.price, 4),
                "number": "".join(ch for ch in number if ch.isdigit()),
                "date_sent": now,
                "submitted_number": number,
                "status": "QUEUE",
                "error": None,
                "idx": idx,
            }
            if not self.echo_idx:
                del item["idx"]
            self.messages[message_id] = {
                **item,
                "text": text,
                "sender": sender,
                "idx": idx,
                "expiration_date": expiration,
                "notify_url": params.get("notify_url"),
            }
            if idx:
                self.used_idx.add(idx)
            listed.append(item)
        answer = {"count": len(listed), "list": listed}
        if params.get("details") == "1":
            answer.update(message=text, length=len(text), parts=parts)
        if invalid:
            answer["invalid_numbers"] = invalid
        return json_response(answer)

    def _status(self, ids):
        listed = [
            {key: value for key, value in self.messages[message_id].items() if key in _ITEM_KEYS}
            for message_id in ids.split(",")
            if message_id in self.messages
        ]
        return json_response({"count": len(listed), "list": listed})

    # test helpers

    def set_status(self, message_id, status):
        with self.lock:
            self.messages[message_id]["status"] = status

    def status_callback(self, message_id, status=None, done_at=None):
        """The query parameters of SMSAPI's delivery callback to ``notify_url``."""
        with self.lock:
            message = self.messages[message_id]
            status = status or message["status"]
            return {
                "MsgId": message_id,
                "status": str(STATUS_CODES[status]),
                "status_name": status,
                "idx": message["idx"] or "",
                "donedate": str(int(done_at or time.time())),
                "username": self.username,
                "points": str(message["points"]),
                "to": message["number"],
                "from": message["sender"],
            }


_ITEM_KEYS = ("id", "points", "number", "date_sent", "submitted_number", "status", "error", "idx")
