"""SMS Gateway for Android (github.com/capcom6/android-sms-gateway), local server mode.

The app turns the business's own Android phone into a gateway: Odoo calls the phone's
embedded HTTP server on the shop's network, the phone sends from its SIM card and calls Odoo
back with the delivery reports and the SMS it receives.

Config keys: ``base_url`` (``http://<phone-ip>:8080``, shown in the app), ``username`` and
``password`` (the app's local server credentials, HTTP basic auth), ``signing_key`` (the
app's webhook signing key, optional), ``sim_number`` (1-based SIM slot, optional),
``webhook_url`` and ``webhook_secret`` (the gateway's report address and its secret),
``timeout``.

How messages travel (from the app's OpenAPI document ``app/src/main/assets/api/swagger.json``
and its local server routes, ``modules/localserver/WebService.kt`` and
``routes/MessagesRoutes.kt``, read at commit 0cdc5d86 of the app's repository):

* ``POST /message`` (also answered on ``/messages``) with JSON ``{"id", "message",
  "phoneNumbers": [...], "withDeliveryReport", "ttl", "simNumber"}`` answers HTTP 202 with
  the message's state ``{"id", "state", "recipients": [{"phoneNumber", "state", "error"}],
  "states": {state: date}}``.  One request per message: every message gets its own id.
* The id is ours: the message's uuid.  The app refuses a second message with an id it holds
  already (HTTP 409 Conflict), so a resend after a crash cannot send twice, and
  :meth:`AndroidClient.find_sent` asks ``GET /message/{id}`` (HTTP 404 when the phone never
  got it).
* ``message`` is the plain-text field every version of the app reads; newer versions also
  take ``textMessage: {"text"}`` and mark ``message`` deprecated, but still accept it.
* ``ttl`` (seconds) rather than ``validUntil``: the app parses dates with a fixed
  millisecond ISO pattern, a lifetime in seconds cannot be misread.
* States: ``Pending``, ``Processed`` (handed to Android), ``Sent`` (left the phone),
  ``Delivered`` (the operator's delivery report), ``Failed``, ``Cancelling``, ``Cancelled``.
* Health: ``GET /health`` without credentials, ``{"status": "pass"|"warn"|"fail", "checks"}``,
  HTTP 500 when it fails.  Credentials are checked with ``GET /device``.
* Webhooks: ``POST /webhooks`` with ``{"id", "url", "event"}`` (an id already registered is
  replaced), events ``sms:received``, ``sms:sent``, ``sms:delivered``, ``sms:failed``.  The
  app only calls ``https://`` addresses (or ``http://127.0.0.1``; any ``http://`` in its
  "insecure" build).  Each call is a JSON POST ``{"id", "webhookId", "event", "deviceId",
  "payload"}``; message payloads carry ``messageId`` (our id), ``phoneNumber`` (recipient or
  sender), ``simNumber`` and ``sentAt``/``partsCount``, ``deliveredAt``, ``failedAt``/
  ``reason``, or ``message``/``receivedAt`` for received SMS.
* Signing (``modules/webhooks/plugins/PayloadSingingPlugin.kt``): when a signing key is set
  in the app, ``X-Signature`` is the hex HMAC-SHA256 of the raw body followed by the Unix
  time in ``X-Timestamp``.
"""

import calendar
import dataclasses
import hashlib
import hmac
import json
from datetime import datetime, timezone

import requests

# the core's registry and GatewayError: the very ones its sending engine uses
from ...sms_notify.tools import gateway as core
from ...sms_notify.tools.gsm import analyze
from ...sms_notify.tools.http_client import HttpClient, snippet
from ...sms_notify.tools.inbound import InboundSms

DEFAULT_PORT = 8080
#: the events Odoo registers with the phone
WEBHOOK_EVENTS = ("sms:sent", "sms:delivered", "sms:failed", "sms:received")
#: seconds a signed webhook may be older (or newer) than our clock: the app signs every
#: attempt afresh, so only a replayed call is older
SIGNATURE_TOLERANCE = 300

#: phone states (``GatewayError.device_state`` and :meth:`AndroidClient.device_state`)
DEVICE_AVAILABLE = "available"
DEVICE_REBINDING = "rebinding"
DEVICE_UNREACHABLE = "unreachable"

#: app state -> sms.sms state; a message the phone holds counts as handed over
STATES = {
    "Pending": "pending",
    "Processed": "pending",
    "Sent": "pending",
    "Delivered": "sent",
    "Failed": "error",
    "Cancelling": "pending",
    "Cancelled": "canceled",
}
#: webhook event -> app state it reports
EVENT_STATES = {"sms:sent": "Sent", "sms:delivered": "Delivered", "sms:failed": "Failed"}


