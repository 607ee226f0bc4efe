"""A fake Twilio REST API (2010-04-01): create and fetch Messages, fetch the Balance, and build
signed (or forged) status callbacks.

Requires HTTP Basic ``AccountSid:AuthToken`` (HTTP 401 with error 20003 otherwise).  Errors
use Twilio's JSON shape ``{"code", "message", "more_info", "status"}``: 21211 invalid ``To``,
21614 not a mobile number, 21610 unsubscribed recipient, 21212 invalid ``From``, 21603 no
``From``, 21624 bad ``ValidityPeriod``, 20404 unknown resource.

The callback helpers sign with the fake's auth token exactly as Twilio does, so the client's
verification can be exercised, and :func:`post_status_callback` delivers one to a real URL
(an Odoo test server, for instance).

Numbers: the Message resource's ``to`` is "The recipient's phone number in E.164 format"
(twilio.com/docs/messaging/api/message-resource), and callbacks carry the same ``To``; the fake
answers with :func:`e164` of what it received, not with the client's spelling.
"""

import base64
import hashlib
import hmac
import itertools
import re
import time
import urllib.error
import urllib.request
from email.utils import formatdate
from urllib.parse import urlencode

from ...tools.gsm import analyze
from .base import FakeGateway, json_response, text_response

API = "/2010-04-01/Accounts/"
ERRORS = {
    "bad_number": (21211, "The 'To' number {to} is not a valid phone number."),
    "undeliverable": (21614, "'To' number {to} is not a valid mobile number"),
    "forbidden": (21610, "Attempt to send to unsubscribed recipient"),
}


def e164(number):
    """``number`` the way Twilio writes it back: ``+`` and its digits."""
    return "+" + "".join(ch for ch in str(number or "") if ch.isdigit())


def compute_signature(auth_token, url, params):
    """``X-Twilio-Signature`` for a POST of ``params`` to ``url``."""
    payload = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def twilio_error(code, message, status=400):
    return json_response(
        {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        },
        status=status,
    )


def post_status_callback(url, params, headers, timeout=10):
    """POST a callback built by :meth:`FakeTwilio.status_callback`; return ``(status, body)``."""
    request = urllib.request.Request(
        url,
        data=urlencode(params).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read()


class FakeTwilio(FakeGateway):
    def __init__(self, account_sid="AC" + "1" * 32, auth_token="twilio-auth-token"):
        super().__init__()
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.balance = 25.0
        self.currency = "USD"
        self.price = 0.0079
        self.messages = {}
        self.callback_urls = {}
        #: API key sid -> secret, accepted instead of the account's auth token
        self.api_keys = {}
        self.validity_periods = {}
        self._ids = itertools.count(1)

    def is_authorized(self, request):
        accepted = {self.account_sid: self.auth_token, **self.api_keys}
        header = request.headers.get("authorization") or ""
        if not header.startswith("Basic "):
            return False
        try:
            user, _sep, secret = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return False
        return user in accepted and accepted[user] == secret

    def auth_failure(self, request):
        return twilio_error(20003, "Authenticate", status=401)

    def handle(self, request):
        base = f"{API}{self.account_sid}"
        if request.method == "POST" and request.path == f"{base}/Messages.json":
            return self._create(request.form)
        match = re.fullmatch(rf"{base}/Messages/(\w+)\.json", request.path)
        if request.method == "GET" and match:
            message = self.messages.get(match.group(1))
            if message is None:
                return twilio_error(20404, "The requested resource was not found", status=404)
            return json_response(message)
        if request.method == "GET" and request.path == f"{base}/Balance.json":
            return json_response(
                {
                    "account_sid": self.account_sid,
                    "balance": f"{self.balance:.5f}",
                    "currency": self.currency,
                }
            )
        if request.path.startswith(API):
            return twilio_error(20404, "The requested resource was not found", status=404)
        return text_response("not found", status=404)

    def _create(self, form):
        to = form.get("To") or ""
        sender = form.get("From") or form.get("MessagingServiceSid") or ""
        if not to:
            return twilio_error(21604, "A 'To' phone number is required.")
        if not sender:
            return twilio_error(21603, "A 'From' phone number is required.")
        if form.get("From") in self.forbidden_senders:
            return twilio_error(
                21212, f"The 'From' number {form['From']} is not a valid phone number"
            )
        validity = form.get("ValidityPeriod")
        if validity is not None and not (validity.isdigit() and 1 <= int(validity) <= 36000):
            return twilio_error(21624, "Invalid validity period value")
        problem = self.number_error(to)
        if problem in ERRORS:
            code, message = ERRORS[problem]
            return twilio_error(code, message.format(to=to))
        sid = f"SM{next(self._ids):032x}"
        now = formatdate(time.time(), usegmt=True)
        message = {
            "sid": sid,
            "account_sid": self.account_sid,
            "to": e164(to),
            "from": form.get("From"),
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "body": form.get("Body") or "",
            "status": "queued",
            "num_segments": str(analyze(form.get("Body") or "").segments),
            "price": None,
            "price_unit": self.currency,
            "error_code": None,
            "error_message": None,
            "date_created": now,
            "date_updated": now,
            "date_sent": None,
            "uri": f"{API}{self.account_sid}/Messages/{sid}.json",
        }
        self.messages[sid] = message
        self.callback_urls[sid] = form.get("StatusCallback")
        self.validity_periods[sid] = validity
        return json_response(message, status=201)

    # test helpers

    def set_status(self, sid, status, error_code=None, error_message=None, at=None):
        with self.lock:
            message = self.messages[sid]
            message.update(
                status=status,
                error_code=error_code,
                error_message=error_message,
                date_updated=formatdate(at or time.time(), usegmt=True),
            )
            if status in ("sent", "delivered", "undelivered"):
                segments = int(message["num_segments"])
                message["price"] = f"-{segments * self.price:.5f}"

    def status_callback(self, sid, status=None, error_code=None, url=None):
        """``(url, params, headers)`` of the status callback Twilio sends for ``sid``, signed
        with the fake's auth token; ``url`` defaults to the message's ``StatusCallback``."""
        with self.lock:
            message = self.messages[sid]
            url = url or self.callback_urls.get(sid)
            status = status or message["status"]
            params = {
                "AccountSid": self.account_sid,
                "ApiVersion": "2010-04-01",
                "From": message["from"] or "",
                "MessageSid": sid,
                "MessageStatus": status,
                "SmsSid": sid,
                "SmsStatus": status,
                "To": message["to"],
            }
        if error_code:
            params["ErrorCode"] = str(error_code)
        headers = {"X-Twilio-Signature": compute_signature(self.auth_token, url, params)}
        return url, params, headers

    def forged_status_callback(self, sid, status="delivered", url=None):
        """The same callback signed with a key that is not the auth token."""
        url, params, _headers = self.status_callback(sid, status, url=url)
        headers = {"X-Twilio-Signature": compute_signature("not-the-token", url, params)}
        return url, params, headers
