from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.sms_notify.tools import numbers

from ..tools import recipients as recipient_tools


class SmsNotifyCampaignRecipientNumber(models.TransientModel):
    _name = "sms.notify.campaign.recipient.number"
    _description = "Correct the Number of an SMS Mailing Recipient"

    recipient_id = fields.Many2one(
        "sms.notify.campaign.recipient", required=True, ondelete="cascade"
    )
    # read with the user's rights: the wizard may be given any recipient's id
    current_number = fields.Char(
        related="recipient_id.number", string="Current Number", compute_sudo=False
    )
    number = fields.Char(string="New Number", required=True)
    scope = fields.Selection(
        [("mailing", "For this mailing only"), ("contact", "On the contact")],
        string="Correct",
        required=True,
        default="mailing",
        help="For this mailing only: the contact keeps its number. On the contact: its number "
        "is corrected for every later message too.",
    )

    def action_apply(self):
        self.ensure_one()
        recipient = self.recipient_id
        mailing = recipient.mailing_id
        record = self.env[recipient.res_model].browse(recipient.res_id).exists()
        if not record:
            raise UserError(self.env._("This recipient's record was deleted."))
        country = record._phone_get_country().get(record.id)
        normalized = numbers.normalize(
            self.number,
            country.code if country else None,
            mailing._sms_notify_company().country_id.code,
            translate=self.env._,
        )
        if not normalized.ok:
            raise UserError(normalized.reason)
        if self.scope == "mailing":
            recipient.write({"number_override": self.number})
        else:
            # written with the user's own rights: who may not edit the contact cannot do it here
            if recipient.number_source == recipient_tools.PARTNER and recipient.partner_id:
                target, fname = recipient.partner_id, recipient.number_field or "mobile"
            else:
                target = record
                fname = recipient.number_field or next(
                    iter(record._phone_get_number_fields()), None
                )
                if not fname and recipient.partner_id:
                    target, fname = recipient.partner_id, "mobile"
            if not fname:
                raise UserError(
                    self.env._(
                        "These records have no phone number field: correct the number for "
                        "this mailing only."
                    )
                )
            target.write({fname: self.number})
            if recipient.number_override:
                recipient.write({"number_override": False})
            else:
                mailing._sms_notify_summarize()
        return {"type": "ir.actions.act_window_close"}
