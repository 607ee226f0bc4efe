from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import SmsNotifyCommon


@tagged("post_install", "-at_install")
class TestRetention(SmsNotifyCommon):
    def _sms_aged(self, days, state):
        sms = self.env["sms.sms"].create({"number": "+79123456789", "body": "old", "state": state})
        self.env.cr.execute(
            "UPDATE sms_sms SET create_date = %s WHERE id = %s",
            [fields.Datetime.now() - timedelta(days=days), sms.id],
        )
        return sms

    def test_history_outlives_odoo_cleanup_until_retention_ends(self):
        self.env["ir.config_parameter"].sudo().set_param("sms_notify.retention_days", 30)
        recent = self._sms_aged(2, "sent")
        recent.to_delete = True  # what stock Odoo sets on every sent SMS
        old_sent = self._sms_aged(40, "sent")
        old_failed = self._sms_aged(40, "error")
        old_queued = self._sms_aged(40, "outgoing")
        self.env["sms.sms"]._gc_device()
        self.assertTrue(recent.exists(), "a sent SMS younger than the retention period is kept")
        self.assertFalse((old_sent | old_failed).exists())
        self.assertTrue(old_queued.exists(), "a message still to send is never deleted")

    def test_zero_retention_keeps_history_forever(self):
        self.env["ir.config_parameter"].sudo().set_param("sms_notify.retention_days", 0)
        ancient = self._sms_aged(4000, "sent")
        self.env["sms.sms"]._gc_device()
        self.assertTrue(ancient.exists())

    def test_retention_is_a_setting(self):
        settings = self.env["res.config.settings"].create({"sms_notify_retention_days": 90})
        settings.execute()
        self.assertEqual(
            self.env["ir.config_parameter"].sudo().get_param("sms_notify.retention_days"), "90"
        )
