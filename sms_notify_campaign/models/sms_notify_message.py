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
        # a mailing's SMS is about its recipient, which its trace names; a mailing-list
        # contact is nobody's partner, so its name comes from the contact itself
        return f"""{joins}
            LEFT JOIN mailing_mailing sms_mailing ON sms_mailing.id = sms.mailing_id
            LEFT JOIN LATERAL (
                SELECT trace.model, trace.res_id
                  FROM mailing_trace trace
                 WHERE sms.mailing_id IS NOT NULL AND trace.sms_id_int = sms.id
                 ORDER BY trace.id
                 LIMIT 1
            ) sms_trace ON TRUE
            LEFT JOIN mailing_contact sms_contact
                   ON sms_trace.model = 'mailing.contact' AND sms_contact.id = sms_trace.res_id"""

    def _sms_recipient_name(self):
        name = super()._sms_recipient_name()
        if self.env.context.get("sms_notify_campaign_uninstall"):
            return name
        return f"COALESCE({name}, sms_contact.name)"

    def _sms_document(self):
        model, res_id = super()._sms_document()
        if self.env.context.get("sms_notify_campaign_uninstall"):
            return model, res_id
        return f"COALESCE({model}, sms_trace.model)", f"COALESCE({res_id}, sms_trace.res_id)"

    def _sms_notify_cost_fields(self):
        """The history's money columns, whichever addons add them: the vendor's cost, and
        the price charged when billing is installed."""
        return [
            column
            for column, _sms, _email in self._extra_columns()
            if self._fields[column].type in ("float", "monetary")
        ]
