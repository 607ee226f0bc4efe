"""What sending would cost, for any sender that knows its messages' parts before sending."""

from odoo import api, models

from ..tools import estimate


# sms.sms is split into files by concern (see sms_sms.py): one class per file on purpose
class SmsSmsCost(models.Model):
    _inherit = "sms.sms"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _sms_notify_cost_preview(
        self, company, kind, segment_counts, mode="sms", operator_registered=False
    ):
        """What sending messages of ``kind`` with ``segment_counts`` parts each would cost
        ``company``, sent in ``mode`` (see ``tools.cascade``), as a dict (a tariff prices
        ``operator_registered`` service templates apart):

        - ``billed``: the price comes from the company's tariff (SMS Notify - Billing
          overrides this method); otherwise it is the vendor's estimate;
        - ``messages``, ``segments``: what is counted;
        - ``total``: the cost (the most it may be, for a cascade), or ``None`` when there is
          nothing to estimate it from;
        - ``expected``: for a cascade under a tariff, what it should cost, else ``None``;
        - ``currency``: a ``res.currency``;
        - ``balance``, ``balance_after``: when billed, else ``None``;
        - ``enough``: whether the balance covers the cost (always true unbilled);
        - ``text``: the line the user reads, or ``False``.

        Without billing nothing is charged in Odoo: the vendor bills the business, and the
        estimate is the parts times the average cost its gateways reported for the company's
        recent messages."""
        segment_counts = [count for count in segment_counts if count > 0]
        preview = {
            "billed": False,
            "messages": len(segment_counts),
            "segments": sum(segment_counts),
            "total": None,
            "currency": company.currency_id,
            "balance": None,
            "balance_after": None,
            "enough": True,
            "text": False,
            "expected": None,
        }
        if mode != "sms":
            # vendors report what an SMS part cost them, not what Viber will
            return preview
        estimated = self._sms_notify_vendor_estimate(company, segment_counts)
        if estimated:
            per_part = f"{estimated.per_segment:,.4f}".rstrip("0").rstrip(".")
            preview["total"] = estimated.total
            total = f"{estimated.total:,.2f}"
            preview["text"] = self.env._(
                "Estimate from the vendor's reported costs: about %(total)s for %(segments)s SMS "
                "part(s) (%(per_part)s per part on average of recent messages).",
                total=total,
                segments=estimated.segments,
                per_part=per_part,
            )
        return preview

    @api.model
    def _sms_notify_vendor_estimate(self, company, segment_counts):
        """``tools.estimate.VendorEstimate`` of sending messages of ``segment_counts`` parts
        for ``company``, from the costs its gateways reported for its recent messages; ``None``
        when they reported none."""
        recent = self.sudo().search_fetch(
            [
                ("company_id", "=", company.id),
                ("gateway_id.company_id", "=", company.id),
                ("vendor_cost", ">", 0),
                ("segments", ">", 0),
            ],
            ["vendor_cost", "segments"],
            order="id desc",
            limit=estimate.RECENT_MESSAGES,
        )
        if not recent:
            return None
        return estimate.vendor_estimate(
            segment_counts,
            zip(recent.mapped("vendor_cost"), recent.mapped("segments"), strict=True),
        )
