from urllib.parse import urlsplit

from odoo.tests import HttpCase, tagged

from .common import SmscGatewayCommon, SmsNotifyCommon
from .fakes.twilio import FakeTwilio, post_status_callback

SMSC_DELIVERED = 1
SMSC_UNDELIVERABLE = 20


@tagged("post_install", "-at_install")
class TestSmscReports(SmscGatewayCommon, HttpCase):
    def setUp(self):
        super().setUp()
        self.sms = self._sms_of(self._post_sms(self.customer, "Your glasses are ready"))
        self.sms_id, self.phone = self.sms.gateway_reference.split(":")

    def _push(self, form, secret=None):
        """POST a report to the address the gateway form shows (or one with another secret)."""
        path = urlsplit(self.gateway.webhook_url).path
        if secret:
            path = f"/sms_notify/report/{self.gateway.id}/{secret}"
        return self.url_open(path, data=form)

    def test_webhook_report_marks_delivered_once(self):
        form = self.fake.status_callback(self.sms_id, self.phone, SMSC_DELIVERED)
        response = self._push(form)
        self.assertEqual(response.status_code, 200)
        self.sms.invalidate_recordset()
        self.assertEqual(self.sms.state, "sent")
        delivered_at = self.sms.status_datetime
        self.assertTrue(delivered_at)
        self.assertEqual(self._push(form).status_code, 200, "a repeated report is accepted")
        self.sms.invalidate_recordset()
        self.assertEqual(self.sms.status_datetime, delivered_at, "and changes nothing")

    def test_webhook_with_wrong_secret_changes_nothing(self):
        form = self.fake.status_callback(self.sms_id, self.phone, SMSC_DELIVERED)
        self.assertEqual(self._push(form, secret="guessed").status_code, 404)
        self.sms.invalidate_recordset()
        self.assertEqual(self.sms.state, "pending")

    def test_report_about_an_unknown_message_changes_nothing(self):
        other = self.customer.copy({"phone": "+79123456780"})
        other_sms = self._sms_of(self._post_sms(other, "Hello"))
        form = self.fake.status_callback("999", "+79990000000", SMSC_UNDELIVERABLE)
        self.assertEqual(self._push(form).status_code, 200)
        (self.sms | other_sms).invalidate_recordset()
        self.assertEqual((self.sms | other_sms).mapped("state"), ["pending", "pending"])

    def test_polling_picks_up_a_report_without_webhook(self):
        self.fake.set_status(self.sms_id, self.phone, SMSC_UNDELIVERABLE)
        self.env["sms.sms"]._cron_poll_delivery_status()
        self.assertRecordValues(self.sms, [{"state": "error", "failure_type": "sms_not_delivered"}])
        self.assertEqual(self._sms_of(self.sms.mail_message_id).state, "error")
        notification = self.sms.mail_message_id.notification_ids
        self.assertEqual(notification.notification_status, "exception")


@tagged("post_install", "-at_install")
class TestTwilioReports(SmsNotifyCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = cls.enterClassContext(FakeTwilio())
        cls.gateway = cls._create_gateway(
            "twilio",
            base_url=cls.fake.url,
            account_sid=cls.fake.account_sid,
            password=cls.fake.auth_token,
            sender="+15005550006",
        )

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", self.base_url())
        self.sms = self._sms_of(self._post_sms(self.customer, "Your order has left"))

    def test_signed_callback_is_applied(self):
        url, params, headers = self.fake.status_callback(self.sms.gateway_reference, "delivered")
        self.assertTrue(url.startswith(self.base_url()), "Twilio was given our report address")
        status, _body = post_status_callback(url, params, headers)
        self.assertEqual(status, 200)
        self.sms.invalidate_recordset()
        self.assertEqual(self.sms.state, "sent")

    def test_forged_signature_is_rejected_without_touching_data(self):
        url, params, headers = self.fake.forged_status_callback(self.sms.gateway_reference)
        status, _body = post_status_callback(url, params, headers)
        self.assertEqual(status, 403)
        self.sms.invalidate_recordset()
        self.assertEqual(self.sms.state, "pending")
