"""Whether the vendor (or the business's own device) can call a delivery-report address.

A report address is built from Odoo's public address (``web.base.url``). When that address
names the Odoo server itself (``localhost``), a private network or plain ``http`` where the
caller needs ``https``, no report ever arrives and messages stay *Sent* until polled. The
gateway form warns about it; this module judges, the model only shows the verdict.

Who calls the address is declared by the gateway type (``GatewayClient.webhook_caller``):

* :data:`CALLER_INTERNET`: the vendor's servers, on the public internet (SMSC, SMSAPI,
  Twilio, Vonage). They reach public host names and addresses only.
* :data:`CALLER_LOCAL_NETWORK`: a device of the business on its own network (the Android
  phone). It reaches private addresses too, but not ``localhost``: that is the device itself.

``GatewayClient.webhook_needs_https`` says whether the caller refuses plain ``http``.
"""

import ipaddress
from urllib.parse import urlsplit

from .gateway import CALLER_INTERNET, CALLER_LOCAL_NETWORK, _lt

CALLERS = (CALLER_INTERNET, CALLER_LOCAL_NETWORK)

#: what can be wrong with a report address, by code
NO_ADDRESS = "no_address"
LOOPBACK = "loopback"
PRIVATE = "private"
NEEDS_HTTPS = "needs_https"

#: the warnings the gateway form shows (English, translated by the model)
PROBLEM_MESSAGES = {
    NO_ADDRESS: _lt(
        "Odoo does not know its public address, so no delivery report can reach it. Set "
        "web.base.url (Settings › Technical › System Parameters) to the address customers and "
        "vendors reach Odoo at."
    ),
    LOOPBACK: _lt(
        "This address names the Odoo server itself (%(host)s): the sender cannot call it, so "
        "no delivery report will arrive. Set web.base.url (Settings › Technical › System "
        "Parameters) to Odoo's public address, and set web.base.url.freeze to True so that an "
        "administrator's login does not change it back."
    ),
    PRIVATE: _lt(
        "This address is on a private network (%(host)s): the vendor's servers on the internet "
        "cannot call it, so no delivery report will arrive (messages are then checked every "
        "few minutes where the vendor allows it). Set web.base.url (Settings › Technical › "
        "System Parameters) to Odoo's public address."
    ),
    NEEDS_HTTPS: _lt(
        "This address uses plain http, and the sender only calls https:// addresses: reach "
        "Odoo over https (a certificate on its public address) and set web.base.url to the "
        "https:// address."
    ),
}

#: host names that never leave the machine they are used on
_LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
#: name suffixes that are private by definition (RFC 6762 mDNS, RFC 6761, RFC 8375, common LANs)
_PRIVATE_SUFFIXES = (".local", ".lan", ".home.arpa", ".internal", ".intranet", ".corp")


def host_kind(host):
    """``"loopback"``, ``"private"`` or ``"public"`` for a host name or IP address.

    A name without a dot (``odoo``, a container's name) is private: only a local resolver
    knows it. Other names are taken as public: whether a public DNS resolves them is not
    judged here (it needs the network)."""
    host = (host or "").strip().strip("[]").rstrip(".").lower()
    if not host:
        return LOOPBACK
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if host in _LOOPBACK_NAMES or host.endswith(".localhost"):
            return LOOPBACK
        if "." not in host or host.endswith(_PRIVATE_SUFFIXES):
            return PRIVATE
        return "public"
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_loopback or address.is_unspecified:
        return LOOPBACK
    if address.is_private or address.is_link_local or address.is_reserved:
        return PRIVATE
    if isinstance(address, ipaddress.IPv4Address) and address in ipaddress.ip_network(
        "100.64.0.0/10"
    ):  # carrier-grade NAT: shared, not reachable from outside
        return PRIVATE
    return "public"


def report_address_problem(url, caller=CALLER_INTERNET, needs_https=False):
    """What keeps ``caller`` from calling the report address ``url``: one of
    :data:`NO_ADDRESS`, :data:`LOOPBACK`, :data:`PRIVATE`, :data:`NEEDS_HTTPS`, or ``None``
    when nothing does (as far as the address tells)."""
    if caller not in CALLERS:
        raise ValueError(f"unknown caller {caller!r}")
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return NO_ADDRESS
    kind = host_kind(parts.hostname)
    if kind == LOOPBACK:
        return LOOPBACK
    if kind == PRIVATE and caller == CALLER_INTERNET:
        return PRIVATE
    if needs_https and parts.scheme != "https":
        return NEEDS_HTTPS
    return None


def report_address_warning(url, caller=CALLER_INTERNET, needs_https=False):
    """``(English message, its values)`` of the warning the form shows for ``url``, or
    ``None`` when the address looks reachable."""
    problem = report_address_problem(url, caller, needs_https)
    if not problem:
        return None
    return PROBLEM_MESSAGES[problem], {"host": urlsplit(url or "").hostname or ""}
