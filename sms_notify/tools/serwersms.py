"""SerwerSMS.pl HTTPS API v2.

Config keys: ``base_url`` (default ``https://api2.serwersms.pl``), ``token`` (API token from
the panel, sent as ``Authorization: Bearer``) or ``login`` + ``password`` of an API user,
``sender`` (an approved sender name makes the message "FULL"; without one it goes as "ECO"),
``timezone`` of the dates SerwerSMS reports (default ``Europe/Warsaw``), ``timeout``.

How messages travel:

* ``POST messages/send_sms.json`` with a JSON body; messages with the same text and sender
  share one request (``phone`` and ``unique_id`` as parallel lists).  ``utf`` is set for a
  FULL message that needs UCS-2; ``details`` makes the answer list every message with its
  parts.
* ``unique_id`` is our ``reference`` (letters and digits only, 3-50 characters; other
  references are hashed into that form).  SerwerSMS documents it as the client's own message
  identifier, usable to filter delivery reports, not as a key it refuses to reuse.  So
  reconciliation after a crash looks the message up (:meth:`SerwersmsClient.find_sent`,
  ``messages/reports`` by ``unique_id``) instead of resending it.
* There is no lifetime parameter in ``send_sms``: ``valid_until`` is only honoured by not
  sending a message whose validity is over.
* Delivery reports are polled (``messages/reports``, up to 500 ids per query).  SerwerSMS can
  also push reports to a URL set in its panel, but the payload of those calls is not published
  where we could check it, so this client does not accept them (``supports_webhook`` is off).
* Balance: ``account/limits`` gives the number of messages left per type; the balance shown is
  that of the type the gateway sends (FULL with a sender name, ECO without), in "SMS".

Per-message ``error_code`` values of the send answer are mapped with the numbering of
SerwerSMS's error table (2200 wrong number ... 2208 no permission); unknown codes map to
``unknown`` with SerwerSMS's text kept.

Which source confirmed each call and answer field, and what remains unconfirmed:
``sms_notify/readme/DEVELOP.md``, section "SerwerSMS.pl".
"""

import hashlib
import re
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .gateway import (
    DeliveryReport,
    GatewayClient,
    GatewayError,
    SendResult,
    number_digits,
    register_gateway,
    to_naive_utc,
)
from .gsm import analyze
from .http_client import HttpClient, parse_float

DEFAULT_BASE_URL = "https://api2.serwersms.pl"
DEFAULT_TIMEZONE = "Europe/Warsaw"
MAX_REPORT_IDS = 500
UNIQUE_ID_PATTERN = re.compile(r"^[A-Za-z0-9]{3,50}$")

AUTH_ERRORS = {1001, 1002, 1003, 1005, 1007}
#: request-level error code -> failure type of every message of the request
REQUEST_FAILURES = {
    2001: "sms_number_format",  # invalid phone number
    3000: "sms_credit",  # ECO limit exhausted
    3001: "sms_not_allowed",  # no permission to send ECO
    3002: "sms_credit",  # FULL limit exhausted
    3003: "sms_not_allowed",  # no permission to send FULL
    3009: "sms_not_allowed",  # no permission to send SMS
    3100: "sms_not_allowed",  # sending is blocked
}
#: per-message error code of an "unsent" message -> failure type
MESSAGE_FAILURES = {
    2200: "sms_number_format",
    2201: "sms_credit",
    2202: "sms_not_allowed",
    2203: "sms_rejected",
    2204: "sms_not_delivered",
    2205: "sms_not_allowed",
    2206: "sms_rejected",
    2207: "sms_not_allowed",
    2208: "sms_not_allowed",
}
#: ``reason`` of an undelivered or unsent message -> failure type
REASON_FAILURES = {
    "message_expired": "sms_expired",
    "unsupported_number": "sms_invalid_destination",
    "message_rejected": "sms_rejected",
    "missed_call": "sms_not_delivered",
    "wrong_number": "sms_number_format",
    "limit_exhausted": "sms_credit",
    "lock_send": "sms_not_allowed",
    "wrong_message": "sms_rejected",
    "operator_error": "sms_not_delivered",
    "wrong_sender_name": "sms_not_allowed",
    "number_is_blacklisted": "sms_rejected",
    "sending_to_foreign_networks_is_locked": "sms_not_allowed",
    "no_permission_to_send_messages": "sms_not_allowed",
    "other_error": "unknown",
}
#: report status -> sms.sms state
STATES = {
    "delivered": "sent",
    "sent": "pending",
    "pending": "pending",
    "in_progress": "process",
    "queued": "process",
    "saved": "process",
    "undelivered": "error",
    "unsent": "error",
}


