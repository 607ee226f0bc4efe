"""Tariffs now have a currency of their own, filled on upgrade with the company's. The shipped
presets (noupdate) are priced in roubles: those still holding another currency are put in
roubles, and the rouble activated, as a new installation does. A balance under one of them was
charged at its rouble prices, so it is kept in roubles too; other balances keep the company's
currency their movements were written in."""

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
    rouble.active = True
    # in SQL: the currency constraints hold once both sides are moved
    cr.execute(
        "UPDATE sms_notify_tariff SET currency_id = %s WHERE id IN %s",
        [rouble.id, tuple(presets.ids)],
    )
    cr.execute(
        "UPDATE sms_notify_balance SET currency_id = %s WHERE tariff_id IN %s",
        [rouble.id, tuple(presets.ids)],
    )
    env.invalidate_all()
