"""SMSC.ru HTTP API (the same API runs on smsc.kz, smsc.ua and the smscentre.com mirror).

Config keys: ``base_url`` (default ``https://smsc.ru``; ``https://smsc.kz`` etc. for the other
sites), ``login`` + ``password`` (the password or the lowercase MD5 of it) or ``api_key``,
``sender``, ``currency`` (shown with the balance reported while sending, default ``RUB``),
``webhook_url``, ``webhook_secret``, ``timeout``.

How messages travel:

* one ``sys/send.php`` request per message (``fmt=3`` JSON, ``cost=3`` so that the answer
  carries the price and the balance, ``charset=utf-8``), with ``id`` set to a number derived
  from the message's ``reference``.  SMSC has no idempotency key (its error 9 only refuses an
  identical request within a minute), but a status query by that ``id`` and the phone tells
  whether a message reached SMSC, which is what :meth:`SmscClient.find_sent` does after a crash.
* the external id is ``"<id>:<phone>"`` because ``sys/status.php`` needs both.  Two
  references could hash to the same ``id``, but SMSC keys messages by id and phone, so a
  clash matters only for two messages to the same phone, which is vanishingly unlikely.
* ``valid`` (message lifetime, ``hh:mm`` up to 24:00) comes from ``valid_until``; a lifetime
  under a minute cannot be expressed, so such a message is reported expired, not sent.

Verified in the vendor's documentation (smscentre.com/api/http, smsc.ru/api/http, the
white-label copy s1.sm-s.ru/api/http/send/sms/sms_answer) and in the official client code as
reused in spoleto-software/Spoleto.SMS (Providers/Spoleto.SMS.Smsc): the send, status and
balance parameters, the ``fmt=3`` error object ``{"error", "error_code", "id"}``, send error
codes 1-9, status codes -3..25 and status-query errors, ``cur=1`` adding the currency to the
balance.  Not confirmed, taken from the documentation's field names: the exact JSON keys of
the ``fmt=3`` success, mass-status and balance answers (``id, cnt, cost, balance``;
``id, phone, status, last_timestamp, err``; ``balance, currency``).  The payload SMSC posts to
the client's status handler is not published in a form we could check: the handler below reads
``id``, ``phone``, ``status``, ``err`` and ``ts``/``time`` and trusts only calls that carry the
gateway's secret in the URL.
"""

import dataclasses
import hashlib
from datetime import datetime, timezone

from .gateway import (
    DeliveryReport,
    GatewayClient,
    GatewayError,
    ReportRejected,
    SendResult,
    check_url_secret,
    register_gateway,
)
from .http_client import HttpClient

DEFAULT_BASE_URL = "https://smsc.ru"
#: SMSC keeps a message for at most 24 hours (``valid`` 00:01-24:00)
MAX_LIFETIME_MINUTES = 24 * 60
#: ``id`` must fit a positive signed 32-bit integer
MAX_ID = 2147483647
#: the minute SMSC waits before it accepts an identical request again (error 9)
DUPLICATE_WINDOW = 60

#: send.php error code -> failure type of the message concerned
SEND_ERROR_FAILURES = {
    1: "unknown",  # error in parameters
    3: "sms_credit",  # insufficient funds
    5: "unknown",  # date format
    6: "sms_not_allowed",  # message forbidden by text or sender name
    7: "sms_number_format",  # bad phone number format
    8: "sms_invalid_destination",  # cannot be delivered to this number
}

#: status code -> (sms.sms state, failure type, description)
STATUSES = {
    -3: ("error", "unknown", "message not found"),
    -2: ("process", False, "stopped with its mailing"),
    -1: ("process", False, "waiting to be sent"),
    0: ("pending", False, "passed to the operator"),
    1: ("sent", False, "delivered"),
    2: ("sent", False, "read"),
    3: ("error", "sms_expired", "expired"),
    4: ("sent", False, "link clicked"),
    20: ("error", "sms_not_delivered", "cannot be delivered"),
    22: ("error", "sms_number_format", "wrong number"),
    23: ("error", "sms_rejected", "prohibited"),
    24: ("error", "sms_credit", "insufficient funds"),
    25: ("error", "sms_invalid_destination", "unavailable number"),
}
NOT_FOUND = -3


