"""Vonage Messages API (v1): SMS and Viber business messages, Viber failing over to SMS in the
same request.

Config keys: ``base_url`` (default ``https://api.nexmo.com``), ``rest_base_url`` (the account
API, default ``https://rest.nexmo.com``), ``api_key`` and ``api_secret`` (HTTP Basic auth of
every call), ``signature_secret`` (the key Vonage signs its webhooks with), ``sender`` (the
SMS ``from``), ``viber_sender`` (the Viber service ID, the ``from`` of ``viber_service``
messages), ``webhook_url``, ``webhook_secret``, ``timeout``.

How messages travel:

* one ``POST /v1/messages`` per message (a JSON object naming one recipient), Basic auth.
  ``to`` is the number's digits without ``+``; ``client_ref`` is the message's ``reference``;
  ``webhook_url`` (with ``webhook_version`` ``v1``) names the gateway's report address for
  the message.  Vonage answers 202 ``{"message_uuid"}``, plus ``"workflow_id"`` when the
  request carried a failover.
* SMS: ``channel`` ``sms``, ``message_type`` ``text``, ``text``, ``from`` = sender, ``ttl`` =
  the seconds of validity left (at most 72 hours, Vonage's default attempt period).
* Viber: ``channel`` ``viber_service``, ``from`` = the Viber service ID.  The layouts of
  ``tools.viber``: a text is ``message_type`` ``text``; an image (alone, or with its text as
  caption and a button) is ``message_type`` ``image`` with ``image {url, caption}``; a
  button is ``viber_service.action {url, text}``.  ``viber_service.category`` is
  ``transaction`` for a *service* message and ``promotion`` for any other kind (a message
  without kind counts as advertising, ``tools.kinds``).  ``viber_service.ttl`` (30 s to 72 h)
  is the validity left and, for a message with a fallback, at most ``fallback_wait``.
* Viber then SMS: a message with ``fallback_body`` carries ``failover``, a list holding the SMS
  (same ``to``, ``from`` = sender, ``text`` = fallback body, the same ``client_ref``).
  Vonage sends the SMS itself when the Viber message is *rejected*: the number has no Viber,
  or its ``ttl`` ran out before delivery; so the Viber ``ttl`` is the wait before the SMS.
  Its answer's ``workflow_id`` is the result's ``cascade_reference``.
* status webhooks (JSON POSTs): ``message_uuid``, ``to``, ``from``, ``timestamp``, ``status``
  (``submitted``, ``delivered``, ``read``, ``rejected``, ``undeliverable``), ``channel``,
  ``client_ref``, ``error {type, title, detail}``, ``usage {price, currency}``, ``sms
  {count_total}`` and, for a failover, ``workflow {workflow_id, item_number, items_total}``.
  Each channel reports on its own message: the fallback SMS under its own ``message_uuid``,
  linked to the Viber message by the workflow ID only (its ``client_ref`` is not taken as the
  Viber message's reference).
* they are signed: ``Authorization: Bearer <JWT>``, HS256 keyed with the account's signature
  secret, whose ``payload_hash`` claim is the hex SHA-256 of the body.  Checked here with
  ``hmac``/``hashlib``: the algorithm must be HS256, the signature must match, the hash must
  be the body's, an ``api_key`` claim must be the gateway's and an ``exp`` claim not past.
* balance: ``GET {rest_base_url}/account/get-balance`` answers ``{"value", "autoReload"}``,
  the value in EUR; it is also the connection test.  There is no status query.

Errors of the send call are RFC 7807 objects (``type``, ``title``, ``detail``,
``invalid_parameters``): 401/403 refused credentials (not transient), 402 or a ``low-balance``
type: out of credit (the batch stops), 422 (or 400): the message alone fails,
``sms_number_format`` when ``to`` is named, 429: transient after ``Retry-After``, 5xx and
timeouts: transient and maybe sent.

Sources, and what stays unconfirmed: ``sms_notify/readme/DEVELOP.md``, section "Vonage".  In
short, confirmed: the request and answer shapes (Vonage/vonage-python-sdk ``messages``
models and test data), the failover array and its trigger (developer.vonage.com "Sending a
Message with Failover" and "Migrating from Dispatch to Messages Failover"), the statuses and
the rejection of a message whose TTL ran out ("Messages API Status Callbacks"), the JWT and
its claims ("Signed webhooks"), the error codes (``messages-olympus`` error table).  Not
confirmed: the spelling of the ``workflow`` object of status webhooks (the .NET SDK reads
``workflow_id``/``items_number``/``items_total``, the Java SDK ``id``/``item_number``/
``items_total``: every spelling is read), whether a per-message ``webhook_url`` is honoured
with Basic auth (Vonage documents account-level webhooks for it, so the form asks for both),
whether the SMS ``ttl`` of a failover counts from the request or from the failover, the
bounds of an SMS ``ttl`` and Vonage's 429 ``Retry-After``.
"""

