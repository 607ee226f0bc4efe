r"""A fake SMSC.ru: ``sys/send.php``, ``sys/status.php`` and ``sys/balance.php`` with ``fmt=3``.

Accepts ``login`` + ``psw`` or ``apikey``, by GET or POST.  A send request carries one text for
``phones`` (``mes``) or one text per line in ``list`` (``<phones>:<text>``, the phones separated
from the text by the first colon or semicolon, lines by a newline, a newline inside a text
written as the two characters ``\n``).  With ``op=1`` the answer lists every phone under
``phones`` (``phone``, ``mccmnc``, ``cost``, plus ``status`` and ``error`` for a refused
number: 22 bad number, 25 undeliverable, 23 forbidden text, 24 no funds).

Errors come back with HTTP 200 and ``{"error": ..., "error_code": N}`` (plus ``"id"`` for errors
3, 6, 7 and 8) as SMSC does: 2 for bad credentials, 3 for insufficient funds (the whole request
costs more than the balance), 9 for an identical request within a minute and, when every
message of a request is refused, 7 for a bad number, 8 for an undeliverable number and 6 for a
forbidden text or sender.  Messages are kept per ``(id, phone)`` for status queries;
:meth:`FakeSmsc.set_status` moves them on and :meth:`FakeSmsc.status_callback` builds what SMSC
would post to the client's status handler.

Viber: a send request with ``viber=1`` is a Viber business message to every phone of it.
Sources: SMSC's own client libraries (smsc_api.php 3.7 and smsc_api.py: message format 10,
"viber", adds ``viber=1`` to ``send.php``) and the ``send.php`` parameters as client code
quotes them from smsc.ru/api/http/send/ (Spoleto.SMS ``SmscMessageData``: ``viber``, "the mark
of a viber message sent to users of the Viber messenger"; ``fileurl``, "the full http address
of a file to download and pass in the message; the minimum file size is 101 bytes").  The
fake keeps ``fileurl`` as the image of a Viber message and lets a Viber request with a
``fileurl`` have an empty text: both are assumptions, SMSC's page on Viber sending could not
be read.  Also assumed: a Viber message counts as one part and costs ``viber_price``, and the
answer has the shape of an SMS answer.  A Viber message to a number of ``not_viber_users`` is
taken, then ends in status 20 "cannot be delivered" with error 21 "no support for the
service: the subscriber's device does not support this service" (both from SMSC's tables:
the status codes of smsc.ru/api/http/status_messages, the delivery errors of
smscentre.com/api/smpp/errors); that SMSC reports a number without Viber with this pair is
an assumption.  Each kept message records its ``channel`` (``sms`` or ``viber``) and its
``fileurl``.

Phones: SMSC keeps a number as digits in international form and gives it back that way, without
the ``+`` and without the spaces or dashes the client may have sent (``79123456789``), in status
answers and in the calls to the status handler (smsc.ru/api/http/status_messages, "Проверка
статуса": ``phone`` is the number the message went to, written in international format without
``+``; smscentre.com/api/http/status_messages/statuses).  So the fake answers with
:func:`smsc_phone`, never with the spelling it received.
"""

import itertools
import re
import time
from datetime import datetime

from ...tools.gsm import analyze
from .base import FakeGateway, json_response, text_response

SEND_ERRORS = {
    "no_funds": (3, "not enough money on the client balance"),
    "forbidden": (6, "message is denied"),
    "bad_number": (7, "invalid phone number"),
    "undeliverable": (8, "can't deliver message"),
}
VALID_PATTERN = re.compile(r"^(\d{1,2}|\d{2}:\d{2})$")
#: one line of ``list``: phones, then the first colon or semicolon, then the text
LIST_LINE = re.compile(r"^(?P<phones>[^:;]*)[:;](?P<text>.*)$", re.DOTALL)
#: per-number problem -> the status ``op=1`` reports for the refused number
PHONE_STATUSES = {"bad_number": 22, "undeliverable": 25, "forbidden": 23, "no_funds": 24}
#: operator code in the ``op=1`` details (MTS Russia; the fake has no number plan)
MCCMNC = "25001"
#: status and delivery error of a Viber message to a number without Viber (see the docstring)
NOT_VIBER_STATUS = 20
NOT_VIBER_ERROR = 21


