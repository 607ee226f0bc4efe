from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.sms_notify.tests.common import SmsNotifyCommon

from ..tools import modem
from .fakes.modem import SimulatedModem

CYRILLIC_WITH_EMOJI = (
    "Анна, ваши очки готовы 👓 Ждём вас в салоне на Тверской до 20:00, "
    "при себе иметь чек. Оптика Нова"
)


class ModemGatewayCases:
    """SMS through a GSM modem: a simulated modem answers AT commands over a real link."""

    link = None
    pin = None
    # Odoo runs only the tests a class defines itself unless told otherwise
    allow_inherited_tests_method = True

    def setUp(self):
        super().setUp()
        self.modem = self.enterContext(SimulatedModem(pin=self.pin, link=self.link))
        self.gateway = self._create_gateway(
            "gsm_modem", modem_port=self.modem.url, timeout=2, sequence=1
        )
        self.customer.mobile = "+7 912 345-67-89"
        # tries of a part after a transient error come at once in tests
        self.enterContext(patch.object(modem.GsmModemClient, "part_retry_wait", 0.01))

    def _send(self, *texts):
        for text in texts:
            self._post_sms(self.customer, text, run_queue=False)
        self.env["sms.sms"]._process_queue()
        return self.env["sms.sms"].search([("partner_id", "=", self.customer.id)], order="id")

    def _listen(self):
        self.env["sms.notify.gateway"]._cron_modem_listen(seconds=0.5)

    def test_multipart_unicode_with_emoji_arrives_whole_and_is_delivered_with_all_parts(self):
        [sms] = self._send(CYRILLIC_WITH_EMOJI)
        self.assertEqual(self.modem.texts(), [("+79123456789", CYRILLIC_WITH_EMOJI)])
        self.assertEqual(len(self.modem.parts), 2)
        self.assertEqual((sms.state, sms.gateway_reference, sms.segments), ("pending", "0,1", 2))
        self._listen()
        self.assertEqual(sms.state, "sent", "delivered once both parts are")
        self.assertEqual(sms.modem_delivered_parts, "0,1")
        commands = self.modem.commands
        for expected in ("ATZ", "ATE0", "AT+CMEE=1", "AT+CPIN?", "AT+CMGF=0"):
            self.assertIn(expected, commands)

    def test_failed_delivery_report_fails_the_message(self):
        self.modem.report_status["+79123456789"] = 0x46  # validity period expired
        [sms] = self._send("Your glasses are ready.")
        self._listen()
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_expired"))

    def test_no_network_for_a_moment_is_tried_again(self):
        self.modem.cms_errors = [331, 332]
        [sms] = self._send("Your glasses are ready.")
        self.assertEqual(sms.state, "pending")
        self.assertEqual(self.modem.texts(), [("+79123456789", "Your glasses are ready.")])

    def test_no_network_for_long_puts_the_message_back_in_the_queue(self):
        self.modem.cms_errors = [331, 331, 331]
        [sms] = self._send("Your glasses are ready.")
        self.assertEqual(sms.state, "outgoing", "waits for the next try, not failed")
        self.assertIn("331", sms.gateway_error)
        self.assertEqual(self.gateway.device_status, "rebinding", "it answers, without network")
        self.assertFalse(self.modem.parts)

    def test_unplugged_in_the_middle_of_a_batch_loses_nothing(self):
        self.modem.unplug_after_parts = 1
        first, second, third = self._send("First", "Second", "Third")
        self.assertEqual(first.state, "pending", "handed over before the cable was pulled")
        self.assertEqual(second.state, "process", "in flight: kept, never resent blindly")
        self.assertEqual(third.state, "outgoing", "not sent: waits for the modem")
        self.assertEqual(self.modem.texts(), [("+79123456789", "First")])
        self.assertEqual(self.gateway.device_status, "unreachable")

    def test_incoming_message_lands_on_the_customers_chatter(self):
        self.customer.phone = "+79123456789"
        self.modem.receive("+79123456789", "Спасибо, завтра заберу")
        self._listen()
        self.assertIn("Спасибо, завтра заберу", self.customer.message_ids[:1].body)

    def test_daily_limit_of_the_modem_keeps_the_rest_waiting(self):
        self.gateway.daily_limit = 1
        first, second = self._send("First", "Second")
        self.assertEqual((first.state, second.state), ("pending", "outgoing"))
        self.assertIn("daily limit", second.gateway_error)
        self.assertEqual(self.modem.texts(), [("+79123456789", "First")])
        self.assertEqual(self.gateway.device_status, "limit_reached")

    def test_stop_reply_withdraws_the_consent_to_promotions(self):
        self.customer.write({"phone": "+79123456789", "sms_notify_ad_consent": True})
        self.modem.receive("+79123456789", "СТОП")
        self._listen()
        self.assertFalse(self.customer.sms_notify_ad_consent)

    def test_message_kept_on_the_sim_is_read_and_deleted_there(self):
        self.customer.phone = "+79123456789"
        self.modem.store("+79123456789", "Можно перенести на пятницу?")
        self._listen()
        self.assertIn("перенести на пятницу", self.customer.message_ids[:1].body)
        self.assertFalse(self.modem.stored, "deleted from the SIM once filed")

    def test_text_mode_sends_plain_text_and_refuses_what_it_cannot(self):
        self.gateway.modem_text_mode = True
        plain, cyrillic = self._send("Your glasses are ready.", "Ваши очки готовы")
        self.assertIn("AT+CMGF=1", self.modem.commands)
        self.assertEqual(
            self.modem.text_mode_messages, [("+79123456789", "Your glasses are ready.")]
        )
        self.assertEqual(plain.state, "pending")
        self.assertEqual(cyrillic.state, "error")
        self.assertIn("switch Text Mode off", cyrillic.gateway_error)

    def test_modem_check_shows_signal_network_and_operator(self):
        self.gateway.action_modem_check()
        self.assertRecordValues(
            self.gateway,
            [
                {
                    "modem_signal_dbm": -73,
                    "modem_registration": "registered (home)",
                    "modem_operator": "MTS RUS",
                }
            ],
        )

    def test_a_modem_another_process_holds_is_not_used_meanwhile(self):
        with self.registry.cursor() as other:
            other.execute("SELECT pg_advisory_xact_lock(%s)", [self.gateway._modem_lock_key()])
            [sms] = self._send("Your glasses are ready.")
            self.assertEqual(sms.state, "outgoing")
            self.assertIn("another Odoo process", sms.gateway_error)
            self.assertFalse(self.modem.commands, "the port was not even opened")