import base64
import hashlib
import hmac
import json
import re
from datetime import datetime, timezone
from functools import partial

from . import viber
from .gateway import (
    MAX_REPORT_ID,
    MAX_REPORT_PHONE,
    SMS,
    VIBER,
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
    check_url_secret,
    number_digits,
    register_gateway,
    side_by_side,
    to_naive_utc,
)
from .gsm import analyze
from .http_client import HttpClient, parse_float, snippet
from .kinds import SERVICE, message_kind

DEFAULT_BASE_URL = "https://api.nexmo.com"
DEFAULT_REST_BASE_URL = "https://rest.nexmo.com"
MESSAGES_PATH = "v1/messages"
BALANCE_PATH = "account/get-balance"
#: the currency of the account balance (the Account API: "The balance of the account, in EUR")
BALANCE_CURRENCY = "EUR"

#: Vonage's channel names
SMS_CHANNEL = "sms"
VIBER_CHANNEL = "viber_service"
CHANNEL_OF = {SMS_CHANNEL: SMS, VIBER_CHANNEL: VIBER}

#: ``viber_service.ttl`` bounds (seconds)
MIN_VIBER_TTL = 30
MAX_VIBER_TTL = 259200
#: the SMS ``ttl`` given at most: Vonage attempts delivery for 72 hours by default
MAX_SMS_TTL = 72 * 3600
#: the longest ``text`` of an SMS or Viber message
MAX_TEXT = 1000
#: the longest ``client_ref``
MAX_CLIENT_REF = 100
#: the longest workflow ID a report may carry (Vonage's examples have 55 characters)
MAX_WORKFLOW_ID = 128
#: a number Vonage takes as ``to``: E.164 digits without ``+``
TO_PATTERN = re.compile(r"^[1-9]\d{6,14}$")

#: ``status`` of a status webhook -> sms.sms state
STATES = {
    "submitted": "pending",
    "delivered": "sent",
    "read": "sent",
    "rejected": "error",
    "undeliverable": "error",
}
#: failure type of a ``rejected`` / ``undeliverable`` message without a known error code
DEFAULT_FAILURES = {"rejected": "sms_rejected", "undeliverable": "sms_not_delivered"}
#: Messages API error code (``error.title``, or the ``#code`` of ``error.type``) -> failure type
ERROR_FAILURES = {
    1000: "sms_server",  # throttled
    1020: "unknown",  # invalid params
    1030: "sms_server",  # internal error
    1040: "sms_number_format",  # invalid message, e.g. an unrecognised prefix
    1050: "sms_not_allowed",  # number barred
    1060: "sms_acc",  # partner account barred
    1070: "sms_credit",  # partner quota exceeded
    1120: "sms_not_allowed",  # illegal sender address
    1140: "sms_not_allowed",  # facility not allowed
    1160: "sms_not_allowed",  # non white-listed destination
    1170: "sms_number_format",  # invalid or missing msisdn
    1180: "sms_not_delivered",  # absent subscriber, temporary
    1190: "sms_invalid_destination",  # absent subscriber, permanent
    1200: "sms_not_delivered",  # portability error
    1210: "sms_rejected",  # anti-spam rejection
    1220: "sms_not_delivered",  # handset busy
    1230: "sms_not_delivered",  # network error
    1240: "sms_not_allowed",  # illegal number (the recipient opted out)
    1250: "sms_invalid_destination",  # unroutable
    1260: "sms_invalid_destination",  # destination unreachable
    1270: "sms_rejected",  # subscriber age restriction
    1280: "sms_rejected",  # number blocked by carrier
    1290: "sms_not_delivered",  # recipient's pre-paid account without credit
    1300: "sms_invalid_destination",  # not part of the provider network: no Viber
    1310: "sms_invalid_destination",  # not suitable device
    1330: "sms_not_delivered",  # unknown
    1360: "sms_expired",  # TTL was activated
}


