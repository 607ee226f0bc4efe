from odoo import fields, models


class SmsNotifyMessage(models.Model):
    _inherit = "sms.notify.message"

    # the campaign as a dimension of the statistics, beside status, gateway and department
    mailing_id = fields.Many2one("mailing.mailing", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", readonly=True)

    def _extra_columns(self):
        columns = super()._extra_columns()
        if self.env.context.get("sms_notify_campaign_uninstall"):
            return columns
        return [
            *columns,
            ("mailing_id", "sms.mailing_id", "NULL::integer"),
            ("campaign_id", "sms_mailing.campaign_id", "NULL::integer"),
        ]

    def _extra_sms_joins(self):
        joins = super()._extra_sms_joins()
        if self.env.context.get("sms_notify_campaign_uninstall"):
            return joins
        return f"{joins} LEFT JOIN mailing_mailing sms_mailing ON sms_mailing.id = sms.mailing_id"

    def _sms_notify_cost_fields(self):
        """The history's money columns, whichever addons add them: the vendor's cost, and
        the price charged when billing is installed."""
        return [
            column
            for column, _sms, _email in self._extra_columns()
            if self._fields[column].type in ("float", "monetary")
        ]
