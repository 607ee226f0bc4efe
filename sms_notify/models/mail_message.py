from odoo import fields, models

#: marks the e-mails ``mail.thread._sms_notify_post_email`` sends to customers: an object, which
#: no RPC call can put in a context, so a user cannot dress another e-mail up as one
CUSTOMER_EMAIL = object()


class MailMessage(models.Model):
    _inherit = "mail.message"

    # set by Notify and the automatic rules, so that the customer history can count e-mails by
    # department and template as it counts SMS
    sms_notify_team_id = fields.Many2one(
        "crm.team",
        string="Department",
        readonly=True,
        index="btree_not_null",
        default=lambda self: self.env.context.get("sms_notify_team_id"),
    )
    sms_notify_mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        default=lambda self: self.env.context.get("sms_notify_mail_template_id"),
    )
    # only these e-mails are customer notifications in the history: every other e-mail
    # (an internal discussion, a colleague's mention) stays out of it
    sms_notify_customer_email = fields.Boolean(
        string="Customer Notification",
        readonly=True,
        default=lambda self: self.env.context.get("sms_notify_customer_email") is CUSTOMER_EMAIL,
        help="An e-mail Notify or an automatic rule sent to a customer: the customer history "
        "lists it.",
    )