@tagged("post_install", "-at_install")
class TestModemOverSocket(ModemGatewayCases, SmsNotifyCommon):
    """A modem on a network serial port (``socket://``)."""

    link = "socket"


@tagged("post_install", "-at_install")
class TestModemOverPty(ModemGatewayCases, SmsNotifyCommon):
    """A modem on a tty device (a pty pair)."""

    link = "pty"


@tagged("post_install", "-at_install")
class TestModemSimPin(SmsNotifyCommon):
    def setUp(self):
        super().setUp()
        self.modem = self.enterContext(SimulatedModem(pin="1234"))
        self.customer.mobile = "+7 912 345-67-89"

    def _gateway(self, pin):
        return self._create_gateway(
            "gsm_modem", modem_port=self.modem.url, modem_pin=pin, timeout=2
        )

    def test_the_right_pin_unlocks_the_sim(self):
        self._gateway("1234")
        self._post_sms(self.customer, "Hello")
        self.assertEqual(self.modem.pin_attempts, ["1234"])
        self.assertEqual(len(self.modem.parts), 1)

    def test_a_wrong_pin_is_never_tried_again_by_itself(self):
        gateway = self._gateway("0000")
        self._post_sms(self.customer, "Hello")
        sms = self.env["sms.sms"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(sms.state, "outgoing", "the message waits for the PIN")
        self.assertTrue(gateway.modem_pin_refused)
        gateway.down_until = False
        sms.next_try_datetime = False
        self.env["sms.sms"]._process_queue()
        self.assertEqual(self.modem.pin_attempts, ["0000"], "not tried a second time")
        # corrected, it is tried and the message goes
        gateway.write({"modem_pin": "1234", "down_until": False})
        sms.next_try_datetime = False
        self.env["sms.sms"]._process_queue()
        self.assertEqual(self.modem.pin_attempts, ["0000", "1234"])
        self.assertEqual(sms.state, "pending")
