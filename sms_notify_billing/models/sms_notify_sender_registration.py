from odoo import api, fields, models
from odoo.exceptions import UserError


class SmsNotifySenderRegistration(models.Model):
    _name = "sms.notify.sender.registration"
    _description = "Sender Name Registration with an Operator"
    _order = "sender_name_id, operator_sequence, id"

    sender_name_id = fields.Many2one(
        "sms.notify.sender.name", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="sender_name_id.company_id", store=True)
    company_country_id = fields.Many2one(related="sender_name_id.company_id.country_id")
    operator_id = fields.Many2one(
        "sms.notify.operator",
        required=True,
        ondelete="restrict",
        domain="['|', ('country_id', '=', False), ('country_id', '=', company_country_id)]",
    )
    operator_sequence = fields.Integer(related="operator_id.sequence", store=True)
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("registered", "Registered"),
            ("rejected", "Rejected"),
        ],
        required=True,
        default="pending",
    )
    date = fields.Date(help="When the operator registered or refused the name.")
    note = fields.Char(help="The operator's answer: a reference number, or why it refused.")

    @api.constrains("operator_id", "sender_name_id")
    def _check_operator_of_the_country(self):
        for line in self:
            line.operator_id._check_offered_to(line.company_id)

    def _check_submitted(self):
        for line in self:
            if line.sender_name_id.state != "submitted":
                raise UserError(
                    self.env._(
                        "The answers of the operators can only be recorded while %(name)s is "
                        "submitted.",
                        name=line.sender_name_id.name,
                    )
                )

    def action_mark_registered(self):
        self._check_submitted()
        self.write({"state": "registered", "date": fields.Date.context_today(self)})
        self.sender_name_id._update_registration_state()
        return True

    def action_mark_rejected(self):
        self._check_submitted()
        self.write({"state": "rejected", "date": fields.Date.context_today(self)})
        for line in self:
            if line.note:
                body = self.env._(
                    "%(operator)s refused the sender name: %(note)s",
                    operator=line.operator_id.name,
                    note=line.note,
                )
            else:
                body = self.env._(
                    "%(operator)s refused the sender name.", operator=line.operator_id.name
                )
            line.sender_name_id.message_post(body=body)
        return True
