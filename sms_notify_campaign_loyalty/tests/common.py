from odoo import Command

from odoo.addons.sms_notify.tests.common import SmscGatewayCommon
from odoo.addons.sms_notify_campaign.tests.common import create_sms_mailing


class PromoMixin:
    """A coupon program giving 10% off an order (``program``), and helpers to send it by SMS
    Marketing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # sent at whatever hour the tests run: quiet hours are test_mailing_delivery's
        cls.env.company.sms_notify_quiet_advertising = False
        cls.program = cls._coupon_program("Spring coupon")

    @classmethod
    def _coupon_program(cls, name, **values):
        return cls.env["loyalty.program"].create(
            {
                "name": name,
                "program_type": "coupons",
                "trigger": "with_code",
                "applies_on": "current",
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount_mode": "percent",
                            "discount": 10,
                            "discount_applicability": "order",
                            "required_points": 1,
                        }
                    )
                ],
                **values,
            }
        )

    def _mailing(self, records, body, program=None, **values):
        program = self.program if program is None else program
        return create_sms_mailing(
            self.env, records, body_plaintext=body, loyalty_program_id=program.id, **values
        )

    def _traces(self, mailing):
        return self.env["mailing.trace"].search([("mass_mailing_id", "in", mailing.ids)])

    def _sms(self, trace):
        return self.env["sms.sms"].browse(trace.sms_id_int)

    def _cards(self, program=None):
        return (
            self.env["loyalty.card"]
            .with_context(active_test=False)
            .search([("program_id", "=", (program or self.program).id)])
        )


class PromoCommon(PromoMixin, SmscGatewayCommon):
    """Coupons sent through an SMSC gateway talking to a local SMSC server."""
