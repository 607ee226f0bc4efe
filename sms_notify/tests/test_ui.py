from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSmsNotifyUi(HttpCase):
    def test_counter_counts_gsm7_extension_characters_exactly(self):
        """The composer's counter keeps € [ ] in GSM-7 and shows the room left in the SMS."""
        customer = self.env["res.partner"].create(
            {"name": "Counter Customer", "phone": "+48 601 234 567", "mobile": False}
        )
        self.start_tour(
            f"/odoo/res.partner/{customer.id}", "sms_notify_counter_tour", login="admin"
        )

    def test_sandbox_outbox_shows_not_delivered_banner(self):
        gateway = self.env["sms.notify.gateway"].create(
            {"name": "Tour sandbox", "gateway_type": "sandbox"}
        )
        self.env["sms.sms"].create(
            {
                "number": "+48601234567",
                "body": "Sandbox outbox tour message",
                "gateway_id": gateway.id,
                "state": "sent",
            }
        )
        self.start_tour(
            "/odoo/action-sms_notify.sms_sms_action_sandbox_outbox",
            "sms_notify_sandbox_outbox_tour",
            login="admin",
        )
