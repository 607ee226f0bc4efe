from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SmscGatewayCommon

FIVE_SMS = "x" * (4 * 153 + 1)


@tagged("post_install", "-at_install")
class TestSegmentLimitAndValidity(SmscGatewayCommon):
    def _composer(self, body):
        composer = Form(
            self.env["sms.composer"].with_context(
                active_model="res.partner", active_id=self.customer.id
            )
        )
        composer.body = body
        return composer.save()

    def test_composer_refuses_text_over_the_limit_and_says_what_to_do(self):
        composer = self._composer(FIVE_SMS)
        with self.assertRaisesRegex(UserError, "needs 5 SMS.*limit of 4.*Shorten it"):
            composer.action_send_sms()
        self.assertFalse(self.env["sms.sms"].search([("body", "=", FIVE_SMS)]))

    def test_composer_accepts_text_at_the_limit(self):
        self._composer(FIVE_SMS[:-1]).action_send_sms()
        self.env["sms.sms"]._process_queue()
        self.assertEqual(len(self.fake.requests_to("/sys/send.php")), 1)

    def test_too_long_message_from_elsewhere_never_reaches_the_gateway(self):
        sms = self.env["sms.sms"].create({"number": "+79123456789", "body": FIVE_SMS})
        self.env["sms.sms"]._process_queue()
        self.assertEqual(sms.state, "error")
        self.assertIn("limit of 4", sms.gateway_error)
        self.assertFalse(self.fake.requests)

    def test_zero_removes_the_limit(self):
        self.env["ir.config_parameter"].sudo().set_param("sms_notify.max_segments", 0)
        sms = self.env["sms.sms"].create({"number": "+79123456789", "body": FIVE_SMS})
        self.env["sms.sms"]._process_queue()
        self.assertEqual(sms.state, "pending")

    def test_expired_message_is_cancelled_not_sent_late(self):
        sms = self.env["sms.sms"].create(
            {
                "number": "+79123456789",
                "body": "Table ready in 5 minutes",
                "valid_until": fields.Datetime.now() - timedelta(minutes=1),
            }
        )
        self.env["sms.sms"]._process_queue()
        self.assertRecordValues(sms, [{"state": "canceled", "failure_type": "sms_expired"}])
        self.assertFalse(self.fake.requests)

    def test_validity_is_passed_to_the_gateway_lifetime(self):
        self.env["sms.sms"].create(
            {
                "number": "+79123456789",
                "body": "Your order has left",
                "valid_until": fields.Datetime.now() + timedelta(hours=2),
            }
        )
        self.env["sms.sms"]._process_queue()
        [request] = self.fake.requests_to("/sys/send.php")
        self.assertIn(request.params["valid"], ("01:59", "02:00"))
