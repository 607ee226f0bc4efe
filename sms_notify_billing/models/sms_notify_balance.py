from datetime import date

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import pricing

DEFAULT_MINIMUM_TOPUP = 1000


class SmsNotifyBalance(models.Model):
    """A company's prepaid SMS balance: the tariff in force, the balance and its ledger.

    Without a tariff nothing is charged (messages are paid to the gateway's vendor directly)."""

    _name = "sms.notify.balance"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "SMS Balance"
    _rec_name = "company_id"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, ondelete="cascade"
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
        help="The currency the balance is kept in, the company's by default. Its tariff must "
        "be priced in the same currency. Changing it converts nothing: choose it before the "
        "first top-up.",
    )
    tariff_id = fields.Many2one(
        "sms.notify.tariff",
        domain="[('company_id', '=', company_id), ('currency_id', '=', currency_id)]",
        tracking=True,
        help="Prices of the messages and the monthly fee. Empty: nothing is charged to this "
        "balance.",
    )
    tariff_type = fields.Selection(related="tariff_id.tariff_type")
    balance = fields.Monetary(compute="_compute_balance", help="The sum of all movements.")
    package_messages_left = fields.Integer(
        string="Messages Left",
        compute="_compute_balance",
        help="Under a message package tariff: the messages of the packages bought that are "
        "not sent yet. Each message sent takes one, whatever its length.",
    )
    ledger_ids = fields.One2many("sms.notify.ledger", "balance_id", string="Movements")
    minimum_topup = fields.Monetary(
        string="Minimum Top-up",
        default=DEFAULT_MINIMUM_TOPUP,
        help="Top-up requests below this amount are refused.",
    )
    provider_id = fields.Many2one(
        "res.partner",
        tracking=True,
        help="Who sells the SMS balance and invoices its top-ups. With Invoicing installed, "
        "requesting a top-up prepares the provider's bill, and paying it credits the balance.",
    )
    topup_count = fields.Integer(string="Top-ups", compute="_compute_topup_count")
    low_balance_threshold = fields.Monetary(
        help="Below this balance the users to warn get an activity and an e-mail, once until "
        "the balance is topped up again. 0: no warning."
    )
    low_package_threshold = fields.Integer(
        help="Under a message package tariff: below this number of messages left the users "
        "to warn get an activity and an e-mail, once until a package is bought again. 0: no "
        "warning.",
    )
    low_balance_user_ids = fields.Many2many("res.users", string="Users to Warn")
    low_balance_warned = fields.Boolean(readonly=True, copy=False)
    sender = fields.Char(
        string="Messages Go Out As",
        compute="_compute_sender",
        help="The tariff's shared name, or the company's own sender name once it is active; "
        "without either, the sender name of the gateway.",
    )

    @api.constrains("low_package_threshold")
    def _check_package_threshold_not_negative(self):
        if any(sms_balance.low_package_threshold < 0 for sms_balance in self):
            raise ValidationError(
                self.env._("The low package threshold cannot be negative (0: no warning).")
            )

    @api.constrains("minimum_topup", "low_balance_threshold")
    def _check_amounts_not_negative(self):
        for sms_balance in self:
            if sms_balance.minimum_topup < 0 or sms_balance.low_balance_threshold < 0:
                raise ValidationError(
                    self.env._(
                        "The minimum top-up and the low-balance threshold cannot be negative "
                        "(threshold 0: no warning)."
                    )
                )

    _sql_constraints = [
        ("company_unique", "UNIQUE(company_id)", "A company has a single SMS balance."),
    ]

    @api.depends("ledger_ids.amount", "ledger_ids.package_messages")
    def _compute_balance(self):
        balances = {
            sms_balance: (amount, messages)
            for sms_balance, amount, messages in self.env["sms.notify.ledger"]
            .sudo()
            ._read_group(
                [("balance_id", "in", self.ids)],
                ["balance_id"],
                ["amount:sum", "package_messages:sum"],
            )
        }
        for sms_balance in self:
            amount, messages = balances.get(sms_balance, (0.0, 0))
            sms_balance.balance = amount
            sms_balance.package_messages_left = messages

    def _compute_topup_count(self):
        # the smart button shows to administrators only, but the balance form is readable by
        # every SMS user
        counts = dict(
            self.env["sms.notify.topup"]
            .sudo()
            ._read_group([("balance_id", "in", self.ids)], ["balance_id"], ["__count"])
        )
        for sms_balance in self:
            sms_balance.topup_count = counts.get(sms_balance, 0)

    @api.depends("tariff_id")
    def _compute_sender(self):
        gateways = self.env["sms.notify.gateway"].sudo()
        for sms_balance in self:
            sms_balance.sender = (
                sms_balance._tariff_sender()
                or gateways._get_candidates(sms_balance.company_id)[:1].sender
            )

    @api.depends("company_id")
    def _compute_currency_id(self):
        for sms_balance in self:
            if not sms_balance.currency_id:
                sms_balance.currency_id = sms_balance.company_id.currency_id

    @api.constrains("tariff_id", "currency_id")
    def _check_tariff_currency(self):
        """Prices are charged as they are written: a tariff in roubles never charges a balance
        kept in dollars at a rate of one."""
        for sms_balance in self:
            tariff = sms_balance.tariff_id
            if tariff and tariff.currency_id != sms_balance.currency_id:
                raise ValidationError(
                    self.env._(
                        "The tariff %(tariff)s is priced in %(tariff_currency)s, but the SMS "
                        "balance of %(company)s is kept in %(currency)s. Choose a tariff priced "
                        "in %(currency)s, or keep the balance in %(tariff_currency)s.",
                        tariff=tariff.name,
                        tariff_currency=tariff.currency_id.name,
                        company=sms_balance.company_id.name,
                        currency=sms_balance.currency_id.name,
                    )
                )

    @api.model
    def _get_for_company(self, company, create=True):
        sms_balance = self.sudo().search([("company_id", "=", company.id)], limit=1)
        if not sms_balance and create:
            sms_balance = self.sudo().create({"company_id": company.id})
        return sms_balance

    @api.model
    def action_open_balance(self):
        """The *Balance* menu: the current company's balance, opened on its form."""
        sms_balance = self._get_for_company(self.env.company)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": sms_balance.id,
            "view_mode": "form",
            "name": self.env._("SMS Balance"),
        }

    def action_view_ledger(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sms_notify_billing.sms_notify_ledger_action"
        )
        action["domain"] = [("balance_id", "=", self.id)]
        action["context"] = {"default_balance_id": self.id}
        return action

    def action_request_topup(self):
        """A new top-up request, for the minimum amount unless the user asks for more."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sms.notify.topup",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "name": self.env._("Request Top-up"),
            "context": {
                "default_balance_id": self.id,
                **self._topup_defaults(),
            },
        }

    def _topup_defaults(self):
        """What a new top-up request proposes: the smallest package of a package tariff,
        else the minimum amount."""
        package = self.tariff_id.package_ids[:1] if self._counts_messages() else None
        if package:
            return {"default_package_id": package.id, "default_amount": package.price}
        return {"default_amount": self.minimum_topup}

    def action_view_topups(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sms_notify_billing.sms_notify_topup_action"
        )
        action["domain"] = [("balance_id", "=", self.id)]
        action["context"] = {"default_balance_id": self.id, **self._topup_defaults()}
        return action

    def action_adjust(self):
        """An administrator's correction, with its reason (a dialog on a new movement)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sms.notify.ledger",
            "view_mode": "form",
            "views": [
                (self.env.ref("sms_notify_billing.sms_notify_ledger_view_form_adjust").id, "form")
            ],
            "target": "new",
            "name": self.env._("Adjust Balance"),
            "context": {"default_balance_id": self.id, "default_kind": "adjustment"},
        }

    # ------------------------------------------------------------------
    # Charging messages
    # ------------------------------------------------------------------

    def _tariff_sender(self):
        """The sender name the tariff imposes, or ``False`` to leave the gateway's."""
        self.ensure_one()
        tariff = self.tariff_id
        if not tariff:
            return False
        if tariff.tariff_type == pricing.OWN_NAME:
            own = self.env["sms.notify.sender.name"].sudo()._get_active_name(self.company_id)
            if own:
                return own.name
        return tariff.shared_sender or False

    def _counts_messages(self):
        """Under a message package tariff the balance is the package's messages left."""
        self.ensure_one()
        return self.tariff_id.tariff_type == pricing.PACKAGE

    def _locked_balance(self):
        """The balance, with its row locked until the end of the transaction: the caller
        charges what this balance covers before anyone else may read it."""
        self.ensure_one()
        cr = self.env.cr
        cr.execute("SELECT id FROM sms_notify_balance WHERE id = %s FOR UPDATE", [self.id])
        cr.execute(
            "SELECT COALESCE(SUM(amount), 0) FROM sms_notify_ledger WHERE balance_id = %s",
            [self.id],
        )
        return cr.fetchone()[0]

    def _locked_package_messages(self):
        """The messages left in the package, under the same row lock as the money balance
        (see ``_locked_balance``)."""
        self.ensure_one()
        cr = self.env.cr
        cr.execute("SELECT id FROM sms_notify_balance WHERE id = %s FOR UPDATE", [self.id])
        cr.execute(
            """SELECT COALESCE(SUM(package_messages), 0) FROM sms_notify_ledger
                WHERE balance_id = %s AND package_messages <> 0""",
            [self.id],
        )
        return cr.fetchone()[0]

    def _charge(self, messages, force=False):
        """Charge ``messages`` (in sending order) to the balance; return the ones it does not
        cover. Must run in a transaction of its own, committed before the messages are handed
        over, whose cursor reads committed data (see ``sms.sms._sms_notify_claim``): two
        workers charging at once then take turns on the balance's row lock, and the second
        sees the first one's debit. ``force`` charges them all, covered or not: messages a
        gateway sent on its own (the SMS of a vendor's cascade).

        Return ``(refused messages, what the balance held)``: an amount of money, or the
        messages left under a message package, where each message takes one."""
        self.ensure_one()
        package = self._counts_messages()
        kinds = messages.mapped("message_kind")
        segments = messages.mapped("segments")
        channels = messages.mapped("channel")
        if package:
            # a message of the package each, whatever its parts or channel (the SMS after a
            # Viber attempt is a message of its own)
            costs = [1] * len(messages)
            held = self._locked_package_messages()
            covered = pricing.package_covered(held, len(messages))
        else:
            prices = self.tariff_id._pricing()
            costs = [
                prices.message_price(count or 0, kind, is_registered, channel)
                for count, kind, is_registered, channel in zip(
                    segments, kinds, messages.mapped("operator_registered"), channels, strict=True
                )
            ]
            held = self._locked_balance()
            covered = pricing.covered(held, costs)
        if force:
            covered = [True] * len(messages)
        debits = {}  # (channel, sms kind) → [messages, segments, cost]
        charged_values, charged_ids, refused_ids = [], [], []
        for sms_id, kind, channel, count, cost, fits in zip(
            messages._ids, kinds, channels, segments, costs, covered, strict=True
        ):
            if not fits:
                refused_ids.append(sms_id)
                continue
            charged_ids.append(sms_id)
            charged_values.append({"package_message": True} if package else {"price": float(cost)})
            debit = debits.setdefault((channel, pricing.message_kind(kind)), [0, 0, 0])
            debit[0] += 1
            debit[1] += count or 0
            debit[2] += cost
        self.env["sms.notify.ledger"].sudo().create(
            [
                {
                    "balance_id": self.id,
                    "kind": "debit",
                    **(
                        {"amount": 0, "package_messages": -cost}
                        if package
                        else {"amount": -float(cost)}
                    ),
                    "tariff_id": self.tariff_id.id,
                    "message_kind": kind,
                    "message_count": count,
                    "segment_count": parts,
                    "name": self._debit_name(channel, kind, count, parts, package),
                }
                for (channel, kind), (count, parts, cost) in debits.items()
                if cost
            ]
        )
        messages.browse(charged_ids)._sms_notify_write_later(charged_values)
        return messages.browse(refused_ids), held

    def _debit_name(self, channel, kind, count, parts, package):
        """How a ledger line names the messages of one channel and kind it charges."""
        kind = dict(
            self.env["sms.sms"]._fields["message_kind"]._description_selection(self.env)
        ).get(kind, kind)
        if channel == "viber":
            if package:
                return self.env._(
                    "%(kind)s Viber messages sent from the package: %(count)s",
                    count=count,
                    kind=kind,
                )
            return self.env._("%(kind)s Viber messages sent: %(count)s", count=count, kind=kind)
        if package:
            return self.env._(
                "%(kind)s SMS sent from the package: %(count)s, SMS parts: %(parts)s",
                count=count,
                kind=kind,
                parts=parts,
            )
        return self.env._(
            "%(kind)s SMS sent: %(count)s, SMS parts: %(parts)s",
            count=count,
            kind=kind,
            parts=parts,
        )

    def _refund_package(self, count, reason):
        """Give ``count`` messages back to the package."""
        self.ensure_one()
        if count <= 0:
            return
        self.env["sms.notify.ledger"].sudo().create(
            {
                "balance_id": self.id,
                "kind": "refund",
                "amount": 0,
                "package_messages": count,
                "message_count": count,
                "name": reason,
            }
        )

    def _refund(self, amount, count, reason):
        self.ensure_one()
        if amount <= 0:
            return
        self.env["sms.notify.ledger"].sudo().create(
            {
                "balance_id": self.id,
                "kind": "refund",
                "amount": amount,
                "message_count": count,
                "name": reason,
            }
        )

    # ------------------------------------------------------------------
    # Low balance, monthly fees
    # ------------------------------------------------------------------

    def _check_low_balance(self):
        """Warn the chosen users once when the balance falls below the threshold; arm the
        warning again once a top-up lifts it above."""
        for sms_balance in self.sudo():
            if sms_balance._counts_messages():
                threshold = sms_balance.low_package_threshold
                low = sms_balance.package_messages_left < threshold
            else:
                threshold = sms_balance.low_balance_threshold
                low = sms_balance.balance < threshold
            if not threshold:
                continue
            if low == sms_balance.low_balance_warned:
                continue
            sms_balance.low_balance_warned = low
            if low:
                sms_balance._warn_low_balance()

    def _warn_low_balance(self):
        users = self.low_balance_user_ids.filtered("active")
        if not users:
            return
        if self._counts_messages():
            summary = self.env._("Buy a message package")
            note = self.env._(
                "The message package of %(company)s is down to %(left)s messages, below the "
                "threshold of %(threshold)s. Messages it cannot cover are not sent: request a "
                "new package.",
                company=self.company_id.name,
                left=pricing.count_text(self.package_messages_left),
                threshold=pricing.count_text(self.low_package_threshold),
            )
            subject = self.env._("Low message package: %(company)s", company=self.company_id.name)
        else:
            summary, note, subject = self._low_balance_texts()
        for user in users:
            self.activity_schedule(
                "mail.mail_activity_data_todo", summary=summary, note=note, user_id=user.id
            )
        self.message_post(
            body=note,
            subject=subject,
            partner_ids=users.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
            message_type="notification",
        )

    def _low_balance_texts(self):
        """``(activity summary, note, e-mail subject)`` of the money balance's warning."""
        summary = self.env._("Top up the SMS balance")
        note = self.env._(
            "The SMS balance of %(company)s is down to %(balance)s %(currency)s, below the "
            "threshold of %(threshold)s. Messages it cannot pay for are not sent: request a "
            "top-up.",
            company=self.company_id.name,
            balance=pricing.amount_text(self.balance),
            currency=self.currency_id.name,
            threshold=pricing.amount_text(self.low_balance_threshold),
        )
        return (
            summary,
            note,
            self.env._("Low SMS balance: %(company)s", company=self.company_id.name),
        )

    @api.model
    def _cron_monthly_fees(self, today=None):
        """Charge each own-name tariff's monthly fee once per month (a missed run charges it
        at the next one: the month is recorded on the movement)."""
        today = today or fields.Date.context_today(self)
        period = f"{today.year:04d}-{today.month:02d}"
        sms_balances = self.sudo().search([("tariff_id.tariff_type", "=", pricing.OWN_NAME)])
        ledger = self.env["sms.notify.ledger"].sudo()
        charged = set(
            ledger.search([("fee_period", "=", period), ("balance_id", "in", sms_balances.ids)])
            .mapped("balance_id")
            .ids
        )
        for sms_balance in sms_balances:
            fee = sms_balance.tariff_id._pricing().monthly_fee
            if sms_balance.id in charged or not fee:
                continue
            ledger.create(
                {
                    "balance_id": sms_balance.id,
                    "kind": "fee",
                    "amount": -float(fee),
                    "tariff_id": sms_balance.tariff_id.id,
                    "fee_period": period,
                    "name": self.env._(
                        "Sender name registration, %(month)s",
                        month=date(today.year, today.month, 1).strftime("%m/%Y"),
                    ),
                }
            )
