from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    sms_notify_opt_out = fields.Boolean(
        string="No SMS",
        tracking=True,
        help="The customer asked not to receive SMS: no notification (order ready, reminder) "
        "and no promotion is sent to them.",
    )
    sms_notify_ad_consent = fields.Boolean(
        string="Agrees to SMS Promotions",
        tracking=True,
        help="The customer agreed to receive advertising SMS. Without it, promotions are not "
        "sent to them; notifications still are.",
    )
    sms_notify_ad_consent_date = fields.Datetime(
        string="Consent Given On",
        compute="_compute_sms_notify_ad_consent_date",
        store=True,
        readonly=False,
        tracking=True,
        help="When the customer agreed to promotions: the proof operators and regulators ask for.",
    )
    sms_notify_ad_consent_source = fields.Selection(
        [
            ("in_store", "In the shop, signed"),
            ("website", "Website form"),
            ("phone", "By phone"),
            ("sms", "Reply to an SMS"),
            ("import", "Imported"),
            ("other", "Other"),
        ],
        string="Consent Source",
        tracking=True,
        help="How the customer gave their consent to promotions.",
    )

    sms_notify_sms_count = fields.Integer(
        string="SMS Sent", compute="_compute_sms_notify_sms_count", compute_sudo=True
    )

    def _compute_sms_notify_sms_count(self):
        counts = dict(
            self.env["sms.sms"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.sms_notify_sms_count = counts.get(partner, 0)

    def action_view_sms_notify_history(self):
        """Every SMS sent to the customer, with its status, parts and price."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sms_notify.sms_sms_action_history")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"create": False}
        action["display_name"] = self.env._("SMS to %(name)s", name=self.display_name)
        return action

    @api.depends("sms_notify_ad_consent")
    def _compute_sms_notify_ad_consent_date(self):
        now = fields.Datetime.now()
        for partner in self:
            if not partner.sms_notify_ad_consent:
                partner.sms_notify_ad_consent_date = False
            elif not partner.sms_notify_ad_consent_date:
                partner.sms_notify_ad_consent_date = now
