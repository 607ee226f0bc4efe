r"""SMSC.ru HTTP API (the same API runs on smsc.kz, smsc.ua and the smscentre.com mirror).

Config keys: ``base_url`` (default ``https://smsc.ru``; ``https://smsc.kz`` etc. for the other
sites), ``login`` + ``password`` (the password or the lowercase MD5 of it) or ``api_key``,
``sender``, ``viber_sender`` (the Viber sender name, when it is not the SMS one),
``currency`` (shown with the balance reported while sending, default ``RUB``),
``webhook_url``, ``webhook_secret``, ``timeout``.

How messages travel:

* :meth:`SmscClient.plan` cuts the messages into ``sys/send.php`` requests before anything is
  sent: at most :attr:`SmscClient.batch_size` messages each, never two messages to the same
  phone in one request, and only messages with the same sender and the same lifetime together
  (both are parameters of the whole request).  Each request gets the ``id`` SMSC lets the
  client choose, derived from the ``reference`` of its first message, and every message the
  external id ``"<id>:<phone>"``.  The engine stores these before sending, so after a crash
  :meth:`SmscClient.find_sent` asks ``sys/status.php`` about exactly the requests that may have
  been made.  Planning depends on the messages and the clock only; messages that will be
  refused without a call (no number, validity over or under a minute) get no id.
* :meth:`SmscClient.send` sends each planned request as ONE ``send.php`` call (``fmt=3`` JSON,
  ``cost=3`` so that the answer carries the price and the balance, ``op=1`` for an answer per
  phone, ``charset=utf-8``, ``id``, ``sender``, ``valid``).  Several messages go in ``list``:
  one line ``<phone>:<text>`` per message, lines separated by a newline, a newline inside a
  text written as the two characters ``\n`` (a carriage return before it is dropped).  A single
  message goes as ``phones`` + ``mes``, which needs no escaping.  A text holding a backslash is
  always planned alone, because ``\n`` in ``list`` could not tell it from a line break.
  Messages arriving without a planned id are planned on the spot.
* the answer's ``phones`` entries (``phone``, ``mccmnc``, ``cost``, and ``status`` + ``error``
  for numbers SMSC refused) give each message its price and, for a refused number, a failure
  mapped like a delivery status; the other messages of the request are sent.  An error answer
  for the whole request (``error_code``) fails all its messages; error 3 (no money) also fails
  every later message without calling SMSC again.  ``cnt`` (parts) is known per message only
  when the answer gives it per phone or the request carried a single accepted message.
* SMSC has no idempotency key (its error 9 only refuses an identical request within a minute),
  which is why ids are planned and stored before sending.  Two references could hash to the
  same ``id``; ids planned together never clash, and SMSC keys messages by id and phone, so a
  clash with an older request matters only for the same phone, which is vanishingly unlikely.
* ``valid`` (message lifetime, ``hh:mm`` up to 24:00) comes from ``valid_until``; a request
  carries the shortest lifetime of its messages, so none outlives its validity.

Viber business messages (``OutgoingSms.channel == VIBER``) go through the same ``send.php``,
with ``viber=1`` added to the request (SMSC's own client libraries send Viber that way):

* a Viber message never shares a request with an SMS, nor with a Viber message of another
  sender, lifetime or image: ``viber`` and the image are parameters of the whole request.  Its
  text goes in ``mes`` or a ``list`` line like an SMS text; its image, a web address, in
  ``fileurl`` (SMSC's parameter for a file it downloads and sends with the message).  A
  message with an image and no text goes alone, as ``phones`` + ``mes`` with an empty text.
* SMSC's documentation, as far as it could be read, names no parameter for a Viber button:
  :attr:`SmscClient.viber_layouts` (text; image) says which layouts this type sends.  A Viber
  message in another layout, or one that ``tools.viber.refusal`` refuses (too long a text, a
  button without its link...), fails with ``failure_type`` ``unknown`` and no request is made.
* the sender is the message's, else ``viber_sender``, else ``sender``: SMSC takes the Viber
  sender name in ``sender`` like an SMS one.
* a Viber message counts as one part (``segments`` 1); its price is what SMSC answers for its
  phone.  Its statuses and errors are read with the same ``status.php`` codes as an SMS: a
  number SMSC cannot reach on Viber ends in a failure status (20 and the like), which makes
  the suite send the SMS of a *Viber then SMS* notification.  SMSC does not send that SMS
  itself (``vendor_cascade`` is false): the suite cascades.

Reports and balance: :meth:`SmscClient.fetch_status` polls ``status.php``,
:meth:`SmscClient.fetch_balance` reads ``balance.php`` (``cur=1``).  The status handler SMSC
calls reads ``id``, ``phone``, ``status``, ``err`` and ``ts``/``time`` and trusts only calls
that carry the gateway's secret in the URL.  A per-phone ``status`` in the send answer is read
with the ``status.php`` codes; an unknown one is taken as accepted, and polling corrects it.

Which source confirmed each parameter, answer key and code, and what remains unconfirmed:
``sms_notify/readme/DEVELOP.md``, section "SMSC.ru".
"""

