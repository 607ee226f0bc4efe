"""A simulated GSM modem speaking AT over a real serial link: a TCP port that pyserial opens
as ``socket://127.0.0.1:<port>``, or a pty whose slave end it opens as a device path.

It answers what a modem answers (TS 27.005 / 27.007): the set-up commands, the SIM PIN, signal
and registration, and ``AT+CMGS`` in PDU mode with the ``> `` prompt, each part decoded by the
network side (``network_pdu``) of the addon's own PDU codec so that a test sees the texts,
numbers and parts the network would.
Scripted behaviour: ``+CMS ERROR`` answers for the next parts, a delay per message (the line
rate of the benchmark), a delivery report per part (delivered, or a chosen status), incoming
messages, and a cable pulled after N parts.
"""

import os
import pty
import socket
import threading
import time
import tty
from datetime import datetime, timezone

from ...tools import pdu
from . import network_pdu

CTRL_Z = 0x1A


def status_report_pdu(reference, number, status=0):
    """An SMS-STATUS-REPORT as ``+CDS`` carries it, with its TPDU length."""
    report = network_pdu.encode_status_report(
        reference % 256, number, status, service_centre_timestamp=datetime.now(timezone.utc)
    )
    return report, pdu.tpdu_length(report)


def deliver_pdu(sender, text):
    """An SMS-DELIVER as ``+CMT`` carries it (one part), with its TPDU length."""
    [message] = network_pdu.encode_deliver(sender, text, datetime.now(timezone.utc))
    return message, pdu.tpdu_length(message)


