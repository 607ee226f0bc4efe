"""The AT dialogue: answers, typed errors, the > prompt, unsolicited lines, the SIM PIN."""

import pytest

from odoo.addons.sms_notify_modem.tools import at


class ScriptedPort:
    """A serial port whose modem answers each command line from a script."""

    def __init__(self, answers, unsolicited=b""):
        self.answers = dict(answers)
        self.written = []
        self.pending = unsolicited
        self.in_waiting = 0

    def write(self, data):
        self.written.append(data)
        key = data.rstrip(b"\r").decode(errors="replace")
        if data.endswith(at.CTRL_Z):
            key = "<pdu>"
        answer = self.answers.get(key)
        if answer is None:
            raise AssertionError(f"unexpected {key!r}")
        self.pending += answer

    def read(self, _size):
        chunk, self.pending = self.pending[:64], self.pending[64:]
        return chunk


class UnpluggedPort(ScriptedPort):
    def read(self, _size):
        raise OSError(5, "Input/output error")


def test_answer_lines_come_without_the_echo_and_the_final_ok():
    port = ScriptedPort({"AT+CSQ": b"AT+CSQ\r\r\n+CSQ: 20,0\r\n\r\nOK\r\n"})
    assert at.ModemSession(port).command("AT+CSQ") == ["+CSQ: 20,0"]


def test_errors_are_typed_with_their_code_and_whether_to_retry():
    port = ScriptedPort({"AT+A": b"\r\n+CMS ERROR: 331\r\n", "AT+B": b"\r\n+CMS ERROR: 330\r\n"})
    session = at.ModemSession(port)
    with pytest.raises(at.CmsError) as transient:
        session.command("AT+A")
    assert (transient.value.code, transient.value.transient) == (331, True)
    with pytest.raises(at.CmsError) as permanent:
        session.command("AT+B")
    assert (permanent.value.code, permanent.value.transient) == (330, False)
    port.answers["AT+C"] = b"\r\n+CME ERROR: 14\r\n"
    with pytest.raises(at.CmeError) as busy:
        session.command("AT+C")
    assert busy.value.transient
    port.answers["AT+D"] = b"\r\nERROR\r\n"
    with pytest.raises(at.CommandError):
        session.command("AT+D")


def test_sending_waits_for_the_prompt_and_reads_the_reference():
    port = ScriptedPort({"AT+CMGS=17": b"\r\n> ", "<pdu>": b"\r\n+CMGS: 42\r\n\r\nOK\r\n"})
    assert at.ModemSession(port).send_pdu("0011000B919721436587F90000AA05E8329BFD06", 17) == 42
    assert port.written[1].endswith(at.CTRL_Z)


def test_a_refusal_before_the_prompt_is_not_a_message_that_left():
    port = ScriptedPort({"AT+CMGS=17": b"\r\n+CMS ERROR: 332\r\n"})
    with pytest.raises(at.CmsError) as error:
        at.ModemSession(port).send_pdu("00", 17)
    assert not error.value.pdu_written


def test_unsolicited_lines_in_the_middle_of_an_answer_are_kept_aside():
    report = b"\r\n+CDS: 25\r\n0006000B919721436587F9622110326565006221103265650000\r\n"
    port = ScriptedPort({"AT+CSQ": report + b"\r\n+CSQ: 31,0\r\n\r\nOK\r\n"})
    session = at.ModemSession(port)
    assert session.command("AT+CSQ") == ["+CSQ: 31,0"]
    [found] = session.unsolicited
    assert (found.kind, found.pdu[:6]) == ("+CDS", "000600")


def test_a_silent_modem_times_out_and_an_unplugged_one_says_so():
    with pytest.raises(at.ModemTimeout):
        at.ModemSession(ScriptedPort({"AT": b""}), timeout=0.05).command("AT")
    with pytest.raises(at.ModemTimeout, match="unreachable"):
        at.ModemSession(UnpluggedPort({"AT": b""})).command("AT")


def _setup_answers(pin_state, pin_answer=b"\r\nOK\r\n"):
    ok = b"\r\nOK\r\n"
    return {
        "ATZ": ok,
        "ATE0": ok,
        "AT+CMEE=1": ok,
        "AT+CPIN?": f"\r\n+CPIN: {pin_state}\r\n\r\nOK\r\n".encode(),
        'AT+CPIN="1234"': pin_answer,
        "AT+CMGF=0": ok,
        "AT+CNMI=2,2,0,1,0": ok,
    }


def test_the_pin_is_given_once_and_a_refusal_is_never_retried():
    port = ScriptedPort(_setup_answers("SIM PIN"))
    at.ModemSession(port).initialise(pin="1234")
    assert b'AT+CPIN="1234"\r' in port.written
    refused = ScriptedPort(_setup_answers("SIM PIN", b"\r\n+CME ERROR: 16\r\n"))
    with pytest.raises(at.PinRefused, match="three wrong PINs"):
        at.ModemSession(refused).initialise(pin="1234")
    assert refused.written.count(b'AT+CPIN="1234"\r') == 1
    with pytest.raises(at.PinRefused, match="asks for its PIN"):
        at.ModemSession(ScriptedPort(_setup_answers("SIM PIN"))).initialise()
    with pytest.raises(at.PinRefused, match="SIM PUK"):
        at.ModemSession(ScriptedPort(_setup_answers("SIM PUK"))).initialise(pin="1234")


def test_health_reads_signal_registration_and_operator():
    assert at.csq_to_dbm(0) == -113 and at.csq_to_dbm(31) == -51 and at.csq_to_dbm(99) is None
    assert at.parse_creg(["+CREG: 0,5"]) == 5 and at.parse_creg(["+CREG: 2"]) == 2
    port = ScriptedPort(
        {
            "AT+CSQ": b"\r\n+CSQ: 20,0\r\n\r\nOK\r\n",
            "AT+CREG?": b"\r\n+CREG: 0,3\r\n\r\nOK\r\n",
            "AT+COPS?": b'\r\n+COPS: 0,0,"Plus",7\r\n\r\nOK\r\n',
        }
    )
    health = at.ModemSession(port).health()
    assert (health.signal_dbm, health.operator, health.registered) == (-73, "Plus", False)
    assert health.registration_label == "registration denied"
