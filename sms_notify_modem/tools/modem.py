# Pure Python: nothing here imports odoo, so the top-level tests/ can import it directly.
"""The GSM modem gateway: messages sent one part at a time through a modem on a serial link.

Config keys: ``port`` (a device path such as ``/dev/ttyUSB0``, or a pyserial URL:
``socket://host:port``, ``rfc2217://host:port``), ``baudrate`` (default 115200), ``pin`` (the
SIM's PIN, tried once per session and never again after a refusal), ``smsc`` (the service
centre number, when the SIM does not hold it), ``text_mode`` (PDU mode by default: text mode
cannot send Unicode on many modems), ``status_reports`` (default on), ``open_port`` (a callable
``(url, baudrate, timeout)`` returning the port; tests pass their own), ``on_unsolicited`` (a
callable given the delivery reports and incoming messages read during the session).

A message's parts each get a message reference from the modem (``+CMGS: <mr>``, one octet that
wraps at 256); the message's external id lists them (``"12,13,14"``), so that delivery reports
(``+CDS``, which name the reference) find their part.

Errors: a transient ``+CMS ERROR`` (no network service, network timeout, congestion...) is
tried again a few times within the session; still failing, the batch stops and what is not sent
goes back to the queue. A permanent one (an unassigned number, an invalid address) fails that
message only. A modem that stops answering (unplugged) stops the batch: the messages already
handed over keep their result, the rest waits. A SIM PIN refused stops the gateway until
someone checks the PIN.

Sources and tests: ``sms_notify_modem/readme/DEVELOP.md``, section "Modem gateway".
"""

import time

# the core's registry and GatewayError: the very ones its sending engine uses
from ...sms_notify.tools import plain_errors
from ...sms_notify.tools.gateway import (
    GatewayClient,
    GatewayError,
    SendResult,
    _lt,
    register_gateway,
    seconds_left,
)
from . import at, pdu

DEFAULT_BAUDRATE = 115200
#: tries of one part on a transient error, within one session
PART_TRIES = 3
#: seconds between those tries
PART_RETRY_WAIT = 1.0
#: permanent CMS errors that say the number cannot receive
DESTINATION_ERRORS = frozenset({1, 8, 10, 21, 27, 29, 50, 195, 196})


class PinError(GatewayError):
    """The SIM refused the PIN or needs one: the messages wait, and the gateway does not try
    the PIN again until someone corrects it."""


def device_error(message, device_state, **kwargs):
    """A :class:`GatewayError` that also says what the gateway form shows of the modem:
    ``unreachable`` (it does not answer) or ``rebinding`` (it answers without a network)."""
    error = GatewayError(message, **kwargs)
    error.device_state = device_state
    return error


def open_serial(url, baudrate, timeout):
    import serial  # noqa: PLC0415 - only the modem gateway needs pyserial

    return serial.serial_for_url(url, baudrate=baudrate, timeout=timeout)


