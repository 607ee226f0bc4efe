"""The price a customer message was charged, as its form in the history shows it: an amount in
the company's currency, or one message of the package, never a price of 0 for the latter."""

from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import SmscBillingCommon
from .test_packages import PackageMixin

GSM_1 = "Your glasses are ready. Optika, +7 495 123-45-67."
FORM = "sms_notify.sms_notify_message_view_form"


class HistoryPriceMixin:
    def _sent_message(self):
        sms = self._sms_of(self._post_sms(self.customer, GSM_1, numbers=["+79123456789"]))
        self.env.flush_all()
        return sms, self.env["sms.notify.message"].search([("sms_id", "=", sms.id)])


@tagged("post_install", "-at_install")
class TestHistoryMoneyPrice(HistoryPriceMixin, SmscBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._bill(cls.env.ref("sms_notify_billing.sms_notify_tariff_shared"), topup=100)

    def test_the_form_shows_the_price_charged_in_the_balance_currency(self):
        sms, message = self._sent_message()
        self.assertGreater(sms.price, 0)
        form = Form(message, view=FORM)
        self.assertAlmostEqual(form.price, sms.price)
        self.assertEqual(form.price_currency_id, self.sms_balance.currency_id)
        self.assertFalse(form.package_message)
        self.assertFalse(form._get_modifier("price", "invisible"))


@tagged("post_install", "-at_install")
class TestHistoryPackagePrice(PackageMixin, HistoryPriceMixin, SmscBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._bill(cls._package_tariff())
        cls._credit_messages(10)

    def test_a_package_message_shows_one_message_of_the_package_not_a_price(self):
        sms, message = self._sent_message()
        self.assertTrue(sms.package_message)
        self.assertRecordValues(message, [{"package_message": True, "price": 0}])
        form = Form(message, view=FORM)
        # no amount of 0: the form says what it took instead
        self.assertTrue(form._get_modifier("price", "invisible"))
        arch = form._view["tree"]
        [took] = arch.xpath("//div[@name='price']/span")
        self.assertEqual(took.text, "1 message of the package")
        self.assertFalse(safe_eval(took.get("invisible"), form._get_eval_context()))