def failure_type_of(reason):
    """The sms.sms failure type for the app's failure reason (Android's send result)."""
    text = (reason or "").lower()
    if "expired" in text or "ttl" in text:
        return "sms_expired"
    if "phone" in text and ("invalid" in text or "format" in text):
        return "sms_number_format"
    return "sms_not_delivered"


def to_state(app_state, reason=""):
    """``(sms.sms state, failure type)`` for an app state."""
    state = STATES.get(app_state or "", "pending")
    return state, (failure_type_of(reason) if state == "error" else False)


def parse_date(value):
    """A date of the app (ISO 8601 with an offset) as naive UTC, or ``None``."""
    if not value or not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        return when
    return when.astimezone(timezone.utc).replace(tzinfo=None)


def message_payload(message, ttl=None, sim_number=None, delivery_report=True):
    """The JSON body of ``POST /message`` for ``message`` (an :class:`OutgoingSms`)."""
    payload = {
        "id": message.gateway_reference or message.reference,
        "message": message.body or "",
        "phoneNumbers": [message.number],
        "withDeliveryReport": bool(delivery_report),
    }
    if ttl is not None:
        payload["ttl"] = max(int(ttl), 1)
    if sim_number:
        payload["simNumber"] = int(sim_number)
    return payload


def state_report(data):
    """A :class:`DeliveryReport` for the app's message state (``GET /message/{id}``)."""
    recipients = [item for item in data.get("recipients") or [] if isinstance(item, dict)]
    recipient = recipients[0] if recipients else {}
    app_state = recipient.get("state") or data.get("state")
    reason = recipient.get("error") or ""
    state, failure_type = to_state(app_state, reason)
    states = data.get("states") if isinstance(data.get("states"), dict) else {}
    return core.DeliveryReport(
        gateway_reference=str(data.get("id")),
        state=state,
        failure_type=failure_type,
        error_message=(f"The phone reports {app_state}: {reason}".strip(": ") if reason else ""),
        done_at=parse_date(states.get(app_state)) if state in ("sent", "error") else None,
        reference=str(data.get("id")),
    )


def signature(signing_key, body, timestamp):
    """``X-Signature`` of a webhook call: hex HMAC-SHA256 of the body then the timestamp."""
    if isinstance(body, str):
        body = body.encode()
    message = body + str(timestamp).encode()
    return hmac.new(signing_key.encode(), message, hashlib.sha256).hexdigest()


class AndroidHttp(HttpClient):
    """Calls to the phone; failures also say in what state the phone is
    (``GatewayError.device_state``)."""

    def request(self, method, path, check_status=True, **kwargs):
        self._check_status = check_status
        try:
            return super().request(method, path, **kwargs)
        except core.GatewayError as error:
            if not getattr(error, "device_state", None) and isinstance(
                error.__cause__, requests.exceptions.RequestException
            ):
                # no answer at all: the phone is off, asleep or on another network
                error.device_state = DEVICE_UNREACHABLE
            raise

    def _raise_for_status(self, response, auth_errors_are_fatal):
        if not getattr(self, "_check_status", True):
            return
        if response.status_code == 503:
            # the app's server answers, the phone is not ready to send (it is binding its
            # SMS service again after a restart or an update); it refuses before taking the
            # message, so nothing was sent
            error = core.GatewayError(
                f"Not ready to send: {self.vendor} answers HTTP 503: {snippet(response.text)}",
                transient=True,
            )
            error.device_state = DEVICE_REBINDING
            raise error
        super()._raise_for_status(response, auth_errors_are_fatal)