class SimulatedModem:
    def __init__(self, pin=None, per_message_seconds=0.0, link="socket", operator="MTS RUS"):
        self.pin = pin
        self.unlocked = pin is None
        self.pin_attempts = []
        self.per_message_seconds = per_message_seconds
        self.link = link
        self.operator = operator
        self.cms_errors = []  # codes answered to the next parts, one each
        self.report_status = {}  # number -> TP-ST of its delivery reports (default delivered)
        self.status_reports = True
        self.unplug_after_parts = None
        self.parts = []  # decoded SUBMIT parts, in the order they left
        self.sent_at = []  # time.monotonic() when each part was accepted
        self.commands = []
        self.pending_unsolicited = []
        self.stored = {}  # SIM index -> DELIVER PDU
        self.text_mode_messages = []  # (number, text) sent in text mode
        self._reference = 0
        self._stop = threading.Event()
        self._threads = []

    # -- links -----------------------------------------------------------------------------

    def __enter__(self):
        if self.link == "pty":
            self._master, slave = pty.openpty()
            tty.setraw(slave)
            self.url = os.ttyname(slave)
            self._slave = slave
            self._spawn(self._serve_pty)
        else:
            self._server = socket.create_server(("127.0.0.1", 0))
            self._server.settimeout(0.2)
            self.url = f"socket://127.0.0.1:{self._server.getsockname()[1]}"
            self._spawn(self._serve_socket)
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        if self.link == "pty":
            for fd in (self._master, self._slave):
                if fd is not None:
                    os.close(fd)
        else:
            self._server.close()

    def _spawn(self, target):
        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _serve_socket(self):
        while not self._stop.is_set():
            try:
                conn, _address = self._server.accept()
            except (TimeoutError, OSError):
                continue
            conn.settimeout(0.2)
            # a serial line has no Nagle delay: each answer leaves at once
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with conn:
                self._converse(conn.recv, conn.sendall, conn)

    def _serve_pty(self):
        import select  # noqa: PLC0415

        def recv(_size):
            ready, _, _ = select.select([self._master], [], [], 0.2)
            if not ready:
                raise TimeoutError
            return os.read(self._master, 4096)

        def send(data):
            os.write(self._master, data)

        self._converse(recv, send, None)

    # -- the dialogue ------------------------------------------------------------------------

    def _converse(self, recv, send, conn):
        buffer = b""
        pdu_length = None
        while not self._stop.is_set():
            try:
                chunk = recv(4096)
            except TimeoutError:
                # like a modem, it speaks on its own while the line is quiet
                self._flush_unsolicited(send)
                continue
            except OSError:
                return
            if not chunk:
                return
            buffer += chunk
            while True:
                if pdu_length is not None:
                    if CTRL_Z not in buffer:
                        break
                    data, buffer = buffer.split(bytes([CTRL_Z]), 1)
                    answer = self._submit(data.decode().strip(), pdu_length)
                    pdu_length = None
                    if answer is None:  # unplugged: the other end reads an error at once
                        if conn is not None:
                            conn.close()
                        else:
                            os.close(self._master)
                            self._master = None  # never closed twice: the number is reused
                        return
                    send(answer)
                    continue
                if b"\r" not in buffer:
                    break
                line, buffer = buffer.split(b"\r", 1)
                command = line.decode().strip()
                if not command:
                    continue
                self.commands.append(command)
                if command.startswith("AT+CMGS="):
                    argument = command.split("=", 1)[1]
                    # text mode names the number; PDU mode gives the length
                    pdu_length = argument.strip('"') if argument.startswith('"') else int(argument)
                    send(b"\r\n> ")
                    continue
                send(self._answer(command))

    def _flush_unsolicited(self, send):
        while self.pending_unsolicited:
            send(self.pending_unsolicited.pop(0))

    def _answer(self, command):
        if command == "AT+CPIN?":
            state = "READY" if self.unlocked else "SIM PIN"
            return f"\r\n+CPIN: {state}\r\n\r\nOK\r\n".encode()
        if command.startswith("AT+CPIN="):
            given = command.split("=", 1)[1].strip('"')
            self.pin_attempts.append(given)
            if given == self.pin:
                self.unlocked = True
                return b"\r\nOK\r\n"
            return b"\r\n+CME ERROR: 16\r\n"
        if command.startswith("AT+CMGR="):
            index = int(command.split("=", 1)[1])
            if index not in self.stored:
                return b"\r\n+CMS ERROR: 321\r\n"
            message, length = self.stored[index]
            return f"\r\n+CMGR: 0,,{length}\r\n{message}\r\n\r\nOK\r\n".encode()
        if command.startswith("AT+CMGD="):
            self.stored.pop(int(command.split("=", 1)[1]), None)
            return b"\r\nOK\r\n"
        if command == "AT+CSQ":
            return b"\r\n+CSQ: 20,0\r\n\r\nOK\r\n"
        if command == "AT+CREG?":
            return b"\r\n+CREG: 0,1\r\n\r\nOK\r\n"
        if command == "AT+COPS?":
            return f'\r\n+COPS: 0,0,"{self.operator}",2\r\n\r\nOK\r\n'.encode()
        if command.startswith("AT+CNMI="):
            # AT+CNMI=<mode>,<mt>,<bm>,<ds>,<bfr>: ds routes the delivery reports
            self.status_reports = command.split("=", 1)[1].split(",")[3] != "0"
            return b"\r\nOK\r\n"
        if command.startswith("AT") and (self.unlocked or not command.startswith("AT+CMG")):
            return b"\r\nOK\r\n"
        return b"\r\n+CMS ERROR: 311\r\n"

    def _submit(self, pdu_hex, tpdu_length):
        if self.unplug_after_parts is not None and len(self.parts) >= self.unplug_after_parts:
            return None
        if isinstance(tpdu_length, str):  # text mode: the number, then the text
            self.text_mode_messages.append((tpdu_length, pdu_hex))
            return b"\r\n+CMGS: 7\r\n\r\nOK\r\n"
        if pdu.tpdu_length(pdu_hex) != tpdu_length:
            return b"\r\n+CMS ERROR: 304\r\n"
        if self.cms_errors:
            return f"\r\n+CMS ERROR: {self.cms_errors.pop(0)}\r\n".encode()
        if self.per_message_seconds:
            time.sleep(self.per_message_seconds)
        part = network_pdu.decode_submit(pdu_hex)
        self.sent_at.append(time.monotonic())
        reference = self._reference
        self._reference = (self._reference + 1) % 256
        self.parts.append(part)
        if self.status_reports and part.request_report:
            report, length = status_report_pdu(
                reference, part.recipient, self.report_status.get(part.recipient, 0)
            )
            self.pending_unsolicited.append(f"\r\n+CDS: {length}\r\n{report}\r\n".encode())
        return f"\r\n+CMGS: {reference}\r\n\r\nOK\r\n".encode()

    def receive(self, sender, text):
        """An incoming message, pushed to the link as ``+CMT``."""
        message, length = deliver_pdu(sender, text)
        self.pending_unsolicited.append(f'\r\n+CMT: "",{length}\r\n{message}\r\n'.encode())

    def store(self, sender, text):
        """An incoming message the modem keeps on the SIM and announces with ``+CMTI``."""
        index = max(self.stored, default=0) + 1
        self.stored[index] = deliver_pdu(sender, text)
        self.pending_unsolicited.append(f'\r\n+CMTI: "SM",{index}\r\n'.encode())

    def texts(self):
        """The texts received by the network, multipart messages joined."""
        joined, pending = [], {}
        for part in self.parts:
            if not part.concatenation:
                joined.append((part.recipient, part.text))
                continue
            key = (part.recipient, part.concatenation.reference)
            group = pending.setdefault(key, [])
            group.append(part)
            if len(group) == part.concatenation.total:
                group.sort(key=lambda item: item.concatenation.sequence)
                joined.append((part.recipient, "".join(item.text for item in group)))
        return joined