import dataclasses
import hashlib
from datetime import datetime, timezone
from functools import partial

from . import viber
from .gateway import (
    MAX_REPORT_ID,
    MAX_REPORT_PHONE,
    NOT_SENT,
    SMS,
    VIBER,
    WEBHOOK_SECRET,
    BadReport,
    DeliveryReport,
    GatewayClient,
    GatewayError,
    ReportRejected,
    SendResult,
    _lt,
    authenticate_webhook,
    batch_error,
    bounded,
    number_digits,
    register_gateway,
    seconds_left,
    side_by_side,
)
from .http_client import HttpClient


def _out_of_credit(results):
    """SMSC's words when a request's results say the account ran out of credit, else None."""
    return next(
        (result.error_message for result in results if result.failure_type == "sms_credit"), None
    )


DEFAULT_BASE_URL = "https://smsc.ru"
#: SMSC keeps a message for at most 24 hours (``valid`` 00:01-24:00)
MAX_LIFETIME_MINUTES = 24 * 60
#: ``id`` must fit a positive signed 32-bit integer
MAX_ID = 2147483647
#: the minute SMSC waits before it accepts an identical request again (error 9)
DUPLICATE_WINDOW = 60
TOO_SHORT = "The message was not sent: less than a minute of validity was left."

#: the Viber layouts (``tools.viber``) SMSC is known to take: no button parameter of SMSC's
#: could be confirmed, so only a text or an image goes
VIBER_LAYOUTS = frozenset({viber.TEXT, viber.IMAGE})
#: why a Viber message was refused without a call, by ``tools.viber`` refusal code
VIBER_REFUSALS = {
    viber.EMPTY: "The Viber message was not sent: it has no text and no image.",
    viber.TEXT_TOO_LONG: (
        f"The Viber message was not sent: its text is longer than {viber.MAX_TEXT} characters."
    ),
    viber.BUTTON_TOO_LONG: (
        "The Viber message was not sent: its button caption is longer than "
        f"{viber.MAX_BUTTON_TEXT} characters."
    ),
    viber.BUTTON_WITHOUT_LINK: "The Viber message was not sent: its button has no link.",
    viber.LINK_WITHOUT_BUTTON: "The Viber message was not sent: its button link has no caption.",
    viber.NOT_A_LINK: (
        "The Viber message was not sent: its image or button link is not a web address."
    ),
    viber.TEXT_WITH_IMAGE_NEEDS_BUTTON: (
        "The Viber message was not sent: a text with an image needs a button."
    ),
    viber.BUTTON_NEEDS_TEXT: "The Viber message was not sent: a button needs a text.",
}
VIBER_LAYOUT_REFUSED = "The Viber message was not sent: SMSC does not send Viber buttons."

#: send.php error code -> failure type of the messages concerned
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


def split_gateway_reference(gateway_reference):
    sms_id, _sep, phone = (gateway_reference or "").partition(":")
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


