from odoo import api, models

from ..tools import pricing


# sms.sms is extended by concern here as in the core: one class per file on purpose
class SmsSmsCost(models.Model):
    _inherit = "sms.sms"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _sms_notify_cost_preview(
        self, company, kind, segment_counts, mode="sms", operator_registered=False
    ):
        """Under the company's tariff: the price of sending and the balance left after it
        (by Viber, at worst and as expected); without a tariff, the core's estimate from the
        vendor's reported costs."""
        balance = self.env["sms.notify.balance"].sudo()._get_for_company(company, create=False)
        if not balance.tariff_id:
            return super()._sms_notify_cost_preview(
                company, kind, segment_counts, mode=mode, operator_registered=operator_registered
            )
        segment_counts = [count for count in segment_counts if count > 0]
        share = self._sms_notify_viber_share(company) if mode != "sms" else None
        if balance._counts_messages():
            return self._sms_notify_package_cost_preview(balance, segment_counts, mode, share)
        # the texts of mailings and automatic messages are not registered service templates
        preview = pricing.preview(
            balance.tariff_id._pricing(),
            segment_counts,
            kind,
            operator_registered,
            balance.balance,
            mode=mode,
            viber_share=1.0 if share is None else share,
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
            "expected": float(preview.expected) if share is not None else None,
            "text": self._sms_notify_cost_text(preview, currency.name, mode, share),
        }

    def _sms_notify_outcome_preview(self, company, kind, mode="sms"):
        """Priced as they will be charged: a registered service template's messages at the
        service price (one send comes from one template)."""
        return self._sms_notify_cost_preview(
            company,
            kind,
            self._sms_notify_parts(),
            mode=mode,
            operator_registered=any(self.sudo().mapped("operator_registered")),
        )

    @api.model
    def _sms_notify_package_cost_preview(self, balance, segment_counts, mode, share):
        """The preview under a message package: no amount, the messages it takes and the
        ones left (``package``, ``package_messages``, ``package_left`` beside the usual
        keys)."""
        preview = pricing.package_preview(
            segment_counts,
            balance.package_messages_left,
            mode=mode,
            viber_share=1.0 if share is None else share,
        )
        return {
            "billed": True,
            "package": True,
            "messages": preview.messages,
            "segments": preview.segments,
            "total": None,
            "currency": balance.currency_id,
            "balance": None,
            "balance_after": None,
            "enough": preview.enough,
            "expected": None,
            "package_messages": preview.units,
            "package_left": preview.left,
            "text": self._sms_notify_package_text(preview, mode, share),
        }

    @api.model
    def _sms_notify_package_text(self, preview, mode="sms", share=None):
        """``preview`` (``tools.pricing.PackagePreview``) in words."""
        if mode == "viber_sms":
            text = self.env._(
                "%(messages)s message(s) by Viber, then SMS: at most %(units)s messages of your "
                "package, if every Viber message is followed by its SMS. %(left)s messages "
                "left, %(after)s after sending at most.",
                messages=preview.messages,
                units=pricing.count_text(preview.units),
                left=pricing.count_text(preview.left),
                after=pricing.count_text(preview.left_after),
            )
            if share is not None:
                text += " " + self.env._(
                    "Expected: %(expected)s, as Viber reached %(share)s%% of the customers in "
                    "the last 30 days.",
                    expected=pricing.count_text(preview.expected),
                    share=round(share * 100),
                )
            return text
        return self.env._(
            "%(units)s messages of your package. %(left)s messages left, %(after)s after sending.",
            units=pricing.count_text(preview.units),
            left=pricing.count_text(preview.left),
            after=pricing.count_text(preview.left_after),
        )

    @api.model
    def _sms_notify_cost_text(self, preview, currency, mode="sms", share=None):
        """``preview`` (``tools.pricing.CostPreview``) in words, as the composer, the Notify
        dialog and a mailing's summary show it."""
        if mode != "sms":
            return self._sms_notify_cascade_text(preview, currency, mode, share)
        return self.env._(
            "%(messages)s message(s), %(segments)s SMS part(s): %(total)s %(currency)s. "
            "Balance %(balance)s %(currency)s, %(after)s %(currency)s after sending.",
            messages=preview.messages,
            segments=preview.segments,
            total=pricing.amount_text(preview.total),
            currency=currency,
            balance=pricing.amount_text(preview.balance),
            after=pricing.amount_text(preview.balance_after),
        )

    @api.model
    def _sms_notify_cascade_text(self, preview, currency, mode, share):
        """The cost of sending by Viber, in words: at worst (every Viber message, and every
        SMS after it, paid) and as expected from the ``share`` of customers Viber reached
        lately (``None`` when it has reached or failed no one yet)."""
        amounts = {
            "messages": preview.messages,
            "total": pricing.amount_text(preview.total),
            "currency": currency,
            "balance": pricing.amount_text(preview.balance),
            "after": pricing.amount_text(preview.balance_after),
        }
        if share is None:
            expected = self.env._(
                "The expected cost is shown once Viber has delivered or failed messages of "
                "the company."
            )
        else:
            expected = self.env._(
                "Expected: %(expected)s %(currency)s, as Viber reached %(share)s%% of the "
                "customers in the last 30 days.",
                expected=pricing.amount_text(preview.expected),
                currency=currency,
                share=round(share * 100),
            )
        if mode == "viber":
            worst = self.env._(
                "%(messages)s Viber message(s): at most %(total)s %(currency)s, paid when "
                "delivered. Balance %(balance)s %(currency)s, %(after)s %(currency)s after "
                "sending at most.",
                **amounts,
            )
        else:
            worst = self.env._(
                "%(messages)s message(s) by Viber, then SMS: at most %(total)s %(currency)s, "
                "if every Viber message and every SMS after it is paid. Balance %(balance)s "
                "%(currency)s, %(after)s %(currency)s after sending at most.",
                **amounts,
            )
        return f"{worst} {expected}"