def unique_id(reference):
    """``reference`` in the form SerwerSMS accepts as ``unique_id``."""
    if UNIQUE_ID_PATTERN.match(reference or ""):
        return reference
    return hashlib.sha1((reference or "").encode()).hexdigest()


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@register_gateway("serwersms")
class SerwersmsClient(GatewayClient):
    """SerwerSMS.pl."""

    batch_size = 200
    supports_status_query = True

    def __init__(self, config=None):
        super().__init__(config)
        headers = {}
        if self.config.get("token"):
            headers["Authorization"] = f"Bearer {self.config['token']}"
        self.http = HttpClient(
            self.config.get("base_url") or DEFAULT_BASE_URL,
            self.timeout,
            headers=headers,
            vendor="SerwerSMS",
        )

    def _call(self, action, payload, message_errors=()):
        """POST ``<action>.json``; request errors whose code is in ``message_errors`` are
        returned as ``(code, text)``, other errors raise :class:`GatewayError`."""
        if not self.config.get("token"):
            payload = {
                **payload,
                "username": self.config.get("login") or "",
                "password": self.config.get("password") or "",
            }
        _response, data = self.http.request_json("POST", f"{action}.json", json=payload)
        if not isinstance(data, dict):
            raise GatewayError(f"SerwerSMS sent an unexpected answer: {data!r}", maybe_sent=True)
        error = data.get("error")
        if error:
            if not isinstance(error, dict):
                error = {"message": str(error)}
            code = _int(error.get("code"))
            text = f"SerwerSMS error {code}: {error.get('message') or ''}".strip()
            if code in message_errors:
                return data, (code, text)
            if code in AUTH_ERRORS:
                raise GatewayError(text, "sms_acc")
            raise GatewayError(text)
        return data, None

    # sending

    def send(self, messages):
        results = []
        groups = {}
        for message in messages:
            refusal = self._refusal(message)
            if refusal:
                results.append(refusal)
                continue
            groups.setdefault((message.body or "", self._sender(message)), []).append(message)
        with self.http:
            for (body, sender), group in groups.items():
                try:
                    results += self._send_group(body, sender, group)
                except GatewayError as error:
                    error.results = results + error.results
                    raise
        return results

    def _send_group(self, body, sender, group):
        payload = {
            "phone": [message.number for message in group],
            "text": body,
            "unique_id": [unique_id(message.reference) for message in group],
            "details": True,
        }
        if sender:
            payload["sender"] = sender
            if not analyze(body).is_gsm7:
                payload["utf"] = True
        data, request_error = self._call(
            "messages/send_sms", payload, message_errors=REQUEST_FAILURES
        )
        if request_error:
            code, text = request_error
            return [
                SendResult(
                    uuid=message.uuid,
                    state="error",
                    failure_type=REQUEST_FAILURES[code],
                    error_message=text,
                )
                for message in group
            ]
        items = [item for item in data.get("items") or [] if isinstance(item, dict)]
        return [self._item_result(message, items, index) for index, message in enumerate(group)]

    @staticmethod
    def _item_result(message, items, index):
        """The answer for ``message``: items come in the order of the numbers sent; the phone
        is checked in case SerwerSMS dropped one."""
        digits = number_digits(message.number)
        item = items[index] if index < len(items) else None
        if item is None or number_digits(item.get("phone")) != digits:
            item = next(
                (
                    candidate
                    for candidate in items
                    if number_digits(candidate.get("phone")) == digits
                ),
                None,
            )
        if item is None:
            return SendResult(
                uuid=message.uuid,
                state="error",
                failure_type="unknown",
                error_message="SerwerSMS did not list this number in its answer.",
            )
        if item.get("status") == "unsent":
            code = _int(item.get("error_code"))
            return SendResult(
                uuid=message.uuid,
                state="error",
                failure_type=MESSAGE_FAILURES.get(code, "unknown"),
                error_message=f"SerwerSMS error {code}: {item.get('error_message') or ''}".strip(),
            )
        return SendResult(
            uuid=message.uuid,
            state="pending",
            gateway_reference=str(item.get("id")),
            segments=_int(item.get("parts")) or analyze(message.body or "").segments,
        )

    # status

    def _report(self, item, reference=None):
        status = str(item.get("status") or "")
        state = STATES.get(status, "pending")
        failure_type = False
        text = ""
        if state == "error":
            reason = str(item.get("reason") or "")
            default = "sms_not_delivered" if status == "undelivered" else "unknown"
            failure_type = REASON_FAILURES.get(reason, default)
            text = f"SerwerSMS: {status}" + (f" ({reason})" if reason else "")
        done_at = None
        if state in ("sent", "error"):
            done_at = self._parse_date(item.get("delivered") or item.get("sent"))
        return DeliveryReport(
            gateway_reference=str(item.get("id")),
            state=state,
            failure_type=failure_type,
            error_message=text,
            done_at=done_at,
            reference=reference,
            cost=parse_float(item.get("cost")),
            segments=_int(item.get("parts")) or None,
        )

    def _parse_date(self, value):
        """SerwerSMS dates carry no zone; they are the vendor's local time."""
        if not value:
            return None
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            return None
        if moment.tzinfo is None:
            try:
                moment = moment.replace(
                    tzinfo=ZoneInfo(self.config.get("timezone") or DEFAULT_TIMEZONE)
                )
            except ZoneInfoNotFoundError:
                return moment
        return to_naive_utc(moment)

    def fetch_status(self, gateway_references):
        gateway_references = [
            str(gateway_reference) for gateway_reference in gateway_references if gateway_reference
        ]
        reports = []
        with self.http:
            for start in range(0, len(gateway_references), MAX_REPORT_IDS):
                chunk = gateway_references[start : start + MAX_REPORT_IDS]
                data, _error = self._call("messages/reports", {"id": chunk, "limit": len(chunk)})
                reports += [self._report(item) for item in data.get("items") or []]
        return reports

    def find_sent(self, messages):
        reports = []
        with self.http:
            for message in messages:
                data, _error = self._call(
                    "messages/reports", {"unique_id": unique_id(message.reference)}
                )
                items = data.get("items") or []
                if items:
                    reports.append(self._report(items[0], reference=message.reference))
        return reports

    # account

    def fetch_balance(self):
        data, _error = self._call("account/limits", {})
        limits = {
            str(item.get("type")): parse_float(item.get("value"))
            for item in data.get("items") or []
            if isinstance(item, dict)
        }
        kind = "full" if self.config.get("sender") else "eco"
        if limits.get(kind) is None:
            raise GatewayError(f"SerwerSMS did not report a {kind.upper()} message limit.")
        return limits[kind], "SMS"

    def test_connection(self):
        amount, _unit = self.fetch_balance()
        kind = "FULL" if self.config.get("sender") else "ECO"
        return f"Connected to SerwerSMS. {kind} messages left: {amount:g}."
