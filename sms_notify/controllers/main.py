import hmac
import logging

from werkzeug.exceptions import NotFound

from odoo.http import Controller, request, route

from odoo.addons.sms.controllers.main import SmsController

from ..tools.gateway import ReportRejected

_logger = logging.getLogger(__name__)


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


class SmsNotifyReportController(Controller):
    @route(
        "/sms_notify/report/<int:gateway_id>/<string:secret>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,
        save_session=False,
    )
    def gateway_report(self, gateway_id, secret, **params):
        """Delivery reports pushed by a gateway.

        The call is trusted only once the gateway's client authenticated it (the vendor's
        signature, or the secret in the address); the reports name messages by the gateway's
        own identifiers, never by our record ids. Reports already applied change nothing, so
        the vendor may repeat them."""
        gateway = request.env["sms.notify.gateway"].sudo().browse(gateway_id).exists()
        if not gateway or not hmac.compare_digest(gateway.webhook_secret or "", secret):
            raise NotFound()
        client = gateway._get_client()
        if not client.supports_webhook:
            raise NotFound()
        httprequest = request.httprequest
        try:
            reports = client.parse_report(
                httprequest.method,
                httprequest.url,
                dict(httprequest.headers),
                # a POST's fields only: the query string is part of the URL (and of signatures)
                (httprequest.form if httprequest.method == "POST" else httprequest.args).to_dict(),
                httprequest.get_data(),
            )
        except ReportRejected as error:
            _logger.info("Rejected a delivery report for gateway %s: %s", gateway.id, error)
            return request.make_response("Forbidden", status=403)
        request.env["sms.sms"].sudo()._sms_notify_apply_reports(gateway, reports)
        return request.make_response("OK")
