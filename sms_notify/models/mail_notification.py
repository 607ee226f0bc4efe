from odoo import fields, models


class MailNotification(models.Model):
    _inherit = "mail.notification"

    # Odoo refuses these only in mass mailings; here a chatter SMS may be refused too, and its
    # notification says why
    failure_type = fields.Selection(
        selection_add=[
            ("sms_blacklist", "Blacklisted"),
            ("sms_optout", "Opted Out"),
        ]
    )