def smsc_phone(phone):
    """A number as SMSC writes it in its answers: its digits only."""
    return "".join(ch for ch in str(phone or "") if ch.isdigit())


class FakeSmsc(FakeGateway):
    def __init__(
        self,
        login="shop",
        password="secret",
        api_key=None,
        balance=100.0,
        price=1.4,
        viber_price=0.9,
    ):
        super().__init__()
        self.login = login
        self.password = password
        self.api_key = api_key
        self.balance = balance
        self.price = price
        self.viber_price = viber_price
        #: numbers Viber does not know: a Viber message to them fails (see the docstring)
        self.not_viber_users = set()
        self.currency = "RUB"
        self.messages = {}
        self._recent = {}
        self._ids = itertools.count(1000)

    # authentication

    def is_authorized(self, request):
        params = request.params
        if self.api_key and params.get("apikey") == self.api_key:
            return True
        return params.get("login") == self.login and params.get("psw") == self.password

    def auth_failure(self, request):
        return json_response({"error": "authorise error", "error_code": 2})

    # routes

    def handle(self, request):
        params = request.params
        if params.get("fmt") != "3":
            return text_response("ERROR = 1 (this fake answers fmt=3 only)")
        if request.path == "/sys/send.php":
            return self._send(params)
        if request.path == "/sys/status.php":
            return self._status(params)
        if request.path == "/sys/balance.php":
            answer = {"balance": f"{self.balance:.2f}"}
            if params.get("cur") == "1":
                answer["currency"] = self.currency
            return json_response(answer)
        return text_response("not found", status=404)

    @staticmethod
    def _items(params, empty_text=False):
        """``[(phone, text)]`` of a send request, or ``None`` when it is malformed.
        ``empty_text``: the ``mes`` may be empty (a Viber image without text)."""
        if params.get("list") is None:
            text = params.get("mes") or ""
            phones = [phone for phone in re.split(r"[,;]", params.get("phones") or "") if phone]
            return [(phone, text) for phone in phones] if text or empty_text else None
        items = []
        for line in params["list"].split("\n"):
            if not line.strip():
                continue
            match = LIST_LINE.match(line)
            if not match or not match["text"]:
                return None
            text = match["text"].replace("\\n", "\n")
            phones = [phone.strip() for phone in match["phones"].split(",")]
            items += [(phone, text) for phone in phones if phone]
        return items

    def _is_viber_user(self, phone):
        digits = smsc_phone(phone)
        return all(smsc_phone(number) != digits for number in self.not_viber_users)

    def _send(self, params):
        is_viber = params.get("viber") == "1"
        fileurl = (params.get("fileurl") or None) if is_viber else None
        items = self._items(params, empty_text=bool(fileurl))
        sender = params.get("sender") or ""
        if not items:
            return json_response({"error": "parameters error", "error_code": 1})
        valid = params.get("valid")
        if valid is not None and not VALID_PATTERN.match(valid):
            return json_response({"error": "parameters error", "error_code": 1})
        sms_id = int(params.get("id") or next(self._ids))
        key = (tuple(items), sender) if not is_viber else (tuple(items), sender, fileurl)
        now = time.time()
        if now - self._recent.get(key, 0) < 60:
            return json_response({"error": "duplicate request, wait a minute", "error_code": 9})
        sender_forbidden = sender in self.forbidden_senders
        problems = [
            self.number_error(phone)
            or ("forbidden" if sender_forbidden or self.text_forbidden(text) else None)
            for phone, text in items
        ]
        if all(problems):
            # nothing of the request can go: SMSC refuses it as a whole
            for problem in ("bad_number", "undeliverable", "forbidden", "no_funds"):
                if problem in problems:
                    return self._send_error(problem, sms_id)
        segments = {}
        for (_phone, text), problem in zip(items, problems, strict=True):
            if not problem and text not in segments:
                # a Viber message is one message, whatever its length
                segments[text] = 1 if is_viber else analyze(text).segments
        count = sum(
            segments[text]
            for (_phone, text), problem in zip(items, problems, strict=True)
            if not problem
        )
        price = self.viber_price if is_viber else self.price
        cost = round(count * price, 2)
        if cost > self.balance:
            return self._send_error("no_funds", sms_id)
        self._recent[key] = now
        self.balance = round(self.balance - cost, 2)
        details = []
        for (phone, text), problem in zip(items, problems, strict=True):
            if problem:
                details.append(
                    {
                        "phone": smsc_phone(phone),
                        "mccmnc": MCCMNC,
                        "cost": "0.00",
                        "status": str(PHONE_STATUSES[problem]),
                        "error": "0",
                    }
                )
                continue
            parts = segments[text]
            status, err = -1, 0
            if is_viber and not self._is_viber_user(phone):
                status, err = NOT_VIBER_STATUS, NOT_VIBER_ERROR
            self.messages[(sms_id, smsc_phone(phone))] = {
                "status": status,
                "err": err,
                "last_timestamp": int(now),
                "text": text,
                "sender": sender,
                "valid": valid,
                "cost": round(parts * price, 2),
                "parts": parts,
                "channel": "viber" if is_viber else "sms",
                "fileurl": fileurl,
            }
            details.append(
                {"phone": smsc_phone(phone), "mccmnc": MCCMNC, "cost": f"{parts * price:.2f}"}
            )
        answer = {"id": sms_id, "cnt": count}
        if params.get("cost") in ("2", "3"):
            answer["cost"] = f"{cost:.2f}"
        if params.get("cost") == "3":
            answer["balance"] = f"{self.balance:.2f}"
        if params.get("op") == "1":
            answer["phones"] = details
        return json_response(answer)

    @staticmethod
    def _send_error(problem, sms_id):
        code, description = SEND_ERRORS[problem]
        return json_response({"error": description, "error_code": code, "id": sms_id})

    def _status(self, params):
        ids = [part for part in (params.get("id") or "").split(",") if part]
        phones = [part for part in (params.get("phone") or "").split(",") if part]
        if not ids or len(ids) != len(phones):
            return json_response({"error": "parameters error", "error_code": 1})
        rows = []
        for sms_id, phone in zip(ids, phones, strict=True):
            key = (int(sms_id), smsc_phone(phone)) if sms_id.isdigit() else None
            message = self.messages.get(key)
            row = {"status": -3, "last_timestamp": 0, "err": 0}
            if message:
                row = {
                    "status": message["status"],
                    "last_date": datetime.fromtimestamp(message["last_timestamp"]).strftime(
                        "%d.%m.%Y %H:%M:%S"
                    ),
                    "last_timestamp": message["last_timestamp"],
                    "err": message["err"],
                }
            rows.append({"id": sms_id, "phone": smsc_phone(phone), **row})
        if "," in (params.get("id") or ""):
            return json_response(rows)
        return json_response({key: value for key, value in rows[0].items() if key != "id"})

    # test helpers

    def set_status(self, sms_id, phone, status, err=0, timestamp=None):
        with self.lock:
            message = self.messages[(int(sms_id), smsc_phone(phone))]
            message.update(status=status, err=err, last_timestamp=int(timestamp or time.time()))

    def status_callback(self, sms_id, phone, status, err=0, timestamp=None):
        """The form SMSC posts to the client's status handler for a status change (the phone as
        SMSC writes it, see the module docstring)."""
        timestamp = int(timestamp or time.time())
        return {
            "id": str(sms_id),
            "phone": smsc_phone(phone),
            "status": str(status),
            "err": str(err),
            "ts": str(timestamp),
            "time": datetime.fromtimestamp(timestamp).strftime("%d.%m.%Y %H:%M:%S"),
        }
