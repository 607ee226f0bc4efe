# Pure Python: nothing here imports odoo, so the top-level tests/ can import it directly.
"""The AT dialogue with a GSM modem (3GPP TS 27.005 / 27.007) over a serial link.

A :class:`ModemSession` writes commands and reads the modem's lines until the final result:
``OK``, ``ERROR``, ``+CMS ERROR: <n>`` or ``+CME ERROR: <n>``.  Sending a PDU waits for the
``> `` prompt (which ends with no newline), writes the PDU and Ctrl-Z, and reads
``+CMGS: <mr>``.  Lines the modem sends on its own (a delivery report ``+CDS``, an incoming
message ``+CMT`` or ``+CMTI``) may arrive in the middle of any answer: they are kept in
:attr:`ModemSession.unsolicited` for the caller, never mistaken for the answer.

The port is anything with pyserial's ``read``/``write`` (a device path or a ``socket://``,
``rfc2217://`` or ``loop://`` URL opened with ``serial.serial_for_url``), so tests talk to a
simulated modem over a real pty or TCP link.

Errors are typed: :class:`CmsError` and :class:`CmeError` carry the numeric code (the session
asks for numeric codes with ``AT+CMEE=1``) and say whether a retry may help; a wrong SIM PIN
is :class:`PinRefused`, which is never retried automatically: three wrong PINs block the SIM.

Sources and tests: ``sms_notify_modem/readme/DEVELOP.md``, section "AT dialogue".
"""

import re
import time
from dataclasses import dataclass

CTRL_Z = b"\x1a"
ESC = b"\x1b"
#: CMS errors worth a later retry: network out of order, temporary failure, congestion, SC
#: busy, SIM busy, no network service, network timeout
TRANSIENT_CMS = frozenset({38, 41, 42, 192, 314, 331, 332})
#: CME errors worth a later retry: SIM busy, no network service, network timeout, "please wait"
TRANSIENT_CME = frozenset({14, 30, 31, 515})
#: what the modem sends on its own, with whether a PDU line follows
UNSOLICITED = {"+CDS:": True, "+CMT:": True, "+CMTI:": False, "+CDSI:": False}
_FINAL = re.compile(r"^(OK|ERROR|\+CMS ERROR: ?(\d+)|\+CME ERROR: ?(\d+))$")
_CMGS = re.compile(r"^\+CMGS: ?(\d+)")

#: AT+CREG registration states
REGISTRATION = {
    0: "not registered",
    1: "registered (home)",
    2: "searching",
    3: "registration denied",
    4: "unknown",
    5: "registered (roaming)",
}
SENDING_REGISTRATIONS = frozenset({1, 5})


class AtError(Exception):
    """The modem refused a command or did not answer. ``pdu_written`` tells, for a message,
    whether the failure came after its PDU was handed to the modem (it may then have left)."""

    transient = False
    pdu_written = False


class ModemTimeout(AtError):
    """No final answer in time: the modem is busy, unplugged or not a modem."""

    transient = True


class CommandError(AtError):
    """A plain ``ERROR``."""


class CmsError(AtError):
    """``+CMS ERROR: <code>``, a message service error (TS 27.005 §3.2.5)."""

    def __init__(self, code, command=""):
        super().__init__(f"+CMS ERROR: {code} ({command})" if command else f"+CMS ERROR: {code}")
        self.code = code
        self.transient = code in TRANSIENT_CMS


class CmeError(AtError):
    """``+CME ERROR: <code>``, an equipment error (TS 27.007)."""

    def __init__(self, code, command=""):
        super().__init__(f"+CME ERROR: {code} ({command})" if command else f"+CME ERROR: {code}")
        self.code = code
        self.transient = code in TRANSIENT_CME


class PinRefused(AtError):
    """The SIM refused the PIN, or needs one the gateway does not have, or needs the PUK.
    Never retried automatically: someone must check the PIN (or enter the PUK) first."""


@dataclass(frozen=True)
class Unsolicited:
    """A line the modem sent on its own, with the PDU line that follows ``+CDS``/``+CMT``."""

    kind: str
    line: str
    pdu: str = ""


