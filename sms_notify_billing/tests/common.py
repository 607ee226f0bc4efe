from odoo.addons.sms_notify.tests.common import SmscGatewayCommon, SmsNotifyCommon


class BillingMixin:
    """The company's SMS balance, with nothing charged unless a test chooses a tariff, and
    starting at zero (demo databases come with a tariff and a top-up)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # requests are e-mailed to the provider: without its address they are refused
        cls.env.company.sms_notify_provider_email = "orders@sms-provider.example"
        cls.sms_balance = cls.env["sms.notify.balance"]._get_for_company(cls.env.company)
        cls.sms_balance.write({"tariff_id": False, "low_balance_threshold": 0})
        if cls.sms_balance.balance:
            cls._credit(-cls.sms_balance.balance, kind="adjustment")
        cls.movements_before = cls.sms_balance.ledger_ids

    @classmethod
    def _bill(cls, tariff, topup=0):
        """Charge messages to the company's balance under ``tariff``, topped up by ``topup``."""
        cls.sms_balance.tariff_id = tariff
        if topup:
            cls._credit(topup)

    def _new_movements(self):
        """The balance movements of the test (not the demo data's)."""
        return self.sms_balance.ledger_ids - self.movements_before

    @classmethod
    def _credit(cls, amount, kind="topup"):
        return (
            cls.env["sms.notify.ledger"]
            .sudo()
            .create(
                {
                    "balance_id": cls.sms_balance.id,
                    "kind": kind,
                    "amount": amount,
                    "name": "Test top-up",
                }
            )
        )


class BillingCommon(BillingMixin, SmsNotifyCommon):
    pass


class SmscBillingCommon(BillingMixin, SmscGatewayCommon):
    pass
