"""A message package: bought through a top-up request, counted in messages, one taken by
every message sent whatever its parts, given back when the message is not sent, never
overdrawn, and each company's own."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import BillingCommon, SmscBillingCommon, WorkersRaceCase
from .test_billing_paths import TwoCompaniesBilledCommon

GSM_1 = "Your glasses are ready. Optika, +7 495 123-45-67."
CYR_4 = "Скидка 20% на оправы до конца месяца! " * 7  # 266 UCS-2 units: 4 segments
START = datetime(2026, 12, 3, 10, 0, 0)


class PackageMixin:
    @classmethod
    def _package_tariff(cls):
        tariff = cls.env.ref("sms_notify_billing.sms_notify_tariff_package")
        tariff.shared_sender = "PROVIDER"
        return tariff

    @classmethod
    def _credit_messages(cls, count, sms_balance=None):
        """Messages added to the package (as a paid package adds them)."""
        return (
            cls.env["sms.notify.ledger"]
            .sudo()
            .create(
                {
                    "balance_id": (sms_balance or cls.sms_balance).id,
                    "kind": "topup",
                    "amount": 0,
                    "package_messages": count,
                    "name": "Test package",
                }
            )
        )

    def _left(self, sms_balance=None):
        sms_balance = sms_balance or self.sms_balance
        sms_balance.invalidate_recordset(["balance", "package_messages_left"])
        return sms_balance.package_messages_left


@tagged("post_install", "-at_install")
class TestPackageTopup(PackageMixin, BillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tariff = cls._package_tariff()
        cls._bill(cls.tariff)
        cls.sms_balance.write({"provider_id": False, "minimum_topup": 1000})
        cls.manager = new_test_user(
            cls.env,
            login="package-manager",
            groups="base.group_user,sms_notify.group_sms_notify_manager",
        )
        cls.other_manager = new_test_user(
            cls.env,
            login="package-other-manager",
            groups="base.group_user,sms_notify.group_sms_notify_manager",
        )
        cls.package_500 = cls.env.ref("sms_notify_billing.sms_notify_package_500")
        cls.package_1000 = cls.env.ref("sms_notify_billing.sms_notify_package_1000")

    def test_ready_made_tariff_offers_500_1000_and_20000_messages(self):
        self.assertEqual(self.tariff.tariff_type, "package")
        self.assertEqual(self.tariff.package_ids.mapped("messages"), [500, 1000, 20000])
        self.assertIn("1,000 messages", self.package_1000.display_name)

    def test_paying_a_package_credits_its_messages_through_the_ledger(self):
        topup = (
            self.env["sms.notify.topup"]
            .with_user(self.manager)
            .create({"package_id": self.package_1000.id})
        )
        self.assertRecordValues(
            topup, [{"amount": self.package_1000.price, "package_messages": 1000}]
        )
        topup.action_request()
        # whoever requested it does not confirm the payment: another administrator does
        paid_by_other = topup.with_user(self.other_manager)
        paid_by_other.action_mark_paid()
        paid_by_other.action_mark_paid()  # a second confirmation credits nothing more
        self.assertRecordValues(
            self._new_movements(),
            [
                {
                    "kind": "topup",
                    "amount": 0,
                    "package_messages": 1000,
                    "topup_id": topup.id,
                }
            ],
        )
        self.assertEqual(self._left(), 1000)
        self.assertEqual(self.sms_balance.balance, 0, "the money balance is left as it was")
        self.assertTrue(
            topup.message_ids.filtered(lambda msg: "1,000 messages added" in str(msg.body))
        )

    def test_balance_button_proposes_the_smallest_package_at_its_price(self):
        action = self.sms_balance.with_user(self.manager).action_request_topup()
        form = Form(
            self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"])
        )
        self.assertEqual(form.package_id, self.package_500)
        self.assertEqual(form.amount, 4750)
        form.package_id = self.package_1000
        self.assertEqual(form.amount, 9200, "the price follows the package chosen")
        self.assertEqual(form.save().package_messages, 1000)

    def test_a_package_tariff_buys_packages_and_their_size_stays_as_requested(self):
        topups = self.env["sms.notify.topup"].with_user(self.manager)
        money = topups.create({"amount": 5000})
        with self.assertRaisesRegex(UserError, "Choose the package to buy"):
            money.action_request()
        # a package below the minimum money top-up is bought at its price
        self.sms_balance.minimum_topup = 10000
        topup = topups.create({"package_id": self.package_500.id})
        topup.action_request()
        with self.assertRaisesRegex(UserError, "left draft"):
            topup.package_id = self.package_1000
        with self.assertRaisesRegex(UserError, "left draft"):
            topup.package_messages = 20000
        self.package_500.messages = 600  # a new offer leaves the request as it was asked
        topup.with_user(self.other_manager).action_mark_paid()
        self.assertEqual(self._left(), 500)

    def test_adjustment_of_the_package_is_entered_in_messages(self):
        line = (
            self.env["sms.notify.ledger"]
            .with_user(self.manager)
            .create(
                {
                    "balance_id": self.sms_balance.id,
                    "amount": 0,
                    "package_messages": 25,
                    "name": "Goodwill",
                }
            )
        )
        self.assertEqual(line.kind, "adjustment")
        self.assertEqual(self._left(), 25)


@tagged("post_install", "-at_install")
class TestPackageSending(PackageMixin, SmscBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._bill(cls._package_tariff())
        cls.customer.sms_notify_ad_consent = False

    def _send(self, body, number="+79123456789", kind="service"):
        record = self.customer.with_context(sms_notify_message_kind=kind)
        return self._sms_of(self._post_sms(record, body, numbers=[number]))

    def test_each_message_takes_one_whatever_its_parts(self):
        self._credit_messages(10)
        sent = self._send(GSM_1) | self._send(CYR_4)
        self.assertRecordValues(
            sent,
            [
                {"state": "pending", "segments": 1, "package_message": True, "price": 0},
                {"state": "pending", "segments": 4, "package_message": True, "price": 0},
            ],
        )
        self.assertEqual(self._left(), 8)
        debits = self._new_movements().filtered(lambda line: line.kind == "debit")
        self.assertEqual(sum(debits.mapped("package_messages")), -2)
        self.assertEqual(sum(debits.mapped("segment_count")), 5)
        self.assertEqual(sum(debits.mapped("amount")), 0)
        self.assertEqual(self.fake.requests_to("/sys/send.php")[-1].params["sender"], "PROVIDER")

    def test_a_message_refused_before_sending_takes_nothing(self):
        self._credit_messages(10)
        # a promotion to a customer who never agreed to promotions is not sent
        record = self.customer.with_context(sms_notify_message_kind="advertising")
        refused = self._sms_of(self._post_sms(record, GSM_1))
        self.assertIn(refused.state, ("canceled", "error"))
        self.assertIn("consent", refused.gateway_error or refused.failure_type)
        self.assertFalse(refused.package_message)
        self.assertEqual(self._left(), 10)
        self.assertFalse(self._new_movements().filtered(lambda line: line.kind == "debit"))

    def test_a_message_the_gateway_refuses_is_given_back(self):
        self._credit_messages(10)
        self.fake.number_errors["+79120000001"] = "bad_number"
        refused = self._send(GSM_1, number="+79120000001")
        self.assertRecordValues(refused, [{"state": "error", "package_message": False}])
        self.assertEqual(self._left(), 10)
        refund = self._new_movements().filtered(lambda line: line.kind == "refund")
        self.assertRecordValues(refund, [{"package_messages": 1, "amount": 0}])

    def test_operator_refusal_gives_the_message_back_once(self):
        self._credit_messages(10)
        sms = self._send(CYR_4)
        self.assertEqual(self._left(), 9)
        for _report in range(2):
            sms._sms_notify_apply_delivery("error", "sms_rejected", reason="rejected")
        self.assertFalse(sms.package_message)
        self.assertEqual(self._left(), 10)

    def test_undelivered_message_stays_taken(self):
        """The operator tried to deliver it: it counts, as it is billed in money."""
        self._credit_messages(10)
        sms = self._send(GSM_1)
        sms._sms_notify_apply_delivery("error", "sms_not_delivered")
        self.assertTrue(sms.package_message)
        self.assertEqual(self._left(), 9)

    def test_exhausted_package_refuses_the_next_message_with_the_reason(self):
        self._credit_messages(1)
        first = self._send(GSM_1)
        second = self._send(GSM_1, number="+79123456780")
        self.assertEqual(first.state, "pending")
        self.assertRecordValues(
            second, [{"state": "error", "failure_type": "sms_credit", "package_message": False}]
        )
        self.assertIn("message package is used up", second.gateway_error)
        self.assertIn("Buy a new package", second.gateway_error)
        self.assertEqual(len(self.fake.requests_to("/sys/send.php")), 1, "never handed over")
        self.assertEqual(self._left(), 0)
        # once a package is bought, Odoo's own Retry sends it
        self._credit_messages(500)
        second.action_set_outgoing()
        self.env["sms.sms"]._process_queue()
        self.assertRecordValues(second, [{"state": "pending", "package_message": True}])
        self.assertEqual(self._left(), 499)

    def test_a_message_recovered_after_a_crash_keeps_what_it_took(self):
        self._credit_messages(10)
        sms = self._send(GSM_1)
        reserved = sms._sms_notify_reserved()
        self.assertEqual(reserved, [{"package": 1}])
        sms.package_message = False
        sms._sms_notify_restore_reserved(reserved[0])
        self.assertTrue(sms.package_message)
        sms._sms_notify_release("Not received, queued again")
        self.assertEqual(self._left(), 10)

    def test_warning_fires_below_the_threshold_in_messages_once(self):
        admin = self.env.ref("base.user_admin")
        self.sms_balance.activity_ids.unlink()
        self.sms_balance.write({"low_package_threshold": 2, "low_balance_user_ids": [admin.id]})
        self._credit_messages(3)
        self._send(GSM_1)  # 2 left: not below
        self.assertFalse(self.sms_balance.activity_ids)
        self._send(GSM_1)  # 1 left: below
        self._send(GSM_1)  # 0 left: still below, no second warning
        activities = self.sms_balance.activity_ids.filtered(lambda act: act.user_id == admin)
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.summary, "Buy a message package")
        self.assertIn("down to 1 messages", activities.note)
        self.assertIn("threshold of 2", activities.note)
        self._credit_messages(500)  # armed again
        self.assertFalse(self.sms_balance.low_balance_warned)

    def test_preview_counts_messages_of_the_package_and_what_is_left(self):
        self._credit_messages(3)
        composer = self._composer_on(self.customer, body=CYR_4)
        self.assertTrue(composer.sms_notify_billed)
        self.assertTrue(composer.sms_notify_package)
        self.assertTrue(composer.sms_notify_cost_enough)
        self.assertIn("1 messages of your package", composer.sms_notify_cost_summary)
        self.assertIn("3 messages left, 2 after sending", composer.sms_notify_cost_summary)
        preview = self.env["sms.sms"]._sms_notify_cost_preview(
            self.env.company, "advertising", [4] * 5
        )
        self.assertEqual(
            (preview["package_messages"], preview["package_left"], preview["enough"]), (5, 3, False)
        )
        self.assertIn("5 messages of your package", preview["text"])
        self.assertIsNone(preview["total"], "no amount of money under a package")


@tagged("post_install", "-at_install")
class TestPackageViber(PackageMixin, BillingCommon):
    """A Viber message is one message of the package; the SMS after it is another."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gateway = cls._create_gateway("sandbox", sandbox_delivery_delay=5)
        cls._bill(cls._package_tariff())
        cls._credit_messages(10)
        cls.template = cls.env["sms.template"].create(
            {
                "name": "Glasses ready",
                "model_id": cls.env.ref("base.model_res_partner").id,
                "body": CYR_4,
                "delivery_mode": "viber_sms",
                "viber_wait_minutes": 10,
            }
        )

    def _send(self, mobile):
        customer = self.env["res.partner"].create(
            {"name": "Anna", "mobile": mobile, "country_id": self.env.ref("base.ru").id}
        )
        with freeze_time(START):
            self._composer_on(customer, template_id=self.template.id).action_send_sms()
            self.env["sms.sms"]._process_queue()
        return self.env["sms.sms"].search([("partner_id", "=", customer.id)])

    def _reports(self, at):
        with freeze_time(at):
            self.env["sms.sms"]._cron_sandbox_delivery_reports()
            self.env["sms.sms"]._process_queue()

    def test_delivered_viber_takes_one_message(self):
        viber = self._send("+7 912 345-67-89")
        self.assertRecordValues(viber, [{"channel": "viber", "package_message": True}])
        self._reports(START + timedelta(seconds=5))
        self.assertEqual(viber.state, "sent")
        self.assertEqual(self._left(), 9)
        debit = self._new_movements().filtered(lambda line: line.kind == "debit")
        self.assertIn("Viber", debit.name)

    def test_undelivered_viber_is_given_back_and_its_sms_takes_one(self):
        viber = self._send("+7 912 345-11-11")
        self._reports(START + timedelta(seconds=5))
        self.assertRecordValues(viber, [{"state": "error", "package_message": False}])
        sms = viber.cascade_fallback_ids
        self.assertRecordValues(sms, [{"state": "pending", "segments": 4, "package_message": True}])
        self.assertEqual(self._left(), 9, "one message for the customer: the SMS")

    def test_preview_of_a_cascade_counts_the_viber_message_and_its_sms(self):
        customer = self.env["res.partner"].create(
            {"name": "Anna", "mobile": "+7 912 345-67-89", "country_id": self.env.ref("base.ru").id}
        )
        summary = self._composer_on(customer, template_id=self.template.id).sms_notify_cost_summary
        self.assertIn("at most 2 messages of your package", summary)


