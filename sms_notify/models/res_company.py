from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import kinds, schedule


class ResCompany(models.Model):
    _inherit = "res.company"

    sms_notify_quiet_start = fields.Float(
        string="Quiet Hours From",
        default=21.0,
        help="From this hour of the customer's clock, automatic messages wait for the morning.",
    )
    sms_notify_quiet_end = fields.Float(
        string="Quiet Hours Until",
        default=9.0,
        help="The hour of the customer's clock when waiting automatic messages go.",
    )
    sms_notify_quiet_advertising = fields.Boolean(
        string="Quiet Hours for Promotions",
        default=True,
        help="Automatic advertising messages, and SMS mailings of promotions, wait for the end "
        "of the quiet hours.",
    )
    sms_notify_quiet_service = fields.Boolean(
        string="Quiet Hours for Notifications",
        help="Automatic service messages (order ready, reminders), and service SMS mailings, "
        "wait for the end of the quiet hours too.",
    )

    @api.constrains("sms_notify_quiet_start", "sms_notify_quiet_end")
    def _check_sms_notify_quiet_hours(self):
        for company in self:
            for hour in (company.sms_notify_quiet_start, company.sms_notify_quiet_end):
                if not 0 <= hour <= 24:
                    raise ValidationError(
                        self.env._(
                            "Quiet hours are hours of the day, from 0:00 to 24:00 (%(company)s "
                            "has %(hour)s).",
                            company=company.name,
                            hour=hour,
                        )
                    )

    def _sms_notify_quiet_hours(self, message_kind):
        """The quiet hours messages of ``message_kind`` sent without a rule (an SMS mailing)
        wait out in this company, or ``None`` when they go at any hour."""
        self.ensure_one()
        wanted = (
            self.sms_notify_quiet_service
            if message_kind == kinds.SERVICE
            else self.sms_notify_quiet_advertising
        )
        if not wanted:
            return None
        # the settings allow 24:00, which is midnight as 0:00 is
        quiet = schedule.QuietHours(
            self.sms_notify_quiet_start % 24, self.sms_notify_quiet_end % 24
        )
        return quiet if quiet.active else None
