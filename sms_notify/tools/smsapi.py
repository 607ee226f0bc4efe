"""SMSAPI (smsapi.pl; the same API answers on api.smsapi.com and api.smsapi.bg).

Config keys: ``base_url`` (default ``https://api.smsapi.pl``), ``token`` (OAuth token from the
customer panel, sent as ``Authorization: Bearer``), ``sender``, ``currency`` (of the points
balance, default ``PLN``), ``webhook_url`` (sent as ``notify_url``), ``webhook_secret``,
``timeout``.

How messages travel:

* ``POST sms.do`` with ``format=json``, ``encoding=utf-8`` and ``details=1`` (the answer then
  carries the number of parts).  Messages with the same text, sender and lifetime share one
  request: ``to`` lists the numbers and ``idx`` the matching references, joined by ``|``.
* ``idx`` with ``check_idx=1`` is the idempotency key: SMSAPI refuses a message whose ``idx``
  it has already seen.  A refused group is retried one message at a time so that only the true
  duplicates are singled out; each comes back as a ``duplicate`` :class:`SendResult`.  The
  duplicate's delivery report carries the same ``idx`` (``DeliveryReport.reference``).
* ``expiration_date`` (a Unix time) comes from ``valid_until``, kept within the 1-12 hours
  SMSAPI accepts.
* status queries: ``sms.do?status=<id,...>``; balance: ``user.do?credits=1``.

Delivery reports come to ``notify_url`` as a GET with ``MsgId``, ``status``, ``idx``,
``donedate``, ``points`` and ``to``, several reports comma-separated in one call.  SMSAPI does
not sign callbacks, so they are trusted only when they carry the gateway's secret in the URL.

Which source confirmed each parameter, answer and code, and which codes and callback fields
are unconfirmed: ``sms_notify/readme/DEVELOP.md``, section "SMSAPI".
"""

import calendar
from datetime import datetime, timezone

from .gateway import (
    MAX_REPORT_ID,
    DeliveryReport,
    GatewayClient,
    GatewayError,
    ReportRejected,
    SendResult,
    bounded,
    check_report_size,
    check_url_secret,
    number_digits,
    register_gateway,
)
from .gsm import analyze
from .http_client import HttpClient, parse_float

DEFAULT_BASE_URL = "https://api.smsapi.pl"
MIN_LIFETIME = 3600
MAX_LIFETIME = 12 * 3600

#: request-level error codes
AUTH_ERRORS = {101, 102, 105}  # bad token or password, address not allowed by the IP filter
SERVER_ERRORS = {8, 201, 999}  # SMSAPI's own failures
DUPLICATE_IDX = 53
NO_VALID_NUMBERS = 13
#: request-level error code -> failure type of every message of the request
GROUP_FAILURES = {
    11: "unknown",  # message empty or too long
    14: "sms_not_allowed",  # sender name not allowed
    52: "sms_rejected",  # too many messages to one number
    56: "unknown",  # expiration date out of range
    103: "sms_credit",  # not enough points
}

#: delivery status code (callbacks) -> status name (status queries)
STATUS_CODES = {
    401: "NOT_FOUND",
    402: "EXPIRED",
    403: "SENT",
    404: "DELIVERED",
    405: "UNDELIVERED",
    406: "FAILED",
    407: "REJECTED",
    408: "UNKNOWN",
    409: "QUEUE",
    410: "ACCEPTED",
    411: "RENEWAL",
    412: "STOP",
}
#: status name -> (sms.sms state, failure type)
STATES = {
    "DELIVERED": ("sent", False),
    "SENT": ("pending", False),
    "ACCEPTED": ("pending", False),
    "UNKNOWN": ("pending", False),  # no delivery report from the operator
    "QUEUE": ("process", False),
    "RENEWAL": ("process", False),
    "UNDELIVERED": ("error", "sms_not_delivered"),
    "FAILED": ("error", "sms_server"),
    "EXPIRED": ("error", "sms_expired"),
    "REJECTED": ("error", "sms_rejected"),
    "NOT_FOUND": ("error", "unknown"),
    "STOP": ("canceled", False),
}


