from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sms_notify_provider_email = fields.Char(
        related="company_id.sms_notify_provider_email", readonly=False
    )
    sms_notify_balance_id = fields.Many2one(
        "sms.notify.balance",
        string="SMS Balance Account",
        compute="_compute_sms_notify_balance_id",
    )
    sms_notify_balance = fields.Monetary(
        related="sms_notify_balance_id.balance",
        string="SMS Balance",
        currency_field="sms_notify_balance_currency_id",
    )
    sms_notify_balance_currency_id = fields.Many2one(
        related="sms_notify_balance_id.currency_id", string="SMS Balance Currency"
    )
    sms_notify_tariff_id = fields.Many2one(
        related="sms_notify_balance_id.tariff_id", string="SMS Tariff"
    )
    sms_notify_tariff_type = fields.Selection(related="sms_notify_balance_id.tariff_type")
    sms_notify_package_messages_left = fields.Integer(
        related="sms_notify_balance_id.package_messages_left", string="Messages Left"
    )

    @api.depends("company_id")
    def _compute_sms_notify_balance_id(self):
        for settings in self:
            # shown, not opened: the balance is created when it is first opened or charged
            settings.sms_notify_balance_id = self.env["sms.notify.balance"]._get_for_company(
                settings.company_id, create=False
            )
