from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.tools.misc import format_date, format_time

from odoo.addons.sms_notify.tools.tokens import Token


class CalendarEvent(models.Model):
    _name = "calendar.event"
    _inherit = ["calendar.event", "sms.notify.mixin"]

    sms_notify_team_id = fields.Many2one(
        "crm.team",
        string="Department",
        default=lambda self: self.env["crm.team"]._get_default_team_id(),
        help="The sales team (shop, salon) the appointment belongs to: only its members, and "
        "users who may notify for other departments, notify its customer.",
    )
    sms_notify_customer_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_sms_notify_customer_id",
        # stored, so that notification rules see an appointment get its customer
        store=True,
        help="The attendee messages about the appointment go to: the first one who is not a "
        "user of the company.",
    )
    sms_notify_date_text = fields.Char(compute="_compute_sms_notify_when")
    sms_notify_time_text = fields.Char(compute="_compute_sms_notify_when")

    @api.depends("partner_ids", "partner_ids.user_ids", "user_id")
    def _compute_sms_notify_customer_id(self):
        for event in self:
            customers = event.partner_ids.filtered(lambda partner: not partner.user_ids)
            event.sms_notify_customer_id = customers[:1]

    @api.depends("start", "allday", "sms_notify_customer_id", "user_id")
    def _compute_sms_notify_when(self):
        for event in self:
            customer = event.sms_notify_customer_id
            lang = customer.lang or event.user_id.lang or self.env.lang
            # the customer reads the time of their own clock
            tz = customer.tz or event.user_id.tz or "UTC"
            if not event.start:
                event.sms_notify_date_text = event.sms_notify_time_text = False
                continue
            local = pytz.utc.localize(event.start).astimezone(pytz.timezone(tz))
            event.sms_notify_date_text = format_date(self.env, local.date(), lang_code=lang)
            event.sms_notify_time_text = not event.allday and format_time(
                self.env, event.start, tz=tz, time_format="short", lang_code=lang
            )

    def write(self, vals):
        result = super().write(vals)
        if "active" in vals and not vals["active"]:
            self._sms_notify_cancel_scheduled(self.env._("The appointment was cancelled."))
        return result

    def unlink(self):
        self._sms_notify_cancel_scheduled(self.env._("The appointment was deleted."))
        return super().unlink()

    def _sms_notify_customer(self):
        self.ensure_one()
        return self.sms_notify_customer_id

    def _sms_notify_team_field(self):
        return "sms_notify_team_id"

    def _sms_notify_company(self):
        # appointments have no company of their own: the shop is the organizer's
        return self.user_id.company_id or super()._sms_notify_company()

    def _sms_notify_default_templates(self):
        """An appointment to come opens Notify on its reminder on the day before it, on its
        change notice once it changed, else on its confirmation; a past one on none."""
        self.ensure_one()
        now = fields.Datetime.now()
        if not self.start or self.start <= now:
            return super()._sms_notify_default_templates()
        if self.start - now <= timedelta(days=1):
            kind = "reminder"
        elif self.sms_notify_changes:
            kind = "changed"
        else:
            kind = "confirmed"
        return self._sms_notify_fitting_templates(
            [
                f"sms_notify_calendar.sms_template_appointment_{kind}",
                f"sms_notify_calendar.mail_template_appointment_{kind}",
            ]
        )

    def _sms_notify_customer_path(self):
        return "object.sms_notify_customer_id"

    def _sms_notify_tokens(self):
        _ = self.env._
        return [
            *super()._sms_notify_tokens(),
            Token(
                "AppointmentDate",
                "object.sms_notify_date_text",
                _("Appointment date"),
                ("Дата", "Data"),
            ),
            Token(
                "AppointmentTime",
                "object.sms_notify_time_text",
                _("Appointment time"),
                ("Время", "Godzina"),
            ),
            Token("Employee", "object.user_id.name", _("Employee"), ("Сотрудник", "Specjalista")),
            Token("Service", "object.name", _("Service"), ("Услуга", "Usługa")),
        ]