@dataclass(frozen=True)
class Health:
    signal_dbm: int | None
    registration: int | None
    operator: str

    @property
    def registered(self):
        return self.registration in SENDING_REGISTRATIONS

    @property
    def registration_label(self):
        return REGISTRATION.get(self.registration, "unknown")


def csq_to_dbm(rssi):
    """``AT+CSQ`` rssi to dBm: 0 is -113 dBm or less, 31 is -51 or more, 99 unknown."""
    if rssi is None or rssi == 99 or not 0 <= rssi <= 31:
        return None
    return -113 + 2 * rssi


def parse_csq(lines):
    for line in lines:
        match = re.match(r"^\+CSQ: ?(\d+),", line)
        if match:
            return csq_to_dbm(int(match.group(1)))
    return None


def parse_creg(lines):
    for line in lines:
        match = re.match(r"^\+CREG: ?(\d+)(?:,(\d+))?", line)
        if match:
            # "+CREG: <n>,<stat>" to a query; "+CREG: <stat>" when unsolicited
            return int(match.group(2) if match.group(2) is not None else match.group(1))
    return None


def parse_cops(lines):
    for line in lines:
        match = re.match(r'^\+COPS: ?\d+(?:,\d+,"([^"]*)")?', line)
        if match:
            return match.group(1) or ""
    return ""


def parse_pin_state(lines):
    for line in lines:
        if line.startswith("+CPIN:"):
            return line.split(":", 1)[1].strip()
    return ""


