"""Twilio Programmable Messaging (REST API 2010-04-01).

Config keys: ``base_url`` (default ``https://api.twilio.com``), ``account_sid``,
``auth_token`` (also the key of the callback signatures), optionally ``api_key_sid`` +
``api_key_secret`` to authenticate the REST calls with an API key instead of the auth token,
``sender`` (the ``From`` number or alphanumeric sender id) or ``messaging_service_sid``,
``webhook_url`` (``StatusCallback``), ``timeout``.

How messages travel:

* one ``POST /2010-04-01/Accounts/{AccountSid}/Messages.json`` per message (Twilio takes one
  recipient per request), HTTP Basic auth, form-encoded ``To``, ``From`` or
  ``MessagingServiceSid``, ``Body``, ``StatusCallback`` and ``ValidityPeriod``.
* ``ValidityPeriod`` (seconds, 1-36 000) comes from ``valid_until``.  Twilio counts it as the
  time the message may wait in Twilio's queue.
* ``StatusCallback`` is the gateway's ``webhook_url`` with ``sms_ref=<reference>`` added, so a
  report can be linked to its message even if the message's sid was never stored.  Twilio
  has no idempotency key for creating messages; a message whose fate is unknown after a crash
  cannot be looked up and has to be settled by hand or by its callback.
* status callbacks (form POSTs) are authenticated by ``X-Twilio-Signature``: the Base64
  HMAC-SHA1, keyed with the auth token, of the full callback URL followed by every POST
  parameter name and value in parameter-name order.
* status queries: ``GET Messages/{Sid}.json``; balance: ``GET Accounts/{Sid}/Balance.json``.

Twilio's error codes map onto failure types through the tables below.

Which source confirmed the signature, parameters, statuses and error codes:
``sms_notify/readme/DEVELOP.md``, section "Twilio".
"""

import base64
import hashlib
import hmac
from email.utils import parsedate_to_datetime
from functools import partial
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .gateway import (
    MAX_REPORT_ID,
    MAX_REPORT_PHONE,
    WEBHOOK_SIGNATURE,
    DeliveryReport,
    GatewayClient,
    GatewayError,
    ReportRejected,
    SendResult,
    _lt,
    authenticate_webhook,
    batch_error,
    bounded,
    register_gateway,
    side_by_side,
    to_naive_utc,
)
from .gsm import analyze
from .http_client import HttpClient, snippet

DEFAULT_BASE_URL = "https://api.twilio.com"
API_VERSION = "2010-04-01"
MAX_VALIDITY_PERIOD = 36000
REFERENCE_PARAMETER = "sms_ref"

#: error codes meaning the account or the configuration is wrong, not the message
ACCOUNT_ERRORS = {20003, 20404, 20005, 30002}
#: error code of a refused create request -> failure type of the message
CREATE_FAILURES = {
    21211: "sms_number_format",  # invalid To number
    21612: "sms_invalid_destination",  # To not reachable from this sender
    21614: "sms_invalid_destination",  # To is not a mobile number
    21635: "sms_invalid_destination",  # To is a landline
    21408: "sms_not_allowed",  # region not enabled for this account
    21606: "sms_not_allowed",  # From cannot send to this number
    21608: "sms_not_allowed",  # trial account, unverified To
    21610: "sms_not_allowed",  # recipient unsubscribed (STOP)
    21212: "sms_not_allowed",  # invalid From
    21659: "sms_not_allowed",  # From is not a Twilio number
}
#: ErrorCode of an undelivered or failed message -> failure type
DELIVERY_FAILURES = {
    30001: "sms_server",  # queue overflow
    30002: "sms_acc",  # account suspended
    30003: "sms_not_delivered",  # unreachable handset
    30004: "sms_rejected",  # message blocked
    30005: "sms_invalid_destination",  # unknown destination handset
    30006: "sms_invalid_destination",  # landline or unreachable carrier
    30007: "sms_rejected",  # filtered by the carrier
    30008: "sms_not_delivered",  # unknown error
    30032: "sms_not_allowed",  # toll-free number not verified
    30034: "sms_not_allowed",  # unregistered US A2P sender
    30036: "sms_expired",  # validity period expired
}
#: message status -> sms.sms state (errors get their failure type from the error code)
STATES = {
    "accepted": "process",
    "scheduled": "process",
    "queued": "process",
    "sending": "process",
    "sent": "pending",
    "partially_delivered": "pending",
    "delivered": "sent",
    "read": "sent",
    "undelivered": "error",
    "failed": "error",
    "canceled": "canceled",
}


