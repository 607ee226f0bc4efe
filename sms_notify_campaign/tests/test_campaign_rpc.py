import xmlrpc.client

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .test_campaign_summary import CampaignCommon

PASSWORD = "campaign-Rpc-123"
MARKETING = "base.group_user,mass_mailing.group_mass_mailing_user"
RECIPIENT = "sms.notify.campaign.recipient"
ADD = "sms.notify.campaign.recipient.add"
NUMBER = "sms.notify.campaign.recipient.number"


@tagged("post_install", "-at_install")
class TestCampaignRpc(HttpCase, CampaignCommon):
    """The trust boundaries of a mailing's summary, recipient list and its wizards, as the web
    client meets them over RPC: a marketing user works on the mailings their company sends,
    changes of a recipient only what is theirs to change, and reaches nothing of a mailing
    another company sends and pays for; a user without the marketing right reaches none of
    it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create(
            {"name": "Optyk Kraków", "country_id": cls.env.ref("base.ru").id}
        )
        # sent at whatever hour the tests run: quiet hours are test_mailing_delivery's
        (cls.env.company | cls.company_b).sms_notify_quiet_advertising = False
        # who may write contacts corrects a number on the contact
        cls.marketer = new_test_user(
            cls.env,
            login="rpc_marketer",
            password=PASSWORD,
            groups=f"{MARKETING},base.group_partner_manager",
        )
        cls.marketer_b = new_test_user(
            cls.env,
            login="rpc_marketer_b",
            password=PASSWORD,
            groups=MARKETING,
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.plain = new_test_user(
            cls.env, login="rpc_plain", password=PASSWORD, groups="base.group_user"
        )
        # a customer of company B: company A's users neither read nor write it
        cls.partner_b = cls.env["res.partner"].create(
            {
                "name": "Campaign 99 company B",
                "mobile": "+7 912 000-00-99",
                "company_id": cls.company_b.id,
                "sms_notify_ad_consent": True,
            }
        )
        people = cls.people
        cls.mailing = cls._mailing(
            cls, people["send"] | people["excluded"] | people["invalid"] | cls.partner_b
        )
        cls.mailing_b = cls._mailing(
            cls, people["send"] | people["opted_out"], user_id=cls.marketer_b.id
        )
        cls.mailing._sms_notify_summarize()
        cls.mailing_b._sms_notify_summarize()

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _rpc(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, PASSWORD, model, method, list(args), kwargs
        )

    def _refused(self, user, model, method, *args, **kwargs):
        """The fault ``user`` gets calling ``method``: the call must be refused."""
        with mute_logger("odoo.http"), self.assertRaises(xmlrpc.client.Fault) as caught:
            self._rpc(user, model, method, *args, **kwargs)
        return caught.exception.faultString

    def _recipient(self, mailing, partner):
        return self.env[RECIPIENT].search(
            [("mailing_id", "=", mailing.id), ("res_id", "=", partner.id)]
        )

    def _snapshot(self, recipients):
        fields = ["excluded", "number_override", "outcome", "e164", "mailing_id", "company_id"]
        return recipients.read(fields)

    # ------------------------------------------------------------------
    # a marketing user of the mailing's company
    # ------------------------------------------------------------------

    def test_marketing_user_summarizes_and_reviews_the_recipient_list(self):
        self.assertTrue(
            self._rpc(
                self.marketer,
                "mailing.mailing",
                "action_sms_notify_refresh_summary",
                self.mailing.ids,
            )
        )
        dialog = self._rpc(
            self.marketer, "mailing.mailing", "action_sms_notify_send_dialog", self.mailing.ids
        )
        self.assertEqual(dialog["res_id"], self.mailing.id)
        [summary] = self._rpc(
            self.marketer,
            "mailing.mailing",
            "read",
            self.mailing.ids,
            ["sms_notify_recipient_count", "sms_notify_send_count", "sms_notify_invalid_count"],
        )
        # the customer of company B is not theirs to select: only the summary's own three
        self.assertEqual(
            (
                summary["sms_notify_recipient_count"],
                summary["sms_notify_send_count"],
                summary["sms_notify_invalid_count"],
            ),
            (3, 2, 1),
        )
        action = self._rpc(
            self.marketer, "mailing.mailing", "action_sms_notify_recipients", self.mailing.ids
        )
        listed = self._rpc(
            self.marketer,
            RECIPIENT,
            "web_search_read",
            action["domain"],
            specification={"res_id": {}, "outcome": {}, "e164": {}},
            context=action["context"],
        )
        self.assertEqual(
            sorted((record["res_id"], record["outcome"]) for record in listed["records"]),
            sorted(
                [
                    (self.people["send"].id, "send"),
                    (self.people["excluded"].id, "send"),
                    (self.people["invalid"].id, "invalid"),
                ]
            ),
        )

    def test_marketing_user_takes_off_puts_back_and_sets_a_number(self):
        boris = self._recipient(self.mailing, self.people["excluded"])
        self._rpc(self.marketer, RECIPIENT, "action_exclude", boris.ids)
        self.assertEqual(boris.outcome, "excluded")
        self.assertEqual(self.mailing.sms_notify_excluded_count, 1, "the summary follows")
        self._rpc(self.marketer, RECIPIENT, "action_include", boris.ids)
        self.assertEqual(boris.outcome, "send")
        landline = self._recipient(self.mailing, self.people["invalid"])
        self._rpc(
            self.marketer, RECIPIENT, "write", landline.ids, {"number_override": "+7 912 000-00-44"}
        )
        self.assertRecordValues(
            landline,
            [{"number_override": "+7 912 000-00-44", "e164": "+79120000044", "outcome": "send"}],
        )

    def test_marketing_user_changes_nothing_else_of_a_recipient(self):
        anna = self._recipient(self.mailing, self.people["send"])
        before = self._snapshot(anna)
        for values in (
            {"outcome": "send"},
            {"e164": "+79120000077"},
            {"number": "+79120000077"},
            {"mailing_id": self.mailing_b.id},
            {"company_id": self.company_b.id},
            {"res_id": self.people["opted_out"].id},
            {"added": True},
            {"excluded": True, "outcome": "send"},
        ):
            with self.subTest(values=values):
                fault = self._refused(self.marketer, RECIPIENT, "write", anna.ids, values)
                self.assertIn("Only the exclusion and the number", fault)
        self.assertEqual(self._snapshot(anna), before)
        fault = self._refused(
            self.marketer,
            RECIPIENT,
            "create",
            {"mailing_id": self.mailing.id, "company_id": self.env.company.id, "res_id": 1},
        )
        self.assertIn("not allowed to create", fault)
        fault = self._refused(self.marketer, RECIPIENT, "unlink", anna.ids)
        self.assertIn("not allowed to delete", fault)
        self.assertTrue(anna.exists())

    def test_marketing_user_adds_only_records_they_may_read(self):
        action = self._rpc(
            self.marketer, "mailing.mailing", "action_sms_notify_add_recipients", self.mailing.ids
        )
        blacklisted = self.people["blacklist"]
        wizard_id = self._rpc(
            self.marketer,
            ADD,
            "create",
            {"partner_ids": [(6, 0, [blacklisted.id, self.partner_b.id])]},
            context=action["context"],
        )
        self._rpc(self.marketer, ADD, "action_add", [wizard_id])
        self.assertRecordValues(
            self._recipient(self.mailing, blacklisted), [{"added": True, "outcome": "blacklist"}]
        )
        # company B's customer, chosen by id, is not theirs to read: not added
        self.assertFalse(self._recipient(self.mailing, self.partner_b).added)

    def test_marketing_user_corrects_a_number_on_a_contact_they_may_write_only(self):
        # company B's customer is on the list (the mailing's responsible user selected it), yet
        # its contact is not the marketing user's to correct
        foreign = self._recipient(self.mailing, self.partner_b)
        self.assertTrue(foreign)
        wizard_id = self._rpc(
            self.marketer,
            NUMBER,
            "create",
            {"recipient_id": foreign.id, "number": "+7 912 000-00-34", "scope": "contact"},
        )
        self._refused(self.marketer, NUMBER, "action_apply", [wizard_id])
        self.assertEqual(self.partner_b.mobile, "+7 912 000-00-99")
        self.assertFalse(foreign.number_override)

        landline = self.people["invalid"]
        recipient = self._recipient(self.mailing, landline)
        wizard_id = self._rpc(
            self.marketer,
            NUMBER,
            "create",
            {"number": "+7 912 000-00-33", "scope": "contact"},
            context={"default_recipient_id": recipient.id},
        )
        self._rpc(self.marketer, NUMBER, "action_apply", [wizard_id])
        self.assertEqual(landline.mobile, "+7 912 000-00-33")
        self.assertEqual(recipient.outcome, "send")

    # ------------------------------------------------------------------
    # a mailing another company sends
    # ------------------------------------------------------------------

    def test_marketing_user_reaches_no_recipient_of_another_companys_mailing(self):
        recipients = self.env[RECIPIENT].search([("mailing_id", "=", self.mailing_b.id)])
        self.assertEqual(len(recipients), 2)
        before = self._snapshot(recipients)
        self.assertEqual(
            self._rpc(self.marketer, RECIPIENT, "search", [("mailing_id", "=", self.mailing_b.id)]),
            [],
        )
        self._refused(self.marketer, RECIPIENT, "read", recipients.ids, ["number", "e164"])
        self._refused(self.marketer, RECIPIENT, "write", recipients.ids, {"excluded": True})
        for method in ("action_exclude", "action_include"):
            self._refused(self.marketer, RECIPIENT, method, recipients.ids)
        self._refused(self.marketer, RECIPIENT, "action_open_record", recipients[:1].ids)
        self.assertEqual(self._snapshot(recipients), before)
        # company B's marketing user does all of it
        self._rpc(self.marketer_b, RECIPIENT, "action_exclude", recipients[:1].ids)
        self.assertTrue(recipients[0].excluded)

    def _assert_another_companys(self, fault):
        """Company B's SMS mailing is refused to company A's user: hidden by the record rule of
        SMS mailings, or, where the mailing is within reach, by the company check."""
        self.assertTrue(
            "Mass Mailing (mailing.mailing)" in fault or "is sent by Optyk Kraków" in fault,
            fault,
        )

    def test_marketing_user_cannot_summarize_another_companys_mailing(self):
        """The summary reads the sending company's costs and balance as superuser: a user of
        another company neither refreshes it nor opens what refreshes it."""
        summary_date = self.mailing_b.sms_notify_summary_date
        for method in (
            "action_sms_notify_refresh_summary",
            "action_sms_notify_send_dialog",
            "action_sms_notify_recipients",
        ):
            with self.subTest(method=method):
                fault = self._refused(self.marketer, "mailing.mailing", method, self.mailing_b.ids)
                self._assert_another_companys(fault)
        self.mailing_b.invalidate_recordset()
        self.assertEqual(self.mailing_b.sms_notify_summary_date, summary_date)
        # the mailing's own company refreshes it
        self._rpc(
            self.marketer_b,
            "mailing.mailing",
            "action_sms_notify_refresh_summary",
            self.mailing_b.ids,
        )

    def test_recipient_wizards_refuse_another_companys_mailing(self):
        before = self._snapshot(
            self.env[RECIPIENT].search([("mailing_id", "=", self.mailing_b.id)])
        )
        extra = self.people["no_consent"]
        by_context = self._rpc(
            self.marketer,
            ADD,
            "create",
            {"partner_ids": [(6, 0, extra.ids)]},
            context={"default_mailing_id": self.mailing_b.id},
        )
        by_values = self._rpc(
            self.marketer,
            ADD,
            "create",
            {"mailing_id": self.mailing_b.id, "domain": repr([("id", "=", extra.id)])},
        )
        for wizard_id in (by_context, by_values):
            fault = self._refused(self.marketer, ADD, "action_add", [wizard_id])
            self._assert_another_companys(fault)
        self.assertFalse(self._recipient(self.mailing_b, extra))

        # the number wizard on a recipient of company B: neither its number nor a change
        anna_b = self._recipient(self.mailing_b, self.people["send"])
        wizard_id = self._rpc(
            self.marketer,
            NUMBER,
            "create",
            {"number": "+7 912 000-00-55", "scope": "mailing"},
            context={"default_recipient_id": anna_b.id},
        )
        fault = self._refused(self.marketer, NUMBER, "read", [wizard_id], ["current_number"])
        self.assertNotIn(anna_b.number, fault)
        self._refused(self.marketer, NUMBER, "action_apply", [wizard_id])
        self.assertEqual(
            self._snapshot(self.env[RECIPIENT].search([("mailing_id", "=", self.mailing_b.id)])),
            before,
        )

    def test_marketing_user_cannot_send_another_companys_mailing(self):
        """Sending spends the balance of the company that sends the mailing (its responsible
        user's): a user of another company cannot spend it, nor hand out its coupons, by the
        mailing's button or a composer pointed at the mailing."""
        anna = self.people["send"]
        fault = self._refused(
            self.marketer, "mailing.mailing", "action_send_sms", self.mailing_b.ids
        )
        self._assert_another_companys(fault)
        self._refused(
            self.marketer, "mailing.mailing", "action_send_sms", self.mailing_b.ids, anna.ids
        )
        self._refused(self.marketer, "mailing.mailing", "action_put_in_queue", self.mailing_b.ids)
        composer_id = self._rpc(
            self.marketer,
            "sms.composer",
            "create",
            {
                "composition_mode": "mass",
                "mailing_id": self.mailing_b.id,
                "res_model": "res.partner",
                "res_ids": repr(anna.ids),
                "body": "Frames -20% until Sunday",
            },
        )
        # nor read what it would cost company B, from its balance and costs
        fault = self._refused(
            self.marketer, "sms.composer", "read", [composer_id], ["sms_notify_cost_summary"]
        )
        self._assert_another_companys(fault)
        fault = self._refused(self.marketer, "sms.composer", "action_send_sms", [composer_id])
        self._assert_another_companys(fault)
        self.assertFalse(self.env["sms.sms"].search([("mailing_id", "=", self.mailing_b.id)]))
        self.assertEqual(self.mailing_b.state, "draft")

    def test_marketing_user_cannot_test_another_companys_mailing(self):
        """A test SMS is sent and charged as the mailing's: a user of another company cannot
        have one sent for it; the mailing's own company can."""
        values = {"mailing_id": self.mailing_b.id, "numbers": "+7 912 000-00-98"}
        test_id = self._rpc(self.marketer, "mailing.sms.test", "create", values)
        fault = self._refused(self.marketer, "mailing.sms.test", "action_send_sms", [test_id])
        self._assert_another_companys(fault)
        self.assertFalse(self.env["sms.sms"].search([("number", "=", "+79120000098")]))
        test_id = self._rpc(
            self.marketer, "mailing.sms.test", "create", dict(values, mailing_id=self.mailing.id)
        )
        self._rpc(self.marketer, "mailing.sms.test", "action_send_sms", [test_id])
        sent = self.env["sms.sms"].search([("number", "=", "+79120000098")])
        self.assertEqual(
            (sent.company_id, sent.message_kind, sent.state),
            (self.env.company, "advertising", "outgoing"),
        )

    def test_results_and_history_of_another_companys_mailing_stay_its_own(self):
        self.mailing_b.action_send_sms()
        self.env.flush_all()
        result_fields = [
            "sms_notify_processing_count",
            "sms_notify_cancelled_count",
            "sms_notify_results",
        ]
        domain = [("mailing_id", "=", self.mailing_b.id)]
        sent = self.env["sms.notify.message"].search_count(domain)
        self.assertTrue(sent)
        [theirs] = self._rpc(
            self.marketer_b, "mailing.mailing", "read", self.mailing_b.ids, result_fields
        )
        self.assertEqual(
            theirs["sms_notify_processing_count"] + theirs["sms_notify_cancelled_count"], sent
        )
        self.assertEqual(
            self._rpc(self.marketer_b, "sms.notify.message", "search_count", domain), sent
        )

        fault = self._refused(
            self.marketer, "mailing.mailing", "read", self.mailing_b.ids, result_fields
        )
        self._assert_another_companys(fault)
        self.assertEqual(
            self._rpc(self.marketer, "sms.notify.message", "search_read", domain, ["address"]),
            [],
        )
        ids = self.env["sms.notify.message"].search(domain).ids
        self._refused(self.marketer, "sms.notify.message", "read", ids, ["address"])
        self._refused(
            self.marketer, "mailing.mailing", "action_sms_notify_view_messages", self.mailing_b.ids
        )

    # ------------------------------------------------------------------
    # what no marketing user reaches
    # ------------------------------------------------------------------

    def test_marketing_user_cannot_reach_gateway_rates(self):
        for method, args in (
            ("search_read", ([], ["gateway_id"])),
            ("create", ({"gateway_id": self.gateway.id},)),
        ):
            with self.subTest(method=method):
                fault = self._refused(self.marketer, "sms.notify.gateway.rate", method, *args)
                self.assertIn("not allowed to", fault)

    def test_private_methods_are_not_callable(self):
        for method in ("_sms_notify_summarize", "_sms_notify_add_records"):
            with self.subTest(method=method):
                fault = self._refused(self.marketer, "mailing.mailing", method, self.mailing.ids)
                self.assertIn("Private methods", fault)

    def test_user_without_marketing_right_reaches_none_of_it(self):
        recipients = self.env[RECIPIENT].search([("mailing_id", "=", self.mailing.id)])
        before = self._snapshot(recipients)
        for method in (
            "action_sms_notify_refresh_summary",
            "action_sms_notify_send_dialog",
            "action_sms_notify_recipients",
        ):
            with self.subTest(method=method):
                self._refused(self.plain, "mailing.mailing", method, self.mailing.ids)
        self._refused(self.plain, RECIPIENT, "search_read", [], ["number"])
        self._refused(self.plain, RECIPIENT, "read", recipients.ids, ["number"])
        self._refused(self.plain, RECIPIENT, "write", recipients.ids, {"excluded": True})
        for method in ("action_exclude", "action_include"):
            self._refused(self.plain, RECIPIENT, method, recipients.ids)
        self._refused(
            self.plain, ADD, "create", {"mailing_id": self.mailing.id, "partner_ids": [(6, 0, [1])]}
        )
        self._refused(
            self.plain, NUMBER, "create", {"recipient_id": recipients[0].id, "number": "+1"}
        )
        self._refused(self.plain, "mailing.mailing", "read", self.mailing.ids, ["sms_notify_cost"])
        self._refused(self.plain, "sms.notify.gateway.rate", "search_read", [], ["gateway_id"])
        self.assertEqual(self._snapshot(recipients), before)
