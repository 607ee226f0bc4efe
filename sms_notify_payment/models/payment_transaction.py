from odoo import SUPERUSER_ID, api, fields, models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    sms_notify_topup_id = fields.Many2one(
        "sms.notify.topup",
        string="SMS Top-up Request",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The top-up of the SMS balance this payment pays: once the payment is confirmed, "
        "the amount is added to the balance.",
    )

    @api.model
    def _compute_reference_prefix(self, provider_code, separator, **values):
        # the payment carries the request's reference (TOP/2026/0001), as an invoice's does
        topup_id = values.get("sms_notify_topup_id")
        if topup_id:
            topup = self.env["sms.notify.topup"].browse(topup_id).exists()
            if topup:
                return topup.name
        return super()._compute_reference_prefix(provider_code, separator, **values)

    def _post_process(self):
        """Credit the balance of the top-ups paid by confirmed transactions. Odoo post-processes
        a transaction when the payer comes back to the status page or, failing that, by its
        cron; crediting is idempotent, so it happens once either way."""
        result = super()._post_process()
        for transaction in self.filtered(
            lambda transaction: transaction.state == "done" and transaction.sms_notify_topup_id
        ):
            transaction.sms_notify_topup_id.sudo()._credit_online_payment(transaction)
        return result

    def _log_message_on_linked_documents(self, message):
        result = super()._log_message_on_linked_documents(message)
        author = self.env.user.partner_id if self.env.uid == SUPERUSER_ID else self.partner_id
        topup = self.sms_notify_topup_id or self.source_transaction_id.sms_notify_topup_id
        if topup:
            topup.sudo().message_post(body=message, author_id=author.id)
        return result
