from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _invoice_paid_hook(self):
        # Odoo calls this hook once, when a reconciliation makes an invoice paid (or in payment),
        # as Sales does to note paid invoices on their orders. Reacting in the stored compute
        # of payment_state instead would run on every recomputation, on unsaved records and
        # without telling a change of state from a recomputation of the same one.
        result = super()._invoice_paid_hook()
        topups = (
            self.env["sms.notify.topup"]
            .sudo()
            .search([("invoice_id", "in", self.ids), ("state", "=", "requested")])
        )
        # the accountant who registers the payment needs no right on the SMS balance
        topups.action_mark_paid()
        return result
