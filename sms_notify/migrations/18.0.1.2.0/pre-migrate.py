"""A rule's delay is now chosen in minutes, hours or days: each existing rule keeps its delay
in minutes and reads it in the largest unit that says it exactly (1440 minutes: 1 day)."""

from odoo.addons.sms_notify.tools.schedule import from_minutes


def migrate(cr, version):
    cr.execute(
        """ALTER TABLE sms_notify_rule
               ADD COLUMN IF NOT EXISTS delay_amount integer,
               ADD COLUMN IF NOT EXISTS delay_unit varchar"""
    )
    cr.execute("SELECT id, delay_minutes FROM sms_notify_rule WHERE delay_unit IS NULL")
    for rule_id, minutes in cr.fetchall():
        amount, unit = from_minutes(minutes)
        cr.execute(
            "UPDATE sms_notify_rule SET delay_amount = %s, delay_unit = %s WHERE id = %s",
            (amount, unit, rule_id),
        )
