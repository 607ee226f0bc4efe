from odoo import fields, models, tools

from ..tools import kinds

#: one vocabulary for both channels, as users know it from SMS services
STATUSES = [
    ("processing", "Processing"),
    ("pending", "Pending"),
    ("delivered", "Delivered"),
    ("not_delivered", "Not delivered"),
    ("cancelled", "Cancelled"),
]


class SmsNotifyMessage(models.Model):
    """Every SMS and e-mail sent to a customer, in one list: the customer's history and the
    statistics. A view over Odoo's own records (SMS kept in the history, e-mail notifications),
    so nothing is stored twice."""

    _name = "sms.notify.message"
    _description = "Customer Message"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "text"

    # company_id, team_id and user_id are what the record rules keep companies and
    # departments apart by (see security/sms_notify_security.xml)
    channel = fields.Selection(
        [("sms", "SMS"), ("viber", "Viber"), ("email", "E-mail")], readonly=True
    )
    reached = fields.Boolean(
        string="Reached the Customer",
        readonly=True,
        help="Delivered, and the first message of its notification that was: sent Viber then "
        "SMS, the channel that reached the customer.",
    )
    date = fields.Datetime(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    address = fields.Char(string="Number / E-mail", readonly=True)
    text = fields.Text(readonly=True)
    status = fields.Selection(STATUSES, readonly=True)
    failure_type = fields.Selection(
        selection="_selection_failure_type",
        string="Failure",
        readonly=True,
        help="Why the message was not delivered or was cancelled.",
    )
    failure_reason = fields.Char(
        string="Failure Details",
        readonly=True,
        help="What the gateway or the mail server said about the failure.",
    )
    segments = fields.Integer(string="SMS Parts", readonly=True)
    vendor_cost = fields.Float(
        digits=(16, 4),
        readonly=True,
        help="What the gateway's vendor reported the SMS cost, in the vendor's currency.",
    )
    message_kind = fields.Selection(kinds.MESSAGE_KIND_SELECTION, string="Kind", readonly=True)
    gateway_id = fields.Many2one("sms.notify.gateway", readonly=True)
    team_id = fields.Many2one("crm.team", string="Department", readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Sent By",
        readonly=True,
        help="Who sent the message, or whose action sent it (an automatic rule's messages: "
        "the user whose change scheduled them, or OdooBot).",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    sms_template_id = fields.Many2one("sms.template", string="SMS Template", readonly=True)
    mail_template_id = fields.Many2one("mail.template", string="E-mail Template", readonly=True)
    sms_id = fields.Many2one("sms.sms", string="SMS", readonly=True)
    mail_message_id = fields.Many2one("mail.message", string="Message", readonly=True)

    def _selection_failure_type(self):
        # the SMS and the e-mail failures, each with the label its own model gives it
        selection = {}
        for model in ("mail.notification", "sms.sms"):
            field = self.env[model]._fields["failure_type"]
            selection.update(field._description_selection(self.env))
        return list(selection.items())

    def _extra_columns(self):
        """``[(column, SMS expression, e-mail expression)]`` the history adds to the common
        ones; billing adds the price charged. The SMS expressions may read the tables
        ``_extra_sms_joins`` joins."""
        return [("vendor_cost", "sms.vendor_cost", "0")]

    def _extra_sms_joins(self):
        """SQL joined to the SMS (``sms``) for the expressions of ``_extra_columns``: a join
        is computed once per query, a sub-select once per message."""
        return ""

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        extra = self._extra_columns()
        sms_extra = "".join(f"{sms_expr} AS {column}, " for column, sms_expr, _email in extra)
        email_extra = "".join(f"{email_expr}, " for _column, _sms, email_expr in extra)
        sms_joins = self._extra_sms_joins()
        # the expressions are the addons' own constants, never user input
        self.env.cr.execute(  # pylint: disable=sql-injection
            f"""
            CREATE VIEW sms_notify_message AS (
                SELECT sms.id * 2 AS id,
                       sms.channel,
                       sms.create_date AS date,
                       sms.partner_id,
                       sms.number AS address,
                       sms.body AS text,
                       CASE sms.state
                           WHEN 'pending' THEN 'pending'
                           WHEN 'sent' THEN 'delivered'
                           WHEN 'error' THEN 'not_delivered'
                           WHEN 'canceled' THEN 'cancelled'
                           ELSE 'processing'
                       END AS status,
                       -- delivered, and not after the other attempt of its cascade was
                       (sms.state = 'sent' AND NOT EXISTS (
                           SELECT 1 FROM sms_sms other
                            WHERE other.state = 'sent'
                              AND (other.id = sms.cascade_origin_id
                                   OR other.cascade_origin_id = sms.id)
                              AND COALESCE(other.status_datetime, other.create_date)
                                  < COALESCE(sms.status_datetime, sms.create_date)
                       )) AS reached,
                       sms.failure_type,
                       sms.gateway_error AS failure_reason,
                       sms.segments,
                       {sms_extra}
                       sms.message_kind,
                       sms.gateway_id,
                       sms.sms_notify_team_id AS team_id,
                       sms.create_uid AS user_id,
                       sms.company_id,
                       sms.template_id AS sms_template_id,
                       NULL::integer AS mail_template_id,
                       sms.id AS sms_id,
                       sms.mail_message_id
                  -- every SMS, those to mailing-list contacts and bare numbers included:
                  -- they have no partner, and they are customers' messages too
                  FROM sms_sms sms
                  {sms_joins}
                UNION ALL
                SELECT notification.id * 2 + 1,
                       'email',
                       message.date,
                       notification.res_partner_id,
                       partner.email,
                       COALESCE(message.subject, ''),
                       CASE notification.notification_status
                           WHEN 'pending' THEN 'pending'
                           WHEN 'sent' THEN 'delivered'
                           WHEN 'bounce' THEN 'not_delivered'
                           WHEN 'exception' THEN 'not_delivered'
                           WHEN 'canceled' THEN 'cancelled'
                           ELSE 'processing'
                       END,
                       notification.notification_status = 'sent',
                       notification.failure_type,
                       notification.failure_reason,
                       0,
                       {email_extra}
                       NULL,
                       NULL,
                       message.sms_notify_team_id,
                       message.create_uid,
                       -- the document's company, which Odoo stores on its chatter messages
                       message.record_company_id,
                       NULL,
                       message.sms_notify_mail_template_id,
                       NULL,
                       message.id
                  FROM mail_notification notification
                  JOIN mail_message message ON message.id = notification.mail_message_id
                  JOIN res_partner partner ON partner.id = notification.res_partner_id
                 WHERE notification.notification_type = 'email'
                   -- the e-mails the suite sent to customers, never internal ones
                   AND message.sms_notify_customer_email
            )"""
        )
