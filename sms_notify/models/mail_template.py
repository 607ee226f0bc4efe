from odoo import fields, models

from ..tools import kinds


class MailTemplate(models.Model):
    _inherit = "mail.template"

    message_kind = fields.Selection(
        kinds.MESSAGE_KIND_SELECTION,
        string="Kind",
        default=kinds.SERVICE,
        help="Service: a notification the customer expects. Advertising: a promotion.",
    )
    sms_notify_team_ids = fields.Many2many(
        "crm.team",
        string="Departments",
        help="The departments (sales teams) whose documents may use this template in Notify. "
        "Empty: every department.",
    )