@tagged("post_install", "-at_install")
class TestPackageCompanies(PackageMixin, TwoCompaniesBilledCommon):
    """Each company sends from its own package, never from another company's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tariff_a = cls._package_tariff()
        cls.sms_balance.tariff_id = tariff_a
        cls.tariff_b = tariff_a.copy({"company_id": cls.company_b.id, "name": "Pakiet"})
        cls.package_b = cls.env["sms.notify.package"].create(
            {"tariff_id": cls.tariff_b.id, "messages": 500, "price": 250}
        )
        cls.balance_b.tariff_id = cls.tariff_b
        cls._credit_messages(10, cls.balance_b)

    def test_an_empty_package_never_takes_another_company_s_messages(self):
        message_a = self.customer._message_sms(
            "Your glasses are ready.", partner_ids=self.customer.ids
        )
        message_b = self.customer_b._message_sms("Okulary gotowe.", partner_ids=self.customer_b.ids)
        self.env["sms.sms"]._process_queue()
        self.assertRecordValues(
            self._sms_of(message_a) + self._sms_of(message_b),
            [
                {"state": "error", "gateway_id": self.gateway_a.id, "package_message": False},
                {"state": "pending", "gateway_id": self.gateway_b.id, "package_message": True},
            ],
        )
        self.assertEqual(self._sms_of(message_a).failure_type, "sms_credit")
        self.assertEqual(self._left(self.balance_b), 9)
        self.assertEqual(self._left(), 0)
        self.assertFalse(
            self._new_movements().filtered(lambda line: line.package_messages),
            "nothing taken from the first company's package",
        )

    def test_a_package_of_another_company_cannot_be_bought(self):
        topup = self.env["sms.notify.topup"].create(
            {"balance_id": self.sms_balance.id, "package_id": self.package_b.id}
        )
        with self.assertRaisesRegex(UserError, "offered to another company"):
            topup.action_request()


@tagged("post_install", "-at_install")
class TestPackageNoOverdraftBetweenWorkers(WorkersRaceCase):
    """Two queue workers take messages of one package at the same moment, each on its own
    database connection: the second waits for the first's lock and takes only what is left.

    Works on committed data through its own cursors and removes it at the end (as
    ``test_money.TestNoOverdraftBetweenWorkers``)."""

    LEFT = 4  # four messages of the six

    def test_two_workers_never_take_more_than_the_package_holds(self):
        with self._committed() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            sms_balance = env["sms.notify.balance"]._get_for_company(env.company)
            previous_tariff = sms_balance.tariff_id.id
            previous_threshold = sms_balance.low_package_threshold
            sms_balance.low_package_threshold = 0  # no warning to clean up
            tariff = env["sms.notify.tariff"].create({"name": "Race", "tariff_type": "package"})
            sms_balance.tariff_id = tariff
            cr.execute("SELECT COALESCE(MAX(id), 0) FROM sms_notify_ledger")
            [last_line] = cr.fetchone()
            gap = self.LEFT - sms_balance.package_messages_left
            if gap:
                env["sms.notify.ledger"].create(
                    {
                        "balance_id": sms_balance.id,
                        "amount": 0,
                        "package_messages": gap,
                        "name": "Race test package",
                    }
                )
            batches = [
                env["sms.sms"].create([{"number": "+79123456789", "body": "Hello"}] * 3).ids
                for _worker in range(2)
            ]
            balance_id, tariff_id = sms_balance.id, tariff.id
        try:
            outcomes = self._charge_side_by_side(batches, balance_id)
            self.assertEqual(outcomes["first"], batches[0])
            self.assertEqual(outcomes["second"], batches[1][:1], "one message was left")
            with self._committed() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                sms_balance = env["sms.notify.balance"].browse(balance_id)
                self.assertEqual(sms_balance.package_messages_left, 0)
                refused = env["sms.sms"].browse(batches[1][1:])
                self.assertEqual(set(refused.mapped("failure_type")), {"sms_credit"})
        finally:
            with self._committed() as cr:
                cr.execute("DELETE FROM sms_notify_ledger WHERE id > %s", [last_line])
                cr.execute("DELETE FROM sms_sms WHERE id = ANY(%s)", [batches[0] + batches[1]])
                cr.execute(
                    """UPDATE sms_notify_balance SET tariff_id = %s, low_package_threshold = %s
                        WHERE id = %s""",
                    [previous_tariff or None, previous_threshold, balance_id],
                )
                cr.execute("DELETE FROM sms_notify_tariff WHERE id = %s", [tariff_id])
