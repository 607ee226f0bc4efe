"""A real HTTP server on 127.0.0.1 that vendor fakes build on.

A fake is a context manager: entering it starts a ``ThreadingHTTPServer`` on a free port in a
daemon thread, leaving it stops the server.  Every request is recorded (bounded, thread-safe)
and answered by the vendor subclass, unless a scripted failure comes first::

    with FakeSmsc() as fake:
        fake.fail("http_500")            # the next request gets HTTP 500
        fake.fail("slow", times=None)    # every request waits ``slow_seconds`` until cleared
        fake.fail("http_500", after=1)   # the second request fails
        fake.number_errors["+79990000001"] = "bad_number"

Failure modes: ``http_500``, ``slow`` (answers normally after ``slow_seconds``, so a client
with a shorter timeout gives up), ``malformed`` (HTTP 200 with an HTML page), ``rate_limit``
(HTTP 429 with ``Retry-After``), ``auth`` (the vendor's own answer to bad credentials).

Per-number problems, spelled the same for every vendor, go in ``number_errors``:
``bad_number``, ``undeliverable``, ``no_funds`` and ``forbidden`` (the vendor refuses the
message or the recipient).  ``forbidden_senders`` and ``forbidden_words`` make the vendor
refuse a sender name or a text; ``balance`` and ``price`` make it run out of money.

Nothing here imports Odoo: the pure tests and the Odoo tests both use these servers.
"""

import contextlib
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

FAILURE_MODES = ("http_500", "slow", "malformed", "rate_limit", "auth")
MAX_BODY = 1024 * 1024


@dataclass(frozen=True)
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)


def json_response(payload, status=200, headers=None):
    body = json.dumps(payload, ensure_ascii=False).encode()
    return Response(status, body, {"Content-Type": "application/json", **(headers or {})})


def text_response(text, status=200, content_type="text/plain; charset=utf-8"):
    return Response(status, text.encode(), {"Content-Type": content_type})


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake received."""

    method: str
    path: str
    query: dict
    headers: dict
    body: bytes
    received_at: float

    @property
    def form(self):
        content_type = self.headers.get("content-type", "")
        if "application/x-www-form-urlencoded" not in content_type:
            return {}
        return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))

    @property
    def json(self):
        if "json" not in self.headers.get("content-type", ""):
            return None
        try:
            return json.loads(self.body.decode("utf-8"))
        except ValueError:
            return None

    @property
    def params(self):
        """Query and form parameters together (the form wins), as SMS APIs read them."""
        return {**self.query, **self.form}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):
        # a client that gave up (timeout) leaves a broken pipe behind: not worth a traceback
        pass


class FakeGateway:
    """Base of the vendor fakes; subclasses implement :meth:`handle`, :meth:`is_authorized`
    and :meth:`auth_failure`."""

    #: seconds a ``slow`` answer waits
    slow_seconds = 1.0
    #: how many requests are kept
    max_records = 500
    #: Retry-After of ``rate_limit`` answers
    retry_after = 7
    #: seconds every answer takes, as a real vendor's does (150 ms and more); requests in
    #: flight together wait side by side
    latency = 0.0

    def __init__(self):
        self.lock = threading.RLock()
        self._records = deque(maxlen=self.max_records)
        self._failures = deque()
        self._stopping = threading.Event()
        self._server = None
        self._thread = None
        self.number_errors = {}
        self.forbidden_senders = set()
        self.forbidden_words = set()
        #: requests being answered now, and the most there ever were at once
        self.in_flight = 0
        self.max_in_flight = 0

    # lifecycle

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # headers and body leave in separate writes: with Nagle's algorithm on, the body
            # waits for the client's delayed ACK (40 ms a request), which real servers avoid
            disable_nagle_algorithm = True

            def log_message(self, format, *args):
                pass

            def do_GET(self):
                fake._serve(self)

            def do_POST(self):
                fake._serve(self)

        self._stopping.clear()
        self._server = _Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self):
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self._server = None

    @property
    def url(self):
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # scripting

    def fail(self, mode, times=1, after=0):
        """Answer ``times`` requests (every one when ``None``) with ``mode``, once ``after``
        requests have been answered normally."""
        if mode not in FAILURE_MODES:
            raise ValueError(f"unknown failure mode {mode!r}; known: {FAILURE_MODES}")
        with self.lock:
            self._failures.append([mode, times, after])

    def clear_failures(self):
        with self.lock:
            self._failures.clear()

    def _next_failure(self):
        with self.lock:
            if not self._failures:
                return None
            entry = self._failures[0]
            mode, times, after = entry
            if after > 0:
                entry[2] -= 1
                return None
            if times is not None:
                entry[1] -= 1
                if entry[1] <= 0:
                    self._failures.popleft()
            return mode

    # records

    @property
    def requests(self):
        with self.lock:
            return list(self._records)

    @property
    def last_request(self):
        with self.lock:
            return self._records[-1] if self._records else None

    def requests_to(self, path):
        return [request for request in self.requests if request.path.endswith(path)]

    # serving

    def _serve(self, handler):
        try:
            request = self._read(handler)
            with self.lock:
                self._records.append(request)
                self.in_flight += 1
                self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                if self.latency:
                    self._stopping.wait(self.latency)
                response = self._answer(request)
            finally:
                with self.lock:
                    self.in_flight -= 1
            self._write(handler, response)
        except Exception:  # a fake must never kill its server thread
            # the client may have gone away (it timed out), so the answer may not get through
            with contextlib.suppress(OSError):
                self._write(handler, text_response("fake server error", status=500))

    @staticmethod
    def _read(handler):
        length = min(int(handler.headers.get("Content-Length") or 0), MAX_BODY)
        body = handler.rfile.read(length) if length else b""
        parts = urlsplit(handler.path)
        return RecordedRequest(
            method=handler.command,
            path=parts.path,
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            headers={key.lower(): value for key, value in handler.headers.items()},
            body=body,
            received_at=time.time(),
        )

    def _answer(self, request):
        mode = self._next_failure()
        if mode == "slow":
            # cut short when the fake stops, so a test never waits for a sleeping thread
            self._stopping.wait(self.slow_seconds)
        elif mode == "http_500":
            return text_response("<html><body>Internal Server Error</body></html>", status=500)
        elif mode == "malformed":
            return text_response("<html><body>Maintenance</body></html>", content_type="text/html")
        elif mode == "rate_limit":
            return Response(
                429,
                b'{"message": "Too Many Requests"}',
                {"Content-Type": "application/json", "Retry-After": str(self.retry_after)},
            )
        if mode == "auth" or not self.is_authorized(request):
            return self.auth_failure(request)
        with self.lock:
            return self.handle(request)

    @staticmethod
    def _write(handler, response):
        handler.send_response(response.status)
        for key, value in response.headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(response.body)))
        handler.end_headers()
        handler.wfile.write(response.body)
        handler.wfile.flush()

    # vendor behaviour

    def is_authorized(self, request):
        raise NotImplementedError

    def auth_failure(self, request):
        raise NotImplementedError

    def handle(self, request):
        raise NotImplementedError

    # helpers for vendor fakes

    def number_error(self, number):
        """The scripted problem of ``number``, matched on its digits."""
        digits = "".join(ch for ch in str(number) if ch.isdigit())
        for scripted, problem in self.number_errors.items():
            if "".join(ch for ch in scripted if ch.isdigit()) == digits:
                return problem
        return None

    def text_forbidden(self, text):
        lowered = (text or "").lower()
        return any(word.lower() in lowered for word in self.forbidden_words)
