from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import pricing

#: context key under which the workflow's actions write; its value is this very object, which no
#: RPC call can send, so that a context from the outside never passes for the workflow
WORKFLOW_CONTEXT_KEY = "sms_notify_topup_workflow"
_WORKFLOW = object()


class SmsNotifyTopup(models.Model):
    """A request to the provider to add an amount to the SMS balance. The balance is credited
    once, when the request is paid: the credit is a ledger line linked back to the request."""

    _name = "sms.notify.topup"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "SMS Balance Top-up Request"
    _order = "id desc"

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    balance_id = fields.Many2one(
        "sms.notify.balance",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env["sms.notify.balance"]._get_for_company(self.env.company).id,
    )
    company_id = fields.Many2one(related="balance_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="balance_id.currency_id")
    amount = fields.Monetary(required=True, tracking=True, help="The amount to add to the balance.")
    tariff_type = fields.Selection(related="balance_id.tariff_type", string="Tariff Type")
    package_id = fields.Many2one(
        "sms.notify.package",
        string="Message Package",
        tracking=True,
        domain="[('company_id', '=', company_id)]",
        help="Under a message package tariff: the package to buy. Its price is the amount "
        "requested, and paying it adds its messages to the balance.",
    )
    package_messages = fields.Integer(
        compute="_compute_package_messages",
        store=True,
        help="The messages the package adds once paid, as offered when it was requested.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("requested", "Requested"),
            ("paid", "Paid"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
        help="Requested: the provider was told and its invoice awaits payment. Paid: the amount "
        "was added to the balance.",
    )
    requested_by = fields.Many2one("res.users", readonly=True, copy=False)
    request_date = fields.Datetime(string="Requested On", readonly=True, copy=False)
    paid_date = fields.Datetime(string="Paid On", readonly=True, copy=False)
    ledger_id = fields.Many2one(
        "sms.notify.ledger",
        string="Balance Credit",
        readonly=True,
        copy=False,
        help="The movement that added the amount to the balance.",
    )
    note = fields.Text()

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "A top-up needs a positive amount."),
    ]

    @api.depends("package_id")
    def _compute_package_messages(self):
        # only when the package is chosen: a later change of the offer leaves the request as
        # it was asked
        for topup in self:
            topup.package_messages = topup.package_id.messages

    @api.onchange("package_id")
    def _onchange_package_id(self):
        if self.package_id:
            self.amount = self.package_id.price

    @api.model
    def _workflow_fields(self):
        """The fields only the workflow's actions write. Bridges add theirs."""
        return {"state", "request_date", "requested_by", "paid_date", "ledger_id"}

    def _in_workflow(self):
        return self.env.context.get(WORKFLOW_CONTEXT_KEY) is _WORKFLOW

    def _workflow_write(self, vals):
        """Write what an action of the workflow decided."""
        return self.with_context(**{WORKFLOW_CONTEXT_KEY: _WORKFLOW}).write(vals)

    def _check_workflow_fields(self, field_names):
        forced = sorted(self._workflow_fields() & set(field_names))
        if forced:
            raise UserError(
                self.env._(
                    "%(fields)s of a top-up request change only through its buttons (Request, "
                    "Mark as Paid, Cancel, Reset to Draft).",
                    fields=", ".join(forced),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        sms_balances = self.env["sms.notify.balance"]
        for vals in vals_list:
            # a request starts as a draft: a default state or empty values are no shortcut
            self._check_workflow_fields(
                name
                for name, value in vals.items()
                if value and not (name == "state" and value == "draft")
            )
        for vals in vals_list:
            if vals.get("package_id") and not vals.get("amount"):
                vals["amount"] = self.env["sms.notify.package"].browse(vals["package_id"]).price
            if vals.get("name", self.env._("New")) == self.env._("New"):
                sms_balance = sms_balances.browse(
                    vals.get("balance_id")
                ) or sms_balances._get_for_company(self.env.company)
                vals["name"] = self.env["ir.sequence"].with_company(
                    sms_balance.company_id
                ).next_by_code("sms.notify.topup") or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        if not self._in_workflow():
            self._check_workflow_fields(vals)
            # what was asked of the provider, and credited, stays as it was asked
            locked = [
                name
                for name in ("amount", "balance_id", "package_id", "package_messages")
                if name in vals
            ]
            changed = self.filtered(
                lambda topup: (
                    topup.state != "draft"
                    and any(
                        topup._fields[name].convert_to_write(topup[name], topup) != vals[name]
                        for name in locked
                    )
                )
            )
            if changed:
                raise UserError(
                    self.env._(
                        "%(names)s left draft: its amount and balance stay as they were "
                        "requested. Cancel it and request a new top-up instead.",
                        names=", ".join(changed.mapped("name")),
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(topup.state != "draft" for topup in self):
            raise UserError(
                self.env._(
                    "Only draft top-up requests can be deleted: cancel a request instead, so "
                    "that what was asked of the provider stays on record."
                )
            )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def _check_minimum(self):
        """A package is bought at its price; an amount of money is at least the minimum."""
        for topup in self:
            if topup._check_package():
                continue
            minimum = topup.balance_id.minimum_topup
            if topup.currency_id.compare_amounts(topup.amount, minimum) < 0:
                raise UserError(
                    self.env._(
                        "A top-up must be at least %(minimum)s %(currency)s (%(name)s asks for "
                        "%(amount)s).",
                        minimum=pricing.amount_text(minimum),
                        currency=topup.currency_id.name,
                        name=topup.name,
                        amount=pricing.amount_text(topup.amount),
                    )
                )

    def _check_package(self):
        """Whether this request buys a package (of its balance's company); a balance under a
        package tariff buys packages only."""
        self.ensure_one()
        if self.package_id:
            if self.package_id.company_id != self.company_id:
                raise UserError(
                    self.env._(
                        "%(name)s: the package %(package)s is offered to another company. "
                        "Choose one of your company's packages.",
                        name=self.name,
                        package=self.package_id.display_name,
                    )
                )
            return True
        if self.balance_id.tariff_id.tariff_type == pricing.PACKAGE:
            raise UserError(
                self.env._(
                    "%(name)s: your tariff is a message package. Choose the package to buy.",
                    name=self.name,
                )
            )
        return False

    def action_request(self):
        if any(topup.state != "draft" for topup in self):
            raise UserError(self.env._("Only draft top-ups can be requested."))
        self._check_minimum()
        for company in self.company_id:
            company._sms_notify_provider_email()
        self._workflow_write(
            {
                "state": "requested",
                "request_date": fields.Datetime.now(),
                "requested_by": self.env.user.id,
            }
        )
        for topup in self:
            topup._send_to_provider()
            topup.message_post(
                body=self.env._(
                    "Top-up of %(amount)s %(currency)s requested.",
                    amount=pricing.amount_text(topup.amount),
                    currency=topup.currency_id.name,
                )
            )
        self._create_invoice()
        return True

    def _send_to_provider(self):
        """E-mail the request to the provider from the chatter, where its reply is filed."""
        self.ensure_one()
        self.message_post_with_source(
            "sms_notify_billing.mail_template_topup_request",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    def _create_invoice(self):
        """Hook: prepare the provider's invoice of requested top-ups. Without an invoicing
        bridge there is none: an administrator marks the request paid once the provider's
        invoice is settled."""

    def _can_pay_online(self):
        """Hook: whether the request can be paid online (an online payment bridge answers).
        A request paid online needs no bill: invoicing bridges prepare none for it."""
        self.ensure_one()
        return False

    def _check_can_mark_paid(self):
        """Raise a ``UserError`` when ``self`` may not be credited yet. Bridges add their
        reasons (e.g. an unpaid invoice).

        Whoever asked for a top-up does not also confirm that it was paid: another
        administrator does, or the system once the payment arrives (a paid bill, an online
        payment), which credits in superuser mode."""
        if self.env.su:
            return
        own = self.filtered(lambda topup: topup.requested_by == self.env.user)
        if own:
            raise UserError(
                self.env._(
                    "You requested %(names)s yourself, so another SMS Notify administrator "
                    "confirms that it was paid. Paying it online, or paying the provider's "
                    "bill, credits the balance by itself.",
                    names=", ".join(own.mapped("name")),
                )
            )

    def _lock_for_payment(self):
        """Lock the requests until the end of the transaction and read their state again, so
        that two payments confirmed at once (a user and a bank reconciliation) credit once."""
        self.env.cr.execute(
            "SELECT id FROM sms_notify_topup WHERE id IN %s FOR UPDATE", [tuple(self.ids)]
        )
        self.invalidate_recordset(["state", "ledger_id"])

    def action_mark_paid(self):
        if not self:
            return True
        self._lock_for_payment()
        to_credit = self.filtered(lambda topup: topup.state != "paid" and not topup.ledger_id)
        if any(topup.state != "requested" for topup in to_credit):
            raise UserError(
                self.env._("Only requested top-ups can be paid: request it first, or reset it.")
            )
        to_credit._check_can_mark_paid()
        to_credit._credit_balance()
        return True

    def _credit_balance(self):
        """Add the requests' amounts to their balances and mark them paid. Callers lock the
        requests (``_lock_for_payment``) and make sure they are requested and not credited."""
        now = fields.Datetime.now()
        for topup in self:
            credit = (
                self.env["sms.notify.ledger"]
                .sudo()
                .create(
                    {
                        "balance_id": topup.balance_id.id,
                        "kind": "topup",
                        "topup_id": topup.id,
                        "name": self.env._("Top-up %(name)s", name=topup.name),
                        **topup._credit_values(),
                    }
                )
            )
            topup._workflow_write({"state": "paid", "paid_date": now, "ledger_id": credit.id})
            topup.message_post(body=topup._paid_note())

    def _credit_values(self):
        """What paying adds: the package's messages (its price was money paid for them, not
        added to the money balance), or the amount."""
        if self.package_id:
            return {"amount": 0, "package_messages": self.package_messages}
        return {"amount": self.amount}

    def _paid_note(self):
        if self.package_id:
            return self.env._(
                "Paid: %(messages)s messages added to the message package.",
                messages=pricing.count_text(self.package_messages),
            )
        return self.env._(
            "Paid: %(amount)s %(currency)s added to the SMS balance.",
            amount=pricing.amount_text(self.amount),
            currency=self.currency_id.name,
        )

    def action_cancel(self):
        if any(topup.state == "paid" for topup in self):
            raise UserError(
                self.env._(
                    "A paid top-up was added to the balance and cannot be cancelled: enter an "
                    "adjustment on the balance to correct it."
                )
            )
        self._workflow_write({"state": "cancelled"})
        return True

    def action_draft(self):
        if any(topup.state != "cancelled" for topup in self):
            raise UserError(self.env._("Only cancelled top-ups can be reset to draft."))
        self._workflow_write({"state": "draft", "request_date": False, "requested_by": False})
        return True
