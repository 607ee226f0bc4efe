from datetime import date

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import BillingCommon, SmscBillingCommon, WorkersRaceCase

GSM_1 = "Your glasses are ready. Optika, +7 495 123-45-67."
GSM_2 = "Your order 1000001491 is ready. " * 6  # 192 septets: 2 segments of 153
CYR_3 = "Ваш заказ готов, ждём вас в салоне! " * 5  # 180 UCS-2 units: 3 segments of 67
CYR_4 = "Скидка 20% на оправы до конца месяца! " * 7  # 266 UCS-2 units: 4 segments


@tagged("post_install", "-at_install")
class TestCharging(SmscBillingCommon):
    """Messages are charged to the balance under the tariff in force, refunded when not sent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shared = cls.env.ref("sms_notify_billing.sms_notify_tariff_shared")
        cls.own = cls.env.ref("sms_notify_billing.sms_notify_tariff_own")
        cls.shared.shared_sender = "PROVIDER"
        cls.own.shared_sender = "PROVIDER"
        # promotions are sent to her too
        cls.customer.sms_notify_ad_consent = True

    def _send(self, body, number="+79123456789", kind="service", registered=False):
        record = self.customer.with_context(
            sms_notify_message_kind=kind, sms_notify_operator_registered=registered
        )
        return self._sms_of(self._post_sms(record, body, numbers=[number]))

    def test_texts_have_the_segment_counts_the_exactness_test_relies_on(self):
        self.assertEqual(
            [
                self.env["sms.sms"].new({"body": body}).segments
                for body in (GSM_1, GSM_2, CYR_3, CYR_4)
            ],
            [1, 2, 3, 4],
        )

    def test_balance_is_exact_to_the_kopeck_under_both_tariffs(self):
        """GSM-7 and UCS-2 texts of 1 to 4 segments, service and advertising, under the shared
        tariff then the own-name one, a refund and a monthly fee."""
        self._bill(self.shared, topup=1000)
        sent = self.env["sms.sms"]
        # shared name: 9.80 per segment whatever the kind
        sent |= self._send(GSM_1)  # 1 × 9.80
        sent |= self._send(CYR_3, kind="advertising")  # 3 × 9.80
        sent |= self._send(GSM_2)  # 2 × 9.80
        self.assertEqual(sent.mapped("price"), [9.8, 29.4, 19.6])
        self.fake.number_errors["+79120000001"] = "bad_number"
        refused = self._send(GSM_1, number="+79120000001")  # charged, then refunded
        self.assertEqual((refused.state, refused.price), ("error", 0))
        self.assertAlmostEqual(self.sms_balance.balance, 1000 - 58.8, places=2)

        # own name: 8.80 for service from registered templates, 9.60 otherwise
        self.sms_balance.tariff_id = self.own
        own = self._send(CYR_4, registered=True)  # 4 × 8.80
        own |= self._send(CYR_4)  # unregistered service text: 4 × 9.60
        own |= self._send(GSM_2, kind="advertising", registered=True)  # 2 × 9.60
        own |= self._send(GSM_1, kind="advertising")  # 1 × 9.60
        self.assertEqual(own.mapped("price"), [35.2, 38.4, 19.2, 9.6])
        self.env["sms.notify.balance"]._cron_monthly_fees(today=date(2026, 12, 1))
        self.env["sms.notify.balance"]._cron_monthly_fees(today=date(2026, 12, 17))

        # 1000 − 58.80 − 102.40 − 8,934 monthly fee, once
        self.assertEqual(f"{self.sms_balance.balance:.2f}", "-8095.20")
        ledger = self._new_movements()
        self.assertEqual(sorted(ledger.mapped("kind")).count("fee"), 1)
        self.assertEqual(ledger.filtered(lambda line: line.kind == "refund").amount, 9.8)
        self.assertEqual(
            round(sum(ledger.filtered(lambda line: line.kind == "debit").mapped("amount")), 2),
            -(58.8 + 9.8 + 102.4),
        )
        self.assertEqual(
            sum(ledger.filtered(lambda line: line.kind == "debit").mapped("segment_count")),
            1 + 3 + 2 + 1 + 4 + 4 + 2 + 1,
        )

    def test_tariff_in_force_at_sending_prices_the_message(self):
        self._bill(self.shared, topup=100)
        sms = self._send(GSM_1)
        self.shared.price_per_message = 20
        self.assertEqual(sms.price, 9.8)
        debit = self._new_movements().filtered(lambda line: line.kind == "debit")
        self.assertRecordValues(
            debit, [{"tariff_id": self.shared.id, "amount": -9.8, "message_count": 1}]
        )

    def test_uncovered_message_fails_with_what_to_do_and_is_kept_for_retry(self):
        self._bill(self.shared, topup=10)
        first = self._send(GSM_1)
        second = self._send(GSM_1, number="+79123456780")
        self.assertEqual(first.state, "pending")
        self.assertRecordValues(
            second, [{"state": "error", "failure_type": "sms_credit", "price": 0}]
        )
        self.assertIn("Top up the balance", second.gateway_error)
        self.assertEqual(len(self.fake.requests_to("/sys/send.php")), 1, "never handed over")
        self.assertAlmostEqual(self.sms_balance.balance, 0.2, places=2)
        # once topped up, Odoo's own Retry sends it
        self._credit(100)
        second.action_set_outgoing()
        self.env["sms.sms"]._process_queue()
        self.assertRecordValues(second, [{"state": "pending", "price": 9.8}])
        self.assertAlmostEqual(self.sms_balance.balance, 100.2 - 9.8, places=2)

    def test_chatter_resend_leads_to_the_balance_then_sends(self):
        """The failed SMS of a chatter message: the resend dialog offers a top-up of the SMS
        balance (not Odoo IAP credits), then sends it once the balance covers it."""
        self._bill(self.shared)
        message = self._post_sms(self.customer, GSM_1)
        self.assertEqual(self._sms_of(message).failure_type, "sms_credit")
        resend = self.env["sms.resend"].with_context(default_mail_message_id=message.id).create({})
        self.assertTrue(resend.has_insufficient_credit)
        self.assertTrue(resend.sms_notify_billed)
        action = resend.action_buy_credits()
        self.assertEqual(action["res_model"], "sms.notify.topup")
        self._credit(50)
        resend.action_resend()
        self.env["sms.sms"]._process_queue()
        # the history keeps the refused attempt beside the one sent
        attempts = self.env["sms.sms"].search([("mail_message_id", "=", message.id)], order="id")
        self.assertRecordValues(
            attempts,
            [
                {"state": "error", "failure_type": "sms_credit", "price": 0},
                {"state": "pending", "failure_type": False, "price": 9.8},
            ],
        )
        self.assertAlmostEqual(self.sms_balance.balance, 40.2, places=2)

    def test_outage_refunds_until_the_message_is_handed_over(self):
        self._bill(self.shared, topup=100)
        self.fake.fail("rate_limit")
        sms = self._send(GSM_1)
        self.assertRecordValues(sms, [{"state": "outgoing", "price": 0}])
        self.assertAlmostEqual(self.sms_balance.balance, 100, places=2)
        sms.next_try_datetime = False
        self.env["sms.sms"]._process_queue()
        self.assertRecordValues(sms, [{"state": "pending", "price": 9.8}])
        self.assertAlmostEqual(self.sms_balance.balance, 90.2, places=2)

    def test_operator_refusal_reported_later_is_refunded_once(self):
        self._bill(self.shared, topup=100)
        sms = self._send(GSM_1)
        for _report in range(2):
            sms._sms_notify_apply_delivery("error", "sms_rejected", reason="rejected")
        self.assertEqual(sms.price, 0)
        self.assertAlmostEqual(self.sms_balance.balance, 100, places=2)

    def test_undelivered_message_stays_charged(self):
        """The operator tried to deliver it: it is billed."""
        self._bill(self.shared, topup=100)
        sms = self._send(GSM_1)
        sms._sms_notify_apply_delivery("error", "sms_not_delivered")
        self.assertEqual(sms.price, 9.8)
        self.assertAlmostEqual(self.sms_balance.balance, 90.2, places=2)

    def test_sender_is_the_providers_until_the_own_name_is_active(self):
        self._bill(self.own, topup=100)
        self._send(GSM_1)
        self.assertEqual(self.fake.requests_to("/sys/send.php")[-1].params["sender"], "PROVIDER")
        name = self.env["sms.notify.sender.name"].create(
            {"name": "Vzglyad78", "basis": "domain", "basis_detail": "vzglyad78.ru"}
        )
        name.state = "registered"
        self._send(GSM_2)
        self.assertEqual(self.fake.requests_to("/sys/send.php")[-1].params["sender"], "PROVIDER")
        name.action_activate()
        self._send(CYR_3)
        self.assertEqual(self.fake.requests_to("/sys/send.php")[-1].params["sender"], "Vzglyad78")
        # a shared-name tariff ignores the own name
        self.sms_balance.tariff_id = self.shared
        self._send(CYR_4)
        self.assertEqual(self.fake.requests_to("/sys/send.php")[-1].params["sender"], "PROVIDER")
        self.sms_balance.tariff_id = False
        self._send(GSM_1)
        self.assertEqual(self.fake.requests_to("/sys/send.php")[-1].params["sender"], "OPTICS")

    def test_without_tariff_nothing_is_charged(self):
        sms = self._send(GSM_1)
        self.assertRecordValues(sms, [{"state": "pending", "price": 0}])
        self.assertFalse(self._new_movements())

    def test_kind_comes_from_the_template_through_the_composer(self):
        self._bill(self.own, topup=1000)
        template = self.env["sms.template"].create(
            {
                "name": "Promo",
                "model_id": self.env.ref("base.model_res_partner").id,
                "body": "Sale! -20% on frames",
                "message_kind": "advertising",
            }
        )
        composer = (
            self.env["sms.composer"]
            .with_context(active_model="res.partner", active_id=self.customer.id)
            .create({"template_id": template.id})
        )
        self.assertEqual(composer.message_kind, "advertising")
        self.assertTrue(composer.sms_notify_billed)
        self.assertEqual(composer.sms_notify_cost, 9.6)
        self.assertAlmostEqual(composer.sms_notify_balance_after, 990.4, places=2)
        self.assertIn("9.60", composer.sms_notify_cost_summary)
        composer.action_send_sms()
        self.env["sms.sms"]._process_queue()
        sms = self.env["sms.sms"].search([("partner_id", "=", self.customer.id)], limit=1)
        self.assertRecordValues(sms, [{"message_kind": "advertising", "price": 9.6}])

    def test_automated_action_takes_the_kind_of_its_template(self):
        self._bill(self.own, topup=100)
        template = self.env["sms.template"].create(
            {
                "name": "Order ready",
                "model_id": self.env.ref("base.model_res_partner").id,
                "body": "{{ object.name }}, your glasses are ready.",
                "message_kind": "service",
                "operator_registered": True,
            }
        )
        action = self.env["ir.actions.server"].create(
            {
                "name": "Tell the customer",
                "model_id": self.env.ref("base.model_res_partner").id,
                "state": "sms",
                "sms_template_id": template.id,
                "sms_method": "comment",
            }
        )
        action.with_context(active_model="res.partner", active_ids=self.customer.ids).run()
        self.env["sms.sms"]._process_queue()
        sms = self.env["sms.sms"].search([("partner_id", "=", self.customer.id)])
        self.assertRecordValues(
            sms, [{"message_kind": "service", "operator_registered": True, "price": 8.8}]
        )

    def test_composer_warns_when_the_balance_does_not_cover(self):
        self._bill(self.shared, topup=5)
        composer = (
            self.env["sms.composer"]
            .with_context(active_model="res.partner", active_id=self.customer.id)
            .create({"body": CYR_3})
        )
        self.assertEqual(composer.sms_notify_cost, 29.4)
        self.assertFalse(composer.sms_notify_cost_enough)


@tagged("post_install", "-at_install")
class TestLedger(BillingCommon):
    def test_balance_warning_reaches_the_chosen_users_once(self):
        admin = self.env.ref("base.user_admin")
        self.sms_balance.activity_ids.unlink()
        self.sms_balance.write({"low_balance_threshold": 50, "low_balance_user_ids": [admin.id]})
        self._credit(60)
        self._credit(-15, kind="adjustment")  # 45: below
        self._credit(-5, kind="adjustment")  # 40: still below, no second warning
        activities = self.sms_balance.activity_ids.filtered(lambda act: act.user_id == admin)
        self.assertEqual(len(activities), 1)
        warnings = self.sms_balance.message_ids.filtered(
            lambda msg: admin.partner_id in msg.partner_ids
        )
        self.assertEqual(len(warnings), 1)
        self.assertIn("below the threshold", warnings.body)
        admin.notification_type = "email"
        self._credit(100)  # armed again
        self._credit(-120, kind="adjustment")  # 20: below again, warned by e-mail
        notifications = self.env["mail.notification"].search(
            [
                ("res_partner_id", "=", admin.partner_id.id),
                ("notification_type", "=", "email"),
                ("mail_message_id.model", "=", "sms.notify.balance"),
                ("mail_message_id.subject", "ilike", "Low SMS balance"),
            ]
        )
        self.assertTrue(notifications, "the warning went out by e-mail")
        self._credit(100)  # back above: armed again
        self.assertFalse(self.sms_balance.low_balance_warned)
        self.assertEqual(
            len(self.sms_balance.activity_ids.filtered(lambda act: act.user_id == admin)), 2
        )

    def test_only_adjustments_are_entered_by_hand_and_need_a_reason(self):
        manager = self.env["res.users"].create(
            {
                "name": "SMS admin",
                "login": "sms_admin_money",
                "groups_id": [(6, 0, [self.env.ref("sms_notify.group_sms_notify_manager").id])],
            }
        )
        ledger = self.env["sms.notify.ledger"].with_user(manager)
        with self.assertRaises(UserError):
            ledger.create(
                {"balance_id": self.sms_balance.id, "kind": "topup", "amount": 100, "name": "x"}
            )
        with self.assertRaises(ValidationError):
            ledger.create({"balance_id": self.sms_balance.id, "amount": 100, "name": " "})
        line = ledger.create({"balance_id": self.sms_balance.id, "amount": 100, "name": "Goodwill"})
        self.assertEqual(self.sms_balance.balance, 100)
        with self.assertRaises(UserError):
            line.amount = 1000
        with self.assertRaises(UserError):
            line.unlink()

    def test_monthly_fee_only_for_own_names(self):
        self.sms_balance.tariff_id = self.env.ref("sms_notify_billing.sms_notify_tariff_shared")
        self.env["sms.notify.balance"]._cron_monthly_fees(today=date(2026, 12, 1))
        self.assertFalse(self._new_movements())
        self.sms_balance.tariff_id = self.env.ref("sms_notify_billing.sms_notify_tariff_own")
        self.env["sms.notify.balance"]._cron_monthly_fees(today=date(2026, 12, 1))
        self.env["sms.notify.balance"]._cron_monthly_fees(today=date(2027, 1, 1))
        self.assertEqual(sorted(self._new_movements().mapped("fee_period")), ["2026-12", "2027-01"])
        self.assertEqual(self.sms_balance.balance, -2 * 8934)


@tagged("post_install", "-at_install")
class TestNoOverdraftBetweenWorkers(WorkersRaceCase):
    """Two queue workers charge their batches at the same moment, each on its own database
    connection: the second waits for the first and charges only what is left.

    Works on committed data through its own cursors and removes it at the end."""

    PRICE = 10
    BALANCE = 35  # three messages of the six

    def test_two_workers_never_take_the_balance_below_zero(self):
        with self._committed() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            sms_balance = env["sms.notify.balance"]._get_for_company(env.company)
            previous_tariff = sms_balance.tariff_id.id
            previous_threshold = sms_balance.low_balance_threshold
            sms_balance.low_balance_threshold = 0  # no warning to clean up
            tariff = env["sms.notify.tariff"].create(
                {"name": "Race", "tariff_type": "shared", "price_per_message": self.PRICE}
            )
            sms_balance.tariff_id = tariff
            cr.execute("SELECT COALESCE(MAX(id), 0) FROM sms_notify_ledger")
            [last_line] = cr.fetchone()
            gap = self.BALANCE - sms_balance.balance
            if gap:
                env["sms.notify.ledger"].create(
                    {"balance_id": sms_balance.id, "amount": gap, "name": "Race test balance"}
                )
            batches = [
                env["sms.sms"].create([{"number": "+79123456789", "body": "Hello"}] * 3).ids
                for _worker in range(2)
            ]
            balance_id, tariff_id = sms_balance.id, tariff.id
        try:
            outcomes = self._charge_side_by_side(batches, balance_id)
            self.assertEqual(outcomes["first"], batches[0])
            self.assertEqual(outcomes["second"], [], "the balance left (5) covers no message")
            with self._committed() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                sms_balance = env["sms.notify.balance"].browse(balance_id)
                self.assertEqual(sms_balance.balance, self.BALANCE - 3 * self.PRICE)
                self.assertGreaterEqual(sms_balance.balance, 0)
                refused = env["sms.sms"].browse(batches[1])
                self.assertEqual(set(refused.mapped("failure_type")), {"sms_credit"})
        finally:
            with self._committed() as cr:
                cr.execute("DELETE FROM sms_notify_ledger WHERE id > %s", [last_line])
                cr.execute("DELETE FROM sms_sms WHERE id = ANY(%s)", [batches[0] + batches[1]])
                cr.execute(
                    """UPDATE sms_notify_balance SET tariff_id = %s, low_balance_threshold = %s
                        WHERE id = %s""",
                    [previous_tariff or None, previous_threshold, balance_id],
                )
                cr.execute("DELETE FROM sms_notify_tariff WHERE id = %s", [tariff_id])
