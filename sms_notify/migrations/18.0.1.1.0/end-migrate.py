"""Shop tokens now speak for the document's department: templates compiled before read the
company's name and phone directly, and are moved to the department-aware fields."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    api.Environment(cr, SUPERUSER_ID, {})["sms.template"]._sms_notify_upgrade_shop_placeholders()
