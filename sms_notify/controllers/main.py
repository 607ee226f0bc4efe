import hmac
import logging

from werkzeug.exceptions import NotFound

from odoo.exceptions import UserError
from odoo.http import Controller, request, route

from odoo.addons.sms.controllers.main import SmsController

from ..tools import webhook_log
from ..tools.gateway import (
    MAX_REPORT_BODY,
    WEBHOOK_SECRET,
    WEBHOOK_SIGNATURE,
    BadReport,
    ReportRejected,
    authenticate_webhook,
)
from ..tools.iap import IapClient

_logger = logging.getLogger(__name__)

# the webhook address holds the gateway's secret; the access log must not
webhook_log.install()


def report_error_response(error):
    """400 for a malformed or oversized report, 403 for one that is not trusted."""
    if isinstance(error, BadReport):
        return request.make_response("Bad Request", status=400)
    return request.make_response("Forbidden", status=403)


def oversized(httprequest):
    """Whether the call is larger than any vendor's report (checked before reading it)."""
    return (httprequest.content_length or 0) > MAX_REPORT_BODY


def webhook_call(httprequest):
    """``(method, url, headers, params, body)`` of a webhook call, as the gateway clients and
    ``tools.gateway.authenticate_webhook`` take them."""
    return (
        httprequest.method,
        httprequest.url,
        dict(httprequest.headers),
        # a POST's fields only: the query string is part of the URL (and of signatures)
        (httprequest.form if httprequest.method == "POST" else httprequest.args).to_dict(),
        httprequest.get_data(),
    )


class SmsNotifyIapStatusController(SmsController):
    @route()
    def update_sms_status(self, message_statuses):
        """IAP's delivery reports also update the SMS kept in the history.

        The route is public and names messages by uuid, which every SMS user can read, so
        a report is only taken for messages sent through IAP that still wait for their report:
        messages of the suite's other gateways, and messages already delivered or failed, are
        left alone, their notifications and traces too (Odoo's own update, which would change
        those by uuid, only sees the statuses of the messages kept).  IAP bills its own
        credit, so no report refunds anything.  Odoo's checks run first: a malformed report
        changes nothing."""
        for status in message_statuses:
            self._check_status_values(status["uuids"], status["sms_status"], message_statuses)
        try:
            authenticate_webhook(
                IapClient(),
                "POST",
                request.httprequest.url,
                dict(request.httprequest.headers),
                {"message_statuses": message_statuses},
            )
        except ReportRejected as error:
            _logger.info("Rejected an IAP status report: %s", error)
            raise UserError(request.env._("Bad parameters")) from error
        waiting = (
            request.env["sms.sms"]
            .sudo()
            ._sms_notify_iap_waiting(
                {uuid for status in message_statuses for uuid in status["uuids"]}
            )
        )
        waiting_uuids = set(waiting.mapped("uuid"))
        kept = []
        for status in message_statuses:
            uuids = [uuid for uuid in status["uuids"] if uuid in waiting_uuids]
            if uuids:
                kept.append({**status, "uuids": uuids})
        if not kept:
            return "OK"
        result = super().update_sms_status(kept)
        for status in kept:
            waiting.filtered(
                lambda sms, uuids=set(status["uuids"]): sms.uuid in uuids
            )._sms_notify_apply_iap_status(status["sms_status"])
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
        """Delivery reports pushed by a gateway, and the SMS it received where its type
        receives them by webhook (the Android phone posts both to the same address).

        The call is authenticated before anything is read or changed: the secret of the
        address, then the way the gateway's type declares (``webhook_auth``: the secret, or
        the vendor's signature) through ``tools.gateway.authenticate_webhook``. The reports
        name messages by the gateway's own identifiers, never by our record ids. Reports
        already applied change nothing, so the vendor may repeat them."""
        gateway = request.env["sms.notify.gateway"].sudo().browse(gateway_id).exists()
        if not gateway or not hmac.compare_digest(gateway.webhook_secret or "", secret):
            raise NotFound()
        client = gateway._get_client()
        if not client.supports_webhook or client.webhook_auth not in (
            WEBHOOK_SECRET,
            WEBHOOK_SIGNATURE,
        ):
            raise NotFound()
        httprequest = request.httprequest
        if oversized(httprequest):
            _logger.info("Refused an oversized webhook call for gateway %s", gateway.id)
            return request.make_response("Bad Request", status=400)
        call = webhook_call(httprequest)
        try:
            authenticate_webhook(client, *call)
            received = client.parse_inbound(*call)
            reports = [] if received else client.parse_report(*call)
        except ReportRejected as error:
            _logger.info("Rejected a webhook call for gateway %s: %s", gateway.id, error)
            return report_error_response(error)
        for inbound in received:
            gateway._receive(inbound)
        if reports:
            request.env["sms.sms"].sudo()._sms_notify_apply_reports(gateway, reports)
        return request.make_response("OK")
