from odoo import api, fields, models

from odoo.addons.sms_notify.tools.tokens import Token

from ..tools import changes

#: the appointment's fields whose change the notice tells
WATCHED_FIELDS = tuple(name for names in changes.WATCHED_FIELDS.values() for name in names)


class CalendarEvent(models.Model):
    """The change notice of an appointment: what changed (the date and time, the employee, the
    service) kept when it is written, and said in the customer's language by ``:Changes:``."""

    _inherit = "calendar.event"

    sms_notify_changes = fields.Char(
        string="Last Changes",
        readonly=True,
        copy=False,
        help="What the last change of the appointment touched (when, employee, service), told "
        "by its change notice. Changes made while a notice still waits add up.",
    )
    sms_notify_change_text = fields.Char(
        string="Changes for Messages",
        compute="_compute_sms_notify_change_text",
        help="What changed, as the change notice tells the customer, in their language: the "
        "new date and time, the new employee, the new service.",
    )

    @api.depends(
        "sms_notify_changes",
        "sms_notify_date_text",
        "sms_notify_time_text",
        "user_id.name",
        "name",
        "sms_notify_customer_id.lang",
    )
    def _compute_sms_notify_change_text(self):
        for event in self:
            lang = event.sms_notify_customer_id.lang or event.user_id.lang or self.env.lang
            event.sms_notify_change_text = changes.sentence(
                changes.parse(event.sms_notify_changes),
                event.sms_notify_date_text,
                event.sms_notify_time_text,
                employee=event.user_id.name,
                service=event.name,
                translate=event.with_context(lang=lang).env._,
            )

    def _sms_notify_tokens(self):
        return [
            *super()._sms_notify_tokens(),
            Token(
                "Changes",
                "object.sms_notify_change_text",
                self.env._("What changed (new date and time, employee, service)"),
                ("Изменения", "Zmiany"),
            ),
        ]

    def write(self, vals):
        watched = [name for name in WATCHED_FIELDS if name in vals]
        if not watched:
            return super().write(vals)
        before = {event.id: event._sms_notify_watched_values(watched) for event in self}
        result = super().write(vals)
        # changes add up while their notice has not gone yet: several saves in one request, or
        # a notice still waiting for its delay
        pending = self.env.cr.precommit.data.setdefault("sms_notify_calendar.changed", set())
        waiting = set(
            self.env["sms.notify.scheduled"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("state", "=", "scheduled"),
                    ("rule_id.notify_trigger", "=", "change"),
                ]
            )
            .mapped("res_id")
        )
        by_value = {}
        for event in self:
            kinds = changes.changed_kinds(
                before[event.id], event._sms_notify_watched_values(watched)
            )
            if not kinds:
                continue
            adding_up = event.id in pending or event.id in waiting
            value = changes.merge(event.sms_notify_changes if adding_up else False, kinds)
            pending.add(event.id)
            if value != event.sms_notify_changes:
                by_value.setdefault(value, []).append(event.id)
        for value, ids in by_value.items():
            # past the automation rules watching writes: this is no change of the appointment
            super(CalendarEvent, self.browse(ids)).write({"sms_notify_changes": value})
        return result

    def _sms_notify_watched_values(self, names):
        self.ensure_one()
        return {
            name: self[name].id if isinstance(self[name], models.BaseModel) else self[name]
            for name in names
        }
