"""Tariffs now have a currency of their own, filled on upgrade with the company's. The shipped
presets (noupdate) are priced in roubles: those no balance in another currency uses are put in
roubles, and the rouble activated, as a new installation does. A preset a balance in another
currency uses keeps that currency: its balance, ledger and top-ups were written in it (and may
be invoiced or paid in it), so relabelling them as roubles would change what they mean."""

from odoo import SUPERUSER_ID, api

PRESETS = ("sms_notify_tariff_shared", "sms_notify_tariff_own", "sms_notify_tariff_package")


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    rouble = env.ref("base.RUB", raise_if_not_found=False)
    tariffs = env["sms.notify.tariff"].with_context(active_test=False)
    presets = tariffs.browse(
        [
            preset.id
            for xmlid in PRESETS
            if (preset := env.ref(f"sms_notify_billing.{xmlid}", raise_if_not_found=False))
        ]
    ).filtered(lambda tariff: tariff.currency_id != rouble)
    if not rouble or not presets:
        return
    in_use = (
        env["sms.notify.balance"]
        .with_context(active_test=False)
        .search([("tariff_id", "in", presets.ids), ("currency_id", "!=", rouble.id)])
        .tariff_id
    )
    presets -= in_use
    if not presets:
        return
    rouble.active = True
    cr.execute(
        "UPDATE sms_notify_tariff SET currency_id = %s WHERE id IN %s",
        [rouble.id, tuple(presets.ids)],
    )
    env.invalidate_all()
