from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .test_campaign_summary import CampaignCommon


@tagged("post_install", "-at_install")
class TestCampaignRecipients(CampaignCommon):
    """A mailing's recipients can be reviewed one by one and changed before sending: taken off,
    added, their number corrected for the mailing or on the contact; sending follows the list,
    and updating the list from the mailing's filter keeps what the user changed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.anna, cls.boris = cls.people["send"], cls.people["excluded"]
        cls.mailing = cls._mailing(cls, cls.anna | cls.boris)

    def _recipient(self, partner):
        return self._recipients(self.mailing).filtered(lambda r: r.res_id == partner.id)

    def _send(self):
        self.mailing.action_send_sms()
        self.env["sms.sms"]._process_queue()
        return self.env["sms.sms"].search([("mailing_id", "=", self.mailing.id)])

    def test_recipient_list_shows_number_consent_and_outcome(self):
        action = self.mailing.action_sms_notify_recipients()
        recipients = self.env[action["res_model"]].search(action["domain"])
        self.assertRecordValues(
            recipients,
            [
                {
                    "partner_id": self.anna.id,
                    "name": self.anna.name,
                    "number": "8 912 000-00-01",
                    "e164": "+79120000001",
                    "sms_notify_ad_consent": True,
                    "outcome": "send",
                },
                {
                    "partner_id": self.boris.id,
                    "name": self.boris.name,
                    "number": "+7 912 000-00-08",
                    "e164": "+79120000008",
                    "sms_notify_ad_consent": True,
                    "outcome": "send",
                },
            ],
        )

    def test_a_recipient_taken_off_is_not_sent_to(self):
        self.mailing._sms_notify_sync_recipients()
        self._recipient(self.boris).action_exclude()
        self.assertEqual(self._recipient(self.boris).outcome, "excluded")

        messages = self._send()

        self.assertEqual(messages.partner_id, self.anna)

    def test_an_added_contact_is_sent_to_although_the_filter_does_not_select_it(self):
        carol = self.people["blacklist"]
        carol.mobile = "+7 912 000-00-55"
        self.mailing._sms_notify_add_records(carol)
        self.assertRecordValues(self._recipient(carol), [{"added": True, "outcome": "send"}])
        self.assertEqual(self.mailing.sms_notify_send_count, 3)

        messages = self._send()

        self.assertEqual(messages.partner_id, self.anna | self.boris | carol)

    def test_add_recipients_wizard_adds_only_records_of_the_mailing_model(self):
        carol = self.people["no_consent"]
        wizard = (
            self.env["sms.notify.campaign.recipient.add"]
            .with_context(default_mailing_id=self.mailing.id)
            .create({"partner_ids": [(6, 0, carol.ids)]})
        )
        wizard.action_add()
        self.assertEqual(self._recipient(carol).outcome, "no_consent")
        with self.assertRaisesRegex(UserError, "add records of that kind"):
            self.mailing._sms_notify_add_records(self.env["mailing.contact"].create({"name": "X"}))

    def test_number_corrected_for_this_mailing_only(self):
        self.mailing._sms_notify_sync_recipients()
        wizard = self.env["sms.notify.campaign.recipient.number"].create(
            {
                "recipient_id": self._recipient(self.boris).id,
                "number": "8 (912) 000-00-99",
                "scope": "mailing",
            }
        )
        wizard.action_apply()
        self.assertRecordValues(
            self._recipient(self.boris),
            [{"number_override": "8 (912) 000-00-99", "e164": "+79120000099"}],
        )

        messages = self._send()

        self.assertEqual(
            messages.filtered(lambda sms: sms.partner_id == self.boris).number, "+79120000099"
        )
        self.assertEqual(self.boris.mobile, "+7 912 000-00-08", "the contact keeps its number")

    def test_number_corrected_on_the_contact(self):
        landline = self.people["invalid"]
        self.mailing._sms_notify_add_records(landline)
        self.assertEqual(self._recipient(landline).outcome, "invalid")
        wizard = self.env["sms.notify.campaign.recipient.number"].create(
            {
                "recipient_id": self._recipient(landline).id,
                "number": "+7 912 000-00-33",
                "scope": "contact",
            }
        )
        wizard.action_apply()
        self.assertEqual(landline.mobile, "+7 912 000-00-33")
        self.assertRecordValues(
            self._recipient(landline), [{"outcome": "send", "number_override": False}]
        )

    def test_a_number_no_sms_reaches_is_refused_with_the_reason(self):
        self.mailing._sms_notify_sync_recipients()
        wizard = self.env["sms.notify.campaign.recipient.number"].create(
            {"recipient_id": self._recipient(self.boris).id, "number": "+7 495 123-45-67"}
        )
        with self.assertRaisesRegex(UserError, "landline"):
            wizard.action_apply()
        self.assertFalse(self._recipient(self.boris).number_override)

    def test_updating_from_the_filter_keeps_the_users_changes(self):
        self.mailing._sms_notify_sync_recipients()
        self._recipient(self.boris).action_exclude()
        self._recipient(self.anna).number_override = "+7 912 000-00-77"
        others = self.people["opted_out"] | self.people["no_consent"]

        self.mailing.mailing_domain = repr([("id", "in", (self.anna | self.boris | others).ids)])
        self.mailing._sms_notify_summarize()

        self.assertEqual(len(self._recipients(self.mailing)), 4)
        self.assertEqual(self._recipient(self.boris).outcome, "excluded")
        self.assertEqual(self._recipient(self.anna).e164, "+79120000077")
        # a record the filter drops leaves the list, unless the user changed it
        self.mailing.mailing_domain = repr([("id", "in", self.anna.ids)])
        self.mailing._sms_notify_summarize()
        kept = self._recipients(self.mailing)
        self.assertEqual(kept.partner_id, self.anna | self.boris)
        self.assertEqual(self.mailing.sms_notify_recipient_count, 1)

    def test_recipients_of_a_mailing_contact_list(self):
        mailing_list = self.env["mailing.list"].create({"name": "Newsletter"})
        contacts = self.env["mailing.contact"].create(
            [
                {"name": "Dana", "mobile": "+7 912 000-00-41", "list_ids": [(4, mailing_list.id)]},
                {"name": "Egor", "mobile": "+7 912 000-00-42", "list_ids": [(4, mailing_list.id)]},
            ]
        )
        mailing_list.subscription_ids.filtered(lambda s: s.contact_id == contacts[1]).opt_out = True
        mailing = self._mailing(
            contacts,
            mailing_model_id=self.env["ir.model"]._get_id("mailing.list"),
            contact_list_ids=[(6, 0, mailing_list.ids)],
            mailing_domain=repr([("list_ids", "in", mailing_list.ids)]),
        )
        counts = mailing._sms_notify_summarize()["counts"]
        self.assertEqual((counts["send"], counts["unsubscribed"]), (1, 1))
        mailing.action_send_sms()
        messages = self.env["sms.sms"].search([("mailing_id", "=", mailing.id)])
        self.assertEqual(
            sorted(messages.mapped(lambda sms: (sms.number, sms.state))),
            [("+79120000041", "outgoing"), ("+79120000042", "canceled")],
        )


@tagged("post_install", "-at_install")
class TestCampaignRecipientsAccess(CampaignCommon):
    """Marketing users see and change the recipients of their own company's mailings only,
    and only what a user may change: exclusions and numbers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Other Optics"})
        groups = "base.group_user,mass_mailing.group_mass_mailing_user"
        cls.marketer = new_test_user(cls.env, login="summ_marketer", groups=groups)
        cls.stranger = new_test_user(
            cls.env,
            login="summ_stranger",
            groups=groups,
            company_id=cls.other_company.id,
            company_ids=[(6, 0, cls.other_company.ids)],
        )
        cls.mailing = cls._mailing(cls, cls.people["send"] | cls.people["excluded"])
        cls.mailing._sms_notify_sync_recipients()

    def test_marketing_user_of_the_company_reviews_and_takes_off(self):
        mailing = self.mailing.with_user(self.marketer)
        action = mailing.action_sms_notify_recipients()
        recipients = self.env[action["res_model"]].with_user(self.marketer).search(action["domain"])
        self.assertEqual(len(recipients), 2)
        recipients[1].action_exclude()
        self.assertEqual(recipients[1].outcome, "excluded")
        recipients[0].number_override = "+7 912 000-00-66"
        with self.assertRaises(AccessError):
            recipients[0].outcome = "send"
        with self.assertRaises(AccessError):
            recipients[0].res_id = self.people["invalid"].id
        with self.assertRaises(AccessError):
            recipients[0].unlink()

    def test_marketing_user_opens_the_summary_dialog_and_the_list(self):
        mailing = self.mailing.with_user(self.marketer)
        dialog = mailing.action_sms_notify_send_dialog()
        views = mailing.get_views([(dialog["views"][0][0], "form"), (False, "form")])
        self.assertIn("sms_notify_send_count", views["views"]["form"]["arch"])
        recipients = self.env["sms.notify.campaign.recipient"].with_user(self.marketer)
        views = recipients.get_views([(False, "list"), (False, "search")])
        self.assertIn("action_correct_number", views["views"]["list"]["arch"])

    def test_marketing_user_of_another_company_sees_none_of_them(self):
        recipients = self._recipients(self.mailing)
        stranger_env = self.env(user=self.stranger)
        model = stranger_env["sms.notify.campaign.recipient"]
        self.assertFalse(model.search([("mailing_id", "=", self.mailing.id)]))
        with self.assertRaises(AccessError):
            recipients.with_user(self.stranger).read(["number"])
        with self.assertRaises(AccessError):
            recipients.with_user(self.stranger).write({"excluded": True})

    def test_user_without_marketing_right_has_no_access(self):
        plain = new_test_user(self.env, login="summ_plain", groups="base.group_user")
        with self.assertRaises(AccessError):
            self._recipients(self.mailing).with_user(plain).read(["number"])
