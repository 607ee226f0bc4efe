from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.sms_notify.tests.test_access_admin import AdminAccessCommon

from .common import BillingMixin


class BillingAdminAccessCommon(BillingMixin, AdminAccessCommon):
    pass


@tagged("post_install", "-at_install")
class TestTopupWorkflow(BillingAdminAccessCommon):
    """A top-up's status and amount follow its workflow: an SMS administrator cannot force a
    request below the minimum through, nor rewrite what was paid."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sms_balance.write({"provider_id": False, "minimum_topup": 1000})

    def _topup(self, method, args, kwargs=None):
        return self._as(self.sms_admin, "sms.notify.topup", method, args, kwargs)

    def _balance(self):
        self.env.invalidate_all()
        return self.sms_balance.balance

    @mute_logger("odoo.http")
    def test_status_of_a_small_request_cannot_be_forced(self):
        topup_id = self._topup("create", [{"amount": 10.0}])
        for state in ("requested", "paid"):
            with self.assertRpcRefused("UserError", "state"):
                self._topup("write", [[topup_id], {"state": state}])
            # a context from the outside does not pass for the workflow
            with self.assertRpcRefused("UserError", "state"):
                self._topup(
                    "write",
                    [[topup_id], {"state": state}],
                    {"context": {"sms_notify_topup_workflow": True}},
                )
        with self.assertRpcRefused("UserError", "ledger_id"):
            self._topup("write", [[topup_id], {"ledger_id": self._new_movements()[:1].id or 1}])
        with self.assertRpcRefused("UserError"):
            self._topup("action_mark_paid", [[topup_id]])
        with self.assertRpcRefused("UserError", "at least"):
            self._topup("action_request", [[topup_id]])
        topup = self.env["sms.notify.topup"].browse(topup_id)
        self.env.invalidate_all()
        self.assertEqual(topup.state, "draft")
        self.assertEqual(self._balance(), 0)
        self.assertFalse(self._new_movements())

    @mute_logger("odoo.http")
    def test_request_cannot_be_created_past_draft(self):
        for values in ({"state": "requested"}, {"state": "paid"}, {"paid_date": "2027-01-01"}):
            with self.subTest(values=values), self.assertRpcRefused("UserError"):
                self._topup("create", [{"amount": 10.0, **values}])
        self.assertFalse(self.env["sms.notify.topup"].search([("amount", "=", 10.0)]))

    @mute_logger("odoo.http")
    def test_workflow_credits_once_and_the_amount_stays(self):
        topup_id = self._topup("create", [{"amount": 1500.0}])
        # a draft is still edited freely
        self._topup("write", [[topup_id], {"amount": 1200.0, "note": "March"}])
        self._topup("action_request", [[topup_id]])
        with self.assertRpcRefused("UserError", "left draft"):
            self._topup("write", [[topup_id], {"amount": 150000.0}])
        # the requester does not confirm their own payment; another administrator does
        with self.assertRpcRefused("UserError", "another SMS Notify administrator"):
            self._topup("action_mark_paid", [[topup_id]])
        self.assertEqual(self._balance(), 0)
        for _twice in range(2):
            self._as(self.settings_admin, "sms.notify.topup", "action_mark_paid", [[topup_id]])
        topup = self.env["sms.notify.topup"].browse(topup_id)
        self.assertEqual(self._balance(), 1200)
        with self.assertRpcRefused("UserError", "left draft"):
            self._topup("write", [[topup_id], {"amount": 150000.0}])
        with self.assertRpcRefused("UserError", "state"):
            self._topup("write", [[topup_id], {"state": "draft"}])
        # the note is no part of the request
        self._topup("write", [[topup_id], {"note": "Paid by transfer", "amount": 1200.0}])
        self.env.invalidate_all()
        self.assertRecordValues(
            topup, [{"state": "paid", "amount": 1200, "note": "Paid by transfer"}]
        )
        self.assertEqual(self._balance(), 1200)
        self.assertEqual(len(self._new_movements()), 1)


@tagged("post_install", "-at_install")
class TestBillingNumbersInRange(BillingAdminAccessCommon):
    """Negative prices, fees, thresholds and minimum top-ups are refused with the range that
    is allowed, whoever enters them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tariff = cls.env["sms.notify.tariff"].create(
            {"name": "Shared", "price_per_message": 9.8}
        )

    @mute_logger("odoo.http")
    def test_tariff_and_balance_numbers(self):
        for price in ("price_per_message", "price_service", "price_advertising", "monthly_fee"):
            self._refused(self.tariff, {price: -0.5}, "cannot be negative")
        self._refused(self.sms_balance, {"low_balance_threshold": -100}, "cannot be negative")
        self._refused(self.sms_balance, {"minimum_topup": -1}, "cannot be negative")
        # sensible numbers still go
        self._as(
            self.sms_admin,
            "sms.notify.balance",
            "write",
            [[self.sms_balance.id], {"low_balance_threshold": 0, "minimum_topup": 500}],
        )
        self.assertEqual(self.sms_balance.minimum_topup, 500)
