from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SmscGatewayCommon


@tagged("post_install", "-at_install")
class TestConsent(SmscGatewayCommon):
    """A customer receives only what they agreed to: no SMS at all after "No SMS", promotions
    only with their consent, nothing on a blacklisted number. Refused messages never reach the
    gateway, cost nothing and say why."""

    def _send(self, kind, partner=None):
        record = (partner or self.customer).with_context(sms_notify_message_kind=kind)
        return self._sms_of(self._post_sms(record, "Frames -20% until Sunday"))

    def test_no_sms_stops_even_service_messages(self):
        self.customer.sms_notify_opt_out = True
        sms = self._send("service")
        self.assertRecordValues(sms, [{"state": "canceled", "failure_type": "sms_optout"}])
        self.assertIn("asked not to receive SMS", sms.gateway_error)
        self.assertFalse(self.fake.requests_to("/sys/send.php"))
        notification = sms.mail_message_id.notification_ids
        self.assertEqual(
            (notification.notification_status, notification.failure_type),
            ("canceled", "sms_optout"),
        )

    def test_promotion_needs_consent(self):
        refused = self._send("advertising")
        self.assertRecordValues(refused, [{"state": "canceled", "failure_type": "sms_optout"}])
        self.assertIn("not agreed to SMS promotions", refused.gateway_error)
        self.customer.sms_notify_ad_consent = True
        self.assertTrue(self.customer.sms_notify_ad_consent_date, "the consent is dated")
        sent = self._send("advertising")
        self.assertEqual(sent.state, "pending")
        self.assertEqual(len(self.fake.requests_to("/sys/send.php")), 1)

    def test_service_message_needs_no_promotion_consent(self):
        self.assertEqual(self._send("service").state, "pending")

    def test_blacklisted_number_gets_nothing(self):
        self.customer.sms_notify_ad_consent = True
        self.env["phone.blacklist"].sudo().add("+79123456789")
        for kind in ("service", "advertising"):
            sms = self._send(kind)
            self.assertRecordValues(sms, [{"state": "canceled", "failure_type": "sms_blacklist"}])
        self.assertFalse(self.fake.requests_to("/sys/send.php"))

    def test_composer_warns_and_refuses_with_the_reason(self):
        self.customer.sms_notify_opt_out = True
        composer = (
            self.env["sms.composer"]
            .with_context(active_model="res.partner", active_id=self.customer.id)
            .create({"body": "Your glasses are ready"})
        )
        self.assertIn("Anna Petrova", composer.sms_notify_consent_warning)
        with self.assertRaisesRegex(UserError, "asked not to receive SMS"):
            composer.action_send_sms()
        self.assertFalse(self.env["sms.sms"].search([("partner_id", "=", self.customer.id)]))
        self.customer.sms_notify_opt_out = False
        composer.invalidate_recordset(["sms_notify_consent_warning"])
        self.assertFalse(composer.sms_notify_consent_warning)

    def test_customer_card_counts_and_lists_their_sms(self):
        sent = self._send("service") | self._sms_of(self._post_sms(self.customer, "Second"))
        self.assertEqual(self.customer.sms_notify_sms_count, 2)
        action = self.customer.action_view_sms_notify_history()
        history = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(history.sms_id, sent)
        self.assertEqual(set(history.mapped("status")), {"pending"})