def status_report(gateway_reference, status_name, reference=None, cost=None, done_at=None):
    state, failure_type = STATES.get(status_name, ("pending", False))
    return DeliveryReport(
        gateway_reference=str(gateway_reference),
        state=state,
        failure_type=failure_type,
        error_message=f"SMSAPI status {status_name}" if state == "error" else "",
        done_at=done_at if state in ("sent", "error", "canceled") else None,
        reference=reference or None,
        cost=cost,
    )


def error_code(data):
    """The request-level error code of an SMSAPI answer: 0 when there is none, -1 when it is
    not a number."""
    code = data.get("error")
    if not code:
        return 0
    return int(code) if str(code).isdigit() else -1


_digits = number_digits


@register_gateway("smsapi")
class SmsapiClient(GatewayClient):
    """SMSAPI.pl / SMSAPI.com."""

    batch_size = 100
    supports_webhook = True
    supports_status_query = True
    supports_idempotency_key = True

    def __init__(self, config=None):
        super().__init__(config)
        self.http = HttpClient(
            self.config.get("base_url") or DEFAULT_BASE_URL,
            self.timeout,
            headers={"Authorization": f"Bearer {self.config.get('token') or ''}"},
            vendor="SMSAPI",
        )

    def _call(self, method, path, params):
        params = {**params, "format": "json"}
        if method == "GET":
            _response, data = self.http.request_json(method, path, params=params)
        else:
            _response, data = self.http.request_json(method, path, data=params)
        if not isinstance(data, dict):
            raise GatewayError(f"SMSAPI sent an unexpected answer: {data!r}", maybe_sent=True)
        code = error_code(data)
        if code:
            text = f"SMSAPI error {code}: {data.get('message') or ''}".strip()
            if code in AUTH_ERRORS:
                raise GatewayError(text, "sms_acc")
            if code in SERVER_ERRORS:
                raise GatewayError(text, transient=True, maybe_sent=True)
        return data

    # sending

    def send(self, messages):
        results = []
        groups = {}
        for message in messages:
            refusal = self._refusal(message)
            if refusal:
                results.append(refusal)
                continue
            key = (message.body or "", self._sender(message), self._expiration(message))
            groups.setdefault(key, []).append(message)
        with self.http:
            for (body, sender, expiration), group in groups.items():
                try:
                    results += self._send_group(body, sender, expiration, group)
                except GatewayError as error:
                    error.results = results + error.results
                    raise
        return results

    def _expiration(self, message):
        left = self._seconds_left(message)
        if left is None:
            return None
        now = calendar.timegm(self._now().timetuple())
        return now + min(max(left, MIN_LIFETIME), MAX_LIFETIME)

    def _send_group(self, body, sender, expiration, group):
        params = {
            "to": ",".join(message.number for message in group),
            "message": body,
            "encoding": "utf-8",
            "details": 1,
            "idx": "|".join(message.reference for message in group),
            "check_idx": 1,
        }
        if sender:
            params["from"] = sender
        if expiration:
            params["expiration_date"] = expiration
        if self.config.get("webhook_url"):
            params["notify_url"] = self.config["webhook_url"]
        data = self._call("POST", "sms.do", params)
        code = error_code(data)
        if code == DUPLICATE_IDX:
            if len(group) > 1:
                # find out which of them SMSAPI already holds
                results = []
                for message in group:
                    results += self._send_group(body, sender, expiration, [message])
                return results
            return [
                SendResult(
                    uuid=group[0].uuid,
                    state="pending",
                    duplicate=True,
                    error_message=f"SMSAPI already holds this message: {data.get('message')}",
                )
            ]
        failed = self._invalid_numbers(data, group)
        if code:
            text = f"SMSAPI error {code}: {data.get('message') or ''}".strip()
            failure_type = GROUP_FAILURES.get(code, "unknown")
            if code == NO_VALID_NUMBERS:
                failure_type = "sms_invalid_destination"
            return [
                failed.get(message.uuid)
                or SendResult(
                    uuid=message.uuid,
                    state="error",
                    failure_type=failure_type,
                    error_message=text,
                )
                for message in group
            ]
        return self._accepted(data, group, failed)

    @staticmethod
    def _invalid_numbers(data, group):
        """Messages SMSAPI refused for their number, by uuid."""
        failed = {}
        for entry in data.get("invalid_numbers") or []:
            submitted = entry.get("submitted_number") or entry.get("number")
            for message in group:
                if message.uuid not in failed and (
                    message.number == submitted or _digits(message.number) == _digits(submitted)
                ):
                    failed[message.uuid] = SendResult(
                        uuid=message.uuid,
                        state="error",
                        failure_type="sms_invalid_destination",
                        error_message=f"SMSAPI: {entry.get('message') or 'invalid number'}",
                    )
                    break
        return failed

    @staticmethod
    def _accepted(data, group, failed):
        items = [item for item in data.get("list") or [] if isinstance(item, dict)]
        by_idx = {str(item["idx"]): item for item in items if item.get("idx")}
        unused = [item for item in items if not item.get("idx")]
        parts = int(data.get("parts") or 0)
        results = []
        for message in group:
            if message.uuid in failed:
                results.append(failed[message.uuid])
                continue
            item = by_idx.get(message.reference)
            if item is None:
                item = next(
                    (
                        candidate
                        for candidate in unused
                        if _digits(candidate.get("submitted_number") or candidate.get("number"))
                        == _digits(message.number)
                    ),
                    None,
                )
                if item is not None:
                    unused.remove(item)
            if item is None:
                results.append(
                    SendResult(
                        uuid=message.uuid,
                        state="error",
                        failure_type="unknown",
                        error_message="SMSAPI accepted the request but did not list this number.",
                    )
                )
                continue
            results.append(
                SendResult(
                    uuid=message.uuid,
                    state="pending",
                    gateway_reference=str(item.get("id")),
                    segments=parts or analyze(message.body or "").segments,
                    cost=parse_float(item.get("points")) or 0.0,
                )
            )
        return results

    # status

    def fetch_status(self, gateway_references):
        gateway_references = [
            str(gateway_reference) for gateway_reference in gateway_references if gateway_reference
        ]
        reports = []
        with self.http:
            for start in range(0, len(gateway_references), self.batch_size):
                chunk = gateway_references[start : start + self.batch_size]
                data = self._call("GET", "sms.do", {"status": ",".join(chunk)})
                if error_code(data):
                    raise GatewayError(
                        f"SMSAPI error {data['error']}: {data.get('message') or ''}".strip()
                    )
                for item in data.get("list") or []:
                    reports.append(
                        status_report(
                            item.get("id"),
                            str(item.get("status") or "").upper(),
                            reference=item.get("idx"),
                            cost=parse_float(item.get("points")),
                        )
                    )
        return reports

    # account

    def fetch_balance(self):
        data = self._call("GET", "user.do", {"credits": 1, "details": 1})
        points = parse_float(data.get("points"))
        if points is None:
            raise GatewayError(f"SMSAPI sent an unexpected balance answer: {data!r}")
        return points, self.config.get("currency") or "PLN"

    def test_connection(self):
        amount, currency = self.fetch_balance()
        return f"Connected to SMSAPI. Balance: {amount:.2f} {currency}."

    # delivery reports

    def parse_report(self, method, url, headers, params, body=b""):
        check_url_secret(url, self.config.get("webhook_secret"))
        check_report_size(params, body)

        def values(name):
            return [value.strip() for value in str(params.get(name) or "").split(",")]

        ids, codes = values("MsgId"), values("status")
        for value in ids + values("idx"):
            bounded(value, MAX_REPORT_ID, "message id")
        for value in codes:
            bounded(value, 4, "status")
        if not ids[0] or len(ids) != len(codes) or not all(code.isdigit() for code in codes):
            raise ReportRejected("the call is not an SMSAPI delivery report")
        idxs, done_dates, points = values("idx"), values("donedate"), values("points")
        reports = []
        for index, (gateway_reference, code) in enumerate(zip(ids, codes, strict=True)):
            done_at = None
            done_date = done_dates[index] if index < len(done_dates) else ""
            if done_date.isdigit():
                done_at = datetime.fromtimestamp(int(done_date), timezone.utc).replace(tzinfo=None)
            reports.append(
                status_report(
                    gateway_reference,
                    STATUS_CODES.get(int(code), "UNKNOWN"),
                    reference=idxs[index] if index < len(idxs) else None,
                    cost=parse_float(points[index]) if index < len(points) else None,
                    done_at=done_at,
                )
            )
        return reports
