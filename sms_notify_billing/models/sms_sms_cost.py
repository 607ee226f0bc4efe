from odoo import api, models

from ..tools import pricing


# sms.sms is extended by concern here as in the core: one class per file on purpose
class SmsSmsCost(models.Model):
    _inherit = "sms.sms"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _sms_notify_cost_preview(self, company, kind, segment_counts):
        """Under the company's tariff: the price of sending and the balance left after it;
        without a tariff, the core's estimate from the vendor's reported costs."""
        balance = self.env["sms.notify.balance"].sudo()._get_for_company(company, create=False)
        if not balance.tariff_id:
            return super()._sms_notify_cost_preview(company, kind, segment_counts)
        segment_counts = [count for count in segment_counts if count > 0]
        # the texts of mailings and automatic messages are not registered service templates
        preview = pricing.preview(
            balance.tariff_id._pricing(), segment_counts, kind, False, balance.balance
        )
        currency = balance.currency_id or company.currency_id
        return {
            "billed": True,
            "messages": preview.messages,
            "segments": preview.segments,
            "total": float(preview.total),
            "currency": currency,
            "balance": float(preview.balance),
            "balance_after": float(preview.balance_after),
            "enough": preview.enough,
            "text": self.env._(
                "%(messages)s message(s), %(segments)s SMS part(s): %(total)s %(currency)s. "
                "Balance %(balance)s %(currency)s, %(after)s %(currency)s after sending.",
                messages=preview.messages,
                segments=preview.segments,
                total=pricing.amount_text(preview.total),
                currency=currency.name,
                balance=pricing.amount_text(preview.balance),
                after=pricing.amount_text(preview.balance_after),
            ),
        }
