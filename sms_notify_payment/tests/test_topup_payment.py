import unittest

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from odoo.addons.sms_notify_billing.tests.common import BillingMixin


@tagged("post_install", "-at_install")
class TestTopupOnlinePayment(BillingMixin, HttpCase):
    """A requested top-up paid online through Odoo's payment page with the demo provider: the
    confirmed payment credits the balance once, by the system; a failed or cancelled one does
    not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env["ir.module.module"].search_count(
            [("name", "=", "payment_demo"), ("state", "=", "installed")]
        ):
            raise unittest.SkipTest("install payment_demo, Odoo's demo payment provider")
        cls.provider = cls.env.ref("payment.payment_provider_demo")
        cls.provider.write({"state": "test", "company_id": cls.env.company.id})
        cls.payment_method = cls.env.ref("payment_demo.payment_method_demo")
        cls.sms_balance.write({"provider_id": False, "minimum_topup": 1000})
        cls.payer = new_test_user(
            cls.env,
            login="topup-payer",
            password="topup-payer-pw",
            groups="base.group_user,sms_notify.group_sms_notify_manager",
        )
        cls.Topup = cls.env["sms.notify.topup"].with_user(cls.payer)

    def _requested(self, amount=1500):
        topup = self.Topup.create({"amount": amount})
        topup.action_request()
        return topup

    def _balance(self):
        self.sms_balance.invalidate_recordset(["balance"])
        return self.sms_balance.balance

    def _credits(self, topup):
        return self.env["sms.notify.ledger"].search([("topup_id", "=", topup.id)])

    def _start_payment(self, topup):
        """What the payer's browser does: open the payment page of the request, then create
        the transaction through the page's route (the amount it posts is ignored)."""
        self.authenticate("topup-payer", "topup-payer-pw")
        action = topup.action_pay_online()
        self.assertEqual(action["type"], "ir.actions.act_url")
        page = self.url_open(action["url"])
        self.assertEqual(page.status_code, 200)
        self.assertIn(f"/sms_notify/topup/{topup.id}/transaction", page.text)
        processing = self.make_jsonrpc_request(
            f"/sms_notify/topup/{topup.id}/transaction",
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.payment_method.id,
                "token_id": None,
                "amount": 1.0,
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": f"/odoo/sms.notify.topup/{topup.id}",
                "is_validation": False,
                "access_token": "from the page",
            },
        )
        return self.env["payment.transaction"].search([("reference", "=", processing["reference"])])

    def _demo_answers(self, transaction, simulated_state):
        """The demo provider's answer, through its own route, as its payment form sends it."""
        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {
                "reference": transaction.reference,
                "payment_details": "4242",
                "simulated_state": simulated_state,
            },
        )

    def test_pay_online_is_offered_for_requested_top_ups_with_a_provider(self):
        topup = self.Topup.create({"amount": 1500})
        self.assertFalse(topup.online_payment_available, "a draft is requested first")
        topup.action_request()
        self.assertTrue(topup.online_payment_available)
        self.provider.state = "disabled"
        topup.invalidate_recordset(["online_payment_available"])
        self.assertFalse(topup.online_payment_available, "without a provider: by invoice")

    def test_confirmed_payment_credits_the_balance_once(self):
        before = self._balance()
        topup = self._requested(1500)
        transaction = self._start_payment(topup)
        self.assertRecordValues(
            transaction,
            [
                {
                    "sms_notify_topup_id": topup.id,
                    "amount": 1500,
                    "currency_id": topup.currency_id.id,
                    "partner_id": self.payer.partner_id.id,
                    "state": "draft",
                }
            ],
        )
        self.assertTrue(transaction.reference.startswith(topup.name))

        self._demo_answers(transaction, "done")
        self.assertEqual(transaction.state, "done")
        self.assertEqual(topup.state, "requested", "credited when post-processed")
        # the status page the payer lands on post-processes the payment, the cron again later
        self.make_jsonrpc_request("/payment/status/poll")
        self.assertTrue(transaction.is_post_processed)
        transaction._post_process()
        self.assertEqual(topup.state, "paid")
        self.assertEqual(self._balance(), before + 1500)
        self.assertEqual(len(self._credits(topup)), 1)
        self.assertEqual(topup.ledger_id.amount, 1500)
        self.assertIn(transaction.reference, "\n".join(topup.message_ids.mapped("body")))

    def test_cancelled_or_failed_payment_credits_nothing(self):
        before = self._balance()
        for simulated_state in ("cancel", "error"):
            with self.subTest(simulated_state=simulated_state):
                topup = self._requested(1200)
                transaction = self._start_payment(topup)
                self._demo_answers(transaction, simulated_state)
                transaction._post_process()
                self.assertIn(transaction.state, ("cancel", "error"))
                self.assertEqual(topup.state, "requested")
                self.assertFalse(self._credits(topup))
                self.assertTrue(topup.online_payment_available, "it can be paid again")
        self.assertEqual(self._balance(), before)

    def test_payment_of_a_cancelled_request_credits_nothing_and_is_noted(self):
        before = self._balance()
        topup = self._requested(1500)
        transaction = self._start_payment(topup)
        topup.action_cancel()
        self._demo_answers(transaction, "done")
        transaction._post_process()
        self.assertEqual(topup.state, "cancelled")
        self.assertFalse(self._credits(topup))
        self.assertEqual(self._balance(), before)
        self.assertIn("nothing was added to the balance", topup.message_ids[0].body)

    @mute_logger("odoo.http")
    def test_only_users_who_may_read_the_request_pay_it(self):
        topup = self._requested(1500)
        new_test_user(self.env, login="topup-stranger", password="topup-stranger-pw")
        self.authenticate("topup-stranger", "topup-stranger-pw")
        with self.assertRaisesRegex(JsonRpcException, "ValidationError"):
            self.make_jsonrpc_request(
                f"/sms_notify/topup/{topup.id}/transaction",
                {
                    "provider_id": self.provider.id,
                    "payment_method_id": self.payment_method.id,
                    "token_id": None,
                    "flow": "direct",
                    "tokenization_requested": False,
                    "landing_route": "/odoo",
                    "is_validation": False,
                },
            )
        self.assertFalse(
            self.env["payment.transaction"].search([("sms_notify_topup_id", "=", topup.id)])
        )
        self.authenticate(None, None)
        page = self.url_open(f"/payment/pay?sms_notify_topup_id={topup.id}", allow_redirects=False)
        self.assertIn(page.status_code, (302, 303))
        self.assertIn("/web/login", page.headers["Location"], "visitors log in first")
