"""Gateway failures are shown in plain words, with the library's text as a detail only.

The failures are real ones: calls to closed ports, to a server that never answers, to a
plain-http server over https, and to a name that does not resolve."""

import socket
import threading

import pytest
import requests

from odoo.addons.sms_notify.tools import plain_errors as p
from odoo.addons.sms_notify.tools.gateway import GatewayError
from odoo.addons.sms_notify.tools.http_client import HttpClient
from odoo.addons.sms_notify_modem.tools.modem import GsmModemClient

LIBRARY_WORDS = ("HTTPConnectionPool", "HTTPSConnectionPool", "Max retries", "Errno", "urllib3")


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def silent_server():
    """A server that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    held = []
    stop = threading.Event()

    def accept():
        sock.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(sock.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield sock.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    sock.close()


@pytest.fixture
def plain_http_server():
    """A server that answers plain http (so a TLS handshake with it fails)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    stop = threading.Event()

    def serve():
        sock.settimeout(0.1)
        while not stop.is_set():
            try:
                conn = sock.accept()[0]
            except OSError:
                continue
            with conn:
                conn.recv(1024)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield sock.getsockname()[1]
    stop.set()
    thread.join()
    sock.close()


def _failure(url, timeout=2):
    client = HttpClient(url, timeout, vendor="SMSC")
    with pytest.raises(GatewayError) as caught:
        client.request("GET", "/sys/balance.php")
    return caught.value


def _assert_plain(error, kind):
    explanation = p.explain(error)
    assert explanation.kind == kind
    for words in LIBRARY_WORDS:
        assert words not in str(error)
        assert words not in explanation.headline
        assert words not in explanation.advice
    assert explanation.advice
    assert "The The" not in str(error) + explanation.headline + explanation.advice
    return explanation


def test_connection_refused():
    error = _failure(f"http://127.0.0.1:{_closed_port()}")
    explanation = _assert_plain(error, p.REFUSED)
    assert str(error) == "Cannot connect to SMSC: the connection was refused."
    assert explanation.headline == "The gateway refused the connection."
    # the library's own words stay available as the detail line
    assert "refused" in explanation.detail.lower()


def test_timeout(silent_server):
    error = _failure(f"http://127.0.0.1:{silent_server}", timeout=0.3)
    _assert_plain(error, p.TIMEOUT)
    assert str(error) == "No answer from SMSC within 0.3 s."
    assert error.maybe_sent


def test_tls_failure(plain_http_server):
    error = _failure(f"https://127.0.0.1:{plain_http_server}")
    _assert_plain(error, p.TLS)
    assert "secure (https) connection failed" in str(error)


def test_dns_failure():
    # ``.invalid`` never resolves (RFC 6761), with or without a network
    error = _failure("http://sms-gateway.invalid")
    _assert_plain(error, p.DNS)
    assert str(error) == "Cannot connect to SMSC: its server name was not found."


def test_invalid_address_does_not_double_the_article():
    error = _failure("smsc.ru")
    _assert_plain(error, p.ADDRESS)
    assert str(error).startswith("The address of SMSC is not valid")


@pytest.mark.parametrize("status, kind", [(401, p.AUTH), (403, p.FORBIDDEN)])
def test_refused_credentials(status, kind):
    response = requests.models.Response()
    response.status_code = status
    response._content = b'{"error": "Unauthorized"}'
    client = HttpClient("https://api.example.com", 2, vendor="Twilio")
    with pytest.raises(GatewayError) as caught:
        client._raise_for_status(response, True)
    explanation = _assert_plain(caught.value, kind)
    assert f"HTTP {status}" in explanation.detail
    assert caught.value.failure_type == "sms_acc"


def test_serial_port_that_cannot_be_opened():
    """The modem's client opening a port that is not there, as pyserial reports it."""

    def missing_port(url, baudrate, timeout):
        # pyserial's SerialException is an OSError with the system's text
        raise OSError(2, f"could not open port {url}: [Errno 2] No such file or directory")

    client = GsmModemClient({"port": "/dev/ttyUSB9", "open_port": missing_port})
    with pytest.raises(GatewayError) as caught:
        client.test_connection()
    assert str(caught.value) == "the modem's port /dev/ttyUSB9 cannot be opened"
    explanation = _assert_plain(caught.value, p.PORT)
    assert "No such file" in explanation.detail


def test_network_serial_port_that_refuses():
    client = GsmModemClient({"port": f"socket://127.0.0.1:{_closed_port()}", "timeout": 1})
    with pytest.raises(GatewayError) as caught:
        client.test_connection()
    assert str(caught.value).endswith("cannot be opened: the connection was refused")
    _assert_plain(caught.value, p.REFUSED)


def test_a_vendor_refusal_is_shown_in_its_own_words():
    error = GatewayError("SMSC error 4: IP address temporarily blocked")
    explanation = p.explain(error)
    assert explanation.kind is None
    assert explanation.headline == "SMSC error 4: IP address temporarily blocked"
    assert explanation.advice == p.OTHER_ADVICE
    assert explanation.detail == ""


def test_a_vendor_refusing_the_account_is_a_credentials_failure():
    """Every client raises its vendor's refusal of the credentials with ``sms_acc``."""
    error = GatewayError("SMSC error 2: authorise error", "sms_acc")
    explanation = _assert_plain(error, p.AUTH)
    assert explanation.headline == "The gateway refused the credentials."
    assert explanation.detail == "SMSC error 2: authorise error"


def test_every_explanation_is_two_sentences():
    for kind in p.KINDS:
        headline, advice = p.EXPLANATIONS[kind]
        assert headline.endswith(".") and advice.endswith("."), kind
        assert kind in p.REASONS