def smsc_id(reference):
    """The SMSC message ``id`` for our ``reference``: stable, so a status query can find the
    message again after a crash."""
    digest = hashlib.sha256(reference.encode()).hexdigest()
    return int(digest, 16) % MAX_ID + 1


def split_external_id(external_id):
    sms_id, _sep, phone = (external_id or "").partition(":")
    if not sms_id.isdigit() or not phone:
        return None
    return sms_id, phone


def lifetime(seconds):
    """``valid`` as ``hh:mm`` for a lifetime of ``seconds``, capped at SMSC's 24 hours, or
    ``None`` when it is shorter than the one-minute minimum."""
    minutes = min(seconds // 60, MAX_LIFETIME_MINUTES)
    if minutes < 1:
        return None
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def status_report(external_id, status, err=0, timestamp=None):
    state, failure_type, description = STATUSES.get(status, ("pending", False, "unknown status"))
    done_at = None
    if timestamp and state in ("sent", "error"):
        done_at = datetime.fromtimestamp(int(timestamp), timezone.utc).replace(tzinfo=None)
    message = ""
    if state == "error":
        message = f"SMSC status {status}: {description}"
        if err:
            message += f" (error {err})"
    return DeliveryReport(
        external_id=external_id,
        state=state,
        failure_type=failure_type,
        error_message=message,
        done_at=done_at,
    )


def _int(value, default=0):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


@register_gateway("smsc")
class SmscClient(GatewayClient):
    """SMSC.ru and its sister sites."""

    batch_size = 50
    supports_webhook = True
    supports_status_query = True

    def __init__(self, config=None):
        super().__init__(config)
        self.http = HttpClient(
            self.config.get("base_url") or DEFAULT_BASE_URL, self.timeout, vendor="SMSC"
        )

    def _auth(self):
        if self.config.get("api_key"):
            return {"apikey": self.config["api_key"]}
        return {"login": self.config.get("login") or "", "psw": self.config.get("password") or ""}

    def _call(self, script, params, message_errors=()):
        """Call ``sys/<script>``; error answers whose code is in ``message_errors`` concern
        the message and are returned, all others raise :class:`GatewayError`."""
        payload = {**self._auth(), **params, "fmt": 3, "charset": "utf-8"}
        _response, data = self.http.request_json("POST", f"sys/{script}", data=payload)
        if isinstance(data, dict) and "error_code" in data:
            code = _int(data.get("error_code"))
            if code not in message_errors:
                self._raise_request_error(code, data.get("error"))
        return data

    @staticmethod
    def _raise_request_error(code, text):
        text = f"SMSC error {code}: {text or ''}".strip()
        if code == 2:
            raise GatewayError(text, "sms_acc")
        if code == 4:
            # the address is blocked for a while after too many failing requests
            raise GatewayError(text, transient=True)
        if code == 9:
            # a duplicate of a request sent less than a minute ago, or too many at once
            raise GatewayError(text, transient=True, retry_after=DUPLICATE_WINDOW, maybe_sent=True)
        raise GatewayError(text)

    # sending

    def send(self, messages):
        results = []
        out_of_credit = None
        with self.http:
            for message in messages:
                if out_of_credit:
                    results.append(self._failed(message, "sms_credit", out_of_credit))
                    continue
                try:
                    result = self._send_one(message)
                except GatewayError as error:
                    error.results = results + error.results
                    raise
                if result.failure_type == "sms_credit":
                    # every further request would fail the same way and SMSC blocks the
                    # address of clients that keep sending failing requests (error 4)
                    out_of_credit = result.error_message
                results.append(result)
        return results

    @staticmethod
    def _failed(message, failure_type, text):
        return SendResult(
            uuid=message.uuid, state="error", failure_type=failure_type, error_message=text
        )

    def _send_one(self, message):
        refusal = self._refusal(message)
        if refusal:
            return refusal
        phone = "".join((message.number or "").split())
        sms_id = smsc_id(message.reference)
        params = {"phones": phone, "mes": message.body or "", "cost": 3, "id": sms_id}
        sender = self._sender(message)
        if sender:
            params["sender"] = sender
        left = self._seconds_left(message)
        if left is not None:
            valid = lifetime(left)
            if valid is None:
                return self._failed(
                    message,
                    "sms_expired",
                    "The message was not sent: less than a minute of validity was left.",
                )
            params["valid"] = valid
        data = self._call("send.php", params, message_errors=SEND_ERROR_FAILURES)
        if not isinstance(data, dict):
            raise GatewayError(f"SMSC sent an unexpected answer: {data!r}", maybe_sent=True)
        if "error_code" in data:
            code = _int(data.get("error_code"))
            return self._failed(
                message,
                SEND_ERROR_FAILURES.get(code, "unknown"),
                f"SMSC error {code}: {data.get('error') or ''}".strip(),
            )
        if "balance" in data:
            currency = self.config.get("currency") or "RUB"
            self.last_balance = (float(data["balance"]), currency)
        return SendResult(
            uuid=message.uuid,
            state="pending",
            external_id=f"{data.get('id', sms_id)}:{phone}",
            segments=_int(data.get("cnt")),
            cost=float(data.get("cost") or 0.0),
        )

    # status

    def _query(self, pairs):
        """``[(external_id, status, err, timestamp)]`` for ``(id, phone)`` pairs, in one mass
        status request (SMSC allows few status requests per message and minute)."""
        if not pairs:
            return []
        ids = ",".join(sms_id for sms_id, _phone in pairs)
        phones = ",".join(phone for _sms_id, phone in pairs)
        # a trailing comma keeps the mass-answer format for a single message
        data = self._call("status.php", {"id": ids + ",", "phone": phones + ","})
        rows = data if isinstance(data, list) else [data]
        found = []
        for index, row in enumerate(rows):
            if not isinstance(row, dict) or "status" not in row:
                continue
            sms_id = str(row.get("id") or (pairs[index][0] if index < len(pairs) else ""))
            phone = str(row.get("phone") or (pairs[index][1] if index < len(pairs) else ""))
            found.append(
                (
                    f"{sms_id}:{phone}",
                    _int(row.get("status"), NOT_FOUND),
                    _int(row.get("err")),
                    row.get("last_timestamp"),
                )
            )
        return found

    def fetch_status(self, external_ids):
        """One mass status request for all ``external_ids``: SMSC answers error 9 (raised as a
        transient error with ``retry_after``) to more than one mass request a minute, so
        callers poll an SMSC gateway at most once a minute."""
        pairs = [pair for pair in map(split_external_id, external_ids) if pair]
        with self.http:
            rows = self._query(pairs)
        return [status_report(*row) for row in rows]

    def find_sent(self, messages):
        by_id = {str(smsc_id(message.reference)): message for message in messages}
        pairs = [
            (str(smsc_id(message.reference)), "".join((message.number or "").split()))
            for message in messages
        ]
        with self.http:
            rows = self._query(pairs)
        reports = []
        for external_id, status, err, timestamp in rows:
            message = by_id.get(external_id.split(":", 1)[0])
            if status == NOT_FOUND or message is None:
                continue
            report = status_report(external_id, status, err, timestamp)
            reports.append(dataclasses.replace(report, reference=message.reference))
        return reports

    # account

    def fetch_balance(self):
        data = self._call("balance.php", {"cur": 1})
        if not isinstance(data, dict) or "balance" not in data:
            raise GatewayError(f"SMSC sent an unexpected balance answer: {data!r}")
        currency = data.get("currency") or self.config.get("currency") or "RUB"
        return float(data["balance"]), currency

    def test_connection(self):
        amount, currency = self.fetch_balance()
        return f"Connected to SMSC. Balance: {amount:.2f} {currency}."

    # delivery reports

    def parse_report(self, method, url, headers, params, body=b""):
        check_url_secret(url, self.config.get("webhook_secret"))
        sms_id = str(params.get("id") or "").strip()
        phone = str(params.get("phone") or "").strip()
        status = str(params.get("status") or "").strip()
        if not sms_id.isdigit() or not phone or not status.lstrip("-").isdigit():
            raise ReportRejected("the call is not an SMSC delivery report")
        timestamp = params.get("ts") or params.get("time")
        if timestamp is not None and not str(timestamp).isdigit():
            timestamp = None
        return [status_report(f"{sms_id}:{phone}", int(status), _int(params.get("err")), timestamp)]
