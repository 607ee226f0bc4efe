from odoo import api, fields, models, tools
from odoo.tools.translate import get_translation

from ..tools import failures, kinds

#: one vocabulary for both channels, as users know it from SMS services; a message handed to a
#: gateway that only plays the operator (the sandbox) never left Odoo, whatever it reported,
#: and is counted apart from those really delivered or not
STATUSES = [
    ("processing", "Processing"),
    ("pending", "Pending"),
    ("delivered", "Delivered"),
    ("not_delivered", "Not delivered"),
    ("sandbox", "Sandbox (not sent)"),
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
    recipient_name = fields.Char(
        string="Recipient",
        readonly=True,
        help="The customer's name, or the mailing-list contact's for a mailing's SMS to a "
        "contact that is no customer.",
    )
    address = fields.Char(string="Number / E-mail", readonly=True)
    text = fields.Text(readonly=True)
    document = fields.Reference(
        selection="_selection_document_model",
        readonly=True,
        help="The record the message is about: the order, the appointment, the repair... or "
        "the mailing's recipient.",
    )
    status = fields.Selection(
        STATUSES,
        readonly=True,
        help="Sandbox (not sent): handed to the sandbox gateway, which sends nothing and only "
        "simulates the operator's report.",
    )
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
    failure_explanation = fields.Text(
        string="Why",
        compute="_compute_failure_explanation",
        help="What the failure means and what to do about it.",
    )
    segments = fields.Integer(string="SMS Parts", readonly=True)
    encoding = fields.Selection(
        [("gsm7", "GSM-7"), ("ucs2", "Unicode (UCS-2)")],
        readonly=True,
        help="GSM-7 fits 160 characters in one SMS; any other character switches the whole "
        "message to Unicode, 70 characters per SMS.",
    )
    sent_datetime = fields.Datetime(
        string="Handed Over", readonly=True, help="When the gateway accepted the message."
    )
    status_datetime = fields.Datetime(
        string="Status Date", readonly=True, help="When the last delivery report arrived."
    )
    vendor_cost = fields.Float(
        digits=(16, 4),
        readonly=True,
        help="What the gateway's vendor reported the SMS cost, in the vendor's currency.",
    )
    vendor_currency = fields.Char(
        readonly=True,
        help="The currency of the vendor's account, as the gateway last reported its balance.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        readonly=True,
        help="The company's currency, the one its messages are priced in.",
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

    @api.model
    def _selection_document_model(self):
        return [(model.model, model.name) for model in self.env["ir.model"].sudo().search([])]

    @api.depends("failure_type")
    def _compute_failure_explanation(self):
        lang = self.env.lang or "en_US"
        for message in self:
            text = failures.explanation(message.failure_type)
            message.failure_explanation = text and get_translation("sms_notify", lang, text, ())

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

    def _sms_recipient_name(self):
        """SQL expression of the name of an SMS's recipient, from the tables the history
        joins (``sms_partner``, and those of ``_extra_sms_joins``)."""
        return "sms_partner.name"

    def _sms_document(self):
        """SQL expressions ``(model, record id)`` of the document an SMS is about: the
        record whose chatter holds it (``sms_message``)."""
        return "sms_message.model", "sms_message.res_id"

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        extra = self._extra_columns()
        sms_extra = "".join(f"{sms_expr} AS {column}, " for column, sms_expr, _email in extra)
        email_extra = "".join(f"{email_expr}, " for _column, _sms, email_expr in extra)
        sms_joins = self._extra_sms_joins()
        sms_document_model, sms_document_id = self._sms_document()
        # the expressions are the addons' own constants, never user input
        self.env.cr.execute(  # pylint: disable=sql-injection
            f"""
            CREATE VIEW sms_notify_message AS (
                SELECT sms.id * 2 AS id,
                       sms.channel,
                       sms.create_date AS date,
                       sms.partner_id,
                       {self._sms_recipient_name()} AS recipient_name,
                       sms.number AS address,
                       sms.body AS text,
                       CASE WHEN {sms_document_model} IS NOT NULL AND {sms_document_id} > 0
                            THEN {sms_document_model} || ',' || {sms_document_id}
                       END AS document,
                       CASE
                           -- accepted by a gateway that sends nothing: whatever it played
                           -- the operator saying, the message never left Odoo
                           WHEN sms_gateway.gateway_type = ANY(%(simulated_types)s)
                                AND sms.sent_datetime IS NOT NULL
                                AND sms.state IN ('pending', 'sent', 'error')
                           THEN 'sandbox'
                       ELSE CASE sms.state
                           WHEN 'pending' THEN 'pending'
                           WHEN 'sent' THEN 'delivered'
                           WHEN 'error' THEN 'not_delivered'
                           WHEN 'canceled' THEN 'cancelled'
                           ELSE 'processing'
                       END END AS status,
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
                       sms.encoding,
                       sms.sent_datetime,
                       sms.status_datetime,
                       sms_gateway.balance_currency AS vendor_currency,
                       sms_company.currency_id,
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
                  JOIN res_company sms_company ON sms_company.id = sms.company_id
                  LEFT JOIN res_partner sms_partner ON sms_partner.id = sms.partner_id
                  LEFT JOIN mail_message sms_message ON sms_message.id = sms.mail_message_id
                  LEFT JOIN sms_notify_gateway sms_gateway ON sms_gateway.id = sms.gateway_id
                  {sms_joins}
                UNION ALL
                SELECT notification.id * 2 + 1,
                       'email',
                       message.date,
                       notification.res_partner_id,
                       partner.name,
                       partner.email,
                       COALESCE(message.subject, ''),
                       CASE WHEN message.model IS NOT NULL AND message.res_id > 0
                            THEN message.model || ',' || message.res_id
                       END,
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
                       NULL,
                       NULL,
                       NULL,
                       NULL,
                       email_company.currency_id,
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
                  LEFT JOIN res_company email_company
                         ON email_company.id = message.record_company_id
                 WHERE notification.notification_type = 'email'
                   -- the e-mails the suite sent to customers, never internal ones
                   AND message.sms_notify_customer_email
            )""",
            {"simulated_types": self.env["sms.notify.gateway"]._simulated_types()},
        )
