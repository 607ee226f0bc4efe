from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.sms_notify.tests.common import SmscGatewayCommon

# 20:00 UTC on 1 March 2027: 23:00 in Moscow, 21:00 in Warsaw (both in the quiet hours of
# 21:00-09:00), 20:00 in London (not yet)
EVENING = datetime(2027, 3, 1, 20, 0)
MOSCOW_MORNING = datetime(2027, 3, 2, 6, 0)  # 09:00 in Moscow
WARSAW_MORNING = datetime(2027, 3, 2, 8, 0)  # 09:00 in Warsaw


@tagged("post_install", "-at_install")
class TestPromotionsWaitForTheMorning(SmscGatewayCommon):
    """An advertising mailing sent in the evening reaches each recipient after the quiet
    hours on their own clock, unless its validity ends first; nothing expired is charged."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "sms_notify_quiet_start": 21.0,
                "sms_notify_quiet_end": 9.0,
                "sms_notify_quiet_advertising": True,
                "sms_notify_quiet_service": False,
            }
        )
        cls.env.company.partner_id.tz = "Europe/London"
        cls.moscow, cls.warsaw, cls.london = cls.env["res.partner"].create(
            [
                {
                    "name": name,
                    "mobile": mobile,
                    "tz": tz,
                    "sms_notify_ad_consent": True,
                }
                for name, mobile, tz in [
                    ("Anna", "+79123456701", "Europe/Moscow"),
                    ("Jan", "+48600000001", "Europe/Warsaw"),
                    ("John", "+447911123456", "Europe/London"),
                ]
            ]
        )

    def _mailing(self, partners, **values):
        return self.env["mailing.mailing"].create(
            {
                "subject": "Spring sale",
                "mailing_type": "sms",
                "body_plaintext": "Spring sale: -20% on all frames.",
                "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                "mailing_domain": repr([("id", "in", partners.ids)]),
                **values,
            }
        )

    def _sms(self, mailing):
        messages = self.env["sms.sms"].search([("mailing_id", "=", mailing.id)])
        return {sms.partner_id: sms for sms in messages}

    def _bill_if_billing(self):
        """With billing installed, messages are charged: what is cancelled must not be."""
        if "sms.notify.balance" not in self.env:
            return None
        balance = self.env["sms.notify.balance"]._get_for_company(self.env.company)
        balance.tariff_id = self.env.ref("sms_notify_billing.sms_notify_tariff_shared")
        self.env["sms.notify.ledger"].sudo().create(
            {"balance_id": balance.id, "kind": "topup", "amount": 100, "name": "Top-up"}
        )
        return balance

    def test_each_recipient_gets_it_after_the_quiet_hours_on_their_clock(self):
        mailing = self._mailing(self.moscow | self.warsaw | self.london)
        with freeze_time(EVENING):
            mailing.action_send_sms()
            self.env["sms.sms"]._process_queue()
        sms = self._sms(mailing)
        self.assertRecordValues(
            sms[self.moscow], [{"state": "outgoing", "send_after": MOSCOW_MORNING}]
        )
        self.assertRecordValues(
            sms[self.warsaw], [{"state": "outgoing", "send_after": WARSAW_MORNING}]
        )
        self.assertRecordValues(sms[self.london], [{"state": "pending", "send_after": False}])
        queue_cron = self.env.ref("sms.ir_cron_sms_scheduler_action")
        wakes = self.env["ir.cron.trigger"].search([("cron_id", "=", queue_cron.id)])
        self.assertIn(MOSCOW_MORNING, wakes.mapped("call_at"), "the queue wakes for them")
        with freeze_time(MOSCOW_MORNING - timedelta(minutes=1)):
            self.env["sms.sms"]._process_queue()
        self.assertEqual(sms[self.moscow].state, "outgoing")
        with freeze_time(MOSCOW_MORNING):
            self.env["sms.sms"]._process_queue()
        self.assertEqual(sms[self.moscow].state, "pending")
        self.assertEqual(sms[self.warsaw].state, "outgoing")
        with freeze_time(WARSAW_MORNING):
            self.env["sms.sms"]._process_queue()
        self.assertEqual(sms[self.warsaw].state, "pending")

    def test_validity_ending_before_the_morning_cancels_it_uncharged(self):
        balance = self._bill_if_billing()
        movements_before = balance.ledger_ids if balance else None
        mailing = self._mailing(self.moscow | self.london, sms_notify_validity_hours=4)
        with freeze_time(EVENING):
            mailing.action_send_sms()
            self.env["sms.sms"]._process_queue()
        sms = self._sms(mailing)
        self.assertEqual(
            sms[self.moscow].valid_until, EVENING + timedelta(hours=4), "from the sending"
        )
        with freeze_time(MOSCOW_MORNING):
            self.env["sms.sms"]._process_queue()
        self.assertRecordValues(
            sms[self.moscow], [{"state": "canceled", "failure_type": "sms_expired"}]
        )
        self.assertEqual(sms[self.london].state, "pending")
        phones = [request.params["phones"] for request in self.fake.requests_to("/sys/send.php")]
        self.assertEqual(phones, ["+447911123456"], "only the message still valid was sent")
        if balance:
            self.assertTrue(sms[self.london].price)
            self.assertFalse(sms[self.moscow].price)
            movements = (balance.ledger_ids - movements_before).filtered(
                lambda line: line.kind in ("debit", "refund")
            )
            self.assertEqual(movements.mapped("kind"), ["debit"])
            self.assertEqual(movements.message_count, 1, "only the message sent is charged")

    def test_promotions_go_at_any_hour_when_the_company_says_so(self):
        self.env.company.sms_notify_quiet_advertising = False
        mailing = self._mailing(self.moscow)
        with freeze_time(EVENING):
            mailing.action_send_sms()
            self.env["sms.sms"]._process_queue()
        self.assertRecordValues(
            self._sms(mailing)[self.moscow], [{"state": "pending", "send_after": False}]
        )

    def test_service_mailing_ignores_quiet_hours_unless_the_company_says(self):
        mailing = self._mailing(self.moscow, message_kind="service")
        with freeze_time(EVENING):
            mailing.action_send_sms()
        self.assertFalse(self._sms(mailing)[self.moscow].send_after)
        self.env.company.sms_notify_quiet_service = True
        mailing = self._mailing(self.moscow, message_kind="service")
        with freeze_time(EVENING):
            mailing.action_send_sms()
        self.assertEqual(self._sms(mailing)[self.moscow].send_after, MOSCOW_MORNING)

    def test_quiet_hours_ending_at_midnight(self):
        self.env.company.sms_notify_quiet_end = 24.0
        mailing = self._mailing(self.moscow)
        with freeze_time(EVENING):
            mailing.action_send_sms()
        # 23:00 in Moscow waits for 00:00 in Moscow, 21:00 UTC
        self.assertEqual(self._sms(mailing)[self.moscow].send_after, datetime(2027, 3, 1, 21, 0))

    def test_recipient_without_time_zone_is_timed_on_the_companys_clock(self):
        contact = self.env["mailing.contact"].create({"name": "Olga", "mobile": "+79123456781"})
        self.env.company.partner_id.tz = "Europe/Moscow"
        mailing = self._mailing(
            contact,
            mailing_model_id=self.env["ir.model"]._get_id("mailing.contact"),
            mailing_domain=repr([("id", "=", contact.id)]),
        )
        with freeze_time(EVENING):
            mailing.action_send_sms()
        [sms] = self.env["sms.sms"].search([("mailing_id", "=", mailing.id)])
        self.assertEqual(sms.send_after, MOSCOW_MORNING)


@tagged("post_install", "-at_install")
class TestOptOutByDefault(SmscGatewayCommon):
    """Advertising mailings carry the opt-out link unless the user switches it off; service
    mailings do not."""

    def _mailing(self, **values):
        return self.env["mailing.mailing"].create(
            {
                "subject": "News",
                "mailing_type": "sms",
                "body_plaintext": "News",
                "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                **values,
            }
        )

    def test_advertising_mailing_includes_the_opt_out_service_does_not(self):
        self.assertTrue(self._mailing().sms_allow_unsubscribe)
        self.assertTrue(self._mailing(message_kind="advertising").sms_allow_unsubscribe)
        service = self._mailing(message_kind="service")
        self.assertFalse(service.sms_allow_unsubscribe)
        service.message_kind = "advertising"
        self.assertTrue(service.sms_allow_unsubscribe, "a mailing turned into a promotion")

    def test_user_may_switch_it_off_knowingly(self):
        mailing = self._mailing(sms_allow_unsubscribe=False)
        self.assertFalse(mailing.sms_allow_unsubscribe)
        mailing = self._mailing()
        mailing.sms_allow_unsubscribe = False
        self.assertFalse(mailing.sms_allow_unsubscribe)

    def test_sms_of_an_advertising_mailing_carry_the_stop_link(self):
        customer = self.env["res.partner"].create(
            {"name": "Olga", "mobile": "+79123456781", "sms_notify_ad_consent": True}
        )
        self.env.company.sms_notify_quiet_advertising = False
        mailing = self._mailing(mailing_domain=repr([("id", "=", customer.id)]))
        mailing.action_send_sms()
        [sms] = self.env["sms.sms"].search([("mailing_id", "=", mailing.id)])
        self.assertIn("STOP SMS", sms.body)
