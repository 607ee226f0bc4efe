"""The gateway seam: one result shape per message and an explicit registry of gateway types.

``sms.sms._send`` hands a batch of :class:`OutgoingSms` to the client class registered for the
gateway's type and stores the :class:`SendResult` it gets back for every message.  Addons add a
gateway type by subclassing :class:`GatewayClient` and decorating it with
``@register_gateway("code")``; they never override ``_send``.

Besides sending, a client may answer status queries (:meth:`GatewayClient.fetch_status`), read
the account balance, check its credentials, turn a vendor's delivery-report webhook into
:class:`DeliveryReport` objects (:meth:`GatewayClient.parse_report`, which also authenticates the
call) and find out whether messages whose fate is unknown after a crash reached the vendor
(:meth:`GatewayClient.find_sent`).

Failures of a whole call raise :class:`GatewayError`.  Its flags tell the sending engine what to
do next:

* ``transient``: worth trying again later (timeouts, connection errors, HTTP 5xx, rate limits),
  after ``retry_after`` seconds when the vendor said so.  Not transient: bad credentials or
  configuration, which a retry cannot fix.
* ``maybe_sent``: the request may have reached the vendor although no usable answer came back
  (read timeout, HTTP 5xx, unreadable answer).  The messages concerned must be reconciled
  (:meth:`GatewayClient.find_sent`, a status query, or resending under the same idempotency
  key where the vendor refuses duplicates) before they are sent again, never blindly resent.
* ``results``: clients that hand a batch over in several requests make them side by side
  (:func:`side_by_side`) and stop after the requests in flight when one fails; ``results``
  then holds the answers for the messages already handed over. Messages without a result
  were not sent, except those of the failed requests when ``maybe_sent`` is set
  (:func:`batch_error`).
"""

import hmac
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import parse_qsl, unquote, urlsplit

#: the channels a message goes out on (see ``tools.cascade``)
SMS = "sms"
VIBER = "viber"
CHANNELS = (SMS, VIBER)

#: ``sms.sms`` states a client may return (Odoo's own selection keys).
SMS_STATES = frozenset({"outgoing", "process", "pending", "sent", "error", "canceled"})

#: Failure types the HTTP gateway clients use; all are ``sms.sms`` failure types.
FAILURE_TYPES = frozenset(
    {
        "unknown",
        "sms_not_delivered",
        "sms_expired",
        "sms_invalid_destination",
        "sms_rejected",
        "sms_not_allowed",
        "sms_number_format",
        "sms_number_missing",
        "sms_credit",
        "sms_server",
        "sms_acc",
    }
)


