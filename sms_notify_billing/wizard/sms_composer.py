from odoo import api, fields, models

from odoo.addons.sms_notify.wizard.sms_composer import COST_DEPENDS

from ..tools import pricing


class SmsComposer(models.TransientModel):
    _inherit = "sms.composer"

    sms_notify_billed = fields.Boolean(compute="_compute_sms_notify_cost")
    sms_notify_currency_id = fields.Many2one("res.currency", compute="_compute_sms_notify_cost")
    sms_notify_cost = fields.Monetary(
        string="Cost",
        currency_field="sms_notify_currency_id",
        compute="_compute_sms_notify_cost",
        help="What sending costs under the company's tariff: every SMS part of every message.",
    )
    sms_notify_balance_after = fields.Monetary(
        string="Balance After Sending",
        currency_field="sms_notify_currency_id",
        compute="_compute_sms_notify_cost",
    )
    sms_notify_cost_enough = fields.Boolean(compute="_compute_sms_notify_cost")
    sms_notify_package = fields.Boolean(
        string="Message Package",
        compute="_compute_sms_notify_cost",
        help="The company's tariff is a message package: sending takes messages from it.",
    )

    @api.depends(*COST_DEPENDS)
    def _compute_sms_notify_cost(self):
        """Under a tariff: the price of sending and the balance left; without one, the core's
        estimate from the vendor's reported costs."""
        unbilled = self.browse()
        for composer in self:
            # the balance the messages will be charged to (see _prepare_mass_sms_values)
            balance = (
                self.env["sms.notify.balance"]
                .sudo()
                ._get_for_company(composer._sms_notify_cost_company(), create=False)
            )
            composer.sms_notify_currency_id = balance.currency_id or self.env.company.currency_id
            # Viber's reach, read once: the cost and its words both need it
            share = composer._sms_notify_viber_share(balance.company_id)
            composer.sms_notify_package = bool(balance.tariff_id) and balance._counts_messages()
            if composer.sms_notify_package:
                composer._sms_notify_package_preview(balance, share)
                continue
            preview = balance.tariff_id and composer._sms_notify_cost_preview(balance, share)
            composer.sms_notify_billed = bool(preview)
            if not preview:
                composer.sms_notify_cost = composer.sms_notify_balance_after = 0
                composer.sms_notify_cost_enough = True
                unbilled |= composer
                continue
            composer.sms_notify_cost = float(preview.total)
            composer.sms_notify_balance_after = float(preview.balance_after)
            composer.sms_notify_cost_enough = preview.enough
            composer.sms_notify_cost_summary = self.env["sms.sms"]._sms_notify_cost_text(
                preview, balance.currency_id.name, composer.delivery_mode or "sms", share
            )
        return super(SmsComposer, unbilled)._compute_sms_notify_cost()

    def _sms_notify_package_preview(self, balance, share=None):
        """Under a message package: the messages sending takes and the ones left, no amount."""
        mode = self.delivery_mode or "sms"
        preview = pricing.package_preview(
            # an empty text is not sent
            [count for count in self._sms_notify_segment_counts() if count > 0],
            balance.package_messages_left,
            mode=mode,
            viber_share=1.0 if share is None else share,
        )
        self.sms_notify_billed = True
        self.sms_notify_cost = self.sms_notify_balance_after = 0
        self.sms_notify_cost_enough = preview.enough
        self.sms_notify_cost_summary = self.env["sms.sms"]._sms_notify_package_text(
            preview, mode, share
        )

    def _sms_notify_cost_preview(self, balance, share=None):
        """What sending would cost under the balance's tariff (see
        ``_sms_notify_segment_counts``); sent by Viber, at worst and as expected from the
        ``share`` of customers Viber reached lately (``_sms_notify_viber_share``)."""
        return pricing.preview(
            balance.tariff_id._pricing(),
            self._sms_notify_segment_counts(),
            self.message_kind,
            self.template_id.operator_registered,
            balance.balance,
            mode=self.delivery_mode or "sms",
            viber_share=1.0 if share is None else share,
        )

    def _sms_notify_viber_share(self, company):
        if (self.delivery_mode or "sms") == "sms":
            return None
        return self.env["sms.sms"]._sms_notify_viber_share(company)

    def _sms_notify_send_context(self):
        return {
            **super()._sms_notify_send_context(),
            "sms_notify_operator_registered": self.template_id.operator_registered,
        }
