from odoo import api, fields, models
from odoo.tools.safe_eval import safe_eval


class SmsNotifyCampaignRecipientAdd(models.TransientModel):
    _name = "sms.notify.campaign.recipient.add"
    _description = "Add Recipients to an SMS Mailing"

    mailing_id = fields.Many2one("mailing.mailing", required=True, ondelete="cascade")
    res_model = fields.Char(related="mailing_id.mailing_model_real")
    partner_ids = fields.Many2many("res.partner", string="Contacts")
    contact_ids = fields.Many2many("mailing.contact", string="Mailing Contacts")
    domain = fields.Char(
        string="Records Matching",
        help="Every record matching these conditions is added to the mailing.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "domain" in fields_list and not values.get("domain"):
            values["domain"] = "[('id', '=', 0)]"
        return values

    def action_add(self):
        self.ensure_one()
        model = self.env[self.res_model]
        if self.res_model == "res.partner" and self.partner_ids:
            ids = self.partner_ids.ids
        elif self.res_model == "mailing.contact" and self.contact_ids:
            ids = self.contact_ids.ids
        else:
            ids = None
        # searched with the user's rights: only records they may see are added
        domain = [("id", "in", ids)] if ids is not None else safe_eval(self.domain or "[]")
        records = model.search(domain)
        self.mailing_id._sms_notify_add_records(records)
        return self.mailing_id.action_sms_notify_recipients()