def utc_now():
    """The current time as a naive UTC datetime, the way Odoo stores datetimes."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def to_naive_utc(value):
    """``value`` as a naive UTC datetime: aware datetimes are converted, naive ones are taken as
    UTC already (Odoo's convention)."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def seconds_left(valid_until, now=None):
    """Whole seconds until ``valid_until`` (never rounded up, so a lifetime derived from it
    never outlasts it), or ``None`` when the message has no end of validity."""
    if valid_until is None:
        return None
    now = to_naive_utc(now) if now is not None else utc_now()
    return int((to_naive_utc(valid_until) - now).total_seconds())


@dataclass(frozen=True)
class OutgoingSms:
    """What a gateway needs to know about one message.

    ``channel`` is ``SMS`` or ``VIBER``; a Viber message may carry an ``image_url`` and a
    button (``button_text`` opening ``button_url``), and ``kind`` (``service`` or
    ``advertising``) tells vendors that price or filter Viber by category which one it is.
    ``fallback_body`` is set on a Viber message only for types that cascade themselves
    (``GatewayClient.vendor_cascade``): the SMS the vendor sends in the same request when Viber
    does not deliver within ``fallback_wait`` seconds or cannot reach the number.

    ``sender`` overrides the gateway's default sender name.  ``valid_until`` (naive UTC or aware)
    is the moment after which the message must not be delivered any more; clients pass it to
    the vendor as the message lifetime and do not send a message whose validity is over.
    ``reference`` is the idempotency key the client gives the vendor where it has one; it
    defaults to ``uuid``.  ``gateway_reference`` is the identifier :meth:`GatewayClient.plan` chose
    for the message before it was sent, for vendors that let the client choose it.
    """

    uuid: str
    number: str
    body: str
    sender: str | None = None
    valid_until: datetime | None = None
    reference: str | None = None
    gateway_reference: str | None = None
    channel: str = SMS
    kind: str | None = None
    image_url: str | None = None
    button_text: str | None = None
    button_url: str | None = None
    fallback_body: str | None = None
    fallback_wait: int | None = None

    def __post_init__(self):
        if not self.reference:
            object.__setattr__(self, "reference", self.uuid)
        if self.channel not in CHANNELS:
            raise ValueError(f"{self.channel!r} is not a channel")


@dataclass(frozen=True)
class SendResult:
    """What a gateway answers about one message.

    ``state`` is an ``sms.sms`` state: ``pending`` when the gateway accepted the message and waits
    for the operator, ``sent`` when it is known to be delivered, ``error`` with a ``failure_type``
    among ``sms.sms``/``mail.notification`` failure types, ``process`` while still in progress.

    ``cascade_reference`` is the vendor's identifier of a cascade it runs itself (a Viber
    message with its SMS fallback in one request), which its reports on each channel name.

    ``duplicate`` means the vendor refused the message because it already holds one with the
    same idempotency key: an earlier attempt went through, so the message counts as handed over
    (``state`` is then ``pending``) and must not be charged or sent again; its delivery report
    arrives under the earlier attempt's identifiers (the :class:`DeliveryReport` ``reference``
    links it back).
    """

    uuid: str
    state: str
    failure_type: str | bool = False
    gateway_reference: str | bool = False
    segments: int = 0
    cost: float = 0.0
    error_message: str = ""
    duplicate: bool = False
    cascade_reference: str | bool = False

    def __post_init__(self):
        if self.state not in SMS_STATES:
            raise ValueError(f"{self.state!r} is not an sms.sms state")
        if self.state == "error" and not self.failure_type:
            raise ValueError("an error result needs a failure type")


@dataclass(frozen=True)
class DeliveryReport:
    """What the vendor says about a message it accepted earlier (status query or webhook).

    ``gateway_reference`` is the id the vendor gave the message (the :class:`SendResult`
    ``gateway_reference``); ``reference`` is our own key when the vendor reports it back, which
    links reports to messages whose external id was never stored.  ``done_at`` (naive UTC) is
    when the vendor reached the state, if it says so.  ``cost`` and ``segments`` are ``None``
    when the report does not carry them.

    A vendor that cascades itself (``GatewayClient.vendor_cascade``) reports each channel of
    the cascade: ``channel`` names the one the report is about, and ``cascade_reference`` the
    cascade (the :class:`SendResult` ``cascade_reference``), which links the report on the SMS
    the vendor sent on its own to the Viber message it followed. ``vendor_falls_back`` says
    that after this failure the vendor sends the cascade's next message itself (Vonage does on
    a rejected message, not on an undeliverable one): without it the suite sends the SMS.
    """

    gateway_reference: str
    state: str
    failure_type: str | bool = False
    error_message: str = ""
    done_at: datetime | None = None
    reference: str | None = None
    cost: float | None = None
    segments: int | None = None
    channel: str | None = None
    cascade_reference: str | None = None
    vendor_falls_back: bool = False

    def __post_init__(self):
        if self.state not in SMS_STATES:
            raise ValueError(f"{self.state!r} is not an sms.sms state")
        if self.state == "error" and not self.failure_type:
            raise ValueError("an error report needs a failure type")

    @property
    def is_final(self):
        """Whether the message can change state no more."""
        return self.state in ("sent", "error", "canceled")


class GatewayError(Exception):
    """The gateway could not be reached or refused the whole batch (see the module docstring
    for ``transient``, ``retry_after``, ``maybe_sent`` and ``results``)."""

    def __init__(
        self,
        message,
        failure_type="sms_server",
        *,
        transient=False,
        retry_after=None,
        maybe_sent=False,
        results=(),
    ):
        super().__init__(message)
        self.failure_type = failure_type
        self.transient = transient
        self.retry_after = retry_after
        self.maybe_sent = maybe_sent
        self.results = list(results)


#: requests a client has in flight at once for one batch: a vendor answering each request in
#: 150 ms would otherwise hold a batch of 500 SMS (five SMSC requests, 500 Twilio ones) for
#: 0.75 to 75 s; few enough for every vendor's limit on concurrent connections (SMSC refuses
#: 15 and more, error 9)
PARALLEL_REQUESTS = 4

#: what :func:`side_by_side` answers for a call it did not make
NOT_SENT = object()


def side_by_side(calls, go_on=lambda answer: True, parallel=PARALLEL_REQUESTS):
    """Make the vendor ``calls`` (functions of no argument, one request each) and return what
    each answered, in order: its value, the :class:`GatewayError` it raised, or
    :data:`NOT_SENT`.

    The first call goes alone, the others ``parallel`` at a time. A refused account, an
    address that does not answer or an answer for which ``go_on`` is false (the account is
    out of credit) stops the batch: after the first call, or after the calls that were in
    flight beside the one that met it, as sending one request after the other would stop."""
    calls = list(calls)
    answers = []

    def call(function):
        try:
            return function()
        except GatewayError as error:
            return error

    def stops(answer):
        return isinstance(answer, GatewayError) or not go_on(answer)

    with ThreadPoolExecutor(max_workers=parallel) as pool:
        position = 0
        while position < len(calls):
            size = 1 if not position else parallel
            wave = calls[position : position + size]
            wave_answers = [call(wave[0])] if size == 1 else list(pool.map(call, wave))
            answers.extend(wave_answers)
            position += len(wave)
            if any(stops(answer) for answer in wave_answers):
                break
    return answers + [NOT_SENT] * (len(calls) - len(answers))


def batch_error(errors, results):
    """One :class:`GatewayError` for the requests of a batch that failed (``errors``, in
    order), carrying ``results``, the answers of the requests that went through.

    The messages without an answer are those of the failed requests: they may have reached
    the vendor when any of those requests may have (``maybe_sent``), and are worth trying
    again only when every failure is (``transient``)."""
    first = errors[0]
    error = GatewayError(
        str(first),
        first.failure_type,
        transient=all(error.transient for error in errors),
        retry_after=max((error.retry_after or 0 for error in errors), default=0) or None,
        maybe_sent=any(error.maybe_sent for error in errors),
        results=[*results, *(result for error in errors for result in error.results)],
    )
    error.__cause__ = first
    return error


class ReportRejected(Exception):
    """A delivery-report call that must not be trusted: bad signature or secret, or a payload
    that is not a report.  The webhook answers it with an error and changes nothing."""


class BadReport(ReportRejected):
    """A report call whose payload is malformed or oversized (a number, an id or the body
    longer than any vendor sends).  The webhook answers 400 and changes nothing."""


#: the longest phone number a report may carry (E.164 has 15 digits; room for formatting)
MAX_REPORT_PHONE = 32
#: the longest message identifier a report may carry (vendors use at most a few dozen)
MAX_REPORT_ID = 64
#: the longest report body or single field a webhook accepts
MAX_REPORT_BODY = 64 * 1024
MAX_REPORT_FIELD = 1024

_NOT_DIGITS = re.compile(r"[^0-9]")


def number_digits(number):
    """The digits of a phone number: what every spelling of it has in common.

    Vendors answer with the number as they store it (SMSC without the ``+``, others with
    spaces or dashes), so numbers are always compared on their digits."""
    return _NOT_DIGITS.sub("", str(number or ""))


def numbered_reference_key(gateway_reference):
    """The form of an external id ``"<id>:<phone>"`` used to match reports: the phone part
    reduced to its digits; other external ids are returned unchanged.

    Vendors whose identifiers are shared by several recipients (SMSC's request ``id``) name a
    message by id and phone; their reports give the phone in their own spelling."""
    gateway_reference = str(gateway_reference or "")
    prefix, sep, phone = gateway_reference.partition(":")
    if not sep or not prefix.isdigit():
        return gateway_reference
    return f"{prefix}:{number_digits(phone)}"


def bounded(value, limit, what):
    """``value`` as a stripped string, or :class:`BadReport` when it is longer than ``limit``."""
    text = str(value if value is not None else "").strip()
    if len(text) > limit:
        raise BadReport(f"the report's {what} is longer than {limit} characters")
    return text


def check_report_size(params, body=b""):
    """Raise :class:`BadReport` when a report call is larger than any vendor's report."""
    if len(body or b"") > MAX_REPORT_BODY:
        raise BadReport(f"the report is larger than {MAX_REPORT_BODY} bytes")
    for key, value in (params or {}).items():
        if len(str(key)) > MAX_REPORT_FIELD or len(str(value)) > MAX_REPORT_FIELD:
            raise BadReport(f"a field of the report is longer than {MAX_REPORT_FIELD} characters")


def check_url_secret(url, secret):
    """Raise :class:`ReportRejected` unless ``secret`` appears in ``url`` as a whole path
    segment or as the value of a query parameter.

    Vendors without request signing call back the ``webhook_url`` the gateway gave them, which
    already holds the gateway's secret token; a forged call does not know it.
    """
    if not secret:
        raise ReportRejected("the gateway has no webhook secret, so no report can be trusted")
    parts = urlsplit(url or "")
    candidates = [unquote(segment) for segment in parts.path.split("/") if segment]
    candidates += [value for _key, value in parse_qsl(parts.query, keep_blank_values=True)]
    expected = secret.encode()
    # compare against every candidate so the time taken does not tell where a match failed
    matches = [hmac.compare_digest(candidate.encode(), expected) for candidate in candidates]
    if not any(matches):
        raise ReportRejected("the report does not carry the gateway's webhook secret")


#: how a type's webhook calls prove they come from its vendor (``GatewayClient.webhook_auth``)
#: no webhooks: the report address answers 404
WEBHOOK_NONE = "none"
#: the secret token of the gateway's report address, which only the vendor was given
WEBHOOK_SECRET = "secret"
#: the vendor's HMAC signature of the call, like Twilio's ``X-Twilio-Signature``, checked by
#: the type's :meth:`GatewayClient.verify_signature` (which may also ask for the secret token)
WEBHOOK_SIGNATURE = "signature"
#: Odoo IAP's own status callback (``/sms/status``): unsigned, it names messages only by their
#: unguessable uuid, and the route takes reports for messages sent through IAP only
WEBHOOK_IAP = "iap"
WEBHOOK_AUTHS = (WEBHOOK_NONE, WEBHOOK_SECRET, WEBHOOK_SIGNATURE, WEBHOOK_IAP)

#: who calls a type's report address (``GatewayClient.webhook_caller``, judged by
#: ``tools.reachability``): the vendor's servers on the internet, or a device of the business
#: on its own network
CALLER_INTERNET = "internet"
CALLER_LOCAL_NETWORK = "local_network"

_UUID = re.compile(r"^[0-9a-f]{32}$")


def _lt(text):
    """Mark a type's help text for translation: Odoo's exporter collects ``_lt("...")`` calls
    into the addon's template, and the gateway model translates the text in the user's
    language (``tools`` cannot import Odoo)."""
    return text


def authenticate_webhook(client, method, url, headers=None, params=None, body=b""):
    """The one check every webhook route makes before it reads or changes anything: raise
    :class:`ReportRejected` (:class:`BadReport` for an oversized call) unless the call is
    authentic for the way ``client``'s type declares (``webhook_auth``).

    ``url`` is the full URL called, ``headers`` its HTTP headers, ``params`` the form fields of
    a POST or the query parameters of a GET (IAP: the JSON-RPC ``params``), ``body`` the raw
    body.  A type with signatures checks them in its :meth:`GatewayClient.verify_signature`."""
    auth = client.webhook_auth
    if auth not in WEBHOOK_AUTHS:
        raise ReportRejected(f"unknown webhook authentication {auth!r}")
    if auth == WEBHOOK_IAP:
        check_report_size({}, body)
        statuses = (params or {}).get("message_statuses")
        if not isinstance(statuses, list) or not statuses:
            raise ReportRejected("the call is not an IAP status report")
        for status in statuses:
            uuids = status.get("uuids") if isinstance(status, dict) else None
            if not isinstance(uuids, list) or not all(
                isinstance(uuid, str) and _UUID.match(uuid) for uuid in uuids
            ):
                raise ReportRejected("an IAP status report names messages by their uuid only")
        return
    if auth == WEBHOOK_NONE or not client.supports_webhook:
        raise ReportRejected("this gateway type takes no webhook calls")
    check_report_size(params, body)
    if auth == WEBHOOK_SECRET:
        check_url_secret(url, client.config.get("webhook_secret"))
    else:
        client.verify_signature(
            (method or "").upper(),
            url or "",
            {key.lower(): value for key, value in (headers or {}).items()},
            {key: str(value) for key, value in (params or {}).items()},
            body or b"",
        )


class GatewayClient:
    """Base class of every gateway type.

    ``config`` is a plain mapping built by the gateway record (credentials, URLs, callables that
    need the Odoo environment); clients never see the ORM.  Keys every HTTP client understands:
    ``base_url``, ``timeout`` (seconds, overrides the class default), ``sender`` (default sender
    name), ``webhook_url`` (the full URL the vendor should call back, already holding any secret
    token) and ``webhook_secret``.  Each client documents its own credential keys.
    """

    #: the code stored in ``sms.notify.gateway.gateway_type``
    code = None
    #: how many messages one ``send`` call may carry
    batch_size = 500
    #: seconds every HTTP call may take before it counts as failed
    timeout = 10
    #: the vendor pushes delivery reports that :meth:`parse_report` understands
    supports_webhook = False
    #: :meth:`fetch_status` can poll delivery states
    supports_status_query = False
    #: the vendor refuses a second message with the same ``reference``, so resending after a
    #: crash is safe and answers ``duplicate`` results
    supports_idempotency_key = False
    #: the channels this type sends on (``SMS``, ``VIBER``): the queue routes a message only
    #: to a gateway of its channel
    channels = frozenset({SMS})
    #: the Viber layouts (``tools.viber``) the vendor takes
    viber_layouts = frozenset({"text", "image", "text_button", "text_image_button"})
    #: the vendor sends a Viber message's SMS fallback itself, in the same request
    #: (``OutgoingSms.fallback_body``), and reports each channel (``DeliveryReport.channel``)
    vendor_cascade = False

    # What the type declares to the gateway model, its form and its webhook routes: the model
    # asks these instead of testing the type's code.

    #: the gateway record's fields the form shows for this type, each mapped to whether it is
    #: required there (the delivery-report address is added for types with webhooks)
    form_fields = {}
    #: what the gateway form says about this type: an English text marked with :func:`_lt`,
    #: which the model translates
    form_help = ""
    #: the config key each of the gateway record's fields is passed under
    #: (``{config key: field name}``); empty values are left out
    config_fields = {}
    #: values the gateway model builds from the Odoo environment (callables, mostly), by the
    #: names the model offers them under (see ``sms.notify.gateway._client_services``)
    services = ()
    #: a device of the business (a phone, a modem): it has a daily limit and a status
    is_device = False
    #: one process at a time talks to it: a worker takes it for its batch (an advisory lock),
    #: and while another one holds it its messages go to the next gateway or wait
    exclusive = False
    #: Odoo itself plays the operator and reports deliveries (the sandbox's cron)
    simulated_reports = False
    #: how its webhook calls are authenticated (one of ``WEBHOOK_AUTHS``; see
    #: :func:`authenticate_webhook`)
    webhook_auth = WEBHOOK_NONE
    #: who calls the report address: ``CALLER_INTERNET`` (the vendor's servers) or
    #: ``CALLER_LOCAL_NETWORK`` (a device on the business's network)
    webhook_caller = CALLER_INTERNET
    #: the caller refuses plain ``http://`` report addresses
    webhook_needs_https = False
    #: placeholders of the form's fields for this type (English, marked with :func:`_lt`)
    form_placeholders = {}

    @classmethod
    def form_field_names(cls):
        """The fields of the gateway form for this type, with whether each is required."""
        fields = dict(cls.form_fields)
        if cls.supports_webhook and cls.webhook_auth in (WEBHOOK_SECRET, WEBHOOK_SIGNATURE):
            fields.setdefault("webhook_url", False)
        return fields

    @classmethod
    def can_test_connection(cls):
        """Whether :meth:`test_connection` is implemented for this type."""
        return cls.test_connection is not GatewayClient.test_connection

    def __init__(self, config=None):
        self.config = dict(config or {})
        if self.config.get("timeout"):
            self.timeout = float(self.config["timeout"])
        #: ``(amount, currency)`` when the vendor reported the balance while sending
        self.last_balance = None

    def plan(self, messages):
        """Return ``messages`` with ``gateway_reference`` set where this client chooses the vendor's
        identifier itself, before sending.

        The engine commits these identifiers (in the batch's dispatch) before it calls
        :meth:`send`, so that after a crash :meth:`find_sent` can ask the vendor about exactly
        the requests that were made.  :meth:`send` must send each planned message under its
        planned identifier.  Vendors that hand out their own identifiers keep the default: the
        messages unchanged."""
        return list(messages)

    def send(self, messages):
        """Hand ``messages`` (a list of :class:`OutgoingSms`) over; return one
        :class:`SendResult` per message, in any order.  Raise :class:`GatewayError` when nothing
        could be sent."""
        raise NotImplementedError

    def fetch_status(self, gateway_references):
        """Ask the vendor about messages it accepted; return a :class:`DeliveryReport` for each
        external id it knows."""
        raise NotImplementedError

    def find_sent(self, messages):
        """Look up messages whose fate is unknown (the engine crashed, or a call timed out after
        it was sent) by the identifiers this client gave them; return a :class:`DeliveryReport`
        for each one the vendor holds.  A message without a report never reached the vendor and
        may be sent again."""
        raise NotImplementedError

    def fetch_balance(self):
        """``(amount, currency)`` of the vendor account, or ``None`` when the vendor has no
        balance to show."""
        return None

    def test_connection(self):
        """Check credentials and reachability; return a message for the user or raise
        :class:`GatewayError`."""
        raise NotImplementedError

    def parse_report(self, method, url, headers, params, body=b""):
        """Turn a delivery-report call from the vendor into a list of :class:`DeliveryReport`.

        ``url`` is the full URL the vendor called (query string included), ``headers`` its
        HTTP headers, ``params`` the query parameters of a GET or the form fields of a POST (a
        mapping of str to str) and ``body`` the raw body.  Raises :class:`ReportRejected` when
        the call is forged or is not a report."""
        raise NotImplementedError

    def parse_inbound(self, method, url, headers, params, body=b""):
        """The SMS customers sent that a webhook call carries (``tools.inbound.InboundSms``),
        for types that receive SMS by webhook; an empty list for calls that carry none (then
        :meth:`parse_report` reads the call).  Raises :class:`ReportRejected` like it."""
        return []

    def verify_signature(self, method, url, headers, params, body):
        """Raise :class:`ReportRejected` unless the vendor signed this call (types whose
        ``webhook_auth`` is ``WEBHOOK_SIGNATURE``).  ``headers`` come with lower-case names,
        ``params`` as str values; :func:`authenticate_webhook` calls this after the secret."""
        raise ReportRejected("this gateway type has no signature check")

    # helpers for subclasses

    def _now(self):
        clock = self.config.get("clock")
        return to_naive_utc(clock()) if clock else utc_now()

    def _sender(self, message):
        return message.sender or self.config.get("sender") or None

    def _seconds_left(self, message):
        return seconds_left(message.valid_until, self._now())

    def _refusal(self, message):
        """The answer for a message no gateway should be asked to send (no number, or its
        validity already over), or ``None`` when it may go."""
        if not any(ch.isdigit() for ch in message.number or ""):
            return SendResult(
                uuid=message.uuid,
                state="error",
                failure_type="sms_number_missing",
                error_message="The message has no phone number.",
            )
        left = self._seconds_left(message)
        if left is None or left > 0:
            return None
        return SendResult(
            uuid=message.uuid,
            state="error",
            failure_type="sms_expired",
            error_message="The message was not sent: its validity period ended before sending.",
        )


GATEWAY_TYPES = {}


def register_gateway(code):
    """Class decorator adding a :class:`GatewayClient` subclass to the registry under ``code``."""

    def decorator(cls):
        if code in GATEWAY_TYPES and GATEWAY_TYPES[code] is not cls:
            raise ValueError(f"gateway type {code!r} is already registered")
        cls.code = code
        GATEWAY_TYPES[code] = cls
        return cls

    return decorator


def get_client_class(code):
    try:
        return GATEWAY_TYPES[code]
    except KeyError:
        raise KeyError(f"no gateway client registered for type {code!r}") from None
