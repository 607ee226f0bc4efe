from datetime import timedelta

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..tools.sender_names import check_alpha_sender

#: days operators usually take to register a sender name
REGISTRATION_DAYS = 14


class SmsNotifySenderName(models.Model):
    _name = "sms.notify.sender.name"
    _description = "SMS Sender Name"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "company_id, name, id"

    name = fields.Char(
        string="Sender Name",
        required=True,
        tracking=True,
        help="What phones show as the sender of your SMS. Operators register only Latin letters "
        "(A-Z), digits and the underscore, at least one letter, at most 11 characters and no "
        "spaces: the sender field of an SMS holds no more, and every phone must show the name "
        "the same way.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
        help="The company whose SMS carry this sender name once it is in use.",
    )
    basis = fields.Selection(
        [
            ("legal_name", "Legal name"),
            ("domain", "Domain"),
            ("trademark", "Trademark"),
        ],
        string="Right to the Name",
        required=True,
        default="legal_name",
        help="Operators register a sender name only for a business entitled to it: the name "
        "must match its legal name, a domain it owns or a trademark it holds.",
    )
    basis_detail = fields.Char(
        string="Legal Name / Domain / Trademark No.",
        help="The legal name as registered, the domain, or the trademark's registration "
        "number, as shown in the supporting documents.",
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "sms_notify_sender_name_ir_attachment_rel",
        "sender_name_id",
        "attachment_id",
        string="Supporting Documents",
        help="Documents proving the right to the name: an extract from the company register, "
        "proof of domain ownership or the trademark certificate.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("registered", "Registered"),
            ("active", "In Use"),
            ("rejected", "Rejected"),
        ],
        required=True,
        default="draft",
        copy=False,
        tracking=True,
        help="Registered: every operator accepted the name. In use: the company's SMS carry it "
        "(one name per company).",
    )
    submission_date = fields.Date(readonly=True, copy=False)
    expected_date = fields.Date(
        string="Expected Registration",
        compute="_compute_expected_date",
        store=True,
        help=f"Operators usually register a name within {REGISTRATION_DAYS} days of submission.",
    )
    rejection_reason = fields.Text(
        copy=False,
        help="Why the name was refused, as the operator or the SMS provider said.",
    )
    company_country_id = fields.Many2one(related="company_id.country_id")
    operator_ids = fields.Many2many(
        "sms.notify.operator",
        string="Operators to Ask",
        compute="_compute_operator_ids",
        store=True,
        readonly=False,
        domain="['|', ('country_id', '=', False), ('country_id', '=', company_country_id)]",
        help="The operators the name is registered with: every active operator of the company's "
        "country (and those without a country) unless you take some off.",
    )
    registration_ids = fields.One2many(
        "sms.notify.sender.registration",
        "sender_name_id",
        string="Operator Registrations",
        copy=False,
    )
    name_problems = fields.Text(
        compute="_compute_name_problems",
        help="Why operators would refuse the name as typed.",
    )

    _sql_constraints = [
        (
            "name_company_unique",
            "UNIQUE(name, company_id)",
            "This company already has this sender name.",
        ),
    ]

    def init(self):
        # Two names activated at the same time in concurrent transactions would each demote
        # the other's predecessor and both stay active; the index refuses the second commit.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS sms_notify_sender_name_one_active_per_company
            ON sms_notify_sender_name (company_id) WHERE state = 'active'
            """
        )

    @api.depends("submission_date")
    def _compute_expected_date(self):
        for sender in self:
            sender.expected_date = sender.submission_date and (
                sender.submission_date + timedelta(days=REGISTRATION_DAYS)
            )

    @api.depends("company_id")
    def _compute_operator_ids(self):
        operators = self.env["sms.notify.operator"]
        for sender in self:
            sender.operator_ids = operators.search(
                operators._domain_offered_to(sender.company_id.country_id)
            )

    @api.constrains("operator_ids", "company_id")
    def _check_operators_of_the_country(self):
        for sender in self:
            sender.operator_ids._check_offered_to(sender.company_id)

    @api.depends("name")
    def _compute_name_problems(self):
        for sender in self:
            problems = check_alpha_sender(sender.name, translate=self.env._)
            sender.name_problems = "\n".join(problems) or False

    @api.constrains("name")
    def _check_name(self):
        for sender in self:
            problems = check_alpha_sender(sender.name, translate=self.env._)
            if problems:
                raise ValidationError(
                    self.env._(
                        "Operators would refuse the sender name %(name)s:\n%(problems)s",
                        name=repr(sender.name or ""),
                        problems="\n".join(f"- {problem}" for problem in problems),
                    )
                )

    @api.model
    def _get_active_name(self, company):
        """The sender name the company's SMS carry, or an empty recordset.

        Read as superuser: everyone who sends needs it, while only administrators may see the
        registration files."""
        if not company:
            return self.browse()
        return self.sudo().search(
            [("company_id", "=", company.id), ("state", "=", "active")], limit=1
        )

    # workflow

    def _check_state(self, allowed, action):
        for sender in self:
            if sender.state not in allowed:
                states = dict(self._fields["state"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        "%(action)s is not possible for %(name)s while it is %(state)s.",
                        action=action,
                        name=sender.name,
                        state=states[sender.state],
                    )
                )

    def _own_activities(self):
        """The follow-up to-dos scheduled at submission (other activities stay untouched)."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        return self.activity_ids.filtered(
            lambda activity: activity.automated and activity.activity_type_id == todo
        )

    def _get_follow_up_users(self):
        """Administrators of the sender name's company who can act on a reminder."""
        self.ensure_one()
        managers = self.env.ref("sms_notify.group_sms_notify_manager").sudo().users
        return managers.filtered(
            lambda user: (
                user.active
                and user.id != SUPERUSER_ID
                and not user.share
                and self.company_id in user.company_ids
            )
        )

    def action_submit(self):
        self._check_state(["draft"], self.env._("Submitting"))
        for sender in self:
            if not sender.attachment_ids:
                raise UserError(
                    self.env._(
                        "Attach the documents that prove your right to %(name)s before "
                        "submitting it: for a legal name, an extract from the company register; "
                        "for a domain, proof that you own it; for a trademark, its registration "
                        "certificate.",
                        name=sender.name,
                    )
                )
            if not sender.basis_detail:
                raise UserError(
                    self.env._(
                        "Fill in the legal name, domain or trademark number that entitles you "
                        "to %(name)s before submitting it.",
                        name=sender.name,
                    )
                )
            if not sender.operator_ids:
                raise UserError(
                    self.env._(
                        "Choose the operators to register %(name)s with (Operators to Ask). "
                        "Only operators of the company's country (%(country)s) and those "
                        "without a country are offered: add them in SMS Notify › Configuration "
                        "› Operators, or set the company's country.",
                        name=sender.name,
                        country=sender.company_id.country_id.name or self.env._("none set"),
                    )
                )
            sender.company_id._sms_notify_provider_email()
        today = fields.Date.context_today(self)
        for sender in self:
            operators = sender.operator_ids
            sender.write(
                {
                    "state": "submitted",
                    "submission_date": today,
                    "rejection_reason": False,
                    # a name submitted again after a rejection starts a fresh round
                    "registration_ids": [Command.clear()]
                    + [Command.create({"operator_id": operator.id}) for operator in operators],
                }
            )
            sender._send_to_provider()
            sender.message_post(
                body=self.env._(
                    "Submitted for registration with %(operators)s; expected by %(date)s.",
                    operators=", ".join(operators.mapped("name")),
                    date=format_date(self.env, sender.expected_date),
                )
            )
            for user in sender._get_follow_up_users():
                sender.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=sender.expected_date,
                    summary=self.env._(
                        "Follow up the registration of sender name %(name)s", name=sender.name
                    ),
                    user_id=user.id,
                )
        return True

    def _send_to_provider(self):
        """E-mail the request and its documents to the provider from the chatter: the e-mail is
        a message of the name's thread, so the provider's reply to it is filed there too."""
        self.ensure_one()
        self.message_post_with_source(
            "sms_notify_billing.mail_template_sender_name_registration",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachment_ids=self.attachment_ids.ids,
        )

    def _update_registration_state(self):
        """A submitted name becomes registered once every operator registered it."""
        for sender in self.filtered(lambda sender: sender.state == "submitted"):
            lines = sender.registration_ids
            if lines and all(line.state == "registered" for line in lines):
                sender.state = "registered"
                sender._own_activities().action_feedback(
                    feedback=self.env._("Registered with every operator.")
                )
                sender.message_post(
                    body=self.env._(
                        "%(name)s is registered with every operator and can be put in use.",
                        name=sender.name,
                    )
                )

    def action_activate(self):
        self.ensure_one()
        self._check_state(["registered"], self.env._("Putting the name in use"))
        previous = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "active"),
                ("id", "!=", self.id),
            ]
        )
        if previous:
            previous.state = "registered"
            # the one-active-name index is checked per statement: demote before promoting
            previous.flush_recordset(["state"])
            for sender in previous:
                sender.message_post(
                    body=self.env._(
                        "No longer in use: SMS now carry the sender name %(name)s.",
                        name=self.name,
                    )
                )
        self.state = "active"
        self._own_activities().unlink()
        self.message_post(
            body=self.env._(
                "SMS of %(company)s now carry this sender name.", company=self.company_id.name
            )
        )
        return True

    def action_reject(self):
        self._check_state(["submitted", "registered", "active"], self.env._("Rejecting"))
        for sender in self:
            if not (sender.rejection_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Write in Rejection Reason why %(name)s was refused, then reject it again.",
                        name=sender.name,
                    )
                )
        for sender in self:
            sender.state = "rejected"
            sender._own_activities().unlink()
            sender.message_post(
                body=self.env._("Rejected: %(reason)s", reason=sender.rejection_reason)
            )
        return True

    def action_reset_draft(self):
        self._check_state(["rejected"], self.env._("Going back to draft"))
        self.write({"state": "draft", "submission_date": False})
        return True