def compute_signature(auth_token, url, params):
    """``X-Twilio-Signature`` of a callback to ``url`` with POST ``params``."""
    payload = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def add_query(url, **params):
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def _url_variants(url):
    """``url`` as given and, for https, without an explicit port (a proxy in front of the
    server may show the port that Twilio's signature does not include, or the reverse)."""
    variants = [url]
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.port:
        variants.append(urlunsplit(parts._replace(netloc=parts.hostname)))
    elif parts.scheme == "https" and parts.hostname:
        variants.append(urlunsplit(parts._replace(netloc=f"{parts.hostname}:443")))
    return variants


def _error_code(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def message_state(status, error_code=None, error_text=""):
    """``(state, failure type, error message)`` for a Twilio message status."""
    state = STATES.get(status, "pending")
    if state != "error":
        return state, False, ""
    code = _error_code(error_code)
    default = "sms_not_delivered" if status == "undelivered" else "sms_server"
    failure_type = DELIVERY_FAILURES.get(code, default)
    text = f"Twilio: {status}"
    if code:
        text += f" (error {code}{': ' + error_text if error_text else ''})"
    return state, failure_type, text


@register_gateway("twilio")
class TwilioClient(GatewayClient):
    """Twilio."""

    batch_size = 50
    supports_webhook = True
    supports_status_query = True
    webhook_auth = WEBHOOK_SIGNATURE
    form_fields = {
        "base_url": False,
        "account_sid": True,
        "password": True,
        "sender": False,
        "timeout": False,
        "balance": False,
    }
    form_help = _lt(
        "Twilio: the Account SID and the Auth Token of your Twilio console; the sender is a "
        "Twilio number or an alphanumeric sender ID. Twilio signs its status callbacks with the "
        "Auth Token: a callback without a valid signature is refused."
    )
    config_fields = {
        "base_url": "base_url",
        "sender": "sender",
        "account_sid": "account_sid",
        "auth_token": "password",
    }

    def __init__(self, config=None):
        super().__init__(config)
        account = self.config.get("account_sid") or ""
        if self.config.get("api_key_sid"):
            auth = (self.config["api_key_sid"], self.config.get("api_key_secret") or "")
        else:
            auth = (account, self.config.get("auth_token") or "")
        self.http = HttpClient(
            self.config.get("base_url") or DEFAULT_BASE_URL,
            self.timeout,
            auth=auth,
            vendor="Twilio",
        )
        self.account_path = f"{API_VERSION}/Accounts/{account}"

    def _raise_for_error(self, data, status_code):
        code = _error_code(data.get("code")) if isinstance(data, dict) else None
        text = f"Twilio error {code}: {data.get('message')}" if code else f"HTTP {status_code}"
        if code in ACCOUNT_ERRORS or status_code == 404:
            raise GatewayError(text, "sms_acc")
        raise GatewayError(text)

    # sending

    def send(self, messages):
        # one request per message: side by side, a batch of 500 does not wait 500 times
        # for Twilio's answer
        with self.http:
            outcomes = side_by_side([partial(self._send_one, message) for message in messages])
        results = [outcome for outcome in outcomes if isinstance(outcome, SendResult)]
        errors = [outcome for outcome in outcomes if isinstance(outcome, GatewayError)]
        if errors:
            raise batch_error(errors, results)
        return results

    def _send_one(self, message):
        refusal = self._refusal(message)
        if refusal:
            return refusal
        form = {"To": message.number, "Body": message.body or ""}
        sender = self._sender(message)
        if self.config.get("messaging_service_sid") and not message.sender:
            form["MessagingServiceSid"] = self.config["messaging_service_sid"]
        elif sender:
            form["From"] = sender
        if self.config.get("webhook_url"):
            form["StatusCallback"] = add_query(
                self.config["webhook_url"], **{REFERENCE_PARAMETER: message.reference}
            )
        left = self._seconds_left(message)
        if left is not None:
            form["ValidityPeriod"] = min(left, MAX_VALIDITY_PERIOD)
        response = self.http.request("POST", f"{self.account_path}/Messages.json", data=form)
        data = self.http.json(response)
        if not isinstance(data, dict):
            raise GatewayError(f"Twilio sent an unexpected answer: {snippet(response.text)}")
        if response.status_code >= 400:
            code = _error_code(data.get("code"))
            if code in CREATE_FAILURES:
                return SendResult(
                    uuid=message.uuid,
                    state="error",
                    failure_type=CREATE_FAILURES[code],
                    error_message=f"Twilio error {code}: {data.get('message') or ''}".strip(),
                )
            if code in ACCOUNT_ERRORS or response.status_code == 404 or not code:
                self._raise_for_error(data, response.status_code)
            return SendResult(
                uuid=message.uuid,
                state="error",
                failure_type="unknown",
                error_message=f"Twilio error {code}: {data.get('message') or ''}".strip(),
            )
        if not data.get("sid"):
            raise GatewayError(
                f"Twilio accepted the message without an id: {snippet(response.text)}",
                maybe_sent=True,
            )
        state, failure_type, text = message_state(
            data.get("status"), data.get("error_code"), data.get("error_message") or ""
        )
        if state in ("process", "sent"):
            # accepted: the sending engine tracks it as handed over until reports arrive
            state = "pending"
        return SendResult(
            uuid=message.uuid,
            state=state,
            failure_type=failure_type,
            gateway_reference=data["sid"],
            segments=_error_code(data.get("num_segments")) or analyze(message.body or "").segments,
            cost=abs(float(data.get("price") or 0.0)),
            error_message=text,
        )

    # status

    def fetch_status(self, gateway_references):
        reports = []
        with self.http:
            for sid in gateway_references:
                if not sid:
                    continue
                response = self.http.request("GET", f"{self.account_path}/Messages/{sid}.json")
                data = self.http.json(response)
                if response.status_code == 404:
                    continue
                if response.status_code >= 400 or not isinstance(data, dict):
                    self._raise_for_error(data, response.status_code)
                reports.append(self._report(data))
        return reports

    @staticmethod
    def _report(data):
        state, failure_type, text = message_state(
            data.get("status"), data.get("error_code"), data.get("error_message") or ""
        )
        done_at = None
        if state in ("sent", "error", "canceled") and data.get("date_updated"):
            try:
                done_at = to_naive_utc(parsedate_to_datetime(data["date_updated"]))
            except (TypeError, ValueError):
                done_at = None
        price = data.get("price")
        return DeliveryReport(
            gateway_reference=data.get("sid"),
            state=state,
            failure_type=failure_type,
            error_message=text,
            done_at=done_at,
            cost=abs(float(price)) if price not in (None, "") else None,
            segments=_error_code(data.get("num_segments")),
        )

    # account

    def fetch_balance(self):
        response = self.http.request("GET", f"{self.account_path}/Balance.json")
        data = self.http.json(response)
        if response.status_code >= 400 or not isinstance(data, dict):
            self._raise_for_error(data, response.status_code)
        try:
            return float(data["balance"]), data.get("currency") or ""
        except (KeyError, TypeError, ValueError) as error:
            raise GatewayError(f"Twilio sent an unexpected balance answer: {data!r}") from error

    def test_connection(self):
        amount, currency = self.fetch_balance()
        return f"Connected to Twilio. Balance: {amount:.2f} {currency}."

    # delivery reports

    def verify_signature(self, method, url, headers, params, body):
        if method != "POST":
            raise ReportRejected("Twilio status callbacks are POST requests")
        signature = headers.get("x-twilio-signature") or ""
        token = self.config.get("auth_token") or ""
        if not signature or not token:
            raise ReportRejected("the callback is not signed")
        candidates = _url_variants(url)
        if self.config.get("webhook_url"):
            # the URL as Twilio was told to call it, in case a proxy rewrote what Odoo sees
            configured = urlsplit(self.config["webhook_url"])
            called = urlsplit(url or "")
            candidates += _url_variants(
                urlunsplit(configured._replace(query=called.query or configured.query))
            )
        matches = [
            hmac.compare_digest(compute_signature(token, candidate, params), signature)
            for candidate in candidates
        ]
        if not any(matches):
            raise ReportRejected("the callback's signature does not match")

    def parse_report(self, method, url, headers, params, body=b""):
        authenticate_webhook(self, method, url, headers, params, body)
        params = {key: str(value) for key, value in (params or {}).items()}
        if params.get("AccountSid") and params["AccountSid"] != self.config.get("account_sid"):
            raise ReportRejected("the callback belongs to another Twilio account")
        sid = bounded(params.get("MessageSid") or params.get("SmsSid"), MAX_REPORT_ID, "sid")
        status = bounded(params.get("MessageStatus") or params.get("SmsStatus"), 32, "status")
        bounded(params.get("ErrorCode"), 16, "error code")
        for number_field in ("To", "From"):
            bounded(params.get(number_field), MAX_REPORT_PHONE, number_field)
        if not sid or not status:
            raise ReportRejected("the call is not a message status callback")
        state, failure_type, text = message_state(status, params.get("ErrorCode"))
        reference = dict(parse_qsl(urlsplit(url or "").query)).get(REFERENCE_PARAMETER)
        return [
            DeliveryReport(
                gateway_reference=sid,
                state=state,
                failure_type=failure_type,
                error_message=text,
                reference=reference or None,
            )
        ]
