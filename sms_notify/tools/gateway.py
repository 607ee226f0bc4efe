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
* ``results``: clients that hand messages over one request at a time stop at the first failure
  of the connection; ``results`` then holds the answers for the messages already handed over.
  Messages without a result were not sent, except the one in flight when ``maybe_sent`` is set.
"""

import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import parse_qsl, unquote, urlsplit

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

    def __post_init__(self):
        if not self.reference:
            object.__setattr__(self, "reference", self.uuid)


@dataclass(frozen=True)
class SendResult:
    """What a gateway answers about one message.

    ``state`` is an ``sms.sms`` state: ``pending`` when the gateway accepted the message and waits
    for the operator, ``sent`` when it is known to be delivered, ``error`` with a ``failure_type``
    among ``sms.sms``/``mail.notification`` failure types, ``process`` while still in progress.

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
    """

    gateway_reference: str
    state: str
    failure_type: str | bool = False
    error_message: str = ""
    done_at: datetime | None = None
    reference: str | None = None
    cost: float | None = None
    segments: int | None = None

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
