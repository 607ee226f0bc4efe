from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.sms_notify.tools.gateway import GATEWAY_TYPES

from .common import SmsNotifyCommon, iap_accept_all, iap_endpoint


@tagged("post_install", "-at_install")
class TestSandboxGateway(SmsNotifyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sandbox = cls._create_gateway("sandbox", sandbox_delivery_delay=5)
        cls.report_cron = cls.env.ref("sms_notify.ir_cron_sandbox_delivery_reports")

    def test_sandbox_keeps_message_with_gateway_reference_and_segments(self):
        message = self._post_sms(self.customer, "Ваш заказ готов, Анна!")
        sms = self._sms_of(message)
        self.assertEqual(len(sms), 1)
        self.assertRecordValues(
            sms,
            [
                {
                    "gateway_id": self.sandbox.id,
                    "gateway_reference": f"sandbox-{sms.uuid}",
                    "state": "pending",
                    "encoding": "ucs2",
                    "segments": 1,
                    "to_delete": False,
                    "number": "+79123456789",
                }
            ],
        )
        self.assertTrue(sms.sent_datetime)
        self.assertEqual(message.notification_ids.notification_status, "pending")

    def test_sandbox_reports_delivery_after_its_delay(self):
        start = fields.Datetime.now()
        with freeze_time(start):
            message = self._post_sms(self.customer, "Your glasses are ready")
            sms = self._sms_of(message)
            trigger = self.env["ir.cron.trigger"].search([("cron_id", "=", self.report_cron.id)])
            self.assertIn(start + timedelta(seconds=5), trigger.mapped("call_at"))
            self.env["sms.sms"]._cron_sandbox_delivery_reports()
            self.assertEqual(sms.state, "pending", "no report before the delay has passed")
        with freeze_time(start + timedelta(seconds=6)):
            self.env["sms.sms"]._cron_sandbox_delivery_reports()
        self.assertEqual(sms.state, "sent")
        self.assertFalse(sms.failure_type)
        self.assertEqual(sms.status_datetime, start + timedelta(seconds=6))
        self.assertEqual(message.notification_ids.notification_status, "sent")

    def test_sandbox_number_ending_0000_is_not_delivered(self):
        self.customer.phone = "+48 601 230 000"
        start = fields.Datetime.now()
        with freeze_time(start):
            message = self._post_sms(self.customer, "Zamówienie wyjechało")
        with freeze_time(start + timedelta(seconds=6)):
            self.env["sms.sms"]._cron_sandbox_delivery_reports()
        sms = self._sms_of(message)
        self.assertRecordValues(sms, [{"state": "error", "failure_type": "sms_not_delivered"}])
        self.assertEqual(message.notification_ids.notification_status, "exception")
        self.assertEqual(message.notification_ids.failure_type, "sms_not_delivered")

    def test_first_active_gateway_of_the_company_sends(self):
        later = self._create_gateway("sandbox", sequence=99)
        message = self._post_sms(self.customer, "Hello")
        self.assertEqual(self._sms_of(message).gateway_id, self.sandbox)
        self.sandbox.action_archive()
        message = self._post_sms(self.customer, "Hello again")
        self.assertEqual(self._sms_of(message).gateway_id, later)

    def test_extension_characters_stay_gsm7_in_history(self):
        message = self._post_sms(self.customer, "Price: 10€ [promo] {code} ~50% ^_^ a|b \\o/")
        self.assertRecordValues(self._sms_of(message), [{"encoding": "gsm7", "segments": 1}])


@tagged("post_install", "-at_install")
class TestGatewayRegistry(SmsNotifyCommon):
    def test_every_gateway_type_has_a_registered_client(self):
        selection = dict(self.env["sms.notify.gateway"]._fields["gateway_type"].selection)
        self.assertTrue({"sandbox", "iap"} <= set(selection))
        for code in selection:
            self.assertIn(code, GATEWAY_TYPES, f"gateway type {code} has no client class")
            self.assertEqual(GATEWAY_TYPES[code].code, code)

    def test_unavailable_gateway_type_gives_a_clear_error(self):
        gateway = self._create_gateway("sandbox")
        self.env.cr.execute(
            "UPDATE sms_notify_gateway SET gateway_type = 'pigeon' WHERE id = %s", [gateway.id]
        )
        gateway.invalidate_recordset(["gateway_type"])
        with self.assertRaisesRegex(UserError, "install the module that provides it"):
            gateway._get_client()


@tagged("post_install", "-at_install")
class TestWithoutGateway(SmsNotifyCommon):
    def test_no_gateway_keeps_odoo_iap_behaviour(self):
        """Without a gateway the SMS go to Odoo IAP exactly as stock Odoo sends them."""
        with iap_endpoint(self.env, iap_accept_all) as calls:
            message = self._post_sms(self.customer, "Sent through IAP")
        self.assertEqual([path for path, _params in calls], ["/api/sms/3/send"])
        params = calls[0][1]
        self.assertEqual(params["messages"][0]["content"], "Sent through IAP")
        self.assertEqual(params["messages"][0]["numbers"][0]["number"], "+79123456789")
        self.assertTrue(params["webhook_url"].endswith("/sms/status"))
        sms = self._sms_of(message)
        self.assertRecordValues(sms, [{"state": "pending", "gateway_id": False}])
        self.assertTrue(sms.to_delete, "stock Odoo marks the SMS it sent for clean-up")
        self.assertEqual(message.notification_ids.notification_status, "pending")