@core.register_gateway("android")
class AndroidClient(core.GatewayClient):
    """The business's Android phone running SMS Gateway for Android (local server)."""

    batch_size = 50
    supports_webhook = True
    supports_status_query = True
    supports_idempotency_key = True
    is_device = True
    webhook_auth = core.WEBHOOK_SIGNATURE
    #: the phone calls Odoo from the shop's network, and only https:// addresses (the app's
    #: webhook code; see the module docstring)
    webhook_caller = core.CALLER_LOCAL_NETWORK
    webhook_needs_https = True
    form_placeholders = {"base_url": core._lt("e.g. http://192.168.1.20:8080 (shown in the app)")}
    form_fields = {
        "base_url": True,
        "login": False,
        "password": False,
        "android_signing_key": False,
        "android_sim_number": False,
        "timeout": False,
    }
    config_fields = {
        "base_url": "base_url",
        "username": "login",
        "password": "password",
        "signing_key": "android_signing_key",
        "sim_number": "android_sim_number",
    }
    form_help = core._lt(
        "Android phone: install SMS Gateway for Android on the shop's phone, start its local "
        "server and enter the address, user and password it shows. Register Webhooks gives the "
        "phone Odoo's address for delivery reports and received SMS; set a signing key in the "
        "app and here to have every call signed."
    )

    def __init__(self, config=None):
        super().__init__(config)
        auth = None
        if self.config.get("username") or self.config.get("password"):
            auth = (self.config.get("username") or "", self.config.get("password") or "")
        self.http = AndroidHttp(
            self.config.get("base_url") or "",
            self.timeout,
            auth=auth,
            vendor="the Android phone",
        )

    # sending

    def plan(self, messages):
        # the app lets us choose the message id: the uuid, known before anything is sent
        return [
            message
            if message.gateway_reference
            else dataclasses.replace(message, gateway_reference=message.reference)
            for message in messages
        ]

    def send(self, messages):
        results = []
        with self.http:
            for message in messages:
                refusal = self._refusal(message)
                if refusal:
                    results.append(refusal)
                    continue
                try:
                    results.append(self._send_one(message))
                except core.GatewayError as error:
                    error.results = results + error.results
                    raise
        return results

    def _send_one(self, message):
        message_id = message.gateway_reference or message.reference
        payload = message_payload(
            message,
            ttl=self._seconds_left(message),
            sim_number=self.config.get("sim_number"),
            delivery_report=self.config.get("delivery_report", True),
        )
        response = self.http.request("POST", "message", json=payload)
        segments = analyze(message.body or "").segments
        if response.status_code == 409:
            # the phone holds a message with this id: an earlier attempt went through
            return core.SendResult(
                uuid=message.uuid,
                state="pending",
                gateway_reference=message_id,
                segments=segments,
                duplicate=True,
                error_message="The phone already holds this message.",
            )
        if response.status_code == 400:
            reason = self._error_text(response)
            failure_type = failure_type_of(reason)
            return core.SendResult(
                uuid=message.uuid,
                state="error",
                failure_type="unknown" if failure_type == "sms_not_delivered" else failure_type,
                error_message=f"The phone refused the message: {reason}",
            )
        if response.status_code not in (200, 201, 202):
            raise core.GatewayError(
                f"The phone answered HTTP {response.status_code}: {snippet(response.text)}",
                maybe_sent=True,
            )
        data = self.http.json(response)
        if not isinstance(data, dict):
            raise core.GatewayError(
                f"The phone sent an unexpected answer: {snippet(response.text)}", maybe_sent=True
            )
        report = state_report({**data, "id": data.get("id") or message_id})
        return core.SendResult(
            uuid=message.uuid,
            state=report.state,
            failure_type=report.failure_type,
            gateway_reference=report.gateway_reference,
            segments=segments,
            error_message=report.error_message,
        )

    def _error_text(self, response):
        try:
            data = response.json()
        except ValueError:
            return snippet(response.text)
        if isinstance(data, dict) and data.get("message"):
            return str(data["message"])
        return snippet(response.text)

    # status

    def _message_state(self, message_id):
        """The phone's report on ``message_id``, or ``None`` when it does not hold it."""
        response = self.http.request("GET", f"message/{message_id}")
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise core.GatewayError(
                f"The phone answered HTTP {response.status_code}: {snippet(response.text)}",
                transient=True,
            )
        data = self.http.json(response)
        if not isinstance(data, dict):
            raise core.GatewayError(f"The phone sent an unexpected answer: {data!r}")
        return state_report({**data, "id": data.get("id") or message_id})

    def fetch_status(self, gateway_references):
        reports = []
        with self.http:
            for gateway_reference in gateway_references:
                if gateway_reference:
                    report = self._message_state(gateway_reference)
                    if report:
                        reports.append(report)
        return reports

    def find_sent(self, messages):
        reports = []
        with self.http:
            for message in messages:
                message_id = message.gateway_reference or message.reference
                report = self._message_state(message_id)
                if report:
                    reports.append(
                        core.DeliveryReport(
                            gateway_reference=report.gateway_reference,
                            state=report.state,
                            failure_type=report.failure_type,
                            error_message=report.error_message,
                            done_at=report.done_at,
                            reference=message.uuid,
                        )
                    )
        return reports

    # the phone

    def health(self):
        """The app's health check: ``(device state, status text)``."""
        # the health check needs no credentials and answers HTTP 500 with its checks when
        # they fail: the body is read whatever the status
        response = self.http.request("GET", "health", auth=None, check_status=False)
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict) or "status" not in data:
            if response.status_code >= 400:
                return DEVICE_REBINDING, f"HTTP {response.status_code}"
            raise core.GatewayError(
                f"The address does not answer like SMS Gateway for Android: "
                f"{snippet(response.text)}"
            )
        status = str(data.get("status") or "").lower()
        failing = [
            name
            for name, check in (data.get("checks") or {}).items()
            if isinstance(check, dict) and str(check.get("status")).lower() == "fail"
        ]
        if status == "fail" or response.status_code >= 500:
            return DEVICE_REBINDING, ", ".join(failing) or status
        return DEVICE_AVAILABLE, status

    def device_state(self):
        """Whether the phone can send now: available, rebinding or unreachable."""
        try:
            state, _text = self.health()
        except core.GatewayError as error:
            return getattr(error, "device_state", None) or DEVICE_UNREACHABLE
        return state

    def test_connection(self):
        state, text = self.health()
        if state != DEVICE_AVAILABLE:
            error = core.GatewayError(
                f"The phone answers but cannot send now (health: {text}).", transient=True
            )
            error.device_state = state
            raise error
        response = self.http.request("GET", "device")
        if response.status_code != 200:
            raise core.GatewayError(f"The phone answered HTTP {response.status_code}.")
        devices = self.http.json(response)
        name = ""
        if isinstance(devices, list) and devices and isinstance(devices[0], dict):
            name = devices[0].get("name") or ""
        return f"Connected to the phone {name}".strip() + f" (health: {text})."

    def register_webhooks(self, url, events=WEBHOOK_EVENTS, prefix="odoo"):
        """Ask the phone to call ``url`` for ``events``; each webhook has a fixed id, so
        registering again replaces the earlier one instead of adding a second."""
        registered = []
        with self.http:
            for event in events:
                webhook_id = f"{prefix}-{event.replace(':', '-')}"
                response = self.http.request(
                    "POST", "webhooks", json={"id": webhook_id, "url": url, "event": event}
                )
                if response.status_code not in (200, 201):
                    raise core.GatewayError(
                        f"The phone refused the webhook for {event}: {self._error_text(response)}"
                    )
                registered.append(webhook_id)
        return registered

    # webhooks

    def verify_signature(self, method, url, headers, params, body):
        """The phone calls the gateway's secret address; with a signing key set in the app, it
        also signs every call (``X-Signature``, ``X-Timestamp``), and unsigned calls are
        refused."""
        core.check_url_secret(url, self.config.get("webhook_secret"))
        signing_key = self.config.get("signing_key")
        if not signing_key:
            return
        timestamp = headers.get("x-timestamp") or ""
        given = headers.get("x-signature") or ""
        if not timestamp.isdigit() or not given:
            raise core.ReportRejected("the call is not signed")
        now = calendar.timegm(self._now().timetuple())
        if abs(now - int(timestamp)) > SIGNATURE_TOLERANCE:
            raise core.ReportRejected("the call's signature is too old")
        expected = signature(signing_key, body or b"", timestamp)
        if not hmac.compare_digest(expected, given.strip().lower()):
            raise core.ReportRejected("the call's signature does not match")

    def _event(self, method, url, headers, body):
        """``(event, payload)`` of an authenticated webhook call."""
        core.authenticate_webhook(self, method, url, headers, {}, body)
        if method != "POST":
            raise core.ReportRejected("the phone posts its webhooks")
        try:
            data = json.loads((body or b"").decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise core.ReportRejected("the call is not a webhook of the phone") from error
        if not isinstance(data, dict) or not isinstance(data.get("payload"), dict):
            raise core.ReportRejected("the call is not a webhook of the phone")
        return str(data.get("event") or ""), data["payload"]

    def parse_report(self, method, url, headers, params, body=b""):
        event, payload = self._event(method, url, headers, body)
        if event not in EVENT_STATES:
            return []  # received SMS (see parse_inbound), pings, MMS: no delivery report
        message_id = core.bounded(payload.get("messageId"), core.MAX_REPORT_ID, "message id")
        if not message_id:
            raise core.ReportRejected("the webhook names no message")
        reason = str(payload.get("reason") or "")
        state, failure_type = to_state(EVENT_STATES[event], reason)
        done_at = parse_date(payload.get("deliveredAt") or payload.get("failedAt"))
        return [
            core.DeliveryReport(
                gateway_reference=str(message_id),
                state=state,
                failure_type=failure_type,
                error_message=f"The phone could not send it: {reason}" if state == "error" else "",
                done_at=done_at if state in ("sent", "error") else None,
                reference=str(message_id),
                segments=payload.get("partsCount") if event == "sms:sent" else None,
            )
        ]

    def parse_inbound(self, method, url, headers, params, body=b""):
        """The SMS a ``sms:received`` webhook call carries, as :class:`InboundSms`; nothing
        for other events.  Raises :class:`ReportRejected` like :meth:`parse_report`."""
        event, payload = self._event(method, url, headers, body)
        if event != "sms:received":
            return []
        number = core.bounded(
            payload.get("sender") or payload.get("phoneNumber"), core.MAX_REPORT_PHONE, "sender"
        )
        if not number:
            raise core.ReportRejected("the received SMS has no sender")
        return [
            InboundSms(
                number=str(number),
                body=str(payload.get("message") or ""),
                received_at=parse_date(payload.get("receivedAt")),
                gateway_reference=str(payload.get("messageId") or "") or None,
            )
        ]
