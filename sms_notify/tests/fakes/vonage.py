"""A fake Vonage: the Messages API v1 (``POST /v1/messages``) with its failover, the Account
API's balance, and the signed status webhooks Vonage sends.

What it answers, from Vonage's documentation and its SDKs' test data:

* ``POST /v1/messages`` takes a JSON message with HTTP Basic ``api_key:api_secret`` (401 with
  the RFC 7807 "Invalid credentials supplied" otherwise) and answers 202
  ``{"message_uuid"}``, with ``"workflow_id"`` only when the request holds a ``failover``
  list.  Invalid requests get 422 "Invalid params" with ``invalid_parameters``: a ``to``
  that is not E.164 digits without ``+``, texts over 1,000 characters, a Viber button caption
  over 30, a ``viber_service.ttl`` outside 30-259,200 s, a category other than
  ``transaction``/``promotion``, a message without ``from``, ``channel``, ``message_type`` or
  content.  A body that is not JSON gets 415.  An account without the money for the message
  gets 402 "Low balance" (the SDK's ``low_balance_error.json``).
* messages then move as the status webhooks tell: an SMS is ``submitted`` (and charged), a
  Viber message ``submitted``, then ``delivered`` (charged) and ``read``.  A Viber message to
  a number without Viber (``viber_users`` / ``not_viber_users``) is ``rejected`` at once with
  error 1300 "Not part of the provider network"; one whose ``ttl`` runs out before delivery
  (:meth:`FakeVonage.expire`) is ``rejected`` with 1360 "TTL was activated".  A rejected
  message with a failover makes the fake send the failover SMS itself, under its own
  ``message_uuid`` in the same workflow.
* per-number problems (``number_errors``): ``bad_number`` -> 422 naming ``to``, ``no_funds``
  -> 402, ``undeliverable`` -> rejected with 1190 (absent subscriber, permanent),
  ``forbidden`` -> rejected with 1240 (illegal number); ``forbidden_senders`` -> rejected with
  1120, ``forbidden_words`` -> rejected with 1210 (anti-spam).
* ``GET /account/get-balance`` answers ``{"value", "autoReload"}`` (in EUR), with Basic auth or
  the ``api_key``/``api_secret`` query parameters of the Account API's specification (401
  ``{"error-code": "401", "error-code-label": "authentication failed"}`` otherwise).

:meth:`FakeVonage.status_callback` builds the webhook Vonage would POST for a message: the
JSON body of the Messages API status webhook and ``Authorization: Bearer <JWT>``, HS256 keyed
with the account's signature secret, with the claims ``iat``, ``jti``, ``iss``,
``payload_hash`` (hex SHA-256 of the body) and ``api_key``; :func:`post_status_callback`
delivers it to a real URL.
"""

import base64
import hashlib
import hmac
import itertools
import json
import re
import time
import urllib.error
import urllib.request
import uuid as uuid_module
from datetime import datetime, timezone

from ...tools.gsm import analyze
from .base import FakeGateway, json_response

MESSAGES = "/v1/messages"
BALANCE = "/account/get-balance"
ERRORS_URL = "https://developer.vonage.com/api-errors/messages"
TO_PATTERN = re.compile(r"^[1-9]\d{6,14}$")
MAX_TEXT = 1000
MAX_ACTION_TEXT = 30
TTL_RANGE = (30, 259200)

#: Messages API error codes the fake reports: ``code -> (text, meaning)`` (the
#: ``messages-olympus`` error table)
ERROR_CODES = {
    1100: ("Communication Failed", "Message was not submitted because of a communication failure."),
    1120: (
        "Illegal Sender Address - rejected",
        "Due to local regulations, the SenderID you set in from was not accepted.",
    ),
    1190: ("Absent Subscriber Permanent", "to is no longer active."),
    1210: ("Anti-Spam Rejection", "The carrier blocked the message (sender or content)."),
    1240: ("Illegal Number", "The user has sent a STOP opt-out message."),
    1300: (
        "Not part of the provider network",
        "The number or ID is not a user in the provider network.",
    ),
    1360: ("TTL was activated", "TTL was activated, no charge will be issued."),
}
#: ``number_errors`` problems reported after the message was accepted
ASYNC_PROBLEMS = {"undeliverable": 1190, "forbidden": 1240}


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign_jwt(claims, secret):
    """An HS256 JWT of ``claims`` keyed with ``secret``, the way Vonage signs webhooks."""
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = _b64url(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256)
    return f"{header}.{payload}.{_b64url(signature.digest())}"


