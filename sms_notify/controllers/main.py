from odoo.http import request, route

from odoo.addons.sms.controllers.main import SmsController


class SmsNotifyIapStatusController(SmsController):
    @route()
    def update_sms_status(self, message_statuses):
        """IAP's delivery reports also update the SMS kept in the history.

        Odoo only updates the notifications and then drops the SMS; our history keeps it, so it
        must show the delivery status too.  Odoo's checks run first: a malformed report changes
        nothing.
        """
        result = super().update_sms_status(message_statuses)
        sms_model = request.env["sms.sms"].sudo()
        for status in message_statuses:
            sms_model.search([("uuid", "in", status["uuids"])])._sms_notify_apply_iap_status(
                status["sms_status"]
            )
        return result
