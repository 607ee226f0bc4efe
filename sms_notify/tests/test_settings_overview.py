from odoo.tests import tagged

from .common import SmsNotifyCommon


@tagged("post_install", "-at_install")
class TestSettingsOverview(SmsNotifyCommon):
    """Settings › SMS Notify opens with the gateways the company sends through, in the order
    they are tried, or none (Odoo IAP sends)."""

    def test_active_gateways_are_listed_in_the_order_they_are_tried(self):
        settings = self.env["res.config.settings"].create({})
        self.assertFalse(settings.sms_notify_gateway_ids)
        second = self._create_gateway("sandbox", name="Backup", sequence=20)
        first = self._create_gateway("sandbox", name="Main", sequence=10)
        archived = self._create_gateway("sandbox", name="Old", sequence=1)
        archived.action_archive()
        other_company = self.env["res.company"].create({"name": "Other shop"})
        self._create_gateway("sandbox", name="Theirs", company_id=other_company.id)
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.sms_notify_gateway_ids.ids, (first | second).ids)
