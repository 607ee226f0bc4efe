from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.translate import code_translations

from .common import SmsNotifyCommon, iap_accept_all, iap_endpoint


@tagged("post_install", "-at_install")
class TestNotifyDialog(SmsNotifyCommon):
    """What Notify and Odoo's SMS dialog show before sending: the customer of the document,
    the gateway the queue will hand the message to (and whether it is the sandbox, which never
    reaches a phone), the part limit the counter turns red at; and what they tell after."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sender = new_test_user(
            cls.env,
            login="dialog_sender",
            groups="base.group_user,sms_notify.group_sms_notify_notification_manager",
        )
        # Polish numbers through SMSAPI, every other number to the sandbox
        cls.smsapi = cls._create_gateway(
            "smsapi", name="SMSAPI.pl", sequence=1, number_prefixes="+48", password="token"
        )
        cls.sandbox = cls._create_gateway("sandbox", name="Shop sandbox", sequence=2)

    def _open_notify(self, record=None, user=None):
        """Notify as the browser opens it: the button's action, then the dialog's defaults and
        onchanges."""
        user = user or self.sender
        action = (record or self.customer).with_user(user).action_sms_notify()
        return Form(self.env["sms.notify.wizard"].with_user(user).with_context(**action["context"]))

    # ------------------------------------------------------------------
    # The customer
    # ------------------------------------------------------------------

    def test_notify_opens_with_the_contacts_customer_selected(self):
        notify = self._open_notify()
        self.assertEqual(notify.partner_id, self.customer)
        # created without the dialog's onchanges (through RPC), it still knows its customer
        action = self.customer.with_user(self.sender).action_sms_notify()
        wizard = (
            self.env["sms.notify.wizard"]
            .with_user(self.sender)
            .with_context(**action["context"])
            .create({"sms_body": "Your glasses are ready."})
        )
        self.assertEqual(wizard.partner_id, self.customer)

    def test_changing_the_template_keeps_the_customer(self):
        template = self.env["sms.template"].create(
            {
                "name": "Glasses ready",
                "model_id": self.env.ref("base.model_res_partner").id,
                "body": "{{ object.name }}, your glasses are ready.",
            }
        )
        notify = self._open_notify()
        notify.sms_template_id = template
        notify.channel = "both"
        notify.channel = "sms"
        self.assertEqual(notify.partner_id, self.customer)
        self.assertEqual(notify.sms_body, "Anna Petrova, your glasses are ready.")

    # ------------------------------------------------------------------
    # The gateway
    # ------------------------------------------------------------------

    def test_notify_shows_the_gateway_routing_chooses_for_the_customers_number(self):
        notify = self._open_notify()
        # a Russian number: SMSAPI sends to Polish numbers only, the sandbox takes it
        self.assertEqual(notify.sms_notify_gateway_name, "Shop sandbox")
        self.assertTrue(notify.sms_notify_gateway_sandbox)
        self.assertFalse(notify.sms_notify_gateway_iap)
        polish = self.customer.copy({"name": "Katarzyna Nowak", "phone": "+48 601 234 567"})
        notify = self._open_notify(polish)
        self.assertEqual(notify.sms_notify_gateway_name, "SMSAPI.pl")
        self.assertFalse(notify.sms_notify_gateway_sandbox)
        # an e-mail only shows no gateway
        notify.channel = "email"
        self.assertFalse(notify.sms_notify_gateway_name)

    def test_a_number_no_gateway_sends_to_is_named(self):
        self.sandbox.number_prefixes = "+380"
        notify = self._open_notify()
        self.assertEqual(notify.sms_notify_gateway_name, "no gateway sends to +79123456789")
        self.assertFalse(notify.sms_notify_gateway_sandbox)

    def test_a_gateway_that_is_down_comes_after_the_others(self):
        self.smsapi.number_prefixes = False
        self.assertEqual(self._open_notify().sms_notify_gateway_name, "SMSAPI.pl")
        self.smsapi.down_until = "2999-01-01 00:00:00"
        self.assertEqual(self._open_notify().sms_notify_gateway_name, "Shop sandbox")

    def test_without_gateways_odoo_iap_sends(self):
        (self.smsapi | self.sandbox).action_archive()
        notify = self._open_notify()
        self.assertEqual(notify.sms_notify_gateway_name, "Odoo IAP")
        self.assertTrue(notify.sms_notify_gateway_iap)
        self.assertFalse(notify.sms_notify_gateway_sandbox)

    def test_sms_dialog_shows_the_gateway_too(self):
        composer = self._composer_on(self.customer.with_user(self.sender), body="Hello")
        self.assertEqual(composer.sms_notify_gateway_name, "Shop sandbox")
        self.assertTrue(composer.sms_notify_gateway_sandbox)
        # a mass send may take any of the company's gateways: all are named
        mass = (
            self.env["sms.composer"]
            .with_user(self.sender)
            .with_context(active_model="res.partner", active_ids=self.customer.ids)
            .create({"composition_mode": "mass", "body": "Frames -20% this week."})
        )
        self.assertEqual(mass.sms_notify_gateway_name, "SMSAPI.pl, Shop sandbox")
        self.assertFalse(
            mass.sms_notify_gateway_sandbox, "Polish numbers reach a phone: no sandbox banner"
        )
        self.smsapi.action_archive()
        mass.invalidate_recordset()
        self.assertTrue(mass.sms_notify_gateway_sandbox)

    # ------------------------------------------------------------------
    # The part limit and why a text is Unicode
    # ------------------------------------------------------------------

    def test_the_counter_knows_the_part_limit_of_the_template_and_settings(self):
        self.env["ir.config_parameter"].set_param("sms_notify.max_segments", 5)
        template = self.env["sms.template"].create(
            {
                "name": "Short only",
                "model_id": self.env.ref("base.model_res_partner").id,
                "body": "Ready.",
            }
        )
        notify = self._open_notify()
        self.assertEqual(notify.sms_notify_segment_limit, 5)
        template.sms_notify_max_segments = 2
        notify.sms_template_id = template
        self.assertEqual(notify.sms_notify_segment_limit, 2)
        composer = self._composer_on(self.customer, template_id=template.id)
        self.assertEqual(composer.sms_notify_segment_limit, 2)

    def test_a_text_over_the_limit_says_which_characters_make_it_unicode(self):
        self.env["ir.config_parameter"].set_param("sms_notify.max_segments", 1)
        notify = self._open_notify()
        notify.sms_body = "Ваши очки готовы, ждём вас «сегодня» до 20:00. " * 2
        wizard = notify.save()
        with self.assertRaises(UserError) as refusal:
            wizard.action_send()
        message = str(refusal.exception)
        self.assertIn("more than the limit of 1", message)
        self.assertIn("Unicode because of: В, а, ш, и, о, ч, к, г, т, в, …", message)

    # ------------------------------------------------------------------
    # What the sender is told after Send
    # ------------------------------------------------------------------

    def test_send_tells_what_was_queued(self):
        notify = self._open_notify()
        notify.sms_body = "Your glasses are ready."
        action = notify.save().action_send()
        self.assertEqual(action["tag"], "display_notification")
        params = action["params"]
        self.assertEqual(params["title"], "Anna Petrova notified")
        self.assertEqual(params["type"], "success")
        self.assertIn("SMS queued for sending: 1", params["message"])
        self.assertEqual(params["next"], {"type": "ir.actions.act_window_close"})

    def test_send_to_a_customer_without_number_says_what_to_do(self):
        nobody = self.env["res.partner"].create({"name": "Boris Orlov", "email": "b@example.com"})
        notify = self._open_notify(nobody)
        self.assertEqual(notify.partner_id, nobody)
        notify.channel = "both"
        notify.sms_body = "Your glasses are ready."
        notify.email_subject = "Your glasses are ready"
        wizard = notify.save()
        with self.assertRaisesRegex(
            UserError, "Boris Orlov has no mobile number an SMS can reach: add one"
        ):
            wizard.action_send()
        # nothing went, the e-mail neither
        self.assertFalse(nobody.message_ids.filtered(lambda m: m.message_type == "comment"))

    def test_send_through_odoo_iap_tells_the_sms_sent(self):
        """Odoo IAP keeps no trace of what it sent: the sender is still told."""
        (self.smsapi | self.sandbox).action_archive()
        notify = self._open_notify()
        notify.sms_body = "Your glasses are ready."
        with iap_endpoint(self.env, iap_accept_all):
            params = notify.save().action_send()["params"]
        self.assertEqual(params["title"], "Anna Petrova notified")
        self.assertEqual(params["type"], "success")
        self.assertTrue(params["message"].startswith("SMS"), params["message"])

    # ------------------------------------------------------------------
    # Titles in the user's language
    # ------------------------------------------------------------------

    def test_dialog_title_comes_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        russian = {
            "Notify %(name)s": "Уведомить: %(name)s",
            "%(customer)s notified": "%(customer)s: уведомление отправлено",
        }
        with patch.dict(code_translations.python_translations, {("sms_notify", "ru_RU"): russian}):
            customer = self.customer.with_user(self.sender).with_context(lang="ru_RU")
            action = customer.action_sms_notify()
            self.assertEqual(action["name"], "Уведомить: Anna Petrova")
            wizard = (
                self.env["sms.notify.wizard"]
                .with_user(self.sender)
                .with_context(lang="ru_RU", **action["context"])
                .create({"sms_body": "Ваши очки готовы."})
            )
            title = wizard.action_send()["params"]["title"]
        self.assertEqual(title, "Anna Petrova: уведомление отправлено")
