from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.sms_notify.tests.common import SmscGatewayCommon

from .common import PromoMixin

SMSC_DELIVERED = 1


@tagged("post_install", "-at_install")
class TestCampaignTour(PromoMixin, HttpCase, SmscGatewayCommon):
    """In Chromium, as a marketing user (not an administrator): an SMS mailing to customers
    written with a token and a promo code, its summary, a recipient taken off, the
    confirmation, then its results once the queue sent it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partners = cls.env["res.partner"].create(
            [
                {"name": "Anna Tourist", "mobile": "+48 600 700 001"},
                {"name": "Boris Tourist", "mobile": "+48 600 700 002"},
                {"name": "Clara Tourist", "mobile": "+48 600 700 003"},
            ]
        )
        cls.partners.sms_notify_ad_consent = True
        cls.anna, cls.boris, cls.clara = cls.partners
        cls.env["mailing.filter"].create(
            {
                "name": "Tour spring customers",
                "mailing_model_id": cls.env["ir.model"]._get_id("res.partner"),
                "mailing_domain": repr([("id", "in", cls.partners.ids)]),
            }
        )
        cls.marketer = new_test_user(
            cls.env,
            login="tour_marketer",
            groups="base.group_user,mass_mailing.group_mass_mailing_user",
        )

    def _run_queue_and_deliver(self, mailing):
        """What the crons do once the mailing is queued: SMS Marketing's queue prepares the
        SMS, the gateway queue sends them, the delivery poll reads SMSC's reports."""
        self.env.ref("mass_mailing.ir_cron_mass_mailing_queue").method_direct_trigger()
        self.env["sms.sms"]._process_queue()
        for (sms_id, phone), _message in list(self.fake.messages.items()):
            self.fake.set_status(sms_id, phone, SMSC_DELIVERED)
        self.env["sms.sms"]._cron_poll_delivery_status()
        self.env.invalidate_all()

    def test_campaign_with_a_promo_code_from_the_form_to_its_results(self):
        # an earlier SMS whose reported cost (1.4 a part) the summary's estimate starts from
        self._post_sms(self.customer, "Your glasses are ready.")
        self.fake.messages.clear()

        self.start_tour("/odoo", "sms_notify_campaign_loyalty_tour", login="tour_marketer")

        mailing = self.env["mailing.mailing"].search([("sms_subject", "=", "Spring coupons")])
        self.assertEqual(mailing.state, "in_queue")
        self.assertEqual(mailing.create_uid, self.marketer)
        self.assertEqual(mailing.loyalty_program_id, self.program)
        self.assertEqual(
            mailing.sms_notify_text, ":FirstName:, -10% on all frames with the code :PromoCode:"
        )

        self._run_queue_and_deliver(mailing)

        self.assertEqual(mailing.state, "done")
        traces = self._traces(mailing)
        self.assertEqual(
            sorted(traces.mapped("res_id")), sorted((self.anna | self.clara).ids), "Boris: none"
        )
        cards = self._cards()
        self.assertEqual(len(cards), 2, "no coupon for the recipient taken off")
        self.assertEqual(cards.partner_id, self.anna | self.clara)
        received = [message["text"] for message in self.fake.messages.values()]
        self.assertEqual(len(received), 2)
        for partner in self.anna | self.clara:
            trace = traces.filtered(lambda trace, partner=partner: trace.res_id == partner.id)
            code = trace.loyalty_card_code
            self.assertEqual(trace.loyalty_card_id.partner_id, partner)
            body = self._sms(trace).body
            first_name = partner.name.split()[0]
            # then the opt-out link, on by default for promotions
            self.assertTrue(
                body.startswith(f"{first_name}, -10% on all frames with the code {code}"), body
            )
            self.assertIn(body, received)
        self.assertEqual(len(set(traces.mapped("loyalty_card_code"))), 2)
        self.assertFalse(self.env["sms.sms"].search([("partner_id", "=", self.boris.id)]))
        self.assertRecordValues(
            mailing,
            [
                {
                    "sms_notify_delivered_count": 2,
                    "sms_notify_not_delivered_count": 0,
                    "sms_notify_pending_count": 0,
                    "sms_notify_cancelled_count": 0,
                    "sms_notify_sent_segments": 2,
                }
            ],
        )

        self.start_tour(
            f"/odoo/action-mass_mailing_sms.mailing_mailing_action_sms/{mailing.id}",
            "sms_notify_campaign_loyalty_results_tour",
            login="tour_marketer",
        )
