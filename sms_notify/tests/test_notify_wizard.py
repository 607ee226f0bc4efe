from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SmscGatewayCommon


@tagged("post_install", "-at_install")
class TestNotifyWizard(SmscGatewayCommon):
    """*Notify* sends the customer an SMS, an e-mail or both from templates rendered on the
    record, through Odoo's own SMS composer and chatter."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "anna@example.com"
        partner_model = cls.env.ref("base.model_res_partner")
        cls.sms_template = cls.env["sms.template"].create(
            {
                "name": "Glasses ready",
                "model_id": partner_model.id,
                "body": "{{ object.name }}, your glasses are ready.",
            }
        )
        cls.mail_template = cls.env["mail.template"].create(
            {
                "name": "Glasses ready",
                "model_id": partner_model.id,
                "subject": "Your glasses are ready, {{ object.name }}",
                "body_html": "<p>Come and collect them.</p>",
            }
        )

    def _wizard(self, **values):
        action = self.customer.action_sms_notify()
        form = Form(self.env["sms.notify.wizard"].with_context(**action["context"]))
        for name, value in values.items():
            setattr(form, name, value)
        return form.save()

    def test_sms_is_rendered_on_the_record_and_lands_in_the_chatter(self):
        wizard = self._wizard(sms_template_id=self.sms_template)
        self.assertEqual(wizard.partner_id, self.customer)
        self.assertEqual(wizard.sms_body, "Anna Petrova, your glasses are ready.")
        wizard.action_send()
        self.env["sms.sms"]._process_queue()
        [request] = self.fake.requests_to("/sys/send.php")
        self.assertEqual(request.params["mes"], "Anna Petrova, your glasses are ready.")
        message = self.customer.message_ids[:1]
        self.assertEqual(message.message_type, "sms")
        self.assertIn("your glasses are ready", message.body)

    def test_both_channels_send_the_sms_and_the_email(self):
        wizard = self._wizard(
            channel="both", sms_template_id=self.sms_template, mail_template_id=self.mail_template
        )
        self.assertEqual(wizard.email_subject, "Your glasses are ready, Anna Petrova")
        wizard.sms_body = "Edited: ready tomorrow."
        wizard.action_send()
        self.env["sms.sms"]._process_queue()
        self.assertEqual(
            self.fake.requests_to("/sys/send.php")[0].params["mes"], "Edited: ready tomorrow."
        )
        email = self.customer.message_ids.filtered(lambda msg: msg.message_type == "comment")[:1]
        self.assertEqual(email.subject, "Your glasses are ready, Anna Petrova")
        self.assertIn(self.customer, email.partner_ids)
        # both are in the customer's history, with the statuses users know
        self.env.flush_all()
        history = self.env["sms.notify.message"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(sorted(history.mapped("channel")), ["email", "sms"])
        by_channel = {message.channel: message for message in history}
        self.assertRecordValues(
            by_channel["sms"],
            [{"address": "+79123456789", "status": "pending", "segments": 1}],
        )
        self.assertEqual(by_channel["email"].address, "anna@example.com")
        self.assertEqual(by_channel["email"].text, "Your glasses are ready, Anna Petrova")
        self.assertEqual(self.customer.sms_notify_sms_count, 2)

    def test_cost_and_consent_are_shown_before_sending(self):
        """Without billing the cost shown is estimated from what the vendor reported for the
        company's recent messages; with no reported cost nothing is shown."""
        wizard = self._wizard(sms_template_id=self.sms_template)
        self.assertFalse(wizard.cost_summary, "no reported cost to estimate from")
        # the SMSC fake reports 1.40 per part
        self._wizard(sms_template_id=self.sms_template).action_send()
        self.env["sms.sms"]._process_queue()
        sent = self.env["sms.sms"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(sent.mapped("vendor_cost"), [1.4])
        wizard = self._wizard(sms_template_id=self.sms_template)
        self.assertIn("vendor's reported costs", wizard.cost_summary)
        self.assertIn("about 1.40 for 1 SMS part", wizard.cost_summary)
        self.customer.sms_notify_opt_out = True
        wizard.invalidate_recordset(["consent_warning"])
        self.assertIn("asked not to receive SMS", wizard.consent_warning)
        with self.assertRaisesRegex(UserError, "asked not to receive SMS"):
            wizard.action_send()
        self.assertEqual(len(self.fake.requests_to("/sys/send.php")), 1)

    def test_email_without_address_says_what_to_do(self):
        self.customer.email = False
        wizard = self._wizard(channel="email", mail_template_id=self.mail_template)
        with self.assertRaisesRegex(UserError, "no e-mail address"):
            wizard.action_send()

    def test_department_template_is_refused_elsewhere(self):
        self.sms_template.sms_notify_team_ids = self.env["crm.team"].create({"name": "Workshop"})
        wizard = self._wizard(sms_template_id=self.sms_template)
        with self.assertRaisesRegex(UserError, "for Workshop only"):
            wizard.action_send()
        self.assertFalse(self.fake.requests_to("/sys/send.php"))

    def test_template_limits_the_parts_of_its_texts(self):
        self.sms_template.sms_notify_max_segments = 1
        wizard = self._wizard(sms_template_id=self.sms_template)
        wizard.sms_body = "Your glasses are ready. " * 8  # 192 characters: two SMS
        with self.assertRaisesRegex(UserError, "more than the limit of 1"):
            wizard.action_send()

    def test_advertising_email_needs_the_customers_consent(self):
        self.mail_template.message_kind = "advertising"
        wizard = self._wizard(channel="email", mail_template_id=self.mail_template)
        self.assertEqual(wizard.email_kind, "advertising")
        self.assertIn("has not agreed to promotions", wizard.email_consent_warning)
        with self.assertRaisesRegex(UserError, "has not agreed to promotions"):
            wizard.action_send()
        self.assertFalse(self.customer.message_ids.filtered(lambda m: m.message_type == "comment"))
        # unsubscribing from mailings stops promotions even after consenting
        self.customer.sms_notify_ad_consent = True
        self.env["mail.blacklist"].sudo()._add(self.customer.email)
        wizard.invalidate_recordset(["email_consent_warning"])
        self.assertIn("unsubscribed from promotional e-mails", wizard.email_consent_warning)
        with self.assertRaisesRegex(UserError, "unsubscribed"):
            wizard.action_send()
        # ...but not the service e-mail about the customer's own order
        wizard.email_kind = "service"
        self.assertFalse(wizard.email_consent_warning)
        wizard.action_send()
        email = self.customer.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(email.subject, "Your glasses are ready, Anna Petrova")

    def test_statistics_count_messages_by_template(self):
        self._wizard(
            channel="both", sms_template_id=self.sms_template, mail_template_id=self.mail_template
        ).action_send()
        # a mass SMS keeps its template too
        other = self.env["res.partner"].create({"name": "Boris", "mobile": "+7 912 000-00-01"})
        self.env["sms.composer"].with_context(
            active_model="res.partner", active_ids=(self.customer | other).ids
        ).create(
            {"composition_mode": "mass", "template_id": self.sms_template.id, "mass_keep_log": True}
        ).action_send_sms()
        # a text written by hand has no template
        self._wizard(sms_body="Written by hand").action_send()
        self.env.flush_all()
        history = self.env["sms.notify.message"].search(
            [("partner_id", "in", (self.customer | other).ids)]
        )
        self.assertEqual(
            sorted(
                (
                    message.partner_id.name,
                    message.channel,
                    message.sms_template_id.name or "",
                    message.mail_template_id.name or "",
                )
                for message in history
            ),
            [
                ("Anna Petrova", "email", "", "Glasses ready"),
                ("Anna Petrova", "sms", "", ""),
                ("Anna Petrova", "sms", "Glasses ready", ""),
                ("Anna Petrova", "sms", "Glasses ready", ""),
                ("Boris", "sms", "Glasses ready", ""),
            ],
        )
        # the search's Template field finds both channels
        action = self.env.ref("sms_notify.sms_notify_message_action")
        self.assertTrue(action)
        found = self.env["sms.notify.message"].search(
            [
                ("partner_id", "=", self.customer.id),
                "|",
                ("sms_template_id.name", "ilike", "glasses"),
                ("mail_template_id.name", "ilike", "glasses"),
            ]
        )
        self.assertEqual(sorted(found.mapped("channel")), ["email", "sms", "sms"])
