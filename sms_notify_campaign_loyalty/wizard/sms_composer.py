from odoo import models

from ..tools import promo

#: the loyalty app's own mails and the chatter's bookkeeping are not wanted for coupons a
#: mailing hands out: the SMS tells the code, and a mailing may make thousands at once
CARD_CREATE_CONTEXT = {
    "loyalty_no_mail": True,
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
}


class SmsComposer(models.TransientModel):
    _inherit = "sms.composer"

    def _sms_notify_promo_program(self):
        """The promotion whose coupons this composer's mailing hands out, if any."""
        if self.composition_mode != "mass" or not self.mailing_id:
            return self.env["loyalty.program"]
        return self.mailing_id.loyalty_program_id

    def _action_send_sms(self):
        if self.composition_mode == "mass" and self.mailing_id:
            records = self._get_records()
            if records:
                company = self._sms_notify_companies(records[:1])[records[:1].id]
                self.mailing_id._sms_notify_check_promo(self.body, company)
        return super()._action_send_sms()

    def _prepare_body_values(self, records):
        """The texts with their promotion tokens marked: Odoo renders them before it decides
        who is skipped, and the codes exist only once that is decided."""
        bodies = super()._prepare_body_values(records)
        if self._sms_notify_promo_program():
            bodies = {res_id: promo.mark(body) for res_id, body in bodies.items()}
        return bodies

    def _sms_notify_viber_bodies(self, records):
        bodies = super()._sms_notify_viber_bodies(records)
        if bodies and self._sms_notify_promo_program():
            bodies = {res_id: promo.mark(body) for res_id, body in bodies.items()}
        return bodies

    def _prepare_mass_sms_values(self, records):
        """Give each recipient the SMS is sent to a coupon of the mailing's promotion, its code
        in the text and on the trace; skipped recipients get none."""
        values = super()._prepare_mass_sms_values(records)
        program = self._sms_notify_promo_program()
        if not program:
            return values
        sent = [record.id for record in records if values[record.id]["state"] == "outgoing"]
        cards = self._sms_notify_promo_cards(
            program, [values[record_id]["partner_id"] for record_id in sent]
        )
        card_of = dict(zip(sent, cards, strict=True))
        name = program.name
        for record in records:
            record_values = values[record.id]
            card = card_of.get(record.id)
            # sent Viber then SMS, both texts carry the code
            for key in ("body", "fallback_body"):
                if record_values.get(key):
                    record_values[key] = promo.fill(record_values[key], card and card.code, name)
            if card:
                # SMS Marketing nests the trace in the SMS values
                [(_create, _zero, trace_values)] = record_values["mailing_trace_ids"]
                trace_values["loyalty_card_id"] = card.id
        return values

    def _sms_notify_promo_cards(self, program, partner_ids):
        """One new coupon of ``program`` per partner id (``False``: a recipient without a
        contact, such as a mailing list's, gets a coupon for whoever shows the code), with the
        points one reward needs, all made by one ``create()``.

        Made as superuser: sending a mailing is the marketing user's right, handing out its
        coupons comes with it; nothing here comes from the user but the mailing's promotion,
        which ``_sms_notify_check_promo`` checked, and the recipients the composer chose."""
        if not partner_ids:
            return self.env["loyalty.card"]
        # the rewards are read as superuser too: a marketing user needs no right on them
        points = min(program.sudo().reward_ids.mapped("required_points"), default=1)
        return (
            self.env["loyalty.card"]
            .sudo()
            .with_context(**CARD_CREATE_CONTEXT)
            .create(
                [
                    {"program_id": program.id, "partner_id": partner_id, "points": points}
                    for partner_id in partner_ids
                ]
            )
        )
