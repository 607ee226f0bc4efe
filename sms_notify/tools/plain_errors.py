"""Gateway failures in plain words.

Libraries describe a failed call in their own terms (``HTTPSConnectionPool(host=...,
port=443): Max retries exceeded ... NewConnectionError(... [Errno 111] Connection refused)``,
``[Errno 2] could not open port /dev/ttyUSB0``). What the user reads is what happened and what
to do about it; the library's text stays available as a secondary line and in the log.

:func:`classify` names the failure (:data:`KINDS`) from the exception and its causes;
:func:`explain` gives the sentences (English, marked with ``_lt``: the gateway model translates
them) and the technical detail.
"""

import socket
import ssl
from dataclasses import dataclass

import requests

from .gateway import _lt

REFUSED = "refused"
TIMEOUT = "timeout"
DNS = "dns"
TLS = "tls"
UNREACHABLE = "unreachable"
AUTH = "auth"
FORBIDDEN = "forbidden"
ADDRESS = "address"
PORT = "port"
KINDS = (REFUSED, TIMEOUT, DNS, TLS, UNREACHABLE, AUTH, FORBIDDEN, ADDRESS, PORT)

#: what happened, in a few words (used inside the gateway's own error messages)
REASONS = {
    REFUSED: "the connection was refused",
    TIMEOUT: "no answer in time",
    DNS: "its server name was not found",
    TLS: "the secure (https) connection failed",
    UNREACHABLE: "the network does not lead to it",
    AUTH: "the credentials were refused",
    FORBIDDEN: "the account may not do this",
    ADDRESS: "the address is not valid",
    PORT: "the port cannot be opened",
}

#: what to do after a failure of no known kind (the vendor's own refusal, shown as it is)
OTHER_ADVICE = _lt("Check the address and the credentials, then try again.")

#: (what happened, what to do) for the user
EXPLANATIONS = {
    REFUSED: (
        _lt("The gateway refused the connection."),
        _lt(
            "Check the address and the port, and that the service (the vendor's API, the "
            "phone's app, the modem's network port) is running."
        ),
    ),
    TIMEOUT: (
        _lt("The gateway did not answer in time."),
        _lt(
            "Check that it is switched on and reachable from the Odoo server (a phone on the "
            "same network, awake), or raise the timeout."
        ),
    ),
    DNS: (
        _lt("The gateway's server name was not found."),
        _lt("Check the spelling of the address, and that the Odoo server reaches the internet."),
    ),
    TLS: (
        _lt("The secure (https) connection to the gateway failed."),
        _lt(
            "Check that the address starts with the right scheme (http:// or https://) and "
            "that the server's certificate is valid."
        ),
    ),
    UNREACHABLE: (
        _lt("The network does not lead to the gateway."),
        _lt("Check the Odoo server's network connection and the address."),
    ),
    AUTH: (
        _lt("The gateway refused the credentials."),
        _lt(
            "Copy the login, password, key or token again from the vendor's account or the "
            "app, and check that the account is active."
        ),
    ),
    FORBIDDEN: (
        _lt("The gateway refused access (HTTP 403)."),
        _lt(
            "Check that the account is active, allowed to use the API and not limited to "
            "other IP addresses."
        ),
    ),
    ADDRESS: (
        _lt("The gateway's address is not valid."),
        _lt(
            "Write it as a full address, e.g. https://api.example.com or http://192.168.1.20:8080."
        ),
    ),
    PORT: (
        _lt("The modem's port cannot be opened."),
        _lt(
            "Check the port's name (e.g. /dev/ttyUSB0), that the modem is plugged in and that "
            "the Odoo server's user may use it."
        ),
    ),
}

_DNS_MARKERS = (
    "name or service not known",
    "nodename nor servname",
    "getaddrinfo failed",
    "temporary failure in name resolution",
    "failed to resolve",
    "no address associated with hostname",
    "nameresolutionerror",
)
_REFUSED_MARKERS = ("connection refused", "errno 111", "winerror 10061", "actively refused")
_UNREACHABLE_MARKERS = ("network is unreachable", "no route to host", "errno 101", "errno 113")
_PORT_MARKERS = ("could not open port", "no such file or directory", "permission denied")


def causes(error):
    """``error`` and the exceptions behind it, outermost first."""
    chain = []
    while error is not None and all(error is not seen for seen in chain):
        chain.append(error)
        error = error.__cause__ or error.__context__
    return chain


def classify(error):
    """The kind of failure (one of :data:`KINDS`) of ``error`` and its causes, or ``None``
    when it is none of them (a vendor's own refusal, already in its words)."""
    chain = causes(error)
    for item in chain:
        status = getattr(item, "http_status", None)
        if status == 401:
            return AUTH
        if status == 403:
            return FORBIDDEN
        if getattr(item, "plain_kind", None) in KINDS:
            return item.plain_kind
    # every client raises its vendor's refusal of the account or its credentials so
    if getattr(error, "failure_type", None) == "sms_acc":
        return AUTH
    by_type = (
        (TLS, requests.exceptions.SSLError | ssl.SSLError),
        (DNS, socket.gaierror),
        (TIMEOUT, requests.exceptions.Timeout | TimeoutError | socket.timeout),
        (REFUSED, ConnectionRefusedError),
        (
            ADDRESS,
            requests.exceptions.InvalidURL
            | requests.exceptions.MissingSchema
            | requests.exceptions.InvalidSchema,
        ),
    )
    for kind, types in by_type:
        if any(isinstance(item, types) for item in chain):
            return kind
    # urllib3 and pyserial wrap the socket's error into their own text
    texts = " ".join(f"{type(item).__name__} {item}" for item in chain).lower()
    for kind, markers in ((DNS, _DNS_MARKERS), (REFUSED, _REFUSED_MARKERS)):
        if any(marker in texts for marker in markers):
            return kind
    if any(marker in texts for marker in _UNREACHABLE_MARKERS):
        return UNREACHABLE
    if any(m in texts for m in _PORT_MARKERS):
        return PORT
    return None


def reason(error):
    """A few plain words for what happened (for the gateway's own error messages), or
    ``"the connection failed"`` when the failure is of no known kind."""
    return REASONS.get(classify(error), "the connection failed")


def technical_detail(error):
    """The library's own words: the innermost cause's text (what the log keeps)."""
    chain = causes(error)
    if len(chain) < 2:
        return str(error or "")
    innermost = chain[-1]
    return f"{type(innermost).__name__}: {innermost}"


@dataclass(frozen=True)
class Explanation:
    """A failure for the user: ``headline`` (what happened) and ``advice`` (what to do),
    English texts to translate, and ``detail``, the technical text for a secondary line."""

    kind: str | None
    headline: str
    advice: str
    detail: str


def explain(error):
    """The :class:`Explanation` of ``error``. A failure of no known kind is shown in the
    gateway's own words (they are already a sentence for the user)."""
    kind = classify(error)
    detail = technical_detail(error)
    if kind is None:
        message = str(error)
        return Explanation(None, message, OTHER_ADVICE, detail if detail != message else "")
    headline, advice = EXPLANATIONS[kind]
    return Explanation(kind, headline, advice, detail)