def phone_of(message):
    """The number as sent to SMSC and used in external ids."""
    return "".join((message.number or "").split())


#: SMSC gives the phone without the ``+`` (``79123456789``) in its status answers and callbacks
digits = number_digits


def list_text(body):
    r"""``body`` as one line of ``list``: line breaks become the two characters ``\n``."""
    text = (body or "").replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\n", "\\n")


def status_text(status, err=0):
    """What a failure status means, for the message's error text."""
    description = STATUSES.get(status, ("", "", "unknown status"))[2]
    text = f"SMSC status {status}: {description}"
    if err:
        text += f" (error {err})"
    return text


def status_report(gateway_reference, status, err=0, timestamp=None):
    state, failure_type, _description = STATUSES.get(status, ("pending", False, "unknown status"))
    done_at = None
    if timestamp and state in ("sent", "error"):
        try:
            done_at = datetime.fromtimestamp(int(timestamp), timezone.utc).replace(tzinfo=None)
        except (TypeError, ValueError, OverflowError, OSError):
            done_at = None  # a time no clock reaches: the report itself still counts
    return DeliveryReport(
        gateway_reference=gateway_reference,
        state=state,
        failure_type=failure_type,
        error_message=status_text(status, err) if state == "error" else "",
        done_at=done_at,
    )


def _int(value, default=0):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _float(value, default=0.0):
    try:
        return float(str(value).strip())
    except (TypeError, ValueError):
        return default


@dataclasses.dataclass
class _Request:
    """One planned ``send.php`` request while planning."""

    sms_id: int
    phones: set = dataclasses.field(default_factory=set)
    size: int = 0


