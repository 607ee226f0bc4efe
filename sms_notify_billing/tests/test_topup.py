from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.mail.tests.common import MailCase

from ..models.sms_notify_balance import DEFAULT_MINIMUM_TOPUP
from .common import BillingCommon, reply_from_provider


@tagged("post_install", "-at_install")
class TestTopup(BillingCommon):
    """Top-up requests paid by hand: the balance has no provider, so no invoice is prepared
    even where an invoicing bridge is installed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sms_balance = cls.env["sms.notify.balance"]._get_for_company(cls.env.company)
        cls.sms_balance.write({"provider_id": False, "minimum_topup": DEFAULT_MINIMUM_TOPUP})
        cls.manager = new_test_user(
            cls.env,
            login="topup-manager",
            groups="base.group_user,sms_notify.group_sms_notify_manager",
        )
        cls.topups = cls.env["sms.notify.topup"].with_user(cls.manager)
        # who confirms the payment of a request is never who asked for it
        cls.other_manager = new_test_user(
            cls.env,
            login="topup-other-manager",
            groups="base.group_user,sms_notify.group_sms_notify_manager",
        )

    def _topup(self, amount=DEFAULT_MINIMUM_TOPUP):
        return self.topups.create({"amount": amount})

    def _mark_paid(self, topup):
        return topup.with_user(self.other_manager).action_mark_paid()

    def _balance(self):
        self.sms_balance.invalidate_recordset(["balance"])
        return self.sms_balance.balance

    def test_new_request_takes_the_company_balance_and_a_reference(self):
        topup = self._topup()
        self.assertEqual(topup.balance_id, self.sms_balance)
        self.assertEqual(topup.state, "draft")
        self.assertRegex(topup.name, r"^TOP/\d{4}/\d{4,}$")
        self.assertNotEqual(self._topup().name, topup.name)

    def test_balance_button_proposes_the_minimum(self):
        action = self.sms_balance.with_user(self.manager).action_request_topup()
        form = Form(
            self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"])
        )
        self.assertEqual(form.amount, DEFAULT_MINIMUM_TOPUP)
        topup = form.save()
        self.assertEqual(topup.balance_id, self.sms_balance)
        self.assertEqual(self.sms_balance.topup_count, 1)

    def test_request_below_the_minimum_is_refused_with_the_minimum(self):
        topup = self._topup(999)
        currency = self.sms_balance.currency_id.name
        with self.assertRaisesRegex(UserError, rf"at least 1,000\.00 {currency}"):
            topup.action_request()
        self.assertEqual(topup.state, "draft")

    def test_request_at_the_minimum_is_accepted_and_noted(self):
        topup = self._topup(1000)
        topup.action_request()
        self.assertRecordValues(topup, [{"state": "requested", "requested_by": self.manager.id}])
        self.assertTrue(topup.request_date)
        self.assertIn("requested", topup.message_ids[0].body)

    def test_minimum_follows_the_balance(self):
        self.sms_balance.minimum_topup = 5000
        with self.assertRaises(UserError):
            self._topup(4999).action_request()
        self._topup(5000).action_request()

    def test_balance_is_credited_once_when_paid(self):
        before = self._balance()
        topup = self._topup(1500)
        topup.action_request()
        self.assertEqual(self._balance(), before, "requested is not paid yet")

        self._mark_paid(topup)
        self.assertEqual(self._balance(), before + 1500)
        self.assertEqual(topup.state, "paid")
        self.assertTrue(topup.paid_date)
        credit = topup.ledger_id
        self.assertRecordValues(credit, [{"kind": "topup", "amount": 1500, "topup_id": topup.id}])
        self.assertEqual(credit.balance_id, self.sms_balance)
        self.assertIn(topup.name, credit.name)

        self._mark_paid(topup)
        self.assertEqual(self._balance(), before + 1500)
        credits = self.env["sms.notify.ledger"].search([("topup_id", "=", topup.id)])
        self.assertEqual(len(credits), 1)

    def test_draft_and_cancelled_requests_are_never_credited(self):
        before = self._balance()
        draft = self._topup()
        with self.assertRaises(UserError):
            self._mark_paid(draft)
        cancelled = self._topup()
        cancelled.action_request()
        cancelled.action_cancel()
        with self.assertRaises(UserError):
            self._mark_paid(cancelled)
        self.assertEqual(self._balance(), before)
        self.assertFalse((draft | cancelled).ledger_id)

    def test_cancelled_request_can_be_requested_again(self):
        topup = self._topup()
        topup.action_cancel()
        topup.action_draft()
        self.assertRecordValues(topup, [{"state": "draft", "request_date": False}])
        topup.action_request()
        self.assertEqual(topup.state, "requested")

    def test_paid_request_cannot_be_cancelled_or_deleted(self):
        topup = self._topup()
        topup.action_request()
        self._mark_paid(topup)
        with self.assertRaises(UserError):
            topup.action_cancel()
        with self.assertRaises(UserError):
            topup.unlink()
        self.assertEqual(topup.state, "paid")

    def test_only_drafts_can_be_deleted(self):
        requested = self._topup()
        requested.action_request()
        with self.assertRaises(UserError):
            requested.unlink()
        draft = self._topup()
        draft.unlink()
        self.assertFalse(draft.exists())

    def test_a_top_up_line_cannot_be_entered_by_hand(self):
        with self.assertRaises(UserError):
            self.env["sms.notify.ledger"].with_user(self.manager).create(
                {"balance_id": self.sms_balance.id, "kind": "topup", "amount": 1000, "name": "Gift"}
            )

    def test_the_requester_cannot_confirm_the_payment_of_their_own_request(self):
        before = self._balance()
        topup = self._topup(1500)
        topup.action_request()
        with self.assertRaisesRegex(
            UserError, rf"You requested {topup.name} yourself, so another SMS Notify administrator"
        ):
            topup.action_mark_paid()
        self.assertEqual(topup.state, "requested")
        self.assertEqual(self._balance(), before)
        self._mark_paid(topup)
        self.assertEqual(topup.state, "paid")
        self.assertEqual(self._balance(), before + 1500)


@tagged("post_install", "-at_install")
class TestTopupToProvider(MailCase, BillingCommon):
    """Requesting a top-up e-mails the provider from the request's chatter; the provider's
    answer comes back through Odoo's mail gateway onto the request."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sms_balance.write({"provider_id": False, "minimum_topup": DEFAULT_MINIMUM_TOPUP})
        cls.manager = new_test_user(
            cls.env,
            login="topup-mail-manager",
            email="marina@optika.example",
            groups="base.group_user,sms_notify.group_sms_notify_manager",
        )

    def test_request_is_mailed_to_the_provider_and_the_answer_is_filed(self):
        topup = self.env["sms.notify.topup"].with_user(self.manager).create({"amount": 2500})
        with self.mock_mail_gateway():
            topup.action_request()
        sent = [
            mail for mail in self._mails if "orders@sms-provider.example" in str(mail["email_to"])
        ]
        self.assertEqual(len(sent), 1, self._mails)
        email = sent[0]
        self.assertIn(topup.name, email["subject"])
        self.assertIn("2,500.00", email["body"])
        posted = topup.message_ids.filtered(
            lambda message: message.message_id == email["message_id"]
        )
        self.assertEqual(len(posted), 1)

        answer = reply_from_provider(
            topup,
            email,
            "orders@sms-provider.example",
            "<invoice-77@sms-provider.example>",
            "Invoice 77 for 2,500.00 is on its way.",
        )
        self.assertEqual(len(answer), 1, "the provider's answer is filed on the request")
        self.assertIn("Invoice 77", answer.body)

    def test_request_without_the_provider_address_says_where_to_set_it(self):
        self.env.company.sms_notify_provider_email = False
        topup = self.env["sms.notify.topup"].with_user(self.manager).create({"amount": 2500})
        with self.assertRaisesRegex(UserError, "Settings › SMS Notify › SMS Provider's E-mail"):
            topup.action_request()
        self.assertEqual(topup.state, "draft")
