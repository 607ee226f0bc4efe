from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.sms_notify.tools import kinds, schedule


# the rules promotions are delivered by, apart from the rest of the mailing: one class per
# file on purpose
class MailingMailingDelivery(models.Model):
    _inherit = "mailing.mailing"  # pylint: disable=consider-merging-classes-inherited

    # SMS Marketing leaves it off; a promotion without a way to opt out is refused by
    # operators and resented by customers
    sms_allow_unsubscribe = fields.Boolean(
        # SMS Marketing's default (off) would win over the computation
        default=None,
        compute="_compute_sms_allow_unsubscribe",
        store=True,
        readonly=False,
        precompute=True,
        help='Adds "STOP SMS" and a link to each SMS: the recipient opens it to stop '
        "receiving your SMS mailings. On by default for advertising mailings, off for service "
        "ones. Switch it off only for customers who can opt out another way: replying STOP "
        "to an SMS sent from a phone or modem gateway withdraws their consent to promotions.",
    )
    sms_notify_validity_hours = fields.Integer(
        string="Valid For (Hours)",
        help="An SMS not handed over to the gateway within this many hours of the mailing "
        "being sent is cancelled as expired instead of arriving late, and nothing is charged "
        "for it; 0: no limit. Promotions composed during the quiet hours of the settings wait "
        "for the morning on each recipient's clock: those whose validity ends first are "
        "cancelled.",
    )

    _sql_constraints = [
        (
            "sms_notify_validity_hours_positive",
            "CHECK(sms_notify_validity_hours >= 0)",
            "The validity of a mailing's SMS cannot be negative.",
        ),
    ]

    @api.depends("message_kind")
    def _compute_sms_allow_unsubscribe(self):
        for mailing in self:
            mailing.sms_allow_unsubscribe = mailing.message_kind != kinds.SERVICE

    def _sms_notify_timing(self, sms_values):
        """Give the outgoing SMS of ``sms_values`` (``{record id: values}``, as the composer
        prepares them) the mailing's validity and, composed during the quiet hours on their
        recipient's clock, the moment they may go (``send_after``).

        The recipient's clock is their contact's time zone, else the company's. Each time zone
        is worked out once, not once per recipient."""
        self.ensure_one()
        now = fields.Datetime.now()
        outgoing = [values for values in sms_values.values() if values["state"] == "outgoing"]
        if self.sms_notify_validity_hours:
            valid_until = now + timedelta(hours=self.sms_notify_validity_hours)
            for values in outgoing:
                values["valid_until"] = valid_until
        by_company = defaultdict(list)
        for values in outgoing:
            by_company[values["company_id"]].append(values)
        for company_id, rows in by_company.items():
            company = self.env["res.company"].browse(company_id)
            quiet = company._sms_notify_quiet_hours(self.message_kind)
            if not quiet:
                continue
            fallback = company.partner_id.tz or self.env.user.tz or "UTC"
            # only their time zones are read, of contacts the mailing reaches anyway (some
            # may belong to a company the sending user cannot read)
            partners = (
                self.env["res.partner"]
                .sudo()
                .browse({values["partner_id"] for values in rows if values.get("partner_id")})
            )
            zone_of = dict(zip(partners._ids, partners.mapped("tz"), strict=True))
            zones = [zone_of.get(values.get("partner_id")) or fallback for values in rows]
            wake = schedule.after_quiet_hours_by_zone(now, quiet, zones)
            for values, zone in zip(rows, zones, strict=True):
                if wake[zone] != now:
                    values["send_after"] = wake[zone]
