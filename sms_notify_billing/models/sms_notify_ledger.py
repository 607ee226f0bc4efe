from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import pricing

#: kinds a user may enter by hand; every other line is written by the SMS engine
MANUAL_KINDS = ("adjustment",)


class SmsNotifyLedger(models.Model):
    """One movement of a company's SMS balance. The balance is the sum of its lines: lines are
    only ever added, so every kopeck of it can be traced to a top-up, a debit, a refund, a fee
    or an adjustment, and concurrent senders add lines without updating a shared row."""

    _name = "sms.notify.ledger"
    _description = "SMS Balance Movement"
    _order = "date desc, id desc"
    _rec_name = "name"

    balance_id = fields.Many2one(
        "sms.notify.balance", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="balance_id.company_id", store=True)
    currency_id = fields.Many2one(related="balance_id.currency_id")
    tariff_type = fields.Selection(related="balance_id.tariff_type", string="Tariff Type")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    kind = fields.Selection(
        [
            ("topup", "Top-up"),
            ("debit", "Messages sent"),
            ("refund", "Refund"),
            ("fee", "Monthly fee"),
            ("adjustment", "Adjustment"),
        ],
        string="Type",
        required=True,
        default="adjustment",
        help="Top-up: a paid top-up request. Messages sent: the price of the messages handed "
        "over to a gateway. Refund: messages the gateway did not send or did not charge. "
        "Monthly fee: the sender name registration of an own-name tariff. Adjustment: a "
        "correction entered by an administrator, with its reason.",
    )
    amount = fields.Monetary(
        required=True, help="Positive: added to the balance. Negative: taken from it."
    )
    package_messages = fields.Integer(
        help="Messages of a message package. Positive: added to the package (a paid package, "
        "a refund). Negative: taken from it, one per message sent.",
    )
    name = fields.Char(string="Description", required=True)
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user)
    tariff_id = fields.Many2one(
        "sms.notify.tariff", readonly=True, help="The tariff in force when it was charged."
    )
    message_kind = fields.Selection(
        pricing.MESSAGE_KIND_SELECTION,
        readonly=True,
    )
    message_count = fields.Integer(string="Messages", readonly=True)
    segment_count = fields.Integer(string="SMS Parts", readonly=True)
    fee_period = fields.Char(
        readonly=True, help="The month (YYYY-MM) a monthly fee was charged for."
    )
    topup_id = fields.Many2one(
        "sms.notify.topup",
        string="Top-up Request",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The paid request this top-up credits.",
    )

    _sql_constraints = [
        (
            "fee_once_per_month",
            "UNIQUE(balance_id, fee_period)",
            "The monthly fee was already charged for this month.",
        ),
        (
            "amount_not_zero",
            "CHECK(amount <> 0 OR package_messages <> 0)",
            "A balance movement needs an amount or a number of package messages.",
        ),
        ("topup_once", "UNIQUE(topup_id)", "This top-up request was already credited."),
    ]

    def init(self):
        result = super().init()
        # the balance is summed on every batch a queue worker charges
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS sms_notify_ledger_balance_index
                   ON sms_notify_ledger (balance_id) INCLUDE (amount)"""
        )
        # and so is a message package
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS sms_notify_ledger_package_index
                   ON sms_notify_ledger (balance_id) INCLUDE (package_messages)
                WHERE package_messages <> 0"""
        )
        return result

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(
            vals.get("kind", "adjustment") not in MANUAL_KINDS for vals in vals_list
        ):
            raise UserError(
                self.env._(
                    "Only adjustments can be entered by hand: top-ups come from paid top-up "
                    "requests, and debits, refunds and fees from sending."
                )
            )
        lines = super().create(vals_list)
        # refunds are written by queue workers beside other workers' debits: they leave the
        # warning to the next debit, so that the balance row is only written under its lock
        lines.filtered(lambda line: line.kind != "refund").balance_id._check_low_balance()
        return lines

    def write(self, vals):
        if not self.env.su:
            raise UserError(
                self.env._(
                    "Balance movements cannot be changed. Enter an adjustment with its reason "
                    "to correct one."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "Balance movements cannot be deleted. Enter an adjustment with its reason to "
                "correct one."
            )
        )

    @api.constrains("kind", "name")
    def _check_adjustment_reason(self):
        for line in self:
            if line.kind == "adjustment" and not (line.name or "").strip():
                raise ValidationError(self.env._("Say why the balance is adjusted."))

    def action_save_adjustment(self):
        """The dialog's button: the form saved the adjustment before calling this."""
        return {"type": "ir.actions.act_window_close"}
