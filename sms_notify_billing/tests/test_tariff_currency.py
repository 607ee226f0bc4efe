from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import format_amount


@tagged("post_install", "-at_install")
class TestTariffCurrency(TransactionCase):
    """Tariffs are priced in a currency of their own (the shipped presets in roubles), and
    apply only to a balance kept in that currency: nothing is converted at a rate of one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rouble = cls.env.ref("base.RUB")
        cls.dollar = cls.env.ref("base.USD")
        cls.dollar.active = True
        cls.own = cls.env.ref("sms_notify_billing.sms_notify_tariff_own")
        cls.company = cls.env["res.company"].create(
            {"name": "Optika US", "currency_id": cls.dollar.id}
        )
        cls.balance = cls.env["sms.notify.balance"]._get_for_company(cls.company)

    def test_presets_are_priced_in_active_roubles(self):
        presets = self.own | self.env.ref("sms_notify_billing.sms_notify_tariff_shared")
        presets |= self.env.ref("sms_notify_billing.sms_notify_tariff_package")
        self.assertEqual(presets.currency_id, self.rouble)
        self.assertTrue(self.rouble.active)
        self.assertEqual(
            self.env.ref("sms_notify_billing.sms_notify_package_500").currency_id, self.rouble
        )
        fee = format_amount(self.env, self.own.monthly_fee, self.own.currency_id)
        self.assertIn(self.rouble.symbol, fee)
        self.assertNotIn("$", fee)

    def test_new_balance_and_tariffs_are_in_the_company_currency(self):
        self.assertEqual(self.balance.currency_id, self.dollar)
        tariff = self.env["sms.notify.tariff"].create({"name": "US", "company_id": self.company.id})
        self.assertEqual(tariff.currency_id, self.dollar)
        # a preset copied for the company takes its currency, to be priced anew
        self.assertEqual(self.own.copy({"company_id": self.company.id}).currency_id, self.dollar)

    def test_tariff_in_another_currency_is_refused(self):
        rouble_tariff = self.own.copy(
            {"company_id": self.company.id, "currency_id": self.rouble.id}
        )
        with self.assertRaisesRegex(ValidationError, "priced in RUB.*kept in USD"):
            self.balance.tariff_id = rouble_tariff
        dollar_tariff = self.own.copy(
            {"company_id": self.company.id, "currency_id": self.dollar.id}
        )
        self.balance.tariff_id = dollar_tariff
        self.assertEqual(self.balance.tariff_id, dollar_tariff)
        # nor can the tariff in force change its currency under the balance
        with self.assertRaisesRegex(ValidationError, "priced in RUB.*kept in USD"):
            dollar_tariff.currency_id = self.rouble

    def test_balance_kept_in_roubles_takes_the_presets(self):
        self.balance.currency_id = self.rouble
        rouble_tariff = self.own.copy({"company_id": self.company.id})
        self.assertEqual(rouble_tariff.currency_id, self.rouble)
        self.balance.tariff_id = rouble_tariff
        topup = self.env["sms.notify.ledger"].create(
            {"balance_id": self.balance.id, "kind": "topup", "amount": 10000, "name": "Top-up"}
        )
        self.assertEqual(topup.currency_id, self.rouble)
        self.assertIn(
            self.rouble.symbol,
            format_amount(self.env, self.balance.balance, self.balance.currency_id),
        )
