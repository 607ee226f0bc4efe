from odoo import fields, models
from odoo.exceptions import AccessError

#: what happens to a recipient when the mailing is sent, in the order sending decides it
OUTCOMES = [
    ("send", "Will receive it"),
    ("excluded", "Taken off this mailing"),
    ("reached", "Already reached"),
    ("no_number", "No mobile number"),
    ("invalid", "Invalid number"),
    ("blacklist", "Blacklisted number"),
    ("unsubscribed", "Unsubscribed from the list"),
    ("duplicate", "Duplicate number"),
    ("opted_out", "No SMS"),
    ("no_consent", "No consent to promotions"),
    ("night_expired", "Night until it expires"),
]
#: what a marketing user may change on a recipient; the rest is the mailing's to compute
USER_FIELDS = {"excluded", "number_override"}


class SmsNotifyCampaignRecipient(models.Model):
    """A recipient of an SMS mailing, as the mailing's domain, the user's additions and
    exclusions make it; filled in SQL for the whole mailing (see ``mailing.mailing``,
    ``_sms_notify_sync_recipients``) and refreshed without losing the user's changes."""

    _name = "sms.notify.campaign.recipient"
    _description = "SMS Mailing Recipient"
    _order = "mailing_id, sequence, id"
    _rec_name = "name"
    # a mailing's summary stores a row per recipient, 100,000 at once: who wrote each row
    # and when would be the summary's user and moment in every row, and each of those
    # columns costs a foreign key check per row, a fifth of the time the rows take
    _log_access = False

    mailing_id = fields.Many2one(
        "mailing.mailing", required=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    # read with the user's rights (related fields are read as superuser by default): the
    # buttons below must not tell anything of a recipient whose id the user made up
    res_model = fields.Char(
        related="mailing_id.mailing_model_real", string="Recipient Model", compute_sudo=False
    )
    res_id = fields.Many2oneReference(
        string="Record", model_field="res_model", required=True, readonly=True
    )
    name = fields.Char(string="Recipient", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    sms_notify_opt_out = fields.Boolean(related="partner_id.sms_notify_opt_out", string="No SMS")
    sms_notify_ad_consent = fields.Boolean(
        related="partner_id.sms_notify_ad_consent", string="Consent to Promotions"
    )
    sequence = fields.Integer(readonly=True, help="The order in which the mailing reaches them.")
    in_domain = fields.Boolean(
        string="Chosen by the Mailing", readonly=True, help="The mailing's filter selects them."
    )
    added = fields.Boolean(
        string="Added by Hand", readonly=True, help="Added to this mailing by a user."
    )
    excluded = fields.Boolean(
        string="Taken Off", help="Taken off this mailing by a user: it will not receive it."
    )
    number_override = fields.Char(
        string="Number for This Mailing",
        help="Sent to this number instead of the contact's, for this mailing only.",
    )
    number = fields.Char(readonly=True, help="The number the SMS goes to, as stored.")
    e164 = fields.Char(
        string="Mobile Number", readonly=True, help="The number in international format."
    )
    number_source = fields.Char(readonly=True)
    number_field = fields.Char(readonly=True)
    number_key = fields.Char(readonly=True)
    outcome = fields.Selection(OUTCOMES, readonly=True)
    quiet = fields.Boolean(
        string="In Quiet Hours",
        readonly=True,
        help="It is night on the customer's clock: the SMS waits for the end of the quiet hours.",
    )

    _sql_constraints = [
        (
            "mailing_record_unique",
            "UNIQUE(mailing_id, res_id)",
            "A record is a recipient of a mailing once.",
        ),
    ]

    def init(self):
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS sms_notify_campaign_recipient_mailing_sequence_index "
            "ON sms_notify_campaign_recipient (mailing_id, sequence)"
        )
        # numbers judged for one mailing serve the next ones (see _sms_notify_judge_numbers)
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS sms_notify_campaign_recipient_number_key_index "
            "ON sms_notify_campaign_recipient (number_key)"
        )

    def write(self, vals):
        if not self.env.su and set(vals) - USER_FIELDS:
            raise AccessError(
                self.env._(
                    "Only the exclusion and the number for this mailing of a recipient can be "
                    "changed: the rest follows the mailing and the contact."
                )
            )
        if vals.get("number_override") is not None:
            vals["number_override"] = (vals["number_override"] or "").strip() or False
        result = super().write(vals)
        if set(vals) & USER_FIELDS:
            # the summary and every recipient's outcome follow at once (a duplicate number
            # may now go to another recipient)
            for mailing in self.mailing_id:
                mailing._sms_notify_check_editable()
                mailing._sms_notify_summarize()
        return result

    def action_exclude(self):
        self.write({"excluded": True})
        return True

    def action_include(self):
        self.write({"excluded": False})
        return True

    def action_correct_number(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Correct the Number"),
            "res_model": "sms.notify.campaign.recipient.number",
            "view_mode": "form",
            "target": "new",
            "context": {"default_recipient_id": self.id},
        }

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