class ModemSession:
    """One conversation with a modem over ``port``; ``timeout`` is how long a command may take
    before :class:`ModemTimeout` (sending a message gets ``send_timeout``)."""

    def __init__(self, port, timeout=5.0, send_timeout=60.0):
        self.port = port
        self.timeout = timeout
        self.send_timeout = send_timeout
        self.unsolicited = []
        self._buffer = b""

    # -- reading -----------------------------------------------------------------------

    def _fill(self, deadline):
        if time.monotonic() > deadline:
            raise ModemTimeout("the modem did not answer in time")
        try:
            chunk = self.port.read(getattr(self.port, "in_waiting", 0) or 1)
        except OSError as error:  # the cable was pulled, the pty closed
            raise ModemTimeout(f"the modem is unreachable: {error}") from error
        self._buffer += chunk or b""
        return bool(chunk)

    def _read_line(self, deadline, prompt=False):
        """The next non-empty line; with ``prompt``, also the ``> `` that ends with no newline."""
        while True:
            if prompt and self._buffer.lstrip(b"\r\n").startswith(b">"):
                self._buffer = self._buffer.lstrip(b"\r\n")[1:].lstrip(b" ")
                return ">"
            if b"\n" in self._buffer:
                line, self._buffer = self._buffer.split(b"\n", 1)
                text = line.strip().decode("ascii", "replace")
                if text:
                    return text
                continue
            self._fill(deadline)

    def _is_unsolicited(self, line, deadline):
        for prefix, has_pdu in UNSOLICITED.items():
            if line.startswith(prefix):
                pdu = self._read_line(deadline) if has_pdu else ""
                self.unsolicited.append(Unsolicited(prefix[:-1], line, pdu))
                return True
        return False

    def _read_answer(self, command, deadline):
        lines = []
        while True:
            line = self._read_line(deadline)
            if line == command:  # the echo, before ATE0 took effect
                continue
            if self._is_unsolicited(line, deadline):
                continue
            final = _FINAL.match(line)
            if not final:
                lines.append(line)
                continue
            if final.group(1) == "OK":
                return lines
            if final.group(2):
                raise CmsError(int(final.group(2)), command)
            if final.group(3):
                raise CmeError(int(final.group(3)), command)
            raise CommandError(f"ERROR ({command})")

    # -- commands ----------------------------------------------------------------------

    def command(self, command, timeout=None):
        """Send ``command`` and return the lines of its answer (final ``OK`` excluded)."""
        deadline = time.monotonic() + (timeout or self.timeout)
        self._write(command.encode("ascii") + b"\r")
        return self._read_answer(command, deadline)

    def _write(self, data):
        try:
            self.port.write(data)
        except OSError as error:
            raise ModemTimeout(f"the modem is unreachable: {error}") from error

    def send_pdu(self, pdu_hex, tpdu_length):
        """Send one SMS-SUBMIT PDU; return its message reference (``+CMGS: <mr>``)."""
        return self._send(f"AT+CMGS={tpdu_length}", pdu_hex.encode("ascii"))

    def send_text(self, number, text):
        """Send one SMS in text mode (``AT+CMGF=1``, GSM character set); return its reference."""
        return self._send(f'AT+CMGS="{number}"', text.encode("ascii", "strict"))

    def _send(self, command, payload):
        deadline = time.monotonic() + self.send_timeout
        self._write(command.encode("ascii") + b"\r")
        while True:
            line = self._read_line(deadline, prompt=True)
            if line == ">":
                break
            if line == command or self._is_unsolicited(line, deadline):
                continue
            final = _FINAL.match(line)
            if final and final.group(2):
                raise CmsError(int(final.group(2)), command)
            if final and final.group(3):
                raise CmeError(int(final.group(3)), command)
            if final:
                raise CommandError(f"{line} ({command})")
        try:
            self._write(payload + CTRL_Z)
            answer = self._read_answer("", deadline)
        except AtError as error:
            error.pdu_written = True
            raise
        reference = None
        for line in answer:
            match = _CMGS.match(line)
            if match:
                reference = int(match.group(1))
        if reference is None:
            raise CommandError("the modem sent the message without a reference")
        return reference

    def read_unsolicited(self, seconds=0.0):
        """Read what the modem says on its own for ``seconds`` (delivery reports, messages);
        return it, with what arrived during earlier answers, and forget it."""
        deadline = time.monotonic() + seconds
        while True:
            if b"\n" not in self._buffer:
                if time.monotonic() >= deadline:
                    break
                self._fill(deadline + 1)
                continue
            line, self._buffer = self._buffer.split(b"\n", 1)
            text = line.strip().decode("ascii", "replace")
            if text:
                self._is_unsolicited(text, deadline + 1)
        found, self.unsolicited = self.unsolicited, []
        return found

    # -- the usual sequences -----------------------------------------------------------

    def initialise(self, pin=None, text_mode=False, status_reports=True, smsc=None):
        """Reset the modem, unlock the SIM and set it up for sending (PDU mode by default),
        with delivery reports routed to this link (``+CDS``) and new messages too (``+CMT``)."""
        self.command("ATZ")
        self.command("ATE0")
        self.command("AT+CMEE=1")
        state = parse_pin_state(self.command("AT+CPIN?"))
        if state == "SIM PIN":
            if not pin:
                raise PinRefused("the SIM asks for its PIN: enter it on the gateway")
            try:
                self.command(f'AT+CPIN="{pin}"', timeout=max(self.timeout, 10))
            except (CmeError, CommandError) as error:
                raise PinRefused(
                    f"the SIM refused the PIN ({error}); check it before trying again, "
                    "three wrong PINs block the SIM"
                ) from error
        elif state and state != "READY":
            raise PinRefused(f"the SIM needs {state}: unlock it in a phone first")
        self.command(f"AT+CMGF={1 if text_mode else 0}")
        if text_mode:
            # SUBMIT with relative validity (24 h), with or without a status report
            self.command(f"AT+CSMP={49 if status_reports else 17},167,0,0")
        if smsc:
            self.command(f'AT+CSCA="{smsc}"')
        # delivery reports are read as PDUs: in text mode they are not asked for
        reports = status_reports and not text_mode
        self.command(f"AT+CNMI=2,2,0,{1 if reports else 0},0")

    def health(self):
        return Health(
            signal_dbm=parse_csq(self.command("AT+CSQ")),
            registration=parse_creg(self.command("AT+CREG?")),
            operator=parse_cops(self.command("AT+COPS?")),
        )