def _b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def decode_jwt(token, secret):
    """The claims of an HS256 JSON Web Token signed with ``secret``, or
    :class:`ReportRejected` when it is malformed, of another algorithm or not signed with it."""
    parts = (token or "").split(".")
    if len(parts) != 3 or not secret:
        raise ReportRejected("the webhook's token is not a signed JWT")
    try:
        header = json.loads(_b64url_decode(parts[0]))
        claims = json.loads(_b64url_decode(parts[1]))
        signature = _b64url_decode(parts[2])
    except (ValueError, TypeError) as error:
        raise ReportRejected("the webhook's token cannot be read") from error
    if not isinstance(header, dict) or header.get("alg") != "HS256":
        raise ReportRejected("the webhook's token is not signed with HS256")
    expected = hmac.new(secret.encode(), f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(expected, signature):
        raise ReportRejected("the webhook's signature does not match")
    if not isinstance(claims, dict):
        raise ReportRejected("the webhook's token has no claims")
    return claims


def error_code(error):
    """The Messages API error code of an ``error`` object: its ``title`` when that is a
    number, else the fragment of its ``type`` URL (``.../messages#1300``)."""
    if not isinstance(error, dict):
        return None
    for candidate in (error.get("title"), str(error.get("type") or "").rpartition("#")[2]):
        text = str(candidate if candidate is not None else "").strip()
        if text.isdigit():
            return int(text)
    return None


def report_state(status, error=None):
    """``(state, failure type, error message)`` of a status webhook's ``status`` and
    ``error``."""
    state = STATES.get(status, "pending")
    if state != "error":
        return state, False, ""
    code = error_code(error)
    failure_type = ERROR_FAILURES.get(code, DEFAULT_FAILURES.get(status, "sms_not_delivered"))
    text = f"Vonage: {status}"
    if isinstance(error, dict):
        detail = error.get("detail") or (error.get("title") if code is None else "")
        label = f"error {code}" if code is not None else ""
        described = ": ".join(part for part in (label, str(detail or "")) if part)
        if described:
            text += f" ({described})"
    return state, failure_type, text


def parse_timestamp(value):
    """A status webhook's ISO 8601 ``timestamp`` as naive UTC, or None."""
    text = str(value or "").strip()
    if not text:
        return None
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return to_naive_utc(moment)


def _problem_text(data, status_code):
    """What an RFC 7807 error answer says, for the user."""
    if not isinstance(data, dict):
        return f"Vonage answered HTTP {status_code}"
    text = f"Vonage: {data.get('title') or f'HTTP {status_code}'}"
    if data.get("detail"):
        text += f": {data['detail']}"
    invalid = data.get("invalid_parameters")
    if isinstance(invalid, list) and invalid:
        names = ", ".join(
            f"{item.get('name')} ({item.get('reason')})"
            for item in invalid
            if isinstance(item, dict)
        )
        text += f" [{names}]"
    return text


def _names_recipient(data):
    """Whether an RFC 7807 answer names the ``to`` of the request (or of its failover)."""
    invalid = data.get("invalid_parameters") if isinstance(data, dict) else None
    if not isinstance(invalid, list):
        return False
    return any(
        isinstance(item, dict) and str(item.get("name") or "").rpartition(".")[2] == "to"
        for item in invalid
    )


@register_gateway("vonage")
class VonageClient(GatewayClient):
    """Vonage Messages API: SMS, and Viber with its SMS failover run by Vonage."""

    batch_size = 50
    supports_webhook = True
    webhook_auth = WEBHOOK_SIGNATURE
    channels = frozenset({SMS, VIBER})
    vendor_cascade = True
    form_fields = {
        "base_url": False,
        "api_key": True,
        "password": True,
        "signature_secret": True,
        "sender": False,
        "viber_sender": False,
        "timeout": False,
        "balance": False,
    }
    form_help = _lt(
        "Vonage: the API key and API secret of your Vonage dashboard, and its signature "
        "secret, with which Vonage signs its status webhooks: a webhook without a valid "
        "signature is refused. The sender is the SMS sender ID or number; the Viber service "
        "ID is the one Vonage gave your Viber business account. In the dashboard's API "
        "settings, set the Messages API's status webhook (version v1) to the delivery report "
        "address."
    )
    config_fields = {
        "base_url": "base_url",
        "api_key": "api_key",
        "api_secret": "password",
        "signature_secret": "signature_secret",
        "sender": "sender",
        "viber_sender": "viber_sender",
    }

    def __init__(self, config=None):
        super().__init__(config)
        auth = (self.config.get("api_key") or "", self.config.get("api_secret") or "")
        self.http = HttpClient(
            self.config.get("base_url") or DEFAULT_BASE_URL,
            self.timeout,
            auth=auth,
            headers={"Accept": "application/json"},
            vendor="Vonage",
        )
        rest = (self.config.get("rest_base_url") or DEFAULT_REST_BASE_URL).rstrip("/")
        self.balance_url = f"{rest}/{BALANCE_PATH}"

    # sending

    def send(self, messages):
        # one request per message: side by side, a batch does not wait for each answer in turn
        with self.http:
            outcomes = side_by_side([partial(self._send_one, message) for message in messages])
        results = [outcome for outcome in outcomes if isinstance(outcome, SendResult)]
        errors = [outcome for outcome in outcomes if isinstance(outcome, GatewayError)]
        if errors:
            raise batch_error(errors, results)
        return results

    def _refused(self, message, failure_type, text):
        return SendResult(
            uuid=message.uuid, state="error", failure_type=failure_type, error_message=text
        )

    def _check(self, message):
        """The answer for a message Vonage would not take, or None when it may go."""
        refusal = self._refusal(message)
        if refusal:
            return refusal
        if not TO_PATTERN.match(number_digits(message.number)):
            return self._refused(
                message, "sms_number_format", f"{message.number} is not an international number."
            )
        if message.channel == VIBER:
            reason = viber.refusal(
                message.body, message.image_url, message.button_text, message.button_url
            )
            if reason:
                return self._refused(
                    message, "sms_rejected", f"Vonage does not take this Viber message ({reason})."
                )
            if not self.config.get("viber_sender"):
                return self._refused(message, "sms_acc", "The gateway has no Viber service ID.")
        texts = [message.body] if message.channel == SMS else []
        if message.channel == VIBER and message.fallback_body:
            texts.append(message.fallback_body)
        if texts and not self._sender(message):
            return self._refused(message, "sms_acc", "The gateway has no SMS sender.")
        if any(len(text or "") > MAX_TEXT for text in texts):
            return self._refused(
                message, "sms_rejected", f"Vonage takes SMS of up to {MAX_TEXT} characters."
            )
        if len(message.reference or "") > MAX_CLIENT_REF:
            return self._refused(message, "unknown", "The message's reference is too long.")
        left = self._seconds_left(message)
        if message.channel == VIBER and left is not None and left < MIN_VIBER_TTL:
            return self._refused(
                message,
                "sms_expired",
                f"Less than {MIN_VIBER_TTL} s of the message's validity is left, less than "
                "Viber's shortest time to live.",
            )
        return None

    def _common(self, message):
        values = {"to": number_digits(message.number), "client_ref": message.reference}
        if self.config.get("webhook_url"):
            values.update(webhook_url=self.config["webhook_url"], webhook_version="v1")
        return values

    def _sms_payload(self, message, text):
        payload = {
            **self._common(message),
            "from": self._sender(message),
            "channel": SMS_CHANNEL,
            "message_type": "text",
            "text": text or "",
        }
        left = self._seconds_left(message)
        if left is not None:
            payload["ttl"] = min(left, MAX_SMS_TTL)
        return payload

    def _viber_ttl(self, message):
        candidates = []
        left = self._seconds_left(message)
        if left is not None:
            candidates.append(left)
        if message.fallback_body and message.fallback_wait:
            candidates.append(int(message.fallback_wait))
        if not candidates:
            return None
        return max(MIN_VIBER_TTL, min(min(candidates), MAX_VIBER_TTL))

    def _viber_payload(self, message):
        options = {
            "category": "transaction" if message_kind(message.kind) == SERVICE else "promotion"
        }
        ttl = self._viber_ttl(message)
        if ttl is not None:
            options["ttl"] = ttl
        if message.button_text:
            options["action"] = {"url": message.button_url, "text": message.button_text}
        payload = {
            **self._common(message),
            "from": self.config["viber_sender"],
            "channel": VIBER_CHANNEL,
            "viber_service": options,
        }
        if message.image_url:
            image = {"url": message.image_url}
            if message.body:
                image["caption"] = message.body
            payload.update(message_type="image", image=image)
        else:
            payload.update(message_type="text", text=message.body)
        if message.fallback_body:
            payload["failover"] = [self._sms_payload(message, message.fallback_body)]
        return payload

    def _send_one(self, message):
        refusal = self._check(message)
        if refusal:
            return refusal
        if message.channel == VIBER:
            payload = self._viber_payload(message)
        else:
            payload = self._sms_payload(message, message.body)
        response = self.http.request("POST", MESSAGES_PATH, json=payload)
        data = self.http.json(response)
        if response.status_code >= 400:
            return self._refused_by_vonage(message, data, response.status_code)
        if not isinstance(data, dict) or not data.get("message_uuid"):
            raise GatewayError(
                f"Vonage accepted the message without an id: {snippet(response.text)}",
                maybe_sent=True,
            )
        return SendResult(
            uuid=message.uuid,
            state="pending",
            gateway_reference=str(data["message_uuid"]),
            cascade_reference=str(data.get("workflow_id") or "") or False,
            segments=analyze(message.body or "").segments if message.channel == SMS else 1,
        )

    def _refused_by_vonage(self, message, data, status_code):
        """The result of a message Vonage refused with ``status_code``, or the
        :class:`GatewayError` that stops the batch."""
        text = _problem_text(data, status_code)
        kind = str(data.get("type") or "") if isinstance(data, dict) else ""
        if status_code == 402 or "low-balance" in kind:
            raise GatewayError(text, "sms_credit")
        if status_code in (400, 422):
            failure_type = "sms_number_format" if _names_recipient(data) else "unknown"
            return self._refused(message, failure_type, text)
        if status_code == 404:
            raise GatewayError(text, "sms_acc")
        raise GatewayError(text)

    # account

    def fetch_balance(self):
        response = self.http.request("GET", self.balance_url)
        data = self.http.json(response)
        if response.status_code >= 400 or not isinstance(data, dict):
            raise GatewayError(_problem_text(data, response.status_code), "sms_acc")
        amount = parse_float(data.get("value"))
        if amount is None:
            raise GatewayError(f"Vonage sent an unexpected balance answer: {data!r}")
        return amount, BALANCE_CURRENCY

    def test_connection(self):
        amount, currency = self.fetch_balance()
        return f"Connected to Vonage. Balance: {amount:.2f} {currency}."

    # delivery reports

    def verify_signature(self, method, url, headers, params, body):
        if method != "POST":
            raise ReportRejected("Vonage status webhooks are POST requests")
        if self.config.get("webhook_secret"):
            check_url_secret(url, self.config["webhook_secret"])
        scheme, _sep, token = (headers.get("authorization") or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ReportRejected("the webhook is not signed")
        claims = decode_jwt(token.strip(), self.config.get("signature_secret") or "")
        expected = hashlib.sha256(body or b"").hexdigest()
        if not hmac.compare_digest(str(claims.get("payload_hash") or "").lower(), expected):
            raise ReportRejected("the webhook's body is not the one Vonage signed")
        api_key = self.config.get("api_key")
        if claims.get("api_key") and api_key and str(claims["api_key"]) != api_key:
            raise ReportRejected("the webhook belongs to another Vonage account")
        expires = claims.get("exp")
        if isinstance(expires, (int, float)) and not isinstance(expires, bool):
            now = self._now().replace(tzinfo=timezone.utc).timestamp()
            if expires < now:
                raise ReportRejected("the webhook's token has expired")

    def parse_report(self, method, url, headers, params, body=b""):
        authenticate_webhook(self, method, url, headers, params, body)
        try:
            data = json.loads((body or b"").decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise ReportRejected("the webhook's body is not JSON") from error
        if not isinstance(data, dict):
            raise ReportRejected("the webhook is not a message status")
        uuid = bounded(data.get("message_uuid"), MAX_REPORT_ID, "message_uuid")
        status = bounded(data.get("status"), 32, "status")
        channel = CHANNEL_OF.get(bounded(data.get("channel"), 32, "channel"))
        bounded(data.get("to"), MAX_REPORT_PHONE, "to")
        bounded(data.get("from"), MAX_REPORT_ID, "from")
        client_ref = bounded(data.get("client_ref"), MAX_CLIENT_REF, "client_ref")
        if not uuid or not status:
            raise ReportRejected("the webhook is not a message status")
        if channel is None:
            raise ReportRejected("the webhook is about a channel this gateway does not send on")
        workflow = data.get("workflow") if isinstance(data.get("workflow"), dict) else {}
        workflow_id = bounded(
            workflow.get("workflow_id") or workflow.get("id"), MAX_WORKFLOW_ID, "workflow id"
        )
        state, failure_type, text = report_state(status, data.get("error"))
        # Vonage sends the failover's next message when one is rejected, never when it is
        # undeliverable; the workflow says whether a message follows (both spellings of the
        # SDKs, see the module docstring)
        item = parse_float(workflow.get("item_number") or workflow.get("items_number"))
        total = parse_float(workflow.get("items_total"))
        # without the workflow (its spelling is unconfirmed), a rejected Viber message is
        # taken as followed: the engine asks only of a message sent with its failover
        falls_back = (
            status == "rejected" and channel == VIBER and not (item and total and item >= total)
        )
        usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
        sms = data.get("sms") if isinstance(data.get("sms"), dict) else {}
        segments = parse_float(sms.get("count_total"))
        return [
            DeliveryReport(
                gateway_reference=uuid,
                state=state,
                failure_type=failure_type,
                error_message=text,
                done_at=parse_timestamp(data.get("timestamp")),
                # the SMS of a failover names the Viber message it follows by the workflow
                reference=None if workflow_id and channel == SMS else client_ref or None,
                cost=parse_float(usage.get("price")),
                segments=int(segments) if segments else None,
                channel=channel,
                cascade_reference=workflow_id or None,
                vendor_falls_back=falls_back,
            )
        ]
