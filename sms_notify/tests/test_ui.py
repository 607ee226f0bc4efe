from odoo.tests import HttpCase, new_test_user, tagged


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

    def test_notify_dialog_shows_customer_gateway_limit_and_outcome(self):
        """Notify from a contact opens on the customer, names the gateway and warns that the
        sandbox never reaches a phone; the counter says why a text is Unicode, turns red over
        the part limit while typing and explains the pricing; Send ends with a notice."""
        self.env["sms.notify.gateway"].search([]).action_archive()
        self.env["sms.notify.gateway"].create({"name": "Tour sandbox", "gateway_type": "sandbox"})
        self.env["ir.config_parameter"].set_param("sms_notify.max_segments", 2)
        customer = self.env["res.partner"].create(
            {"name": "Olga Tourova", "mobile": "+7 912 345-67-80", "email": False}
        )
        self.start_tour(
            f"/odoo/res.partner/{customer.id}", "sms_notify_notify_dialog_tour", login="admin"
        )
        self.assertEqual(
            self.env["sms.sms"].search([("partner_id", "=", customer.id)]).body,
            "Your glasses are ready.",
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

    def test_statistics_chart_and_message_form(self):
        gateway = self.env["sms.notify.gateway"].create(
            {"name": "Tour sandbox", "gateway_type": "sandbox"}
        )
        order = self.env["res.partner"].create({"name": "Tour Order T-1", "is_company": True})
        customer = self.env["res.partner"].create({"name": "Tour Customer"})
        message = order.message_post(body="Order ready", message_type="sms")
        self.env["sms.sms"].create(
            {
                "number": "+48601234568",
                "body": "Order ready",
                "partner_id": customer.id,
                "mail_message_id": message.id,
                "gateway_id": gateway.id,
                "sent_datetime": "2026-01-01 10:00:00",
                "state": "sent",
            }
        )
        self.start_tour(
            "/odoo/action-sms_notify.sms_notify_message_action_statistics",
            "sms_notify_message_statistics_tour",
            login="admin",
        )

    def test_token_palette_inserts_tokens_at_the_caret(self):
        """A click on a token writes it where the caret is, or was when the text was left (at
        the end when the text never had the focus), and the saved template holds Odoo's
        placeholders."""
        template = self.env["sms.template"].create(
            {
                "name": "Palette tour",
                "model_id": self.env.ref("base.model_res_partner").id,
                "sms_notify_text": "See you at",
            }
        )
        self.start_tour(
            f"/odoo/action-sms.sms_template_action/{template.id}",
            "sms_notify_token_palette_tour",
            login="admin",
        )
        self.assertEqual(
            template.body,
            "Hello {{ object.sms_notify_first_name }}, call us at "
            "{{ object.sms_notify_shop_phone }}",
        )

    def test_template_is_set_to_viber_then_sms_with_its_own_text(self):
        """The Viber page and the wait show once the template goes by Viber, and the Viber
        text is written with tokens like the SMS one."""
        template = self.env["sms.template"].create(
            {
                "name": "Viber tour",
                "model_id": self.env.ref("base.model_res_partner").id,
                "sms_notify_text": "Your glasses are ready",
            }
        )
        self.start_tour(
            f"/odoo/action-sms.sms_template_action/{template.id}",
            "sms_notify_viber_template_tour",
            login="admin",
        )
        self.assertRecordValues(
            template,
            [
                {
                    "delivery_mode": "viber_sms",
                    "viber_wait_minutes": 20,
                    "viber_body": "{{ object.sms_notify_first_name }}, your glasses are ready: "
                    "come by until 8 pm.",
                }
            ],
        )

    def test_token_palette_is_disabled_for_users_who_may_not_edit(self):
        template = self.env["sms.template"].create(
            {
                "name": "Palette read-only tour",
                "model_id": self.env.ref("base.model_res_partner").id,
                "sms_notify_text": "See you",
            }
        )
        new_test_user(self.env, login="palette_reader", groups="base.group_user")
        self.start_tour(
            f"/odoo/action-sms.sms_template_action/{template.id}",
            "sms_notify_token_palette_readonly_tour",
            login="palette_reader",
        )
