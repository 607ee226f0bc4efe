from odoo import Command
from odoo.tests import Form, HttpCase, new_test_user, tagged

from odoo.addons.sms_notify.tests.test_companies import TwoCompaniesCommon

from .common import BillingMixin, SmscBillingCommon


class TwoCompaniesBilledCommon(BillingMixin, TwoCompaniesCommon):
    """Each of the two companies with its own tariff and its own SMS balance."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        shared = cls.env.ref("sms_notify_billing.sms_notify_tariff_shared")
        cls._bill(shared, topup=100)
        cls.tariff_b = shared.copy(
            {"company_id": cls.company_b.id, "price_per_message": 0.25, "shared_sender": False}
        )
        cls.balance_b = cls.env["sms.notify.balance"]._get_for_company(cls.company_b)
        cls.balance_b.tariff_id = cls.tariff_b
        cls.env["sms.notify.ledger"].sudo().create(
            {"balance_id": cls.balance_b.id, "kind": "topup", "amount": 10, "name": "Top-up B"}
        )
        cls.movements_before = cls.sms_balance.ledger_ids


@tagged("post_install", "-at_install")
class TestCompaniesCharging(TwoCompaniesBilledCommon):
    def test_one_queue_run_charges_each_message_to_its_own_company(self):
        """The cron's worker sends both companies' messages in one run, each charged to its
        company's balance at its tariff, nothing to the other company."""
        message_a = self.customer._message_sms(
            "Your glasses are ready.", partner_ids=self.customer.ids
        )
        message_b = self.customer_b._message_sms("Okulary gotowe.", partner_ids=self.customer_b.ids)
        self.env["sms.sms"]._process_queue()
        self.assertRecordValues(
            self._sms_of(message_a) + self._sms_of(message_b),
            [
                {"state": "pending", "gateway_id": self.gateway_a.id, "price": 9.8},
                {"state": "pending", "gateway_id": self.gateway_b.id, "price": 0.25},
            ],
        )
        self.assertAlmostEqual(self.sms_balance.balance, 100 - 9.8, places=2)
        self.assertAlmostEqual(self.balance_b.balance, 10 - 0.25, places=2)

    def test_refund_goes_back_to_the_balance_of_the_messages_company(self):
        self.fake_b.number_errors["+48512345678"] = "bad_number"
        message_b = self.customer_b._message_sms("Okulary gotowe.", partner_ids=self.customer_b.ids)
        self.env["sms.sms"]._process_queue()
        self.assertRecordValues(self._sms_of(message_b), [{"state": "error", "price": 0}])
        self.assertAlmostEqual(self.balance_b.balance, 10, places=2)
        self.assertEqual(
            sorted(self.balance_b.ledger_ids.mapped("kind")), ["debit", "refund", "topup"]
        )
        self.assertFalse(self._new_movements(), "nothing charged or refunded to the first company")


@tagged("post_install", "-at_install")
class TestCompaniesBalanceAccess(TwoCompaniesBilledCommon, HttpCase):
    def test_second_company_sees_only_its_own_balance_movements(self):
        user_b = new_test_user(
            self.env,
            login="admin-b",
            password="admin-b-pass",
            groups="sms_notify.group_sms_notify_manager",
            company_id=self.company_b.id,
            company_ids=[Command.set(self.company_b.ids)],
        )
        visible = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user_b.id, "admin-b-pass", "sms.notify.ledger", "search", [[]]
        )
        self.assertEqual(visible, self.balance_b.ledger_ids.ids)


@tagged("post_install", "-at_install")
class TestBilledSending(SmscBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "anna@example.com"
        cls.sms_template = cls.env["sms.template"].create(
            {
                "name": "Glasses ready",
                "model_id": cls.env.ref("base.model_res_partner").id,
                "body": "{{ object.name }}, your glasses are ready.",
            }
        )

    def test_refused_message_costs_nothing(self):
        self._bill(self.env.ref("sms_notify_billing.sms_notify_tariff_shared"), topup=100)
        record = self.customer.with_context(sms_notify_message_kind="advertising")
        sms = self._sms_of(self._post_sms(record, "Frames -20% until Sunday"))
        self.assertRecordValues(sms, [{"state": "canceled", "price": 0}])
        self.assertEqual(self.sms_balance.balance, 100)

    def _wizard(self, **values):
        action = self.customer.action_sms_notify()
        form = Form(self.env["sms.notify.wizard"].with_context(**action["context"]))
        for name, value in values.items():
            setattr(form, name, value)
        return form.save()

    def test_notify_dialog_shows_the_tariffs_price_and_what_the_balance_covers(self):
        self._bill(self.env.ref("sms_notify_billing.sms_notify_tariff_shared"), topup=100)
        wizard = self._wizard(sms_template_id=self.sms_template)
        self.assertTrue(wizard.billed)
        self.assertTrue(wizard.cost_enough)
        self.assertIn("9.80", wizard.cost_summary)
        self.assertNotIn("vendor", wizard.cost_summary)
        self._credit(-95, kind="adjustment")
        wizard = self._wizard(sms_template_id=self.sms_template)
        self.assertFalse(wizard.cost_enough)

    def test_history_keeps_the_price_charged_and_the_vendors_cost(self):
        self._bill(self.env.ref("sms_notify_billing.sms_notify_tariff_shared"), topup=100)
        self._post_sms(self.customer, "Your glasses are ready.")
        self.env.flush_all()
        [history] = self.env["sms.notify.message"].search(
            [("partner_id", "=", self.customer.id), ("channel", "=", "sms")]
        )
        self.assertRecordValues(history, [{"price": 9.8, "vendor_cost": 1.4}])
