from werkzeug.urls import url_encode

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.sms_notify_billing.tools import pricing


class SmsNotifyTopup(models.Model):
    _inherit = "sms.notify.topup"

    transaction_ids = fields.One2many(
        "payment.transaction",
        "sms_notify_topup_id",
        string="Online Payments",
        readonly=True,
        groups="base.group_system",
    )
    online_payment_available = fields.Boolean(
        string="Payable Online",
        compute="_compute_online_payment_available",
        help="A payment provider of the company (Invoicing › Configuration › Payment "
        "Providers) accepts this request's amount and currency: Pay Online opens its payment "
        "page, and the balance is credited once the payment is confirmed.",
    )

    @api.depends("state", "amount", "currency_id", "company_id")
    @api.depends_context("uid")
    def _compute_online_payment_available(self):
        for topup in self:
            topup.online_payment_available = topup.state == "requested" and topup._can_pay_online()

    def _online_payment_providers(self):
        self.ensure_one()
        return (
            self.env["payment.provider"]
            .sudo()
            ._get_compatible_providers(
                self.company_id.id,
                self.env.user.partner_id.id,
                self.amount,
                currency_id=self.currency_id.id,
            )
        )

    def _can_pay_online(self):
        self.ensure_one()
        return super()._can_pay_online() or bool(self._online_payment_providers())

    def action_pay_online(self):
        """Open Odoo's payment page for the request's amount; the payment is linked to the
        request, whose balance is credited when the provider confirms it."""
        self.ensure_one()
        if self.state != "requested":
            raise UserError(self.env._("Only requested top-ups can be paid: request it first."))
        if not self._online_payment_providers():
            raise UserError(
                self.env._(
                    "No online payment provider of %(company)s accepts %(amount)s %(currency)s. "
                    "Pay the provider's invoice instead, or enable a payment provider in "
                    "Invoicing › Configuration › Payment Providers.",
                    company=self.company_id.name,
                    amount=pricing.amount_text(self.amount),
                    currency=self.currency_id.name,
                )
            )
        # the payment page takes the amount, currency and payer from the request itself
        return {
            "type": "ir.actions.act_url",
            "url": f"/payment/pay?{url_encode({'sms_notify_topup_id': self.id})}",
            "target": "self",
        }

    def _credit_online_payment(self, transaction):
        """Credit the balance for a confirmed online payment, once, as the system: neither the
        payer nor the request's author confirms it. A payment that does not match the request
        credits nothing and is noted for the administrators."""
        self.ensure_one()
        self._lock_for_payment()
        if self.state == "paid" or self.ledger_id:
            return
        matches = (
            self.state == "requested"
            and transaction.currency_id == self.currency_id
            and not self.currency_id.compare_amounts(transaction.amount, self.amount)
        )
        if not matches:
            self.message_post(
                body=self.env._(
                    "Payment %(reference)s of %(amount)s %(currency)s was received, but this "
                    "request is %(state)s for %(requested)s %(requested_currency)s: nothing was "
                    "added to the balance. Refund the payment, or adjust the balance by hand.",
                    reference=transaction.reference,
                    amount=pricing.amount_text(transaction.amount),
                    currency=transaction.currency_id.name,
                    state=dict(self._fields["state"]._description_selection(self.env))[self.state],
                    requested=pricing.amount_text(self.amount),
                    requested_currency=self.currency_id.name,
                )
            )
            return
        self._credit_balance()

    def action_view_transactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("payment.action_payment_transaction")
        action["domain"] = [("sms_notify_topup_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
