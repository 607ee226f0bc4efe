from odoo import fields, models

from ..tools import pricing


class SmsSms(models.Model):
    """Messages charged to their company's balance: the core queue's billing hooks."""

    _inherit = "sms.sms"

    operator_registered = fields.Boolean(
        string="Registered Service Template",
        default=lambda self: bool(self.env.context.get("sms_notify_operator_registered")),
        help="Its text comes from a template the operators registered as a service template: "
        "under an own sender name only such service messages get the service price.",
    )
    price = fields.Float(
        digits=(16, 2),
        readonly=True,
        copy=False,
        help="Charged to the SMS balance under the tariff in force when it was handed over; "
        "0 when it was refunded or nothing is charged.",
    )
    package_message = fields.Boolean(
        string="Paid from the Package",
        readonly=True,
        copy=False,
        help="It took one message of the company's message package (whatever its SMS parts); "
        "unticked when the message was given back.",
    )

    def _sms_notify_balance(self, company=None):
        """The SMS balance of ``company`` (by default the company of these messages, which
        must have one), or an empty recordset when it has none yet."""
        company = company or self.company_id.ensure_one()
        return self.env["sms.notify.balance"].sudo()._get_for_company(company, create=False)

    def _sms_notify_reserve(self, company, routes, cr):
        """Charge the routed messages of ``company`` to its balance on ``cr`` (which reads
        committed data, see ``_sms_notify_claim``); fail the ones it does not cover."""
        routes = super()._sms_notify_reserve(company, routes, cr)
        balance = self._sms_notify_balance(company)
        if not balance.tariff_id:
            return routes
        messages = self.browse()
        for routed in routes.values():
            messages |= routed
        # the ledger is written on the side cursor; the messages, and the price each one is
        # given, stay in this transaction with the rest of their claim
        refused, amount = balance.with_env(balance.env(cr=cr))._charge(messages)
        if refused and balance._counts_messages():
            refused._sms_notify_fail(
                refused.gateway_id[:1],
                "sms_credit",
                self.env._(
                    "Not sent: the message package is used up (%(left)s messages left). Buy a "
                    "new package in SMS Notify › Balance, then resend the message.",
                    left=pricing.count_text(amount),
                ),
            )
        elif refused:
            refused._sms_notify_fail(
                refused.gateway_id[:1],
                "sms_credit",
                self.env._(
                    "Not sent: the SMS balance (%(balance)s %(currency)s) does not cover it. "
                    "Top up the balance in SMS Notify › Balance, then resend the message.",
                    balance=pricing.amount_text(amount),
                    currency=balance.currency_id.name,
                ),
            )
        return {
            gateway: charged for gateway, routed in routes.items() if (charged := routed - refused)
        }

    def _sms_notify_reserved(self):
        # a message paid from the package is planned as such: its price is no amount
        return [
            {"package": 1} if from_package else price
            for price, from_package in zip(
                self.mapped("price"), self.mapped("package_message"), strict=True
            )
        ]

    def _sms_notify_restore_reserved(self, reserved):
        if isinstance(reserved, dict):
            if reserved.get("package"):
                self.sudo().write({"package_message": True})
        elif reserved:
            self.sudo().write({"price": reserved})
        return super()._sms_notify_restore_reserved(reserved)

    def _sms_notify_release(self, reason):
        """Give back to the balance what these messages were charged (each one once)."""
        super()._sms_notify_release(reason)
        from_package = self._sms_notify_where("package_message", bool)
        for company, given_back in from_package.sudo().grouped("company_id").items():
            balance = self._sms_notify_balance(company)
            if balance:
                balance._refund_package(len(given_back), reason)
        from_package.sudo().write({"package_message": False})
        charged = self._sms_notify_where("price", bool)
        if not charged:
            return
        # to the balance that paid for them: their company's
        for company, refunded in charged.sudo().grouped("company_id").items():
            balance = self._sms_notify_balance(company)
            if balance:
                balance._refund(sum(refunded.mapped("price")), len(refunded), reason)
        charged.sudo().write({"price": 0})

    def _sms_notify_fallback_values(self):
        # the SMS after a Viber message of a registered service template is priced as one
        return dict(
            super()._sms_notify_fallback_values(), operator_registered=self.operator_registered
        )

    def _sms_notify_charge_handed_over(self, gateway):
        """The SMS a gateway sent on its own after a Viber message is charged when it is
        known, whatever the balance: it left already."""
        result = super()._sms_notify_charge_handed_over(gateway)
        for company, messages in self.sudo().grouped("company_id").items():
            balance = self._sms_notify_balance(company)
            if balance.tariff_id:
                balance._charge(messages, force=True)
        return result

    def _sms_notify_sender(self, gateway):
        balance = self._sms_notify_balance(gateway.company_id)
        return (balance and balance._tariff_sender()) or super()._sms_notify_sender(gateway)
