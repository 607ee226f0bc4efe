from odoo import api, fields, models

from ..tools import consent, kinds
from ..tools.names import parts_fit_name, salutation, split_full_name
from ..tools.schedule import next_anniversary


class ResPartner(models.Model):
    _inherit = "res.partner"

    sms_notify_gender = fields.Selection(
        [("male", "Male"), ("female", "Female")],
        string="Gender",
        help="For the form of address in messages, e.g. Dear Sir or Dear Madam.",
    )
    sms_notify_first_name = fields.Char(
        string="First Name",
        compute="_compute_sms_notify_name_parts",
        store=True,
        readonly=False,
        help="How messages greet the customer. Read from the name; correct it if the name is "
        "written in another order.",
    )
    sms_notify_patronymic = fields.Char(
        string="Patronymic",
        compute="_compute_sms_notify_name_parts",
        store=True,
        readonly=False,
        help="Russian customers are addressed by first name and patronymic (Анна Сергеевна). "
        "Read from the name when it ends in -вич, -вна or -ична.",
    )
    sms_notify_last_name = fields.Char(
        string="Last Name",
        compute="_compute_sms_notify_name_parts",
        store=True,
        readonly=False,
        help="Read from the name; correct it if the name is written in another order.",
    )
    sms_notify_salutation = fields.Char(
        string="Salutation",
        compute="_compute_sms_notify_salutation",
        help="How messages address the customer, by their gender and language: Dear Ms, "
        "Уважаемая, Szanowna Pani.",
    )
    sms_notify_shop_name = fields.Char(
        compute="_compute_sms_notify_shop",
        help="The shop a message to this contact comes from: the sender's department, else "
        "the company sending it.",
    )
    sms_notify_shop_phone = fields.Char(compute="_compute_sms_notify_shop")
    sms_notify_shop_address = fields.Char(compute="_compute_sms_notify_shop")
    sms_notify_birthday = fields.Date(
        string="Birthday",
        help="For birthday greetings and offers.",
    )
    sms_notify_next_birthday = fields.Date(
        string="Next Birthday",
        compute="_compute_sms_notify_next_birthday",
        store=True,
        help="The birthday to come (today's included): yearly notification rules are timed "
        "from it. Moved on to the next year each night.",
    )

    @api.depends("sms_notify_birthday")
    def _compute_sms_notify_next_birthday(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.sms_notify_next_birthday = partner.sms_notify_birthday and next_anniversary(
                partner.sms_notify_birthday, today
            )

    @api.model
    def _cron_sms_notify_next_birthdays(self):
        """Move yesterday's birthdays on to next year."""
        passed = self.with_context(active_test=False).search(
            [("sms_notify_next_birthday", "<", fields.Date.context_today(self))]
        )
        self.env.add_to_compute(self._fields["sms_notify_next_birthday"], passed)
        passed._recompute_recordset(["sms_notify_next_birthday"])

    @api.depends_context("company", "uid")
    def _compute_sms_notify_shop(self):
        # a message from the customer card comes from the sender's own department
        company = self.env.company
        team = self.env.user.sale_team_id.filtered(
            lambda team: team.company_id in (company, self.env["res.company"])
        )
        self.update(team._sms_notify_shop(company))

    @api.depends("sms_notify_gender", "lang")
    def _compute_sms_notify_salutation(self):
        for partner in self:
            partner.sms_notify_salutation = salutation(partner.sms_notify_gender, partner.lang)

    @api.depends("name", "is_company")
    def _compute_sms_notify_name_parts(self):
        for partner in self:
            current = (
                partner.sms_notify_first_name or "",
                partner.sms_notify_patronymic or "",
                partner.sms_notify_last_name or "",
            )
            if partner.is_company:
                parts = ("", "", "")
            elif parts_fit_name(current, partner.name):
                # read from these words already, or corrected by a user: keep
                parts = current
            else:
                parts = split_full_name(partner.name)
            first, patronymic, last = parts
            partner.sms_notify_first_name = first or False
            partner.sms_notify_patronymic = patronymic or False
            partner.sms_notify_last_name = last or False

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
        string="Messages Sent", compute="_compute_sms_notify_sms_count", compute_sudo=True
    )

    def _compute_sms_notify_sms_count(self):
        counts = dict(
            self.env["sms.notify.message"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.sms_notify_sms_count = counts.get(partner, 0)

    def action_view_sms_notify_history(self):
        """Every SMS and e-mail sent to the customer, with its status, parts and cost."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sms_notify.sms_notify_message_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {}
        action["display_name"] = self.env._("Messages to %(name)s", name=self.display_name)
        return action

    @api.depends("sms_notify_ad_consent")
    def _compute_sms_notify_ad_consent_date(self):
        now = fields.Datetime.now()
        for partner in self:
            if not partner.sms_notify_ad_consent:
                partner.sms_notify_ad_consent_date = False
            elif not partner.sms_notify_ad_consent_date:
                partner.sms_notify_ad_consent_date = now

    def _sms_notify_email_refusals(self, kind):
        """``{partner: why an e-mail of ``kind`` may not go to them}``, worded for the user,
        for the partners of ``self`` their consent stops (the blacklist is read once)."""
        blacklisted = set()
        if kind == kinds.ADVERTISING:
            blacklisted = set(
                self.env["mail.blacklist"]
                .sudo()
                .search(
                    [("email", "in", [email for email in self.mapped("email_normalized") if email])]
                )
                .mapped("email")
            )
        refusals = {}
        for partner in self:
            reason = consent.email_refusal(
                kind,
                blacklisted=bool(partner.email_normalized)
                and partner.email_normalized in blacklisted,
                customer=True,
                advertising_consent=partner.sms_notify_ad_consent,
            )
            if reason == consent.BLACKLISTED:
                refusals[partner] = self.env._(
                    "%(customer)s unsubscribed from promotional e-mails (the e-mail blacklist): "
                    "send this e-mail as a service message if it is not a promotion.",
                    customer=partner.display_name,
                )
            elif reason == consent.NO_ADVERTISING_CONSENT:
                refusals[partner] = self.env._(
                    "%(customer)s has not agreed to promotions: send this e-mail as a service "
                    "message if it is not a promotion, or record their consent on the contact "
                    "first.",
                    customer=partner.display_name,
                )
        return refusals
