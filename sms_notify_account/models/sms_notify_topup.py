from odoo import Command, api, fields, models
from odoo.exceptions import UserError

#: payment states of a bill that settle it
PAID_STATES = ("paid", "in_payment")


class SmsNotifyTopup(models.Model):
    _inherit = "sms.notify.topup"

    invoice_id = fields.Many2one(
        "account.move",
        string="Provider's Bill",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="Prepared when the request is made; paying it adds the amount to the balance.",
    )
    invoice_state = fields.Selection(related="invoice_id.state", string="Bill Status")
    invoice_payment_state = fields.Selection(
        related="invoice_id.payment_state", string="Bill Payment"
    )

    @api.model
    def _workflow_fields(self):
        # the bill decides when the balance is credited: only the request prepares it
        return super()._workflow_fields() | {"invoice_id"}

    def _create_invoice(self):
        result = super()._create_invoice()
        # the bill is recorded as a draft: the provider's own invoice, once it arrives, brings
        # its number, date and taxes, which the accountant checks and completes before
        # confirming it, as for any vendor bill
        # a request paid online settles with the payment provider: it gets no bill
        for topup in self.filtered(
            lambda topup: topup.balance_id.provider_id and not topup._can_pay_online()
        ):
            bill = (
                self.env["account.move"]
                .sudo()
                .with_company(topup.company_id)
                .create(topup._bill_values())
            )
            topup._workflow_write({"invoice_id": bill.id})
            topup.message_post(
                body=self.env._(
                    "Bill %(bill)s of %(provider)s prepared: the balance is credited once it is "
                    "paid.",
                    bill=bill._get_html_link(),
                    provider=bill.partner_id.display_name,
                )
            )
        return result

    def _bill_values(self):
        self.ensure_one()
        return {
            "move_type": "in_invoice",
            "company_id": self.company_id.id,
            "partner_id": self.balance_id.provider_id.id,
            "currency_id": self.currency_id.id,
            "invoice_date": fields.Date.context_today(self),
            "invoice_origin": self.name,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": self.env._("SMS balance top-up %(name)s", name=self.name),
                        "quantity": 1,
                        "price_unit": self.amount,
                        # the amount is what the balance receives; the provider's taxes, if
                        # any, are added from its invoice
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }

    def _check_can_mark_paid(self):
        result = super()._check_can_mark_paid()
        for topup in self.sudo():
            if topup.invoice_id and topup.invoice_id.payment_state not in PAID_STATES:
                raise UserError(
                    self.env._(
                        "%(name)s has the provider's bill %(bill)s, which is not paid yet: "
                        "register the payment on the bill, and the balance is credited then.",
                        name=topup.name,
                        bill=topup.invoice_id.display_name,
                    )
                )
        return result

    def action_cancel(self):
        bills = self.sudo().invoice_id
        confirmed = bills.filtered(lambda bill: bill.state == "posted")
        if confirmed:
            raise UserError(
                self.env._(
                    "The provider's bill %(bills)s is confirmed: cancel it in Invoicing first, "
                    "then cancel the top-up request.",
                    bills=", ".join(confirmed.mapped("display_name")),
                )
            )
        result = super().action_cancel()
        bills.filtered(lambda bill: bill.state == "draft").button_cancel()
        return result

    def action_view_invoice(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.invoice_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "name": self.env._("Provider's Bill"),
        }
