from markupsafe import Markup

from odoo import _, fields, models
from odoo.tools import float_round

from odoo.addons.sms_notify.models.sms_notify_message import STATUSES

#: statuses whose messages carry a reason
FAILED_STATUSES = ("not_delivered", "cancelled")


class MailingMailingResults(models.Model):
    # the results beside the sending, which stays in mailing_mailing.py
    _inherit = "mailing.mailing"  # pylint: disable=consider-merging-classes-inherited

    # what the SMS history says about the mailing's SMS; Odoo's own statistics (received,
    # clicked, replied) stay as SMS Marketing computes them from its traces
    sms_notify_processing_count = fields.Integer(
        string="SMS Processing", compute="_compute_sms_notify_results"
    )
    sms_notify_pending_count = fields.Integer(
        string="SMS Pending", compute="_compute_sms_notify_results"
    )
    sms_notify_delivered_count = fields.Integer(
        string="SMS Delivered", compute="_compute_sms_notify_results"
    )
    sms_notify_not_delivered_count = fields.Integer(
        string="SMS Not Delivered", compute="_compute_sms_notify_results"
    )
    sms_notify_cancelled_count = fields.Integer(
        string="SMS Cancelled", compute="_compute_sms_notify_results"
    )
    sms_notify_sandbox_count = fields.Integer(
        string="SMS in the Sandbox",
        compute="_compute_sms_notify_results",
        help="SMS the sandbox gateway kept: they never reached a phone.",
    )
    sms_notify_sent_segments = fields.Integer(
        string="SMS Parts",
        compute="_compute_sms_notify_results",
        help="How many SMS parts the operators bill for the mailing's messages.",
    )
    sms_notify_vendor_cost = fields.Float(
        string="Vendor Cost",
        digits=(16, 4),
        compute="_compute_sms_notify_results",
        help="What the gateways' vendors reported the mailing's messages cost, each in its "
        "vendor's currency (see the results per gateway).",
    )
    sms_notify_results = fields.Html(
        string="SMS Results",
        compute="_compute_sms_notify_results",
        sanitize=False,
        help="The mailing's SMS per gateway and the reasons of those not delivered or "
        "cancelled, from the SMS history.",
    )

    def _sms_notify_history_domain(self):
        return [("channel", "in", ("sms", "viber")), ("mailing_id", "in", self.ids)]

    def _compute_sms_notify_results(self):
        """Counted in the database, as the current user may see them: the history's record
        rules keep each company's (and department's) messages its own."""
        empty = {f"sms_notify_{status}_count": 0 for status, _label in STATUSES}
        empty.update(
            sms_notify_sent_segments=0, sms_notify_vendor_cost=0.0, sms_notify_results=False
        )
        history = self.env["sms.notify.message"]
        sms_mailings = self.filtered(lambda mailing: mailing.mailing_type == "sms" and mailing.id)
        (self - sms_mailings).update(empty)
        if not sms_mailings:
            return
        if not history.has_access("read"):
            sms_mailings.update(empty)
            return
        cost_fields = history._sms_notify_cost_fields()
        aggregates = ["__count", "segments:sum", *(f"{name}:sum" for name in cost_fields)]
        by_gateway = history._read_group(
            sms_mailings._sms_notify_history_domain(),
            ["mailing_id", "gateway_id", "channel", "status"],
            aggregates,
        )
        reasons = history._read_group(
            [
                *sms_mailings._sms_notify_history_domain(),
                ("status", "in", FAILED_STATUSES),
            ],
            ["mailing_id", "status", "failure_type"],
            ["__count"],
        )
        rows = {mailing: {} for mailing in sms_mailings}
        # a row per gateway and channel: sent Viber then SMS, which channel reached whom
        for mailing, gateway, channel, status, count, segments, *costs in by_gateway:
            row = rows[mailing].setdefault(
                (gateway, channel),
                {"statuses": dict.fromkeys(dict(STATUSES), 0), "segments": 0},
            )
            row["statuses"][status] += count
            # cancelled messages never reached an operator, nor did the sandbox's: no part of
            # them is billed; a Viber message has no SMS parts
            if status not in ("cancelled", "sandbox") and channel != "viber":
                row["segments"] += segments
            for name, cost in zip(cost_fields, costs, strict=True):
                row[name] = row.get(name, 0.0) + cost
        failures = {mailing: [] for mailing in sms_mailings}
        for mailing, status, failure_type, count in reasons:
            failures[mailing].append((status, failure_type, count))
        for mailing in sms_mailings:
            gateways = rows[mailing]
            values = dict(empty)
            for row in gateways.values():
                for status, count in row["statuses"].items():
                    values[f"sms_notify_{status}_count"] += count
                values["sms_notify_sent_segments"] += row["segments"]
                values["sms_notify_vendor_cost"] += row.get("vendor_cost", 0.0)
            if gateways:
                values["sms_notify_results"] = (
                    mailing._sms_notify_results_html(gateways, failures[mailing], cost_fields)
                    + mailing._sms_notify_balance_html()
                )
            mailing.update(values)

    def _sms_notify_results_html(self, gateways, failures, cost_fields):
        """The table of the mailing's SMS per gateway, then the reasons of the failed ones."""
        history = self.env["sms.notify.message"]
        status_labels = dict(history._fields["status"]._description_selection(self.env))
        reason_labels = dict(history._fields["failure_type"]._description_selection(self.env))
        cost_labels = [history._fields[name]._description_string(self.env) for name in cost_fields]
        digits = {name: history._fields[name].get_digits(self.env) for name in cost_fields}

        def cells(values, tag="td"):
            return Markup("").join(
                Markup("<{0} class='text-end'>{1}</{0}>").format(tag, value) for value in values
            )

        def money(name, amount):
            precision = (digits[name] or (16, 2))[1]
            return f"{float_round(amount, precision_digits=precision):.{precision}f}"

        head = cells(
            [*status_labels.values(), _("SMS Parts"), *cost_labels],
            tag="th",
        )
        body = []
        total = {"statuses": dict.fromkeys(status_labels, 0), "segments": 0}
        # the gateway's name only, whichever gateways the reader may configure
        channel_labels = dict(history._fields["channel"]._description_selection(self.env))
        for (gateway, channel), row in sorted(
            gateways.items(), key=lambda item: (item[0][0].sudo().display_name or "", item[0][1])
        ):
            name = (
                gateway.sudo().display_name if gateway else _("No gateway (Odoo IAP or not sent)")
            )
            if channel == "viber":
                name = f"{name} · {channel_labels[channel]}"
            for status, count in row["statuses"].items():
                total["statuses"][status] += count
            total["segments"] += row["segments"]
            for cost in cost_fields:
                total[cost] = total.get(cost, 0.0) + row.get(cost, 0.0)
            body.append((name, row))
        lines = [
            Markup("<tr><td>{}</td>{}</tr>").format(
                name,
                cells(
                    [
                        *row["statuses"].values(),
                        row["segments"],
                        *(money(cost, row.get(cost, 0.0)) for cost in cost_fields),
                    ]
                ),
            )
            for name, row in body
        ]
        if len(body) > 1:
            lines.append(
                Markup("<tr class='fw-bold'><td>{}</td>{}</tr>").format(
                    _("Total"),
                    cells(
                        [
                            *total["statuses"].values(),
                            total["segments"],
                            *(money(cost, total[cost]) for cost in cost_fields),
                        ]
                    ),
                )
            )
        html = Markup(
            "<table class='table table-sm o_sms_notify_campaign_results'>"
            "<thead><tr><th>{}</th>{}</tr></thead><tbody>{}</tbody></table>"
        ).format(_("Gateway"), head, Markup("").join(lines))
        if failures:
            reason_lines = Markup("").join(
                Markup("<tr><td>{}</td><td>{}</td><td class='text-end'>{}</td></tr>").format(
                    status_labels[status],
                    reason_labels.get(failure_type) or _("No reason given"),
                    count,
                )
                for status, failure_type, count in sorted(
                    failures, key=lambda failure: (failure[0], -failure[2])
                )
            )
            html += Markup(
                "<table class='table table-sm o_sms_notify_campaign_reasons'>"
                "<thead><tr><th>{}</th><th>{}</th><th class='text-end'>{}</th></tr></thead>"
                "<tbody>{}</tbody></table>"
            ).format(_("Status"), _("Reason"), _("Messages"), reason_lines)
        return html

    def _sms_notify_balance_html(self):
        """The SMS balance the mailing's company has left, when it pays from one (SMS Notify
        - Billing answers through the cost preview); nothing otherwise."""
        preview = self.env["sms.sms"]._sms_notify_cost_preview(
            self._sms_notify_company(), self.message_kind, []
        )
        if not preview["billed"]:
            return Markup("")
        balance = f"{preview['balance']:,.2f}"
        return Markup("<p class='o_sms_notify_campaign_balance'>{}</p>").format(
            _(
                "SMS balance left: %(balance)s %(currency)s",
                balance=balance,
                currency=preview["currency"].name,
            )
        )

    def action_sms_notify_view_messages(self):
        """The mailing's SMS in the history, filtered by the status the button shows (the
        failed ones grouped by reason), or all of them in a pivot per gateway."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sms_notify.sms_notify_message_action"
        )
        status = self.env.context.get("sms_notify_status")
        context = {"search_default_filter_sms": 1}
        if status in dict(STATUSES):
            context[f"search_default_filter_{status}"] = 1
            if status in FAILED_STATUSES:
                context["search_default_group_by_failure_type"] = 1
        else:
            context.update(pivot_row_groupby=["gateway_id"], pivot_column_groupby=["status"])
            action["view_mode"] = "pivot,list,graph"
            action["views"] = [(False, "pivot"), (False, "list"), (False, "graph")]
        action.update(
            name=self.subject,
            domain=[("mailing_id", "=", self.id)],
            context=context,
        )
        return action
