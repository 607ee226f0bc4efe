"""A small HTTP helper shared by the vendor clients: every call has a timeout, and transport
failures come back as :class:`~.gateway.GatewayError` with the flags the sending engine needs.

Mapping:

* connection refused, DNS failure, connect timeout: transient, nothing was sent;
* read timeout: transient, and the vendor may have processed the request (``maybe_sent``);
* HTTP 429: transient, with ``retry_after`` from the ``Retry-After`` header (seconds or date);
* HTTP 5xx: transient, ``maybe_sent`` (a proxy or the vendor may fail after accepting);
* HTTP 401/403: not transient, failure type ``sms_acc`` (credentials or account).
  Clients whose vendor reports per-message errors with these codes can opt out.
* an answer that should be JSON but is not: not transient, ``maybe_sent``.  Such an answer
  comes from something that is not the vendor's API (a wrong base URL, a captive proxy, a
  maintenance page); retrying cannot fix the address, and since the request may still have
  been processed the messages must be reconciled, not resent.

Other 4xx answers are returned to the client, which reads the vendor's own error body.
"""

import email.utils
import time

import requests

from .gateway import GatewayError
from .plain_errors import reason

#: how much of an unexpected answer goes into error messages
SNIPPET_LENGTH = 200


def parse_retry_after(value, now=None):
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0, int(when.timestamp() - now))


def snippet(text):
    text = " ".join((text or "").split())
    if len(text) > SNIPPET_LENGTH:
        return text[:SNIPPET_LENGTH] + "…"
    return text


class HttpClient:
    """Calls one vendor API.

    A ``with`` block keeps one connection pool open for several calls (a whole batch); calls
    made outside a block use a short-lived session, so nothing is left open.
    """

    def __init__(self, base_url, timeout, auth=None, headers=None, vendor="gateway"):
        self.base_url = (base_url or "").rstrip("/")
        self.timeout = timeout
        self.auth = auth
        self.headers = dict(headers or {})
        self.vendor = vendor
        self._session = None
        self._depth = 0

    def __enter__(self):
        if self._depth == 0:
            self._session = requests.Session()
        self._depth += 1
        return self

    def __exit__(self, *exc_info):
        self._depth -= 1
        if self._depth == 0:
            self._session.close()
            self._session = None

    def url(self, path):
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def request(self, method, path, *, auth_errors_are_fatal=True, **kwargs):
        """Perform the call and return the :class:`requests.Response`, or raise
        :class:`GatewayError` as described in the module docstring."""
        url = self.url(path)
        headers = {**self.headers, **kwargs.pop("headers", {})}
        kwargs.setdefault("auth", self.auth)
        try:
            if self._session is not None:
                response = self._session.request(
                    method, url, headers=headers, timeout=self.timeout, **kwargs
                )
            else:
                with requests.Session() as session:
                    response = session.request(
                        method, url, headers=headers, timeout=self.timeout, **kwargs
                    )
        # the messages name what happened in plain words (``tools.plain_errors``); the
        # library's own text stays in the chained cause, for the log and the form's details
        except requests.exceptions.ConnectTimeout as error:
            raise GatewayError(
                f"No connection to {self.vendor} within {self.timeout:g} s.",
                transient=True,
            ) from error
        except requests.exceptions.Timeout as error:
            raise GatewayError(
                f"No answer from {self.vendor} within {self.timeout:g} s.",
                transient=True,
                maybe_sent=True,
            ) from error
        except requests.exceptions.ConnectionError as error:
            raise GatewayError(
                f"Cannot connect to {self.vendor}: {reason(error)}.", transient=True
            ) from error
        except (
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
        ) as error:
            raise GatewayError(f"The address of {self.vendor} is not valid: {url}") from error
        except requests.exceptions.RequestException as error:
            # e.g. the answer broke off while being read: the request itself went out
            raise GatewayError(
                f"The call to {self.vendor} broke off: {reason(error)}.",
                transient=True,
                maybe_sent=True,
            ) from error
        self._raise_for_status(response, auth_errors_are_fatal)
        return response

    def _raise_for_status(self, response, auth_errors_are_fatal):
        status = response.status_code
        error = None
        if status == 429:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            error = GatewayError(
                f"Too many requests to {self.vendor} (HTTP 429): {snippet(response.text)}",
                transient=True,
                retry_after=retry_after,
            )
        elif status >= 500:
            error = GatewayError(
                f"A failure at {self.vendor} (HTTP {status}): {snippet(response.text)}",
                transient=True,
                maybe_sent=True,
            )
        elif auth_errors_are_fatal and status in (401, 403):
            error = GatewayError(
                f"The credentials were refused by {self.vendor} (HTTP {status}): "
                f"{snippet(response.text)}",
                failure_type="sms_acc",
            )
        if error:
            # what ``tools.plain_errors`` tells the user
            error.http_status = status
            raise error

    def json(self, response):
        """The JSON body of ``response``, or a :class:`GatewayError` when it is not JSON."""
        try:
            return response.json()
        except ValueError as error:
            raise GatewayError(
                f"The answer of {self.vendor} is not its API's JSON "
                f"(HTTP {response.status_code}): {snippet(response.text)}",
                maybe_sent=True,
            ) from error

    def request_json(self, method, path, **kwargs):
        response = self.request(method, path, **kwargs)
        return response, self.json(response)


def parse_float(value):
    """A number from a vendor's answer, or ``None`` when it sent something else."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
