from odoo.tests import Form, new_test_user, tagged

from .common import SmscGatewayCommon


@tagged("post_install", "-at_install")
class TestSendOutcome(SmscGatewayCommon):
    """After Notify or a mass send the sender is told what happened: the messages queued, the
    recipients skipped with their reasons, the cost (without billing, the estimate from the
    vendor's reported costs, and no balance)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "anna@example.com"
        cls.manager = new_test_user(
            cls.env,
            login="outcome_manager",
            groups="base.group_user,sms_notify.group_sms_notify_notification_manager",
        )
        partner_model = cls.env.ref("base.model_res_partner")
        cls.sms_template = cls.env["sms.template"].create(
            {
                "name": "Glasses ready",
                "model_id": partner_model.id,
                "body": "{{ object.name }}, your glasses are ready.",
            }
        )

    def _report_a_vendor_cost(self):
        """One message sent and reported at 1.40 by the SMSC fake: what the estimate uses."""
        self._post_sms(self.customer, "Your frames arrived.")
        self.assertEqual(
            self.env["sms.sms"].search([("partner_id", "=", self.customer.id)]).vendor_cost,
            1.4,
        )

    def _notify(self, **values):
        action = self.customer.with_user(self.manager).action_sms_notify()
        form = Form(
            self.env["sms.notify.wizard"].with_user(self.manager).with_context(**action["context"])
        )
        for name, value in values.items():
            setattr(form, name, value)
        return form.save().action_send()

    def test_notify_tells_the_sms_sent_and_its_estimated_cost(self):
        self._report_a_vendor_cost()
        action = self._notify(sms_template_id=self.sms_template)
        params = action["params"]
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(params["next"], {"type": "ir.actions.act_window_close"})
        self.assertEqual(params["title"], "Anna Petrova notified")
        self.assertEqual(params["type"], "success")
        self.assertFalse(params["sticky"], "nothing skipped: nothing to read at leisure")
        self.assertIn("SMS queued for sending: 1", params["message"])
        self.assertIn(
            "Cost: Estimate from the vendor's reported costs: about 1.40", params["message"]
        )
        self.assertNotIn("Skipped", params["message"])
        # without billing nothing is charged: no balance to tell
        self.assertNotIn("Balance", params["message"])
        composer = self.env["sms.composer"].search([], order="id desc", limit=1)
        self.assertEqual(
            composer.sms_notify_outcome["costs"],
            [
                {
                    "company": self.env.company.name,
                    "currency": self.env.company.currency_id.name,
                    "total": 1.4,
                    "billed": False,
                    "balance_after": None,
                    "text": composer.sms_notify_outcome["costs"][0]["text"],
                }
            ],
        )
        # what it told is what happens: the message leaves
        self.env["sms.sms"]._process_queue()
        self.assertEqual(len(self.fake.requests_to("/sys/send.php")), 2)

    def test_notify_by_sms_and_email_tells_both(self):
        mail_template = self.env["mail.template"].create(
            {
                "name": "Glasses ready",
                "model_id": self.env.ref("base.model_res_partner").id,
                "subject": "Your glasses are ready",
                "body_html": "<p>Come and collect them.</p>",
            }
        )
        params = self._notify(
            channel="both", sms_template_id=self.sms_template, mail_template_id=mail_template
        )["params"]
        self.assertIn("SMS queued for sending: 1", params["message"])
        self.assertIn("E-mail sent to anna@example.com", params["message"])
        # no cost reported yet: the sender is told it is not estimated, not a made-up amount
        self.assertIn("Cost: not estimated yet", params["message"])
        params = self._notify(channel="email", mail_template_id=mail_template)["params"]
        self.assertEqual(params["message"], "E-mail sent to anna@example.com")

    def test_mass_send_tells_the_sent_and_the_skipped_with_their_reasons(self):
        no_number = self.env["res.partner"].create({"name": "Boris Orlov"})
        opted_out = self.env["res.partner"].create(
            {"name": "Vera Sokolova", "mobile": "+7 912 000-00-02", "sms_notify_opt_out": True}
        )
        customers = self.customer | no_number | opted_out
        # the list's Send SMS (Odoo's res_partner_act_window_sms_composer_multi)
        composer = (
            self.env["sms.composer"]
            .with_user(self.manager)
            .with_context(active_model="res.partner", active_ids=customers.ids)
            .create(
                {
                    "composition_mode": "mass",
                    "mass_keep_log": True,
                    "body": "Frames -20% this week, {{ object.name }}.",
                }
            )
        )
        action = composer.action_send_sms()
        params = action["params"]
        self.assertEqual(params["title"], "SMS sent, some recipients skipped")
        self.assertEqual((params["type"], params["sticky"]), ("warning", True))
        self.assertEqual(params["next"], {"type": "ir.actions.act_window_close"})
        self.assertEqual(
            params["message"].splitlines()[:4],
            [
                "SMS queued for sending: 1",
                "Skipped: 2",
                "- No mobile number: 1",
                "- Asked not to receive SMS (No SMS on their contact): 1",
            ],
        )
        self.assertEqual(composer.sms_notify_outcome["queued"], 1)
        # the opted-out customer's message is cancelled at once, with the queue's reason
        refused = self.env["sms.sms"].search([("partner_id", "=", opted_out.id)])
        self.assertRecordValues(refused, [{"state": "canceled", "failure_type": "sms_optout"}])
        self.assertIn("asked not to receive SMS", refused.gateway_error)
        self.env["sms.sms"]._process_queue()
        [request] = self.fake.requests_to("/sys/send.php")
        self.assertEqual(request.params["mes"], "Frames -20% this week, Anna Petrova.")

    def test_promotion_without_consent_is_a_reason_of_its_own(self):
        other = self.env["res.partner"].create(
            {"name": "Boris Orlov", "mobile": "+7 912 000-00-01", "sms_notify_ad_consent": True}
        )
        composer = (
            self.env["sms.composer"]
            .with_user(self.manager)
            .with_context(active_model="res.partner", active_ids=(self.customer | other).ids)
            .create(
                {
                    "composition_mode": "mass",
                    "message_kind": "advertising",
                    "body": "Frames -20% this week.",
                }
            )
        )
        message = composer.action_send_sms()["params"]["message"]
        self.assertIn("- No consent to SMS promotions: 1", message)
        self.assertIn("SMS queued for sending: 1", message)

    def test_nothing_sent_says_so(self):
        nobody = self.env["res.partner"].create({"name": "Boris Orlov"})
        composer = (
            self.env["sms.composer"]
            .with_user(self.manager)
            .create(
                {
                    "composition_mode": "mass",
                    "res_model": "res.partner",
                    "res_ids": repr(nobody.ids),
                    "body": "Frames -20% this week.",
                }
            )
        )
        params = composer.action_send_sms()["params"]
        self.assertEqual(params["title"], "No SMS sent")
        self.assertEqual(
            params["message"], "SMS queued for sending: 0\nSkipped: 1\n- No mobile number: 1"
        )
