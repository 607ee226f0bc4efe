from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SmscGatewayCommon


@tagged("post_install", "-at_install")
class TestSmscGateway(SmscGatewayCommon):
    """An SMSC.ru gateway used from Odoo, against a local server speaking SMSC's protocol."""

    def test_sent_sms_keeps_vendor_id_cost_and_parts(self):
        message = self._post_sms(self.customer, "Ваши очки готовы, ждём вас в салоне!")
        sms = self._sms_of(message)
        [request] = self.fake.requests_to("/sys/send.php")
        self.assertEqual(request.params["phones"], "+79123456789")
        self.assertEqual(request.params["sender"], "OPTICS")
        self.assertRecordValues(
            sms,
            [
                {
                    "gateway_id": self.gateway.id,
                    "state": "pending",
                    "vendor_cost": 1.4,
                    "segments": 1,
                    "to_delete": False,
                }
            ],
        )
        self.assertTrue(sms.gateway_reference.endswith(":+79123456789"))

    def test_local_russian_number_is_sent_in_e164(self):
        self.customer.phone = "8 (912) 345-67-80"
        message = self._post_sms(self.customer, "Hello")
        self.assertEqual(self._sms_of(message).number, "+79123456780")
        self.assertEqual(
            self.fake.requests_to("/sys/send.php")[-1].params["phones"], "+79123456780"
        )

    def test_landline_fails_with_a_reason_before_any_gateway_call(self):
        self.customer.phone = "+7 495 123-45-67"
        message = self._post_sms(self.customer, "Hello")
        sms = self._sms_of(message)
        self.assertRecordValues(sms, [{"state": "error", "failure_type": "sms_number_format"}])
        self.assertIn("landline", sms.gateway_error)
        self.assertFalse(self.fake.requests_to("/sys/send.php"), "the gateway was not called")

    def test_vendor_refusal_keeps_vendor_text(self):
        self.fake.number_errors["+79123456789"] = "bad_number"
        message = self._post_sms(self.customer, "Hello")
        sms = self._sms_of(message)
        self.assertEqual(sms.state, "error")
        self.assertIn(sms.failure_type, ("sms_number_format", "sms_invalid_destination"))
        self.assertTrue(sms.gateway_error)

    def test_outage_puts_the_message_back_in_the_queue(self):
        """Nothing reached the SMS centre: the message waits for the next queue run."""
        self.fake.fail("rate_limit")
        message = self._post_sms(self.customer, "Hello")
        sms = self._sms_of(message)
        self.assertRecordValues(sms, [{"state": "outgoing", "gateway_id": self.gateway.id}])
        self.assertTrue(sms.gateway_error)
        self.assertTrue(self.gateway.last_error)

    def test_answer_lost_after_sending_is_not_failed(self):
        """The SMS centre may have it: failing it would make the user send it twice."""
        self.fake.fail("http_500")
        message = self._post_sms(self.customer, "Hello")
        self.assertEqual(self._sms_of(message).state, "process")

    def test_test_connection_reads_balance(self):
        self.fake.balance = 321.5
        action = self.gateway.action_test_connection()
        self.assertEqual(action["params"]["type"], "success")
        self.assertRecordValues(self.gateway, [{"balance": 321.5, "balance_currency": "RUB"}])

    def test_test_connection_with_wrong_password_says_what_to_check(self):
        self.gateway.password = "wrong"
        with self.assertRaisesRegex(UserError, "credentials"):
            self.gateway.action_test_connection()
        self.assertTrue(self.gateway.last_error)