@register_gateway("smsc")
class SmscClient(GatewayClient):
    """SMSC.ru and its sister sites."""

    #: messages per ``send.php`` request.  SMSC publishes no limit for ``list``; 100 keeps a
    #: request well under a megabyte even with 100 long Cyrillic texts (form-encoded UTF-8 takes
    #: up to six bytes a character), so it never meets a proxy's or server's body limit, while
    #: a 100,000-message mailing needs only 1,000 calls.  It also bounds what one lost answer
    #: leaves uncertain: at most 100 messages to reconcile by a status query.
    batch_size = 100
    channels = frozenset({SMS, VIBER})
    #: SMSC sends no SMS of its own when Viber fails: the suite cascades
    vendor_cascade = False
    #: the Viber layouts this type sends (see :data:`VIBER_LAYOUTS`)
    viber_layouts = VIBER_LAYOUTS
    supports_webhook = True
    supports_status_query = True
    webhook_auth = WEBHOOK_SECRET
    form_fields = {
        "base_url": False,
        "login": False,
        "password": False,
        "api_key": False,
        "sender": False,
        "viber_sender": False,
        "timeout": False,
        "balance": False,
    }
    form_help = _lt(
        "SMSC.ru, SMSC.kz or SMSC.ua: sign in with the login and password of your SMSC "
        "account, or with an API key instead. Give SMSC the delivery report address below "
        "(Settings › API › status callback) to learn about deliveries at once."
    )
    config_fields = {
        "base_url": "base_url",
        "sender": "sender",
        "viber_sender": "viber_sender",
        "login": "login",
        "password": "password",
        "api_key": "api_key",
    }

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
        the messages and are returned, all others raise :class:`GatewayError`."""
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

    @staticmethod
    def _failed(message, failure_type, text):
        return SendResult(
            uuid=message.uuid, state="error", failure_type=failure_type, error_message=text
        )

    def _sender(self, message):
        if message.channel == VIBER:
            return (
                message.sender
                or self.config.get("viber_sender")
                or self.config.get("sender")
                or None
            )
        return super()._sender(message)

    def _viber_refusal(self, message):
        """The answer for a Viber message SMSC must not be asked to send (a layout Viber or
        SMSC does not take), or ``None``."""
        if message.channel != VIBER:
            return None
        parts = (message.body, message.image_url, message.button_text, message.button_url)
        code = viber.refusal(*parts)
        if code:
            return self._failed(message, "unknown", VIBER_REFUSALS[code])
        if viber.layout(*parts) not in self.viber_layouts:
            return self._failed(message, "unknown", VIBER_LAYOUT_REFUSED)
        return None

    # planning

    def _vet(self, message, now):
        """``(refusal, valid)``: the answer for a message that must not be sent (then no
        request is made for it), else ``None`` and its ``valid`` lifetime (``None`` without
        an end of validity)."""
        refusal = self._refusal(message) or self._viber_refusal(message)
        if refusal:
            return refusal, None
        left = seconds_left(message.valid_until, now)
        if left is None:
            return None, None
        valid = lifetime(left)
        if valid is None:
            return self._failed(message, "sms_expired", TOO_SHORT), None
        return None, valid

    def _assign_ids(self, entries, taken=()):
        """The request ``id`` of each ``(message, valid)`` entry, in order.

        A message joins the first request of its kind (same channel, sender and lifetime, and
        for Viber the same image and button) that is not full and has no message to its phone
        yet; otherwise it opens a new request, whose id comes from its reference.  ``taken``
        holds ids already used by the requests these must not merge with."""
        taken = set(taken)
        open_requests = {}
        ids = []
        for message, valid in entries:
            phone = digits(phone_of(message))
            if "\\" in (message.body or ""):
                # a backslash and "n" in a list line mean a line break, so a text holding a
                # backslash goes alone, as ``mes``
                kind = ("alone", message.uuid)
            elif message.channel == VIBER:
                if not message.body:
                    # an image without text: an empty text makes no ``list`` line
                    kind = ("alone", message.uuid)
                else:
                    kind = (
                        VIBER,
                        self._sender(message),
                        valid,
                        message.image_url or None,
                        message.button_text or None,
                        message.button_url or None,
                    )
            else:
                kind = (self._sender(message), valid)
            candidates = open_requests.setdefault(kind, [])
            request = next((r for r in candidates if phone not in r.phones), None)
            if request is None:
                request = _Request(self._new_id(message.reference, taken))
                candidates.append(request)
            request.phones.add(phone)
            request.size += 1
            if request.size >= self.batch_size:
                candidates.remove(request)
            ids.append(request.sms_id)
        return ids

    @staticmethod
    def _new_id(reference, taken):
        """``smsc_id(reference)``, or a stable variant of it when another request planned
        with it already has that id (two references can hash alike)."""
        sms_id = smsc_id(reference)
        attempt = 0
        while sms_id in taken:
            attempt += 1
            sms_id = smsc_id(f"{reference}#{attempt}")
        taken.add(sms_id)
        return sms_id

    def plan(self, messages):
        """Return ``messages`` with ``gateway_reference`` ``"<id>:<phone>"``: which ``send.php``
        request each goes in (see the module docstring).  Messages that :meth:`send` refuses
        without a call get no id."""
        now = self._now()
        vetted = [self._vet(message, now) for message in messages]
        entries = [
            (message, valid)
            for message, (refusal, valid) in zip(messages, vetted, strict=True)
            if not refusal
        ]
        ids = iter(self._assign_ids(entries))
        planned = []
        for message, (refusal, _valid) in zip(messages, vetted, strict=True):
            gateway_reference = None if refusal else f"{next(ids)}:{phone_of(message)}"
            planned.append(dataclasses.replace(message, gateway_reference=gateway_reference))
        return planned

    # sending

    def send(self, messages):
        now = self._now()
        answers = {}  # position in ``messages`` -> SendResult
        entries = []  # (position, message, valid) of the messages to hand over
        for position, message in enumerate(messages):
            refusal, valid = self._vet(message, now)
            if refusal:
                answers[position] = refusal
            else:
                entries.append((position, message, valid))
        requests = self._requests(entries)
        with self.http:
            outcomes = side_by_side(
                [partial(self._send_request, sms_id, members) for sms_id, members in requests],
                # every further request would fail the same way and SMSC blocks the address
                # of clients that keep sending failing requests (error 4)
                go_on=lambda results: not _out_of_credit(results),
            )
        errors = []
        out_of_credit = None
        for (_sms_id, members), outcome in zip(requests, outcomes, strict=True):
            if isinstance(outcome, GatewayError):
                errors.append(outcome)
                continue
            if outcome is NOT_SENT:
                # after the requests in flight (the only ones before): out of credit, the
                # messages fail as such; after a failed request, they wait for its verdict
                if out_of_credit:
                    for position, message, _valid in members:
                        answers[position] = self._failed(message, "sms_credit", out_of_credit)
                continue
            out_of_credit = out_of_credit or _out_of_credit(outcome)
            for (position, _message, _valid), result in zip(members, outcome, strict=True):
                answers[position] = result
        if errors:
            # a request that failed before any went through stops the batch there
            raise batch_error(errors, [answers[key] for key in sorted(answers)])
        return [answers[position] for position in sorted(answers)]

    def _requests(self, entries):
        """``[(id, members)]``: the ``(position, message, valid)`` entries grouped by the
        request id planned for them, in the order of each request's first message.  Messages
        that come without a planned id are planned now, apart from the planned requests."""
        ids = {}
        unplanned = []
        for position, message, valid in entries:
            pair = split_gateway_reference(message.gateway_reference)
            if pair:
                ids[position] = int(pair[0])
            else:
                unplanned.append((position, message, valid))
        fresh = self._assign_ids(
            [(message, valid) for _position, message, valid in unplanned], taken=ids.values()
        )
        for (position, _message, _valid), sms_id in zip(unplanned, fresh, strict=True):
            ids[position] = sms_id
        requests = {}
        for entry in entries:
            requests.setdefault(ids[entry[0]], []).append(entry)
        return list(requests.items())

    def _send_request(self, sms_id, members):
        """Hand one planned request over; return a result per member, in order."""
        messages = [message for _position, message, _valid in members]
        phones = [phone_of(message) for message in messages]
        params = {"id": sms_id, "cost": 3, "op": 1}
        if len(messages) == 1:
            params.update(phones=phones[0], mes=messages[0].body or "")
        else:
            params["list"] = "\n".join(
                f"{phone}:{list_text(message.body)}"
                for phone, message in zip(phones, messages, strict=True)
            )
        sender = self._sender(messages[0])
        if sender:
            params["sender"] = sender
        lifetimes = [valid for _position, _message, valid in members if valid]
        if lifetimes:
            # zero-padded "hh:mm" strings sort like the lifetimes they stand for
            params["valid"] = min(lifetimes)
        if messages[0].channel == VIBER:
            # planning put only Viber messages with the same image together
            params["viber"] = 1
            if messages[0].image_url:
                params["fileurl"] = messages[0].image_url
        data = self._call("send.php", params, message_errors=SEND_ERROR_FAILURES)
        if not isinstance(data, dict):
            raise GatewayError(f"SMSC sent an unexpected answer: {data!r}", maybe_sent=True)
        if "error_code" in data:
            # the whole request was refused: no message of it was sent
            code = _int(data.get("error_code"))
            text = f"SMSC error {code}: {data.get('error') or ''}".strip()
            failure_type = SEND_ERROR_FAILURES.get(code, "unknown")
            return [self._failed(message, failure_type, text) for message in messages]
        if "balance" in data:
            currency = self.config.get("currency") or "RUB"
            self.last_balance = (float(data["balance"]), currency)
        answered_id = str(data.get("id") or "")
        return self._read_phones(
            answered_id if answered_id.isdigit() else str(sms_id), messages, phones, data
        )

    def _read_phones(self, sms_id, messages, phones, data):
        """Results from an accepted request's answer and its ``phones`` details."""
        details = {}
        for entry in data.get("phones") or ():
            if isinstance(entry, dict):
                details[digits(entry.get("phone"))] = entry
        outcomes = []
        for phone in phones:
            entry = details.get(digits(phone)) or {}
            status = _int(entry.get("status"), None)
            # only a status known to be a failure refuses the message: were an unknown code
            # a failure after all, the status polling would still report it
            refused = status is not None and STATUSES.get(status, ("pending",))[0] == "error"
            outcomes.append((entry, status if refused else None))
        accepted = sum(1 for _entry, refused in outcomes if refused is None)
        results = []
        for message, phone, (entry, status) in zip(messages, phones, outcomes, strict=True):
            if status is not None:
                failure_type = STATUSES[status][1]
                text = status_text(status, _int(entry.get("error")))
                results.append(self._failed(message, failure_type, text))
                continue
            # the request's totals are this message's when SMSC took no other one
            alone = accepted == 1
            cost = entry.get("cost", data.get("cost") if alone else None)
            segments = entry.get("cnt", data.get("cnt") if alone else None)
            results.append(
                SendResult(
                    uuid=message.uuid,
                    state="pending",
                    gateway_reference=f"{sms_id}:{phone}",
                    # a Viber message is one message, whatever its length
                    segments=1 if message.channel == VIBER else _int(segments),
                    cost=_float(cost),
                )
            )
        return results

    # status

    def _query(self, pairs):
        """``[(gateway_reference, status, err, timestamp)]`` for ``(id, phone)`` pairs, in one mass
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

    def fetch_status(self, gateway_references):
        """One mass status request for all ``gateway_references``: SMSC answers error 9 (raised as a
        transient error with ``retry_after``) to more than one mass request a minute, so
        callers poll an SMSC gateway at most once a minute.

        SMSC spells the phone its own way (without the ``+``), so each answer is given back
        under the external id it was asked about, matched on the id and the phone's digits."""
        asked = {}
        for gateway_reference in gateway_references:
            pair = split_gateway_reference(gateway_reference)
            if pair:
                asked.setdefault((pair[0], digits(pair[1])), (gateway_reference, pair))
        with self.http:
            rows = self._query([pair for _gateway_reference, pair in asked.values()])
        reports = []
        for gateway_reference, status, err, timestamp in rows:
            sms_id, _sep, phone = gateway_reference.partition(":")
            own = asked.get((sms_id, digits(phone)))
            reports.append(
                status_report(own[0] if own else gateway_reference, status, err, timestamp)
            )
        return reports

    def find_sent(self, messages):
        """One mass status request for the ``id``/phone pairs the messages were planned with
        (their ``gateway_reference``; without one, the id their reference gives); a report for each
        one SMSC holds, carrying the message's external id and reference."""
        pairs = []
        owners = {}
        for message in messages:
            pair = split_gateway_reference(message.gateway_reference)
            if pair is None:
                pair = (str(smsc_id(message.reference)), phone_of(message))
            if not pair[1]:
                continue  # no number: it was never sent
            pairs.append(pair)
            owners[(pair[0], digits(pair[1]))] = (message, f"{pair[0]}:{pair[1]}")
        with self.http:
            rows = self._query(pairs)
        reports = []
        for gateway_reference, status, err, timestamp in rows:
            sms_id, _sep, phone = gateway_reference.partition(":")
            owner = owners.get((sms_id, digits(phone)))
            if status == NOT_FOUND or owner is None:
                continue
            message, own_gateway_reference = owner
            report = status_report(own_gateway_reference, status, err, timestamp)
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
        authenticate_webhook(self, method, url, headers, params, body)
        sms_id = bounded(params.get("id"), MAX_REPORT_ID, "id")
        # SMSC posts the phone as it stores it, without the ``+``; the engine matches it on
        # its digits
        phone = bounded(params.get("phone"), MAX_REPORT_PHONE, "phone")
        status = bounded(params.get("status"), 4, "status")
        if not sms_id.isdigit() or not phone or not status.lstrip("-").isdigit():
            raise ReportRejected("the call is not an SMSC delivery report")
        if not digits(phone):
            raise BadReport("the report's phone has no digits")
        timestamp = params.get("ts") or params.get("time")
        if timestamp is not None and not str(timestamp).isdigit():
            timestamp = None
        return [status_report(f"{sms_id}:{phone}", int(status), _int(params.get("err")), timestamp)]
