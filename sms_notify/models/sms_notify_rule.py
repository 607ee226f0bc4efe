from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.osv import expression
from odoo.tools.safe_eval import safe_eval

from ..tools import cascade, describe, kinds, schedule
from .sms_sms_cascade import DEFAULT_WAIT_MINUTES, DELIVERY_MODES

#: how each kind of rule is watched by its automation rule
TRIGGERS = [
    ("state", "A condition is reached"),
    ("change", "Fields change"),
    ("before_date", "Some time before a date"),
    ("after_date", "Some time after a date"),
    ("yearly", "Every year on a date"),
]
#: a yearly date is watched through the field holding its next occurrence
YEARLY_FIELDS = {("res.partner", "sms_notify_birthday"): "sms_notify_next_birthday"}
#: rule fields whose change rewrites the automation rule
AUTOMATION_SOURCES = {
    "notify_trigger",
    "condition_domain",
    "change_field_ids",
    "date_field_id",
    "delay_minutes",
    "delay_amount",
    "delay_unit",
    "model_id",
    "name",
}
#: the fields of the automation rule a notification rule shares; the others are the automation's
SHARED_AUTOMATION_FIELDS = {"name", "model_id", "active"}
#: the units a delay is chosen in (see ``tools.schedule.DELAY_UNITS``)
DELAY_UNITS = [("minutes", "Minutes"), ("hours", "Hours"), ("days", "Days")]
#: how many waiting messages the rule's form lists, and how far ahead it looks for documents
UPCOMING_LIMIT = 20
UPCOMING_DAYS = 7


