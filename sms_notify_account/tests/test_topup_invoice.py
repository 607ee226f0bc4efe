from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


@tagged("post_install", "-at_install")
class TestTopupInvoice(AccountTestInvoicingCommon):
    """A top-up requested from a provider gets the provider's bill, and paying the bill credits
    the balance."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.partner_a
        cls.balance = cls.env["sms.notify.balance"]._get_for_company(cls.env.company)
        cls.balance.write({"provider_id": cls.provider.id, "minimum_topup": 1000})
        cls.env.company.sms_notify_provider_email = "orders@sms-provider.example"
        cls.manager = new_test_user(
            cls.env,
            login="topup-invoice-manager",
            groups="base.group_user,sms_notify.group_sms_notify_manager",
            company_id=cls.env.company.id,
        )
        # who confirms a payment by hand is never who asked for the top-up
        cls.other_manager = new_test_user(
            cls.env,
            login="topup-invoice-other-manager",
            groups="base.group_user,sms_notify.group_sms_notify_manager",
            company_id=cls.env.company.id,
        )

    def _requested(self, amount=1200):
        topup = self.env["sms.notify.topup"].with_user(self.manager).create({"amount": amount})
        topup.action_request()
        return topup

    def _bill(self, topup):
        """The request's bill, as the accountant sees it."""
        return topup.invoice_id.with_env(self.env)

    def _balance(self):
        self.balance.invalidate_recordset(["balance"])
        return self.balance.balance

    def _pay(self, bill, user=None, **values):
        return (
            self.env["account.payment.register"]
            .with_user(user or self.env.user)
            .with_context(active_model="account.move", active_ids=bill.ids)
            .create({"payment_date": bill.invoice_date, **values})
            ._create_payments()
        )

    def test_request_prepares_a_draft_bill_of_the_provider(self):
        topup = self._requested(1200)
        bill = self._bill(topup)
        self.assertRecordValues(
            bill,
            [
                {
                    "move_type": "in_invoice",
                    "state": "draft",
                    "partner_id": self.provider.id,
                    "currency_id": self.balance.currency_id.id,
                    "company_id": self.env.company.id,
                    "invoice_origin": topup.name,
                    "amount_total": 1200,
                }
            ],
        )
        self.assertTrue(bill.invoice_date)
        line = bill.invoice_line_ids
        self.assertEqual(len(line), 1)
        self.assertEqual(line.name, f"SMS balance top-up {topup.name}")
        self.assertEqual(line.price_unit, 1200)
        self.assertFalse(line.tax_ids)
        self.assertIn(bill.display_name, topup.message_ids[0].body)

    def test_without_provider_no_bill_is_prepared(self):
        self.balance.provider_id = False
        topup = self._requested()
        self.assertFalse(topup.invoice_id)
        topup.with_user(self.other_manager).action_mark_paid()
        self.assertEqual(topup.state, "paid")

    def test_marking_paid_by_hand_is_refused_while_the_bill_is_unpaid(self):
        before = self._balance()
        topup = self._requested()
        with self.assertRaisesRegex(UserError, "register the payment on the bill"):
            topup.with_user(self.other_manager).action_mark_paid()
        self._bill(topup).action_post()
        with self.assertRaisesRegex(UserError, "register the payment on the bill"):
            topup.with_user(self.other_manager).action_mark_paid()
        self.assertEqual(topup.state, "requested")
        self.assertEqual(self._balance(), before)

    def test_paying_the_bill_credits_the_balance_once(self):
        before = self._balance()
        topup = self._requested(1200)
        bill = self._bill(topup)
        bill.action_post()
        self.assertEqual(self._balance(), before, "a confirmed bill is not a paid one")

        # the accountant who pays has no right on the SMS balance
        accountant = self.env["res.users"].create(
            {
                "name": "Billing clerk",
                "login": "sms_billing_clerk",
                "company_id": self.env.company.id,
                "company_ids": [(6, 0, self.env.company.ids)],
                "groups_id": [(6, 0, [self.env.ref("account.group_account_invoice").id])],
            }
        )
        self.assertFalse(accountant.has_group("sms_notify.group_sms_notify_user"))
        self._pay(bill, user=accountant)
        self.assertIn(bill.payment_state, ("paid", "in_payment"))
        self.assertEqual(topup.state, "paid")
        self.assertEqual(self._balance(), before + 1200)
        self.assertRecordValues(topup.ledger_id, [{"kind": "topup", "amount": 1200}])

        topup.action_mark_paid()
        bill._invoice_paid_hook()
        self.assertEqual(self._balance(), before + 1200)
        self.assertEqual(
            self.env["sms.notify.ledger"].sudo().search_count([("topup_id", "=", topup.id)]), 1
        )

    def test_partial_payment_does_not_credit(self):
        before = self._balance()
        topup = self._requested(1200)
        self._bill(topup).action_post()
        self._pay(self._bill(topup), amount=500)
        self.assertEqual(self._bill(topup).payment_state, "partial")
        self.assertEqual(topup.state, "requested")
        self.assertEqual(self._balance(), before)

    def test_cancelling_the_request_cancels_its_draft_bill(self):
        topup = self._requested()
        topup.action_cancel()
        self.assertEqual(self._bill(topup).state, "cancel")

    def test_a_confirmed_bill_must_be_cancelled_in_invoicing_first(self):
        topup = self._requested()
        self._bill(topup).action_post()
        with self.assertRaisesRegex(UserError, "cancel it in Invoicing first"):
            topup.action_cancel()
        self._bill(topup).button_cancel()
        topup.action_cancel()
        self.assertEqual(topup.state, "cancelled")

    def test_a_request_paid_online_gets_no_bill(self):
        # what an online payment bridge answers when a payment provider takes the amount
        topups = type(self.env["sms.notify.topup"])
        with patch.object(topups, "_can_pay_online", lambda topup: True):
            topup = self._requested()
        self.assertFalse(topup.invoice_id)
        self.assertFalse(
            self.env["account.move"].search([("invoice_origin", "=", topup.name)]),
            "paid through the payment provider, not by a bill",
        )
