from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import format_date


class SmsNotifyMixin(models.AbstractModel):
    """Documents with a *Notify* button (orders, repairs, appointments): whether the current
    user may press it, so that the button hides where the server would refuse."""

    _name = "sms.notify.mixin"
    _description = "Notify Button"

    sms_notify_allowed = fields.Boolean(
        compute="_compute_sms_notify_allowed",
        search="_search_sms_notify_allowed",
        help="The current user may notify for this document's department.",
    )
    sms_notify_shop_name = fields.Char(
        string="Shop Name",
        compute="_compute_sms_notify_shop",
        help="The shop messages about this document come from: its department's commercial "
        "name, else the company's name.",
    )
    sms_notify_shop_phone = fields.Char(string="Shop Phone", compute="_compute_sms_notify_shop")
    sms_notify_shop_address = fields.Char(string="Shop Address", compute="_compute_sms_notify_shop")

    def _compute_sms_notify_shop(self):
        for record in self:
            record.update(record._sms_notify_team()._sms_notify_shop(record._sms_notify_company()))

    def _sms_notify_company(self):
        """The company whose name and phone messages about this document give when its
        department has none of its own."""
        self.ensure_one()
        return ("company_id" in self._fields and self["company_id"]) or self.env.company

    @api.depends_context("uid")
    def _compute_sms_notify_allowed(self):
        for record in self:
            record.sms_notify_allowed = record._sms_notify_may_notify()

    def _search_sms_notify_allowed(self, operator, value):
        """The documents ``_sms_notify_refusal`` lets the current user notify about, as a
        domain: the same rights and the same department membership, so that a "ready to
        notify" filter lists exactly the documents whose button shows."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(f"Unsupported search: {operator} {value!r}")
        wanted = (operator == "=") == value
        allowed = self._sms_notify_allowed_domain()
        return allowed if wanted else ["!", *expression.normalize_domain(allowed)]

    def _sms_notify_allowed_domain(self):
        user = self.env.user
        if self.env.su or user.has_group("sms_notify.group_sms_notify_other_departments"):
            return expression.TRUE_DOMAIN
        if not user.has_group("sms_notify.group_sms_notify_send_ready"):
            return expression.FALSE_DOMAIN
        team = self._sms_notify_team_field()
        if not team:
            return expression.TRUE_DOMAIN
        return [
            "|",
            "|",
            (team, "=", False),
            (f"{team}.member_ids", "in", user.ids),
            (f"{team}.user_id", "=", user.id),
        ]

    def _sms_notify_day_text(self, moment, customer):
        """The day of ``moment`` (naive UTC) as ``customer`` reads it in a message: on their
        calendar (time zone) and in their language."""
        if not moment:
            return False
        local = fields.Datetime.context_timestamp(
            self.with_context(tz=customer.tz or self.env.user.tz or "UTC"), moment
        )
        return format_date(self.env, local.date(), lang_code=customer.lang or self.env.lang)
