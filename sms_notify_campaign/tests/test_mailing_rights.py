from odoo.tests import tagged

from odoo.addons.sms_notify.tests.test_sending_rights import SendingRightsCommon


@tagged("post_install", "-at_install")
class TestMailingRights(SendingRightsCommon):
    """An SMS Marketing user sends their mailings without the suite's Notification Manager
    right, and a mailing's SMS are promotions: they need the customers' consent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # promotions go at any hour here: the quiet hours have tests of their own
        cls.env.company.sms_notify_quiet_advertising = False

    def _mailing(self):
        return self.env["mailing.mailing"].create(
            {
                "subject": "Spring sale",
                "mailing_type": "sms",
                "body_plaintext": "-20% on all frames this week.",
                "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                "mailing_domain": repr([("id", "in", (self.customer | self.other_customer).ids)]),
                "sms_allow_unsubscribe": False,
            }
        )

    def test_marketing_user_sends_a_mailing_of_advertising_sms(self):
        marketer = self._user("snd_marketer", "mass_mailing.group_mass_mailing_user")
        self.other_customer.sms_notify_ad_consent = True
        mailing = self._mailing()
        self._rpc(marketer, "mailing.mailing", "action_send_sms", mailing.ids)
        messages = self._messages()
        self.assertEqual(set(messages.mapped("message_kind")), {"advertising"})
        self.env["sms.sms"]._process_queue()
        by_partner = {sms.partner_id: sms for sms in messages}
        self.assertEqual(by_partner[self.other_customer].state, "pending")
        self.assertRecordValues(by_partner[self.customer], [{"state": "canceled"}])
        self.assertIn("not agreed to SMS promotions", by_partner[self.customer].gateway_error)

    def test_composer_of_a_mailing_sends_promotions_unless_told_otherwise(self):
        """What SMS Marketing alone hands the core's composer: a mailing, and no kind."""
        mailing = self._mailing()
        values = {
            "composition_mode": "mass",
            "mailing_id": mailing.id,
            "res_model": "res.partner",
            "res_ids": repr(self.customer.ids),
            "body": "-20% on all frames this week.",
        }
        composer = self.env["sms.composer"].create(values)
        self.assertEqual(composer.message_kind, "advertising")
        composer = self.env["sms.composer"].create(dict(values, message_kind="service"))
        self.assertEqual(composer.message_kind, "service")