@register_gateway("gsm_modem")
class GsmModemClient(GatewayClient):
    code = "gsm_modem"
    #: a modem sends a few messages a second at best: batches stay small so that a second
    #: modem (in another worker) takes the next one
    batch_size = 50
    timeout = 5
    is_device = True
    exclusive = True
    form_fields = {
        "modem_port": True,
        "modem_baudrate": False,
        "modem_pin": False,
        "modem_smsc": False,
        "modem_text_mode": False,
    }
    config_fields = {
        "port": "modem_port",
        "baudrate": "modem_baudrate",
        "pin": "modem_pin",
        "smsc": "modem_smsc",
        "text_mode": "modem_text_mode",
        "pin_refused": "modem_pin_refused",
    }
    services = ("on_unsolicited", "owned")
    form_help = _lt(
        "GSM modem: a modem with a SIM card on a serial port of the Odoo server, or on a "
        "network serial port. One Odoo process at a time talks to it; delivery reports and "
        "received SMS are read while it sends and every minute in between. Check the Modem "
        "reads the signal, the network and the operator."
    )
    part_retry_wait = PART_RETRY_WAIT

    def _session(self):
        opener = self.config.get("open_port") or open_serial
        try:
            port = opener(
                self.config["port"],
                int(self.config.get("baudrate") or DEFAULT_BAUDRATE),
                0.2,
            )
        except (OSError, ValueError) as error:  # pyserial's SerialException is an OSError
            # in plain words; pyserial's own text stays in the chained cause (the details)
            what = plain_errors.classify(error)
            why = "" if what == plain_errors.PORT else f": {plain_errors.reason(error)}"
            raise device_error(
                f"the modem's port {self.config.get('port')} cannot be opened{why}",
                "unreachable",
                transient=True,
            ) from error
        return port, at.ModemSession(port, timeout=self.timeout)

    def _initialised_session(self):
        port, session = self._session()
        try:
            session.initialise(
                pin=self.config.get("pin"),
                text_mode=bool(self.config.get("text_mode")),
                status_reports=self.config.get("status_reports", True),
                smsc=self.config.get("smsc"),
            )
        except at.PinRefused as error:
            port.close()
            raise PinError(str(error), "sms_acc", transient=True) from error
        except at.AtError as error:
            port.close()
            raise device_error(
                f"the modem did not accept its set-up: {error}",
                "unreachable" if isinstance(error, at.ModemTimeout) else "rebinding",
                transient=error.transient,
            ) from error
        return port, session

    def send(self, messages):
        if self.config.get("pin_refused"):
            raise PinError(
                "the SIM refused the PIN earlier: correct it on the gateway",
                "sms_acc",
                transient=True,
            )
        owned = self.config.get("owned")
        if owned and not owned():
            raise GatewayError("another Odoo process is sending through this modem", transient=True)
        port, session = self._initialised_session()
        results = []
        try:
            for message in messages:
                results.append(self._send_one(session, message, results))
        finally:
            self._hand_over_unsolicited(session)
            port.close()
        return results

    def _send_one(self, session, message, results):
        left = seconds_left(message.valid_until)
        if left is not None and left <= 0:
            return SendResult(message.uuid, "error", failure_type="sms_expired")
        if self.config.get("text_mode"):
            return self._send_text(session, message, results)
        try:
            parts = pdu.encode_submit(
                message.number,
                message.body,
                request_report=self.config.get("status_reports", True),
                validity_minutes=max(1, left // 60) if left is not None else None,
                reference=int(message.uuid[:4], 16) if message.uuid else 0,
            )
        except ValueError as error:
            return SendResult(
                message.uuid, "error", failure_type="sms_number_format", error_message=str(error)
            )
        references = []
        for part in parts:
            try:
                references.append(self._send_part(session, part))
            except at.CmsError as error:
                if error.transient:
                    # the network is away: what is not sent yet waits in the queue
                    if references:
                        # its first parts left: the customer has part of it, resending all
                        # would repeat them
                        results.append(
                            SendResult(
                                message.uuid,
                                "error",
                                failure_type="sms_server",
                                gateway_reference=",".join(str(ref) for ref in references),
                                error_message=f"Only {len(references)} of {len(parts)} parts "
                                f"could be sent: {error}",
                                segments=len(parts),
                            )
                        )
                    raise device_error(
                        f"the modem cannot reach the network: {error}",
                        "rebinding",
                        transient=True,
                        results=results,
                    ) from error
                failure = (
                    "sms_invalid_destination" if error.code in DESTINATION_ERRORS else "sms_server"
                )
                return SendResult(
                    message.uuid,
                    "error",
                    failure_type=failure,
                    error_message=str(error),
                    segments=len(parts),
                )
            except at.AtError as error:
                if references or error.pdu_written:
                    # it may have left before the link broke: kept Processing, never resent
                    # blindly (the queue asks the user to check after a while)
                    results.append(
                        SendResult(
                            message.uuid,
                            "process",
                            gateway_reference=",".join(str(ref) for ref in references) or False,
                            error_message=f"The modem stopped answering while sending it: {error}",
                        )
                    )
                raise device_error(
                    f"the modem stopped answering: {error}",
                    "unreachable",
                    transient=True,
                    results=results,
                ) from error
        return SendResult(
            message.uuid,
            "pending",
            gateway_reference=",".join(str(reference) for reference in references),
            segments=len(parts),
        )

    def _send_text(self, session, message, results):
        """Text mode sends one plain SMS: ASCII letters, digits and punctuation, 160 at most.
        Anything else needs PDU mode, and says so instead of arriving garbled."""
        if len(message.body) > 160 or not message.body.isascii():
            return SendResult(
                message.uuid,
                "error",
                failure_type="sms_server",
                error_message="Text mode sends one SMS of plain Latin characters only: switch "
                "Text Mode off on the gateway to send this message.",
            )
        try:
            reference = session.send_text(message.number, message.body)
        except at.AtError as error:
            if error.pdu_written:
                results.append(
                    SendResult(message.uuid, "process", error_message=f"Interrupted: {error}")
                )
            raise GatewayError(
                f"the modem did not send it: {error}", transient=error.transient, results=results
            ) from error
        return SendResult(message.uuid, "pending", gateway_reference=str(reference), segments=1)

    def _send_part(self, session, part):
        """Send one part, trying again after a transient error; the last try raises what the
        modem answers."""
        for _attempt in range(PART_TRIES - 1):
            try:
                return session.send_pdu(part.hex, part.tpdu_length)
            except at.CmsError as error:
                if not error.transient:
                    raise
                time.sleep(self.part_retry_wait)
        return session.send_pdu(part.hex, part.tpdu_length)

    def _hand_over_unsolicited(self, session, found=None):
        found = self._fetch_stored(session, session.unsolicited if found is None else found)
        session.unsolicited = []
        if found and self.config.get("on_unsolicited"):
            self.config["on_unsolicited"](found)

    def _fetch_stored(self, session, found):
        """Messages the modem stored on the SIM (``+CMTI: "SM",<index>``) are read and deleted
        there, and handed over like the ones it passed on at once (``+CMT``)."""
        result = []
        for item in found:
            if item.kind != "+CMTI":
                result.append(item)
                continue
            index = item.line.rsplit(",", 1)[-1].strip()
            try:
                lines = session.command(f"AT+CMGR={index}")
                session.command(f"AT+CMGD={index}")
            except at.AtError:
                continue  # read again at the next listen: the SIM keeps it
            if len(lines) >= 2:
                result.append(at.Unsolicited("+CMT", lines[0], lines[1]))
        return result

    def listen(self, seconds):
        """Read delivery reports and incoming messages for ``seconds``, then hand them over."""
        port, session = self._initialised_session()
        try:
            self._hand_over_unsolicited(session, session.read_unsolicited(seconds))
        finally:
            port.close()

    def health(self):
        """Signal, registration and operator, read from the modem."""
        port, session = self._initialised_session()
        try:
            return session.health()
        finally:
            self._hand_over_unsolicited(session)
            port.close()

    def test_connection(self):
        health = self.health()
        signal = f"{health.signal_dbm} dBm" if health.signal_dbm is not None else "unknown"
        if not health.registered:
            raise GatewayError(
                f"The modem answers but is {health.registration_label} (signal {signal}): "
                "check the SIM and the antenna.",
                transient=True,
            )
        return f"{health.operator or 'Network'}: {health.registration_label}, signal {signal}."

    def fetch_balance(self):
        return None
