"""A mailing by Viber: its own text with a picture and a button, the SMS to those Viber does
not reach, the same opt-out and consent, results per channel, and the cost at worst and as
expected."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.sms_notify.tests.common import SmsNotifyCommon

from .common import create_sms_mailing

START = datetime(2026, 12, 3, 10, 0, 0)
IMAGE = "https://optika.example/spring.jpg"
LINK = "https://optika.example/book"


@tagged("post_install", "-at_install")
class TestCampaignViber(SmsNotifyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.sms_notify_quiet_advertising = False
        cls.gateway = cls._create_gateway("sandbox", sandbox_delivery_delay=0)
        cls.contacts = cls.env["mailing.contact"].create(
            [
                {"name": "Viber user", "mobile": "+7 912 500-00-01"},
                {"name": "No Viber", "mobile": "+7 912 500-11-11"},
                {"name": "Silent phone", "mobile": "+7 912 500-22-22"},
            ]
        )
        cls.mailing = create_sms_mailing(
            cls.env,
            cls.contacts,
            body_plaintext="Spring sale: -20% on frames.",
            sms_notify_delivery_mode="viber_sms",
            sms_notify_viber_body="Spring sale: -20% on all frames and a free eye test.",
            sms_notify_viber_image_url=IMAGE,
            sms_notify_viber_button_text="Book now",
            sms_notify_viber_button_url=LINK,
            sms_notify_viber_wait_minutes=30,
            sms_allow_unsubscribe=True,
        )

    def _send(self):
        with freeze_time(START):
            self.mailing.action_send_sms()
            self.env["sms.sms"]._process_queue()
        with freeze_time(START + timedelta(seconds=1)):
            # Viber's reports, then the SMS of those it did not reach, then their reports
            self.env["sms.sms"]._cron_sandbox_delivery_reports()
            self.env["sms.sms"]._process_queue()
            self.env["sms.sms"]._cron_sandbox_delivery_reports()
        return self.env["sms.sms"].search([("mailing_id", "=", self.mailing.id)], order="id")

    def test_viber_goes_first_with_its_picture_button_and_opt_out(self):
        attempts = self._send()
        viber = attempts.filtered(lambda sms: sms.channel == "viber")
        self.assertEqual(len(viber), 3)
        for sms in viber:
            self.assertIn("free eye test", sms.body)
            self.assertIn("/sms/", sms.body, "the opt-out link, as in the SMS")
            self.assertIn("/sms/", sms.fallback_body)
            self.assertEqual(
                (sms.viber_image_url, sms.viber_button_text, sms.viber_button_url),
                (IMAGE, "Book now", LINK),
            )
            self.assertEqual(sms.segments, 1)
        # the opt-out link of a contact is the same in both of their texts
        first = viber[0]
        self.assertEqual(first.body.rsplit("\n", 1)[1], first.fallback_body.rsplit("\n", 1)[1])

    def test_the_sms_reaches_those_viber_does_not_and_results_show_each_channel(self):
        attempts = self._send()
        no_viber = attempts.filtered(lambda sms: sms.number.endswith("1111"))
        self.assertEqual(no_viber.mapped("channel"), ["viber", "sms"])
        fallback = no_viber.filtered(lambda sms: sms.channel == "sms")
        self.assertEqual(fallback.mailing_id, self.mailing)
        self.assertIn("Spring sale: -20% on frames.", fallback.body)
        trace = self.env["mailing.trace"].search(
            [("mass_mailing_id", "=", self.mailing.id), ("sms_number", "=", fallback.number)]
        )
        viber = no_viber - fallback
        # the tracked links of both texts carry the Viber message's id, which finds the trace
        self.assertEqual(trace.sms_id_int, viber.id)
        self.assertEqual(trace.sms_tracker_ids.sms_uuid, fallback.uuid, "its status, the SMS's")
        self.assertEqual(trace.trace_status, "sent", "the SMS was delivered")
        # the silent phone gets its SMS at the end of the wait
        silent = attempts.filtered(lambda sms: sms.number.endswith("2222"))
        self.assertEqual(silent.channel, "viber")
        with freeze_time(START + timedelta(minutes=30)):
            self.env["sms.sms"]._process_queue()
        self.assertEqual(silent.cascade_fallback_ids.state, "pending")
        self.env.invalidate_all()
        html = str(self.mailing.sms_notify_results)
        self.assertIn(f"{self.gateway.name} · Viber", html)
        # the sandbox only plays the operator: what it handed over is counted apart, never as
        # delivered (the Viber user, one SMS) nor as not delivered (Viber, to No Viber): each
        # attempt it took, the three Viber messages and the two SMS after them
        self.assertEqual(self.mailing.sms_notify_delivered_count, 0)
        self.assertEqual(self.mailing.sms_notify_not_delivered_count, 0)
        self.assertEqual(self.mailing.sms_notify_sandbox_count, 5)

    def test_viber_follows_the_mailing_s_consent(self):
        self.env["phone.blacklist"].create({"number": "+79125000001"})
        attempts = self._send()
        blocked = attempts.filtered(lambda sms: sms.number == "+79125000001")
        self.assertEqual(blocked.state, "canceled")
        self.assertFalse(blocked.cascade_fallback_ids)

    def test_a_viber_message_no_vendor_takes_is_refused_when_written(self):
        with self.assertRaises(ValidationError):
            self.mailing.sms_notify_viber_button_url = False
        with self.assertRaises(ValidationError):
            self.mailing.sms_notify_viber_button_text = (
                "A caption far longer than thirty characters"
            )

    def test_sms_only_mailing_sends_sms_whatever_its_template_says(self):
        template = self.env["sms.template"].create(
            {
                "name": "Sale",
                "model_id": self.env["ir.model"]._get_id("mailing.contact"),
                "body": "Sale",
                "delivery_mode": "viber_sms",
            }
        )
        self.mailing.write({"sms_notify_delivery_mode": "sms", "sms_template_id": template.id})
        attempts = self._send()
        self.assertEqual(set(attempts.mapped("channel")), {"sms"})

    def test_summary_prices_the_cascade_at_worst_and_as_expected(self):
        if "sms.notify.balance" not in self.env:
            self.skipTest("prices come from SMS Notify - Billing")
        tariff = self.env["sms.notify.tariff"].create(
            {
                "name": "Viber and SMS",
                "tariff_type": "shared",
                "price_per_message": 4.0,
                "price_viber_advertising": 1.0,
            }
        )
        balance = self.env["sms.notify.balance"]._get_for_company(self.env.company)
        balance.tariff_id = tariff
        self.env["sms.notify.ledger"].sudo().create(
            {"balance_id": balance.id, "kind": "topup", "amount": 100, "name": "Top-up"}
        )
        summary = self.mailing._sms_notify_summarize()
        # three contacts, one SMS part each: at worst 3 x (1.00 + 4.00)
        self.assertEqual(summary["total"], 15.0)
        self.assertIn("at most 15.00", summary["text"])
        self.assertIsNone(summary["expected"], "no Viber history yet")
        self._send()
        summary = self.mailing._sms_notify_summarize()
        # of three Viber messages one was delivered, one failed and one stayed silent until
        # the end of the wait, when its SMS went
        with freeze_time(START + timedelta(minutes=30)):
            self.env["sms.sms"]._process_queue()
        summary = self.mailing._sms_notify_summarize()
        self.assertIn("33%", summary["text"])
