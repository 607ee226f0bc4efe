from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.sms_notify.tests.common import SmscGatewayCommon
from odoo.addons.sms_notify_billing.tests.common import BillingMixin

from ..models import mailing_mailing_summary
from .common import create_sms_mailing

#: what sending does to a recipient of each outcome: (SMS state, failure type); None: no SMS
SENT_AS = {
    "send": ("pending", False),
    "no_number": ("canceled", "sms_number_missing"),
    "invalid": ("canceled", "sms_number_format"),
    "duplicate": ("canceled", "sms_duplicate"),
    "blacklist": ("canceled", "sms_blacklist"),
    "opted_out": ("canceled", "sms_optout"),
    "no_consent": ("canceled", "sms_optout"),
    "excluded": None,
}


class CampaignCommon(SmscGatewayCommon):
    """Customers of every outcome a mailing's summary knows, and a mailing to them all."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {"country_id": cls.env.ref("base.ru").id, "sms_notify_quiet_start": 0.0}
        )
        cls.env.company.sms_notify_quiet_end = 0.0  # no quiet hours unless a test sets them
        cls.env["phone.blacklist"].create({"number": "+79120000005"})
        partner = cls.env["res.partner"]
        # named so that SMS Marketing reaches them in this order (by name)
        cls.people = {
            outcome: partner.create(
                {
                    "name": f"Campaign {index:02d} {outcome}",
                    "mobile": number,
                    "country_id": cls.env.ref("base.ru").id,
                    "sms_notify_ad_consent": outcome != "no_consent",
                    "sms_notify_opt_out": outcome == "opted_out",
                }
            )
            for index, (outcome, number) in enumerate(
                [
                    ("send", "8 912 000-00-01"),
                    ("no_number", False),
                    ("invalid", "+7 495 123-45-67"),  # a Moscow landline
                    ("duplicate", "+7 912 000 00 01"),  # the first one's, written otherwise
                    ("blacklist", "+7 912 000-00-05"),
                    ("opted_out", "+7 912 000-00-06"),
                    ("no_consent", "+7 912 000-00-07"),
                    ("excluded", "+7 912 000-00-08"),
                ]
            )
        }

    def _mailing(self, records=None, body="Frames -20% until Sunday", **values):
        records = records or self._all()
        return create_sms_mailing(
            self.env, records, **{"body_plaintext": body, "user_id": self.env.user.id, **values}
        )

    def _all(self):
        return self.env["res.partner"].union(*self.people.values())

    def _recipients(self, mailing):
        return self.env["sms.notify.campaign.recipient"].search([("mailing_id", "=", mailing.id)])

    def _outcomes(self, mailing):
        return {
            recipient.partner_id or recipient.res_id: recipient.outcome
            for recipient in self._recipients(mailing)
        }

    def _assert_sent_as_summarized(self, mailing, outcomes):
        """Each recipient's SMS ended as its summarized ``outcomes`` said; return the SMS by
        customer."""
        messages = self.env["sms.sms"].search([("mailing_id", "=", mailing.id)])
        by_partner = {sms.partner_id: sms for sms in messages}
        for partner, outcome in outcomes.items():
            sms = by_partner.get(partner)
            got = sms and (sms.state, sms.failure_type or False)
            self.assertEqual(got, SENT_AS[outcome], f"{partner.name}: summary said {outcome}")
        return by_partner

    def _exclude(self, mailing, partner):
        mailing._sms_notify_sync_recipients()
        self._recipients(mailing).filtered(lambda r: r.res_id == partner.id).action_exclude()


@tagged("post_install", "-at_install")
class TestCampaignSummary(CampaignCommon):
    """Before sending, the summary tells how many will receive the mailing, who is skipped and
    why, the SMS parts and the cost; and sending then does exactly what it said."""

    def test_ab_test_version_is_counted_and_priced_for_its_share(self):
        """An A/B test sends each version to its share of the recipients, picked at random
        when sending: the summary prices the share, not the whole filter (the whole would
        refuse a version the balance covers), and sending reaches as many."""
        customers = self.env["res.partner"].create(
            [
                {
                    "name": f"AB {index:02d}",
                    "mobile": f"+7 912 100-00-{index:02d}",
                    "sms_notify_ad_consent": True,
                }
                for index in range(10)
            ]
        )
        mailing = self._mailing(customers, ab_testing_enabled=True, ab_testing_pc=30)

        summary = mailing._sms_notify_summarize()

        self.assertEqual(summary["counts"]["send"], 10)
        self.assertRecordValues(
            mailing,
            [
                {
                    "sms_notify_send_count": 10,
                    "sms_notify_ab_send_count": 3,
                    "sms_notify_segments": 3,
                }
            ],
        )
        mailing.action_send_sms()
        traces = self.env["mailing.trace"].search([("mass_mailing_id", "=", mailing.id)])
        self.assertEqual(len(traces), 3)

    def test_summary_counts_each_reason_and_sending_agrees_with_it(self):
        mailing = self._mailing()
        self._exclude(mailing, self.people["excluded"])

        summary = mailing._sms_notify_summarize()

        self.assertEqual(
            {outcome: count for outcome, count in summary["counts"].items() if count},
            dict.fromkeys(self.people, 1),
        )
        self.assertRecordValues(
            mailing,
            [
                {
                    "sms_notify_recipient_count": 8,
                    "sms_notify_send_count": 1,
                    "sms_notify_skipped_count": 7,
                    "sms_notify_invalid_count": 1,
                    "sms_notify_no_consent_count": 1,
                    "sms_notify_parts": 1,
                    "sms_notify_segments": 1,
                }
            ],
        )
        outcomes = self._outcomes(mailing)
        self.assertEqual(outcomes, {partner: outcome for outcome, partner in self.people.items()})

        mailing.action_send_sms()
        self.env["sms.sms"]._process_queue()

        by_partner = self._assert_sent_as_summarized(mailing, outcomes)
        self.assertEqual(
            by_partner[self.people["send"]].number, "+79120000001", "the number it counted"
        )

    def test_sending_takes_the_numbers_the_summary_judged_instead_of_judging_again(self):
        """Sending summarizes the mailing first; the composer then reads each recipient's
        number, customer and per-mailing number from the list, and what it sends still agrees
        with the summary recipient by recipient."""
        mailing = self._mailing()
        self._exclude(mailing, self.people["excluded"])
        composer_class = type(self.env["sms.composer"])
        with patch.object(
            composer_class, "_sms_notify_recipients", side_effect=AssertionError("judged again")
        ):
            mailing.action_send_sms()
        self.env["sms.sms"]._process_queue()
        outcomes = self._outcomes(mailing)
        self._assert_sent_as_summarized(mailing, outcomes)

    def test_numbers_judged_for_one_mailing_are_not_judged_again_for_the_next(self):
        first = self._mailing()
        first._sms_notify_summarize()
        self.people["invalid"].mobile = "+7 912 000-00-03"
        second = self._mailing()
        choose = mailing_mailing_summary.recipient_tools.choose

        with patch.object(
            mailing_mailing_summary.recipient_tools, "choose", side_effect=choose
        ) as judged:
            second._sms_notify_summarize()

        self.assertEqual(judged.call_count, 1, "only the number that changed")
        outcomes = self._outcomes(second)
        self.assertEqual(outcomes.pop(self.people["invalid"]), "send")
        self.assertEqual(outcomes.pop(self.people["excluded"]), "send")
        self.assertEqual(
            outcomes,
            {p: o for o, p in self.people.items() if o not in ("invalid", "excluded")},
        )
        self.assertEqual(
            self._recipients(second).mapped("e164"),
            self._recipients(first).mapped("e164")[:2]
            + ["+79120000003"]
            + self._recipients(first).mapped("e164")[3:],
        )

    def test_service_mailing_needs_no_consent_to_promotions(self):
        mailing = self._mailing(self.people["no_consent"], message_kind="service")
        self.assertEqual(mailing._sms_notify_summarize()["counts"]["send"], 1)

    def test_a_resumed_mailing_counts_who_was_already_reached(self):
        first, other = self.people["send"], self.people["opted_out"]
        other.sms_notify_opt_out = False
        mailing = self._mailing(first | other)
        mailing.action_send_sms(res_ids=first.ids)

        counts = mailing._sms_notify_summarize()["counts"]

        self.assertEqual((counts["reached"], counts["send"]), (1, 1))

    def test_parts_follow_the_text_as_it_leaves(self):
        mailing = self._mailing(self.people["send"], body="Ж" * 71)
        summary = mailing._sms_notify_summarize()
        self.assertEqual((summary["parts"], mailing.sms_notify_segments), (2, 2))
        # the opt-out link SMS Marketing adds to every text makes it longer
        mailing.write({"body_plaintext": "x" * 150, "sms_allow_unsubscribe": True})
        self.assertEqual(mailing._sms_notify_summarize()["parts"], 2)
        mailing.action_send_sms()
        sms = self.env["sms.sms"].search([("mailing_id", "=", mailing.id)])
        self.assertEqual(sms.segments, 2, "what the summary counted")

    def test_parts_with_tokens_are_the_longest_rendered_text_s(self):
        """The raw text holds placeholders far longer than a first name: the parts counted are
        those of the longest text a recipient gets, which the cost is reckoned on."""
        short, long_ = self.people["send"], self.people["opted_out"]
        long_.sms_notify_opt_out = False
        short.name, long_.name = "Jo Lee", "Ж" + "a" * 70 + " Petrova"
        mailing = self._mailing(short | long_, body="x")
        mailing.sms_notify_text = ":FirstName:, -20% this week"
        summary = mailing._sms_notify_summarize()
        self.assertEqual(summary["parts"], 2, "the Cyrillic 71-letter name makes two parts")
        self.assertEqual(mailing.sms_notify_segments, 2 * summary["counts"]["send"])
        mailing.action_send_sms()
        sms = self.env["sms.sms"].search([("mailing_id", "=", mailing.id)])
        self.assertEqual(max(sms.mapped("segments")), summary["parts"])

    def test_recipients_now_in_their_quiet_hours_are_counted_not_skipped(self):
        night, day = self.people["send"], self.people["opted_out"]
        day.sms_notify_opt_out = False
        night.tz, day.tz = "UTC", "Etc/GMT-12"
        now = datetime(2026, 1, 15, 23, 0)
        self.env.company.write({"sms_notify_quiet_start": 21.0, "sms_notify_quiet_end": 9.0})
        mailing = self._mailing(night | day)

        with patch.object(mailing_mailing_summary.fields.Datetime, "now", return_value=now):
            summary = mailing._sms_notify_summarize()

        self.assertEqual((summary["counts"]["send"], summary["quiet"]), (2, 1))
        self.assertEqual(mailing.sms_notify_quiet_count, 1)
        quiet = self._recipients(mailing).filtered("quiet")
        self.assertEqual(quiet.partner_id, night)

    def test_night_that_outlasts_the_validity_is_a_skip_and_sending_agrees(self):
        """A promotion valid for 2 hours, sent at 23:00 on a customer's clock, would wait for
        09:00 and expire first: the summary counts it as skipped, and the queue cancels it
        as expired, while a customer whose morning it is receives it."""
        night, day = self.people["send"], self.people["opted_out"]
        day.sms_notify_opt_out = False
        night.tz, day.tz = "UTC", "Etc/GMT-12"
        now = datetime(2026, 1, 15, 23, 0)
        self.env.company.write(
            {
                "sms_notify_quiet_start": 21.0,
                "sms_notify_quiet_end": 9.0,
                "sms_notify_quiet_advertising": True,
            }
        )
        mailing = self._mailing(night | day)
        mailing.sms_notify_validity_hours = 2

        with freeze_time(now):
            summary = mailing._sms_notify_summarize()
            self.assertEqual(
                (summary["counts"]["send"], summary["counts"]["night_expired"]), (1, 1)
            )
            self.assertEqual(mailing.sms_notify_night_expired_count, 1)
            self.assertEqual(
                self._recipients(mailing)
                .filtered(lambda r: r.outcome == "night_expired")
                .partner_id,
                night,
            )
            mailing.action_send_sms()
            self.env["sms.sms"].sudo()._process_queue()
        with freeze_time(now + timedelta(hours=3)):
            self.env["sms.sms"].sudo()._process_queue()
        sms = self.env["sms.sms"].search([("mailing_id", "=", mailing.id)])
        by_partner = {message.partner_id: message for message in sms}
        self.assertEqual(by_partner[night].state, "canceled")
        self.assertEqual(by_partner[night].failure_type, "sms_expired")
        self.assertNotEqual(by_partner[day].state, "canceled")

    def test_without_billing_the_vendor_estimate_is_shown_and_nothing_is_refused(self):
        mailing = self._mailing(self.people["send"])
        summary = mailing._sms_notify_summarize()
        self.assertFalse(summary["billed"])
        self.assertTrue(summary["enough"])

        # with costs the vendor reported for earlier messages, an estimate
        self.env["sms.sms"].create(
            {
                "number": "+79120000099",
                "body": "x",
                "state": "sent",
                "company_id": self.env.company.id,
                "gateway_id": self.gateway.id,
                "vendor_cost": 2.5,
            }
        ).segments = 1
        self.gateway.company_id = self.env.company
        summary = mailing._sms_notify_summarize()
        self.assertEqual(summary["total"], 2.5)
        self.assertIn("Estimate from the vendor", mailing.sms_notify_cost_text)
        mailing.action_put_in_queue()
        self.assertEqual(mailing.state, "in_queue")

    def test_confirmation_dialog_replaces_the_blind_confirmation(self):
        mailing = self._mailing()
        action = mailing.action_sms_notify_send_dialog()
        self.assertEqual((action["res_id"], action["target"]), (mailing.id, "new"))
        # the one customer taken off elsewhere is not taken off here
        self.assertEqual(mailing.sms_notify_send_count, 2)
        arch = self.env.ref("sms_notify_campaign.mailing_mailing_view_form_sms_send").arch
        for button in ("action_put_in_queue", "action_send_mail", "action_schedule"):
            self.assertIn(button, arch)


@tagged("post_install", "-at_install")
class TestCampaignSummaryBilled(BillingMixin, CampaignCommon):
    """Under a tariff the summary shows the price and the balance after it, and a mailing the
    balance does not cover is refused, now or when its scheduled time comes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tariff = cls.env["sms.notify.tariff"].create(
            {"name": "Shared 3.00", "tariff_type": "shared", "price_per_message": 3.0}
        )
        cls.people["opted_out"].sms_notify_opt_out = False
        cls.mailing = cls._mailing(cls, cls.people["send"] | cls.people["opted_out"])

    def test_cost_and_balance_after_under_the_tariff(self):
        self._bill(self.tariff, topup=10)
        summary = self.mailing._sms_notify_summarize()
        self.assertTrue(summary["billed"])
        self.assertRecordValues(
            self.mailing,
            [
                {
                    "sms_notify_send_count": 2,
                    "sms_notify_cost": 6.0,
                    "sms_notify_balance_after": 4.0,
                    "sms_notify_cost_enough": True,
                    "sms_notify_cost_billed": True,
                }
            ],
        )
        self.mailing.action_put_in_queue()
        self.assertEqual(self.mailing.state, "in_queue")

    def test_sending_is_refused_with_what_to_do_when_the_balance_does_not_cover(self):
        self._bill(self.tariff, topup=5)
        with self.assertRaisesRegex(UserError, "Top up the balance.*take recipients off"):
            self.mailing.action_put_in_queue()
        self.assertEqual(self.mailing.state, "draft")
        self.assertFalse(self.mailing.sms_notify_cost_enough)
        with self.assertRaises(UserError):
            self.mailing.action_send_sms()
        self.assertFalse(self.env["sms.sms"].search([("mailing_id", "=", self.mailing.id)]))

        # one recipient fewer, and it fits
        self._exclude(self.mailing, self.people["opted_out"])
        self.mailing.action_put_in_queue()
        self.assertEqual(self.mailing.state, "in_queue")

    def test_a_scheduled_mailing_the_balance_no_longer_covers_goes_back_to_draft(self):
        self._bill(self.tariff, topup=10)
        self.mailing.write({"schedule_type": "scheduled", "schedule_date": datetime(2020, 1, 1)})
        self.mailing.action_put_in_queue()
        self._credit(-8, kind="adjustment")  # spent elsewhere meanwhile

        self.env["mailing.mailing"]._process_mass_mailing_queue()

        self.assertEqual(self.mailing.state, "draft")
        self.assertFalse(self.env["sms.sms"].search([("mailing_id", "=", self.mailing.id)]))
        self.assertIn("Top up the balance", self.mailing.message_ids[0].body)

    def test_under_a_message_package_the_summary_counts_messages_and_refuses_beyond_it(self):
        self._bill(self.env.ref("sms_notify_billing.sms_notify_tariff_package"))
        self.env["sms.notify.ledger"].sudo().create(
            {
                "balance_id": self.sms_balance.id,
                "kind": "topup",
                "amount": 0,
                "package_messages": 1,
                "name": "Test package",
            }
        )
        with self.assertRaisesRegex(UserError, "up to 2 messages of your package and 1 are left"):
            self.mailing.action_put_in_queue()
        self.assertRecordValues(
            self.mailing,
            [{"sms_notify_cost_known": False, "sms_notify_cost_enough": False}],
        )
        self.assertIn("2 messages of your package", self.mailing.sms_notify_cost_text)
        self._exclude(self.mailing, self.people["opted_out"])
        self.mailing.action_put_in_queue()
        self.assertEqual(self.mailing.state, "in_queue")
