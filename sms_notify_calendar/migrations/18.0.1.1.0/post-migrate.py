"""The shipped "Appointment changed" SMS said "has moved" whatever changed; it now names what
changed (:Changes:). Its record is not updated by upgrades (noupdate): a database still holding
the text as shipped gets the new one, in English here and in Russian and Polish from i18n/ right
after; a text the business rewrote is left alone."""

from psycopg2.extras import Json

from odoo import SUPERUSER_ID, api

SHIPPED_BODY = (
    "{{ object.sms_notify_customer_id.sms_notify_salutation }} "
    "{{ object.sms_notify_customer_id.sms_notify_first_name }}, your appointment for "
    "{{ object.name }} has moved to {{ object.sms_notify_date_text }} at "
    "{{ object.sms_notify_time_text }}. {{ object.user_id.company_id.name }}, "
    "{{ object.user_id.company_id.phone }}"
)
NEW_TEXT = (
    ":Salutation: :FirstName:, your appointment has changed: :Changes:. :ShopName:, :ShopPhone:"
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
    template = env.ref("sms_notify_calendar.sms_template_appointment_changed", False)
    if not template or template.body != SHIPPED_BODY:
        return
    body = template._sms_notify_compile(NEW_TEXT, env["calendar.event"]._sms_notify_tokens())
    # the old translations go too: the upgrade's translation step fills the new ones in
    cr.execute(
        "UPDATE sms_template SET body = %s WHERE id = %s", [Json({"en_US": body}), template.id]
    )
    template.invalidate_recordset(["body"])
