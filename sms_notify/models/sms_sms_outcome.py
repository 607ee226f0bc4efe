"""What a send did, told at once to the user who sent it: the messages queued, the skipped
ones counted per reason, what they cost and, with billing, the balance left."""

from odoo import api, models

from ..tools import cascade, gsm, outcome


# sms.sms is split into files by concern (see sms_sms.py): one class per file on purpose
class SmsSmsOutcome(models.Model):
    _inherit = "sms.sms"  # pylint: disable=consider-merging-classes-inherited

    def _sms_notify_outcome(self, kind, mode="sms"):
        """What became of these messages, just created by one send of ``kind`` in ``mode``
        (see ``tools.cascade``), as plain data a dialog keeps (JSON):

        - ``queued``: how many are on their way;
        - ``skipped``: ``[[reason, count]]``, the reasons worded for the user;
        - ``costs``: one per company paying for the queued messages, from
          ``_sms_notify_cost_preview`` (billing's price and balance, or the vendor's
          estimate): ``company``, ``currency``, ``total``, ``billed``, ``balance_after``
          (``None`` unbilled) and ``text``."""
        messages = self.sudo()
        reasons = messages._sms_notify_skip_reasons()
        tally = outcome.tally(
            (state, reasons.get(sms_id))
            for sms_id, state in zip(messages._ids, messages.mapped("state"), strict=True)
        )
        queued = messages._sms_notify_where("state", lambda state: state in outcome.QUEUED_STATES)
        costs = []
        for company, company_messages in queued.grouped("company_id").items():
            preview = company_messages._sms_notify_outcome_preview(company, kind, mode)
            costs.append(
                {
                    "company": company.name,
                    "currency": preview["currency"].name,
                    "total": preview["total"],
                    "billed": preview["billed"],
                    "balance_after": preview["balance_after"] if preview["billed"] else None,
                    "text": preview["text"] or False,
                }
            )
        return {
            "queued": tally.queued,
            "skipped": [[reason, count] for reason, count in tally.skipped],
            "costs": costs,
        }

    def _sms_notify_outcome_preview(self, company, kind, mode="sms"):
        """What these queued messages of ``company`` cost, as ``_sms_notify_cost_preview``
        says (billing reads their tariff's price from the messages themselves)."""
        return self._sms_notify_cost_preview(company, kind, self._sms_notify_parts(), mode=mode)

    def _sms_notify_parts(self):
        """The SMS parts of each message: a Viber attempt's are those of the SMS that may
        follow it (its own text when it has none), as the dialogs' cost preview counts them."""
        return [
            gsm.analyze(fallback or body or "").segments if channel == cascade.VIBER else segments
            for channel, segments, body, fallback in zip(
                self.mapped("channel"),
                self.mapped("segments"),
                self.mapped("body"),
                self.mapped("fallback_body"),
                strict=True,
            )
        ]

    def _sms_notify_skip_reasons(self):
        """``{message id: why it was skipped}`` for the messages cancelled or failed before
        leaving, worded for the sender."""
        skipped = self._sms_notify_where(
            "state", lambda state: state not in outcome.QUEUED_STATES
        ).sudo()
        labels = dict(self._fields["failure_type"]._description_selection(self.env))
        labels.update(
            sms_number_missing=self.env._("No mobile number"),
            sms_number_format=self.env._("Invalid number"),
            sms_blacklist=self.env._("Number on the SMS blacklist"),
            sms_duplicate=self.env._("Same number as another recipient (sent once)"),
            sms_credit=self.env._("The SMS balance does not cover it"),
            sms_expired=self.env._("Its validity ended before sending"),
        )
        opted_out = self.env._("Asked not to receive SMS (No SMS on their contact)")
        no_consent = self.env._("No consent to SMS promotions")
        reasons = {}
        for sms, failure_type in zip(skipped, skipped.mapped("failure_type"), strict=True):
            if failure_type == "sms_optout":
                # one failure type for both consents: the contact says which one is missing
                reasons[sms.id] = opted_out if sms.partner_id.sms_notify_opt_out else no_consent
            else:
                reasons[sms.id] = labels.get(failure_type) or self.env._("No reason given")
        return reasons

    @api.model
    def _sms_notify_outcome_lines(self, result):
        """``result`` (see ``_sms_notify_outcome``) as the lines the sender reads."""
        lines = [self.env._("SMS queued for sending: %(count)s", count=result["queued"])]
        skipped = sum(count for _reason, count in result["skipped"])
        if skipped:
            lines.append(self.env._("Skipped: %(count)s", count=skipped))
            lines += [f"- {reason}: {count}" for reason, count in result["skipped"]]
        several = len(result["costs"]) > 1
        for cost in result["costs"]:
            text = cost["text"] or self.env._(
                "not estimated yet: the gateways have reported no costs so far, and the SMS "
                "provider bills them."
            )
            line = self.env._("Cost: %(cost)s", cost=text)
            lines.append(f"{cost['company']}: {line}" if several else line)
        return lines

    @api.model
    def _sms_notify_outcome_action(self, title, lines, skipped=False):
        """A notification telling the sender ``lines``, then the dialog closes; it stays until
        closed when something was ``skipped``, for the sender to read why."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": "\n".join(lines),
                "type": "warning" if skipped else "success",
                "sticky": bool(skipped),
                "className": "o_sms_notify_outcome",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
