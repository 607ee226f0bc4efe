import hmac
import logging

from odoo.http import request, route

from odoo.addons.sms_notify.controllers.main import (
    SmsNotifyReportController,
    oversized,
    report_error_response,
)
from odoo.addons.sms_notify.tools.gateway import ReportRejected

_logger = logging.getLogger(__name__)


class SmsNotifyAndroidReportController(SmsNotifyReportController):
    @route()
    def gateway_report(self, gateway_id, secret, **params):
        """Gateways that receive SMS (the Android phone) post them to the same address as
        their delivery reports; those calls are filed as inbound SMS, the others go on to the
        delivery reports. Authenticated the same way (the secret, the vendor's signature)."""
        gateway = request.env["sms.notify.gateway"].sudo().browse(gateway_id).exists()
        if gateway and hmac.compare_digest(gateway.webhook_secret or "", secret):
            client = gateway._get_client()
            parse_inbound = getattr(client, "parse_inbound", None)
            if parse_inbound:
                httprequest = request.httprequest
                if oversized(httprequest):
                    _logger.info("Refused an oversized call for gateway %s", gateway.id)
                    return request.make_response("Bad Request", status=400)
                try:
                    received = parse_inbound(
                        httprequest.method,
                        httprequest.url,
                        dict(httprequest.headers),
                        {},
                        httprequest.get_data(),
                    )
                except ReportRejected as error:
                    _logger.info("Rejected a call for gateway %s: %s", gateway.id, error)
                    return report_error_response(error)
                if received:
                    for inbound in received:
                        gateway._sms_notify_receive(inbound)
                    return request.make_response("OK")
        return super().gateway_report(gateway_id, secret, **params)