def problem(status, title, detail, type_=None, invalid_parameters=None):
    """An RFC 7807 answer of the Messages API."""
    payload = {
        "type": type_ or f"{ERRORS_URL}#{status}",
        "title": title,
        "detail": detail,
        "instance": uuid_module.uuid4().hex,
    }
    if invalid_parameters:
        payload["invalid_parameters"] = invalid_parameters
    return json_response(payload, status=status)


def invalid_params(*names, reason="Invalid value"):
    return problem(
        422,
        "Invalid params",
        "The value of one or more parameters is invalid.",
        type_=f"{ERRORS_URL}#1150",
        invalid_parameters=[{"name": name, "reason": reason} for name in names],
    )


def error_object(code):
    text, meaning = ERROR_CODES[code]
    return {
        "type": f"{ERRORS_URL}#{code}",
        "title": str(code),
        "detail": f"{text} - {meaning}",
        "instance": uuid_module.uuid4().hex,
    }


def iso_timestamp(at=None):
    moment = datetime.fromtimestamp(at if at is not None else time.time(), timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def post_status_callback(url, headers, body, timeout=10):
    """POST a webhook built by :meth:`FakeVonage.status_callback`; return ``(status, body)``."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read()


class FakeVonage(FakeGateway):
    def __init__(
        self,
        api_key="a1b2c3d4",
        api_secret="Vonage-Secret-1",
        signature_secret="the-signature-secret-of-32-chars",
    ):
        super().__init__()
        self.api_key = api_key
        self.api_secret = api_secret
        self.signature_secret = signature_secret
        self.balance = 10.0
        self.sms_price = 0.0333
        self.viber_price = 0.012
        #: numbers with Viber (digits); None: every number but ``not_viber_users``
        self.viber_users = None
        self.not_viber_users = set()
        #: where webhooks of messages sent without ``webhook_url`` go (the account's setting)
        self.account_webhook_url = None
        #: message_uuid -> message (the request's fields and what happened to it)
        self.messages = {}
        self._workflows = itertools.count(1)

    # authentication

    def is_authorized(self, request):
        header = request.headers.get("authorization") or ""
        if header.startswith("Basic "):
            try:
                user, _sep, secret = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                return False
            return (user, secret) == (self.api_key, self.api_secret)
        if request.path == BALANCE:
            query = request.query
            return (query.get("api_key"), query.get("api_secret")) == (
                self.api_key,
                self.api_secret,
            )
        return False

    def auth_failure(self, request):
        if request.path == BALANCE:
            return json_response(
                {"error-code": "401", "error-code-label": "authentication failed"}, status=401
            )
        return problem(
            401,
            "Invalid credentials supplied",
            "You did not provide correct credentials.",
            type_="https://developer.nexmo.com/api-errors#unauthorized",
        )

    # requests

    def handle(self, request):
        if request.method == "POST" and request.path == MESSAGES:
            if "application/json" not in request.headers.get("content-type", ""):
                return problem(
                    415,
                    "Unsupported Content-Type header",
                    "Unsupported Content-Type header provided. Must be one of the following: "
                    "'application/json'",
                    type_="https://developer.nexmo.com/api-errors#content-type-header",
                )
            body = request.json
            if not isinstance(body, dict):
                return invalid_params("body", reason="not a JSON object")
            return self._send(body)
        if request.method == "GET" and request.path == BALANCE:
            return json_response({"value": round(self.balance, 8), "autoReload": False})
        return problem(
            404,
            "Not Found",
            f"{request.path} does not exist, or you do not have access",
            type_="https://developer.nexmo.com/api-errors#not-found",
        )

    def _invalid(self, message, prefix=""):
        """The names of the invalid fields of one message object."""
        names = [
            f"{prefix}{key}"
            for key in ("to", "from", "channel", "message_type")
            if not message.get(key)
        ]
        if names:
            return names
        if not TO_PATTERN.match(str(message["to"])):
            return [f"{prefix}to"]
        if message.get("client_ref") is not None and len(str(message["client_ref"])) > 100:
            return [f"{prefix}client_ref"]
        channel, message_type = message["channel"], message["message_type"]
        if channel == "sms":
            ok = message_type == "text" and 0 < len(message.get("text") or "") <= MAX_TEXT
            return [] if ok else [f"{prefix}text"]
        if channel != "viber_service":
            return [f"{prefix}channel"]
        return self._invalid_viber(message, prefix)

    @staticmethod
    def _invalid_viber(message, prefix):
        if not 1 <= len(str(message["from"])) <= 50:
            return [f"{prefix}from"]
        if message["message_type"] == "text":
            if not 0 < len(message.get("text") or "") <= MAX_TEXT:
                return [f"{prefix}text"]
        elif message["message_type"] == "image":
            image = message.get("image")
            if not isinstance(image, dict) or not image.get("url"):
                return [f"{prefix}image.url"]
        else:
            return [f"{prefix}message_type"]
        options = message.get("viber_service") or {}
        if options.get("category") not in (None, "transaction", "promotion"):
            return [f"{prefix}viber_service.category"]
        ttl = options.get("ttl")
        if ttl is not None and not (isinstance(ttl, int) and TTL_RANGE[0] <= ttl <= TTL_RANGE[1]):
            return [f"{prefix}viber_service.ttl"]
        action = options.get("action")
        if action is not None and not (
            isinstance(action, dict)
            and action.get("url")
            and 0 < len(action.get("text") or "") <= MAX_ACTION_TEXT
        ):
            return [f"{prefix}viber_service.action"]
        return []

    def _send(self, body):
        failover = body.get("failover")
        if failover is not None and (not isinstance(failover, list) or not failover):
            return invalid_params("failover")
        invalid = self._invalid(body)
        for position, item in enumerate(failover or ()):
            invalid += (
                self._invalid(item, f"failover[{position}].")
                if isinstance(item, dict)
                else [f"failover[{position}]"]
            )
        if invalid:
            return invalid_params(*invalid)
        problem_ = self.number_error(body["to"])
        if problem_ == "bad_number":
            return invalid_params("to")
        if problem_ == "no_funds" or self.balance < self._price(body):
            return problem(
                402,
                "Low balance",
                "This request could not be performed due to your account balance being low.",
                type_="https://developer.nexmo.com/api-errors/#low-balance",
            )
        workflow_id = None
        if failover:
            workflow_id = f"WF{next(self._workflows):04d}" + uuid_module.uuid4().hex
        items = [body, *(failover or ())]
        record = self._accept(body, workflow_id, 1, len(items))
        record["pending_failover"] = list(failover or ())
        self._first_outcome(record)
        answer = {"message_uuid": record["message_uuid"]}
        if workflow_id:
            answer["workflow_id"] = workflow_id
        return json_response(answer, status=202)

    def _price(self, message):
        if message.get("channel") == "sms":
            return self.sms_price * analyze(message.get("text") or "").segments
        return self.viber_price

    def _accept(self, message, workflow_id, item_number, items_total):
        record = {
            "message_uuid": str(uuid_module.uuid4()),
            "request": message,
            "channel": message["channel"],
            "to": str(message["to"]),
            "from": str(message["from"]),
            "client_ref": message.get("client_ref"),
            "webhook_url": message.get("webhook_url"),
            "workflow": (
                {
                    "workflow_id": workflow_id,
                    "item_number": str(item_number),
                    "items_total": str(items_total),
                }
                if workflow_id
                else None
            ),
            "status": "submitted",
            "error": None,
            "usage": None,
            "timestamp": iso_timestamp(),
            "pending_failover": [],
        }
        self.messages[record["message_uuid"]] = record
        return record

    def _first_outcome(self, record):
        """What happens to a message as soon as it is accepted."""
        message = record["request"]
        problem_ = self.number_error(record["to"])
        if problem_ in ASYNC_PROBLEMS:
            return self._reject(record, ASYNC_PROBLEMS[problem_])
        if record["from"] in self.forbidden_senders:
            return self._reject(record, 1120)
        content = message.get("text") or (message.get("image") or {}).get("caption")
        if self.text_forbidden(content):
            return self._reject(record, 1210)
        if record["channel"] == "viber_service" and not self.has_viber(record["to"]):
            return self._reject(record, 1300)
        if record["channel"] == "sms":
            self._charge(record)
        return None

    def has_viber(self, number):
        digits = "".join(ch for ch in str(number) if ch.isdigit())
        if self.viber_users is not None:
            return digits in {"".join(ch for ch in n if ch.isdigit()) for n in self.viber_users}
        return digits not in {"".join(ch for ch in n if ch.isdigit()) for n in self.not_viber_users}

    def _charge(self, record):
        price = self._price(record["request"])
        self.balance -= price
        record["usage"] = {"currency": "EUR", "price": f"{price:.4f}"}

    def _reject(self, record, code):
        record.update(status="rejected", error=error_object(code), timestamp=iso_timestamp())
        failover, record["pending_failover"] = record["pending_failover"], []
        if not failover:
            return None
        workflow = record["workflow"]
        following = self._accept(
            failover[0],
            workflow["workflow_id"],
            int(workflow["item_number"]) + 1,
            workflow["items_total"],
        )
        following["pending_failover"] = failover[1:]
        self._first_outcome(following)
        return following

    # test helpers

    def workflow(self, workflow_id):
        """The messages of a failover workflow, in their order."""
        with self.lock:
            found = [
                record
                for record in self.messages.values()
                if record["workflow"] and record["workflow"]["workflow_id"] == workflow_id
            ]
        return sorted(found, key=lambda record: int(record["workflow"]["item_number"]))

    def advance(self, message_uuid, status, code=None):
        """Move a message on: ``delivered``, ``read``, ``undeliverable`` (Vonage could not
        reach the channel's provider) or ``rejected`` with error ``code``.  A Viber message is
        charged when delivered; a rejected one with a failover makes the fake send it."""
        with self.lock:
            record = self.messages[message_uuid]
            if status == "rejected":
                return self._reject(record, code or 1300)
            record.update(status=status, timestamp=iso_timestamp())
            if status == "undeliverable":
                record.update(error=error_object(1100), pending_failover=[])
            if status == "delivered" and record["channel"] == "viber_service":
                self._charge(record)
                record["pending_failover"] = []
            return None

    def expire(self, workflow_id):
        """The first message of ``workflow_id`` was not delivered within its ``ttl``: Vonage
        rejects it (error 1360) and sends the failover SMS.  Returns that SMS's record."""
        with self.lock:
            first = self.workflow(workflow_id)[0]
            if first["status"] != "submitted":
                return None
            return self._reject(first, 1360)

    def status_body(self, message_uuid, status=None):
        """The JSON of the status webhook for ``message_uuid`` (its current status unless
        ``status`` is given)."""
        with self.lock:
            record = self.messages[message_uuid]
            status = status or record["status"]
            body = {
                "message_uuid": record["message_uuid"],
                "to": record["to"],
                "from": record["from"],
                "timestamp": record["timestamp"],
                "status": status,
                "channel": record["channel"],
            }
            if record["client_ref"]:
                body["client_ref"] = record["client_ref"]
            if record["error"] and status in ("rejected", "undeliverable"):
                body["error"] = dict(record["error"])
            if record["usage"] and status != "rejected":
                body["usage"] = dict(record["usage"])
            if record["workflow"]:
                body["workflow"] = dict(record["workflow"])
            if record["channel"] == "sms":
                segments = analyze(record["request"].get("text") or "").segments
                body["sms"] = {"count_total": str(segments)}
        return body

    def sign(self, body, secret=None, **claims):
        """``Authorization`` header value for a webhook with ``body`` (bytes)."""
        payload = {
            "iat": int(time.time()),
            "jti": str(uuid_module.uuid4()),
            "iss": "Vonage",
            "payload_hash": hashlib.sha256(body).hexdigest(),
            "api_key": self.api_key,
            **claims,
        }
        return "Bearer " + sign_jwt(payload, secret or self.signature_secret)

    def status_callback(self, message_uuid, status=None, url=None):
        """``(url, headers, body)`` of the signed status webhook Vonage sends for
        ``message_uuid``; ``url`` defaults to the message's ``webhook_url``, else the
        account's."""
        body = json.dumps(self.status_body(message_uuid, status)).encode()
        with self.lock:
            url = url or self.messages[message_uuid]["webhook_url"] or self.account_webhook_url
        headers = {"Authorization": self.sign(body), "Content-Type": "application/json"}
        return url, headers, body

    def forged_status_callback(self, message_uuid, status="delivered", url=None):
        """The same webhook signed with a key that is not the signature secret."""
        url, headers, body = self.status_callback(message_uuid, status, url)
        headers["Authorization"] = self.sign(body, secret="not-the-signature-secret")
        return url, headers, body