class SmsNotifyRule(models.Model):
    """Send a customer an SMS and/or an e-mail when their document reaches a state, changes,
    or some time before or after one of its dates, without anyone pressing a button.

    Each rule is one of Odoo's automation rules (``_inherits``): the rule's name, model and
    active switch are the automation's own, and the automation's action, of the type
    *Schedule a customer notification*, schedules the message; Automation Rules list it too.
    The message waits as a scheduled notification until it is due, and goes only while the
    document still meets the rule's condition and the message is valid."""

    _name = "sms.notify.rule"
    _description = "Automatic Notification Rule"
    _inherits = {"base.automation": "automation_id"}
    _order = "model_id, id"
    _check_company_auto = True

    automation_id = fields.Many2one(
        "base.automation", required=True, ondelete="cascade", index=True, auto_join=True
    )
    notify_trigger = fields.Selection(
        TRIGGERS,
        string="Send When",
        required=True,
        default="state",
        help="A condition is reached: the document comes to meet the condition (an order "
        "confirmed, ready, delivered; a repair done). Fields change: a saved change of the "
        "chosen fields (an appointment moved). Before or after a date: the chosen delay (minutes, "
        "hours or days) before or after a date of the document (a reminder, a thank-you). Every "
        "year: "
        "on the anniversary of a date (a birthday).",
    )
    condition_domain = fields.Char(
        string="Condition",
        default="[]",
        help="The documents this rule is about. For *a condition is reached*, the message "
        "goes when a document comes to meet it; for the other triggers, only documents that "
        "meet it are notified. A scheduled message whose document no longer meets it when it "
        "is due is cancelled.",
    )
    change_field_ids = fields.Many2many(
        "ir.model.fields",
        relation="sms_notify_rule_change_field_rel",
        string="Changed Fields",
        domain="[('model_id', '=', model_id), ('store', '=', True)]",
        help="A change of any of these fields sends the message.",
    )
    date_field_id = fields.Many2one(
        "ir.model.fields",
        string="Date",
        domain="[('model_id', '=', model_id), ('ttype', 'in', ('date', 'datetime'))]",
        ondelete="cascade",
        help="The date the message is timed from.",
    )
    delay_amount = fields.Integer(
        string="Delay",
        help="How long after the trigger (or before or after the date) the message goes, in "
        "the unit beside it. 0: at once.",
    )
    delay_unit = fields.Selection(DELAY_UNITS, required=True, default="minutes")
    delay_minutes = fields.Integer(
        string="Delay (minutes)",
        compute="_compute_delay_minutes",
        inverse="_inverse_delay_minutes",
        store=True,
        help="The delay in minutes, as the rule is timed: set from the delay and its unit "
        "(setting it directly chooses the largest unit that says it exactly).",
    )
    validity_minutes = fields.Integer(
        string="Validity (minutes)",
        help="A message that could not go within this time after it was due is cancelled as "
        "expired instead of arriving late. 0: no limit.",
    )
    sms_template_id = fields.Many2one(
        "sms.template",
        string="SMS Template",
        domain="[('model_id', '=', model_id)]",
        ondelete="restrict",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        domain="[('model_id', '=', model_id)]",
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Only documents of this company are notified, and only its users see the rule. "
        "Empty: the documents of every company.",
    )
    team_ids = fields.Many2many(
        "crm.team",
        string="Departments",
        help="Only documents of these departments (sales teams) are notified. Empty: every "
        "department.",
    )
    quiet_hours = fields.Selection(
        [
            ("company", "As the settings say for the message kind"),
            ("on", "Wait for the morning"),
            ("off", "Send at any hour"),
        ],
        required=True,
        default="company",
        help="A message due during the quiet hours of the settings (on the customer's clock) "
        "waits for their end.",
    )
    only_new_records = fields.Boolean(
        string="Only Documents Created Since Enabled",
        default=True,
        help="Documents created before the rule was switched on are not notified, so that "
        "switching a rule on does not message every old customer.",
    )
    enabled_since = fields.Datetime(
        readonly=True, copy=False, help="When the rule was last switched on."
    )
    message_kind = fields.Selection(
        kinds.MESSAGE_KIND_SELECTION, string="Kind", compute="_compute_message_kind"
    )
    delivery_mode = fields.Selection(
        DELIVERY_MODES,
        string="Send By",
        compute="_compute_delivery",
        store=True,
        readonly=False,
        help="SMS only; Viber only; or Viber first and the SMS when the customer has no Viber "
        "or Viber does not report delivery within the wait. Taken from the SMS template; "
        "change it for this rule alone.",
    )
    viber_wait_minutes = fields.Integer(
        string="Wait for Viber (minutes)",
        compute="_compute_delivery",
        store=True,
        readonly=False,
        help="Viber then SMS: how long Viber may take to report delivery before the SMS goes "
        "(1 minute to 24 hours).",
    )
    gateway_id = fields.Many2one(
        "sms.notify.gateway",
        string="Send Through",
        # not check_company: for a rule of every company it would offer no gateway at all
        # (gateways always have a company); picking one sets the rule's company, and
        # _check_gateway_company holds the two together
        domain="[('company_id', 'in', [company_id] if company_id else allowed_company_ids)]",
        ondelete="set null",
        help="The gateway this rule's SMS go through first (the salon's phone, say); the rule "
        "is then for that gateway's company only. When the gateway is off, has reached its "
        "daily limit or does not send to a number, the message goes through the company's "
        "other gateways instead of waiting. Empty: the company's gateways in their order.",
    )
    description = fields.Text(
        string="In Words",
        compute="_compute_description",
        help="When the rule sends, to whom and at what hours, as the settings below say.",
    )
    upcoming_scheduled_ids = fields.Many2many(
        "sms.notify.scheduled",
        string="Next Messages",
        compute="_compute_upcoming_scheduled",
        help="The next messages this rule will send, soonest first.",
    )
    scheduled_ids = fields.One2many("sms.notify.scheduled", "rule_id", string="Messages")
    scheduled_count = fields.Integer(compute="_compute_scheduled_count")

    @api.depends("delay_amount", "delay_unit")
    def _compute_delay_minutes(self):
        for rule in self:
            rule.delay_minutes = schedule.to_minutes(rule.delay_amount, rule.delay_unit)

    def _inverse_delay_minutes(self):
        for rule in self:
            amount, unit = schedule.from_minutes(rule.delay_minutes)
            if (rule.delay_amount, rule.delay_unit) != (amount, unit):
                rule.write({"delay_amount": amount, "delay_unit": unit})

    @api.onchange("gateway_id")
    def _onchange_gateway_id(self):
        # a rule sending through a gateway is for the gateway's company
        if self.gateway_id and not self.company_id:
            self.company_id = self.gateway_id.company_id

    @api.depends(
        "notify_trigger",
        "condition_domain",
        "model_id",
        "delay_amount",
        "delay_unit",
        "date_field_id",
        "change_field_ids",
        "team_ids",
        "quiet_hours",
        "company_id",
        "gateway_id",
        "sms_template_id.message_kind",
        "mail_template_id.message_kind",
    )
    def _compute_description(self):
        for rule in self:
            rule.description = rule._in_words() if rule.model_id else False

    def _in_words(self):
        """The rule in words (see ``tools.describe``), in the user's language."""
        self.ensure_one()
        quiet = self._quiet_hours(self.company_id or self.env.company)
        # the labels of the rule's own model and fields: notification managers may not read
        # Odoo's field definitions (ir.model.fields is for administrators), only these names
        model, date_field = self.model_id.sudo(), self.date_field_id.sudo()
        changed_fields = self.change_field_ids.sudo()
        return describe.describe(
            describe.Rule(
                trigger=self.notify_trigger,
                document=model.name,
                terms=self._condition_terms(),
                delay_amount=self.delay_amount,
                delay_unit=self.delay_unit,
                date_label=date_field.field_description or "",
                changed_labels=tuple(changed_fields.mapped("field_description")),
                departments=tuple(self.team_ids.mapped("name")),
                sending_hours=(quiet.end, quiet.start) if quiet and quiet.active else None,
                gateway=self.gateway_id.name or "",
            ),
            self.env._,
        )

    def _condition_terms(self):
        """The condition as ``tools.describe.Term``s, or ``None`` when it is more than
        comparisons of the document's own fields joined by *and* (it is then "the filter")."""
        self.ensure_one()
        model = self.env.get(self._document_model_name())
        if model is None:
            return None
        try:
            domain = expression.normalize_domain(self._condition())
        except Exception:  # noqa: BLE001 - a condition that cannot be read is "the filter"
            return None
        if domain == expression.TRUE_DOMAIN:
            return ()
        terms = []
        for item in domain:
            if item == "&":
                continue
            if (
                not isinstance(item, (list, tuple))
                or len(item) != 3
                or not isinstance(item[0], str)
                or item[0] not in model._fields
            ):
                return None
            name, operator, value = item
            field = model._fields[name]
            value = self._term_value(field, value)
            if value is None:
                return None
            terms.append(
                describe.Term(
                    field._description_string(self.env),
                    operator,
                    value,
                    {
                        "selection": "selection",
                        "integer": "number",
                        "float": "number",
                        "monetary": "number",
                        "date": "date",
                        "datetime": "date",
                    }.get(field.type, ""),
                )
            )
        return tuple(terms)

    def _term_value(self, field, value):
        """``value`` of a condition on ``field`` as the user reads it, or ``None`` when it
        cannot be said (a record the user may not read)."""
        if isinstance(value, (list, tuple)):
            values = [self._term_value(field, item) for item in value]
            return None if any(item is None for item in values) else values
        if value is False or value is True:
            return value
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, value)
        if field.type in ("many2one", "many2many", "one2many") and isinstance(value, int):
            record = self.env[field.comodel_name].browse(value).exists()
            if not record or not record.has_access("read"):
                return None
            return record.display_name
        if isinstance(value, (str, int, float)):
            return value
        return None

    @api.depends("scheduled_ids.state", "scheduled_ids.due_datetime")
    def _compute_upcoming_scheduled(self):
        for rule in self:
            rule.upcoming_scheduled_ids = self.env["sms.notify.scheduled"].search(
                [("rule_id", "=", rule.id or 0), ("state", "=", "scheduled")],
                order="due_datetime, id",
                limit=UPCOMING_LIMIT,
            )

    @api.depends("sms_template_id.message_kind", "mail_template_id.message_kind")
    def _compute_message_kind(self):
        for rule in self:
            rule.message_kind = (
                rule.sms_template_id.message_kind
                or rule.mail_template_id.message_kind
                or kinds.SERVICE
            )

    @api.depends("sms_template_id")
    def _compute_delivery(self):
        for rule in self:
            template = rule.sms_template_id
            rule.delivery_mode = template.delivery_mode or cascade.SMS_ONLY
            rule.viber_wait_minutes = template.viber_wait_minutes or DEFAULT_WAIT_MINUTES

    @api.constrains("viber_wait_minutes", "delivery_mode")
    def _check_viber_wait(self):
        for rule in self:
            self.env["sms.sms"]._sms_notify_check_viber_wait(
                rule.delivery_mode, rule.viber_wait_minutes, rule.name
            )

    def _compute_scheduled_count(self):
        counts = dict(
            self.env["sms.notify.scheduled"]._read_group(
                [("rule_id", "in", self.ids), ("state", "=", "scheduled")],
                ["rule_id"],
                ["__count"],
            )
        )
        for rule in self:
            rule.scheduled_count = counts.get(rule, 0)

    @api.constrains("notify_trigger", "change_field_ids", "date_field_id", "model_id")
    def _check_trigger(self):
        for rule in self:
            if not (rule.sms_template_id or rule.mail_template_id):
                raise ValidationError(
                    self.env._(
                        "%(rule)s sends nothing: pick an SMS or an e-mail template.", rule=rule.name
                    )
                )
            if rule.notify_trigger == "change" and not rule.change_field_ids:
                raise ValidationError(
                    self.env._(
                        "%(rule)s: pick the fields whose change sends the message.", rule=rule.name
                    )
                )
            if rule.notify_trigger in ("before_date", "after_date", "yearly"):
                if not rule.date_field_id:
                    raise ValidationError(
                        self.env._(
                            "%(rule)s: pick the date the message is timed from.", rule=rule.name
                        )
                    )
            if rule.notify_trigger == "yearly" and not rule._yearly_field():
                raise ValidationError(
                    self.env._(
                        "%(rule)s: yearly messages can be timed from a contact's birthday.",
                        rule=rule.name,
                    )
                )
            try:
                rule._condition()
            except Exception as error:
                raise ValidationError(
                    self.env._(
                        "%(rule)s: the condition cannot be read (%(error)s).",
                        rule=rule.name,
                        error=error,
                    )
                ) from error

    @api.constrains("gateway_id", "company_id")
    def _check_gateway_company(self):
        for rule in self:
            if (
                rule.gateway_id
                and rule.company_id
                and rule.gateway_id.company_id != rule.company_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(rule)s is a rule of %(company)s: it cannot send through %(gateway)s, "
                        "a gateway of another company.",
                        rule=rule.name,
                        company=rule.company_id.name,
                        gateway=rule.gateway_id.name,
                    )
                )
            if rule.gateway_id and not rule.company_id:
                raise ValidationError(
                    self.env._(
                        "%(rule)s sends through a gateway of one company: set that company as "
                        "the rule's company.",
                        rule=rule.name,
                    )
                )

    @api.constrains("delay_minutes", "validity_minutes")
    def _check_minutes(self):
        for rule in self:
            if rule.delay_minutes < 0 or rule.validity_minutes < 0:
                raise ValidationError(
                    self.env._(
                        "%(rule)s: the delay and the validity cannot be negative (validity 0: "
                        "no limit; for a message before a date, choose the trigger Some time "
                        "before a date).",
                        rule=rule.name,
                    )
                )

    # ------------------------------------------------------------------
    # The automation rule behind each rule
    # ------------------------------------------------------------------

    @api.model
    def _editable_fields(self):
        """The fields a notification rule may be given: its own and those it shares with its
        automation rule. The other fields of the automation rule (trigger, webhook, domains,
        server actions...) are evaluated as superuser, so they stay with the administrators
        who edit Automation Rules; ``automation_id`` too, which would tie the rule to another
        automation."""
        own = {
            name
            for name, field in self._fields.items()
            if field.model_name == self._name and not field.inherited
        }
        return (own - {"automation_id"}) | SHARED_AUTOMATION_FIELDS

    def _check_editable_fields(self, field_names):
        if self.env.su:
            return  # the module's own code, which derives the automation from the rule
        editable = self._editable_fields()
        automation_fields = set(self.env["base.automation"]._fields) | {"automation_id"}
        refused = sorted(
            name for name in field_names if name not in editable and name in automation_fields
        )
        if refused:
            raise AccessError(
                self.env._(
                    "A notification rule cannot set %(fields)s: these are settings of its "
                    "automation rule, which administrators edit in Settings › Technical › "
                    "Automation Rules.",
                    fields=", ".join(refused),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._with_gateway_company(vals) for vals in vals_list]
        for vals in vals_list:
            self._check_editable_fields(vals)
            if vals.get("active", True):
                vals.setdefault("enabled_since", fields.Datetime.now())
        # automation rules are for administrators; managing notification rules is a right of
        # its own: the automation rule is created as superuser from the shared fields only, and
        # the rule itself with the user's rights
        self.check_access("create")
        new = [vals for vals in vals_list if not vals.get("automation_id")]
        automations = (
            self.env["base.automation"]
            .sudo()
            .create(
                [
                    {
                        "trigger": "on_create_or_write",
                        **{
                            name: vals.pop(name)
                            for name in SHARED_AUTOMATION_FIELDS
                            if name in vals
                        },
                    }
                    for vals in new
                ]
            )
        )
        for vals, automation in zip(new, automations, strict=True):
            vals["automation_id"] = automation.id
        rules = super().create(vals_list)
        rules.sudo()._sync_automation()
        return rules

    def write(self, vals):
        if not self.company_id:
            vals = self._with_gateway_company(vals)
        self._check_editable_fields(vals)
        self.check_access("write")
        shared = {name: value for name, value in vals.items() if name in SHARED_AUTOMATION_FIELDS}
        own = {name: value for name, value in vals.items() if name not in shared}
        result = True
        if own:
            result = super().write(own)
        if shared:
            # written on the automation rule, which notification managers may not edit directly
            result = super(SmsNotifyRule, self.sudo()).write(shared) and result
        if AUTOMATION_SOURCES & set(vals):
            self.sudo()._sync_automation()
        return result

    def _with_gateway_company(self, vals):
        """A rule sending through a gateway is for the gateway's company: a gateway picked on
        a rule of every company sets it (the form shows the company to multi-company users
        only, so the form's own onchange cannot be relied on)."""
        if vals.get("gateway_id") and not vals.get("company_id"):
            gateway = self.env["sms.notify.gateway"].browse(vals["gateway_id"])
            return {**vals, "company_id": gateway.company_id.id}
        return dict(vals)

    def copy_data(self, default=None):
        self._check_editable_fields(default or {})
        # the copy gets an automation rule of its own, derived from the rule's fields
        editable = self._editable_fields()
        return [
            vals and {name: value for name, value in vals.items() if name in editable}
            for vals in super().copy_data(default)
        ]

    def unlink(self):
        automations = self.sudo().automation_id
        result = super().unlink()
        automations.unlink()
        return result

    def _document_model_name(self):
        """The technical name of the rule's document model (``sale.order``): notification
        managers may not read Odoo's model definitions, only this name."""
        self.ensure_one()
        return self.model_id.sudo().model

    def _yearly_field(self):
        self.ensure_one()
        model_name = self._document_model_name()
        name = YEARLY_FIELDS.get((model_name, self.date_field_id.sudo().name))
        return name and self.env["ir.model.fields"]._get(model_name, name)

    def _condition(self):
        return safe_eval(self.condition_domain or "[]", {"uid": self.env.uid})

    def _condition_fields(self):
        model = self.env[self._document_model_name()]
        names = {
            term[0].split(".")[0]
            for term in expression.normalize_domain(self._condition())
            if isinstance(term, (list, tuple)) and isinstance(term[0], str)
        }
        return self.env["ir.model.fields"].browse(
            [
                self.env["ir.model.fields"]._get(model._name, name).id
                for name in names
                if name in model._fields
            ]
        )

    def _automation_values(self):
        self.ensure_one()
        condition = expression.normalize_domain(self._condition())
        values = {
            "trigger": "on_create_or_write",
            "filter_domain": repr(condition) if condition != expression.TRUE_DOMAIN else False,
            "filter_pre_domain": False,
            "trg_date_id": False,
            "trg_date_range": 0,
            "trg_date_range_type": False,
            "trigger_field_ids": [Command.set(self._condition_fields().ids)],
            # a notification rule is never called from outside: no webhook address
            "webhook_uuid": False,
            "record_getter": False,
        }
        match self.notify_trigger:
            case "state":
                # sent when a document comes to meet the condition, not at each later save
                values["filter_pre_domain"] = repr(["!", *condition])
            case "change":
                values["trigger_field_ids"] = [Command.set(self.change_field_ids.ids)]
            case "before_date" | "after_date":
                values["trigger_field_ids"] = [
                    Command.set((self._condition_fields() | self.date_field_id).ids)
                ]
            case "yearly":
                values.update(
                    trigger="on_time",
                    trg_date_id=self._yearly_field().id,
                    trg_date_range=self.delay_minutes,
                    trg_date_range_type="minutes",
                    trigger_field_ids=[Command.clear()],
                )
        return values

    def _sync_automation(self):
        for rule in self:
            values = rule._automation_values()
            action = rule.automation_id.action_server_ids.filtered(
                lambda action: action.state == "sms_notify"
            )
            action_values = {
                "name": rule.name,
                "model_id": rule.model_id.id,
                "state": "sms_notify",
                "sms_notify_rule_id": rule.id,
                "usage": "base_automation",
            }
            rule.automation_id.write(values)
            if action:
                action.write(action_values)
            else:
                # server actions refuse x2many commands in sudo: created on their own
                self.env["ir.actions.server"].sudo().create(
                    {**action_values, "base_automation_id": rule.automation_id.id}
                )

    # ------------------------------------------------------------------
    # Scheduling
    # ------------------------------------------------------------------

    def _enqueue(self, records, old_values=None):
        """Called by the automation for the documents that triggered the rule. The messages are
        scheduled when the transaction ends, all at once: an automation runs its action once
        per document, and a rule firing on 10,000 documents in one save must not insert them
        one by one."""
        self.ensure_one()
        if self.notify_trigger == "change":
            if old_values is None:
                return  # a document created is not a change
            names = self.change_field_ids.mapped("name")
            records = records.filtered(
                lambda record: any(
                    name in old_values.get(record.id, {})
                    and old_values[record.id][name] != record[name]
                    for name in names
                )
            )
        if not records:
            return
        pending = self.env.cr.precommit.data.setdefault("sms_notify.rule_records", defaultdict(set))
        if not pending:
            self.env.cr.precommit.add(self.sudo()._flush_enqueued)
        pending[self.id].update(records.ids)

    @api.model
    def _flush_enqueued(self):
        pending = self.env.cr.precommit.data.pop("sms_notify.rule_records", {})
        for rule_id, record_ids in pending.items():
            rule = self.browse(rule_id).exists()
            if rule:
                rule._schedule(self.env[rule.model_id.model].browse(sorted(record_ids)).exists())

    def _of_departments(self, records):
        """The documents of ``records`` in the rule's departments (all without any)."""
        if not self.team_ids:
            return records
        return records.filtered(lambda record: record._sms_notify_team() in self.team_ids)

    def _eligible(self, records):
        """The documents of ``records`` this rule notifies."""
        self.ensure_one()
        if self.only_new_records and self.enabled_since and "create_date" in records._fields:
            records = records.filtered(
                lambda record: record.create_date and record.create_date >= self.enabled_since
            )
        return self._of_departments(records)

    def _still_applies(self, records):
        """The documents that still meet the rule's condition and departments."""
        self.ensure_one()
        condition = self._condition()
        if condition:
            records = records.filtered_domain(condition)
        return self._of_departments(records)

    def _quiet_hours(self, company):
        self.ensure_one()
        if self.quiet_hours == "off":
            return None
        if self.quiet_hours == "company":
            wanted = (
                company.sms_notify_quiet_advertising
                if self.message_kind == kinds.ADVERTISING
                else company.sms_notify_quiet_service
            )
            if not wanted:
                return None
        return schedule.QuietHours(company.sms_notify_quiet_start, company.sms_notify_quiet_end)

    def _moment(self, record, now):
        """When the rule meant the message of ``record`` to go, before quiet hours."""
        if self.notify_trigger not in ("before_date", "after_date"):
            return now, self.delay_minutes if self.notify_trigger != "yearly" else 0
        value = record[self.date_field_id.name]
        if not value:
            return None, 0
        if not isinstance(value, datetime):
            # a day without a time: from the start of that day on the customer's clock
            tz = pytz.timezone(record._sms_notify_customer().tz or "UTC")
            value = tz.localize(datetime.combine(value, time())).astimezone(pytz.utc)
            value = value.replace(tzinfo=None)
        sign = -1 if self.notify_trigger == "before_date" else 1
        return value, sign * self.delay_minutes

    def _schedule(self, records):
        """Schedule this rule's message for ``records``: one waiting message per document and
        rule, moved when the document's date moves."""
        self.ensure_one()
        records = self._eligible(records)
        # each document is notified for its own company: its quiet hours, its clock, and the
        # company its message is sent and paid for
        companies = records._mail_get_companies(default=self.env.company)
        if self.company_id:
            records = records.browse(
                [record_id for record_id in records._ids if companies[record_id] == self.company_id]
            )
        if not records:
            return self.env["sms.notify.scheduled"]
        Scheduled = self.env["sms.notify.scheduled"].sudo()
        now = fields.Datetime.now()
        waiting = {
            message.res_id: message
            for message in Scheduled.search(
                [
                    ("rule_id", "=", self.id),
                    ("res_id", "in", records.ids),
                    ("state", "=", "scheduled"),
                ]
            )
        }
        quiet_by_company = {
            company: self._quiet_hours(company) for company in set(companies.values())
        }
        tz_by_company = {
            company: company.partner_id.tz or self.env.user.tz or "UTC"
            for company in quiet_by_company
        }
        new_rows, moved = [], Scheduled
        for record in records:
            company = companies[record.id]
            quiet, fallback_tz = quiet_by_company[company], tz_by_company[company]
            moment, delay = self._moment(record, now)
            existing = waiting.get(record.id)
            if moment is None:
                if existing:
                    existing._cancel(
                        self.env._("The document no longer has the date to time it from.")
                    )
                continue
            customer = record._sms_notify_customer()
            timing = schedule.plan(
                moment, delay, self.validity_minutes, quiet, customer.tz or fallback_tz
            )
            if self.notify_trigger in ("before_date", "after_date") and timing.due < now:
                # booked closer to the date than the reminder: it would arrive too late
                if existing:
                    existing._cancel(self.env._("The date moved too close for this message."))
                continue
            values = {"due_datetime": timing.due, "valid_until": timing.expires}
            if existing:
                if self.notify_trigger in ("before_date", "after_date", "change"):
                    existing.write(values)
                    moved |= existing
                continue  # reached again while still waiting: one message is enough
            new_rows.append(
                {
                    **values,
                    "rule_id": self.id,
                    "res_model": record._name,
                    "res_id": record.id,
                    "partner_id": customer.id or False,
                    "team_id": record._sms_notify_team().id or False,
                    "company_id": company.id,
                    "state": "scheduled",
                }
            )
        created = Scheduled._sms_notify_insert(new_rows)
        scheduled = created | moved
        if scheduled:
            self.env.ref("sms_notify.ir_cron_send_scheduled")._trigger(
                min(scheduled.mapped("due_datetime"))
            )
        return scheduled

    def action_open_scheduled(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sms.notify.scheduled",
            "view_mode": "list,form",
            "name": self.env._("Scheduled by %(rule)s", rule=self.name),
            "domain": [("rule_id", "=", self.id)],
            "context": {"search_default_filter_scheduled": 1},
        }

    def _upcoming_documents(self, days=UPCOMING_DAYS, limit=80):
        """The documents a rule timed from a date will message in the next ``days``: those
        whose date falls in the window, meeting the condition, of the rule's company and
        departments. Empty for the other rules."""
        self.ensure_one()
        window = schedule.window_of_dates(
            self.notify_trigger, self.delay_minutes, fields.Datetime.now(), days
        )
        field = self._yearly_field() if self.notify_trigger == "yearly" else self.date_field_id
        # only the date field's name and type: notification managers may not read Odoo's field
        # definitions; the documents themselves are searched with the user's rights
        field = field and field.sudo()
        if not window or not field:
            return self.env[self._document_model_name()]
        start, end = window
        if field.ttype == "date":
            # a day counts from its start on the customer's clock: a day's margin each side
            start, end = (start - timedelta(days=1)).date(), (end + timedelta(days=1)).date()
        records = self.env[self._document_model_name()].search(
            expression.AND(
                [self._condition(), [(field.name, ">=", start), (field.name, "<", end)]]
            ),
            order=f"{field.name}, id",
            limit=limit,
        )
        records = self._of_departments(records)
        if self.company_id:
            companies = records._mail_get_companies(default=self.env.company)
            records = records.filtered(lambda record: companies[record.id] == self.company_id)
        return records

    def action_open_upcoming_documents(self):
        self.ensure_one()
        documents = self._upcoming_documents()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._document_model_name(),
            "view_mode": "list,form",
            "name": self.env._(
                "%(rule)s: the next %(days)s days", rule=self.name, days=UPCOMING_DAYS
            ),
            "domain": [("id", "in", documents.ids)],
            "context": {"create": False},
        }

    def action_open_automation(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "base.automation",
            "view_mode": "form",
            "res_id": self.automation_id.id,
        }
