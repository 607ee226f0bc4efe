"""Odoo's own SMS service (IAP) behind the common gateway interface.

The HTTP exchange stays Odoo's (``SmsApi._send_sms_batch``, passed in as ``config["send_batch"]``);
this module only shapes the request and maps IAP's answer onto the common result shape, keeping
the credit IAP reports, which stock Odoo drops.

Where the mapped states come from: ``sms_notify/readme/DEVELOP.md``, section "Odoo IAP".
"""

from .gateway import GatewayClient, SendResult, register_gateway
from .gsm import analyze

#: IAP answer -> sms.sms state, for messages IAP accepted
IAP_ACCEPTED_STATES = {
    "processing": "process",
    "success": "pending",
    "sent": "pending",
    "delivered": "sent",
}

#: IAP answer -> sms.sms failure type, for messages IAP refused
IAP_FAILURE_TYPES = {
    "insufficient_credit": "sms_credit",
    "wrong_number_format": "sms_number_format",
    "country_not_supported": "sms_country_not_supported",
    "registration_needed": "sms_registration_needed",
    "server_error": "sms_server",
    "unregistered": "sms_acc",
    "duplicate_message": "sms_duplicate",
}


def map_iap_result(result, segments=0):
    """Turn one item of IAP's ``/api/sms/3/send`` answer into a :class:`SendResult`."""
    iap_state = result.get("state") or "server_error"
    cost = float(result.get("credit") or 0.0)
    if iap_state in IAP_ACCEPTED_STATES:
        return SendResult(
            uuid=result["uuid"],
            state=IAP_ACCEPTED_STATES[iap_state],
            gateway_reference=result["uuid"],
            segments=segments,
            cost=cost,
        )
    return SendResult(
        uuid=result["uuid"],
        state="error",
        failure_type=IAP_FAILURE_TYPES.get(iap_state, "unknown"),
        segments=segments,
        cost=cost,
        error_message=iap_state,
    )


@register_gateway("iap")
class IapClient(GatewayClient):
    """Sends through Odoo's IAP SMS service; ``config["send_batch"]`` performs the call."""

    def send(self, messages):
        by_body = {}
        for message in messages:
            by_body.setdefault(message.body, []).append(message)
        payload = [
            {
                "content": body,
                "numbers": [{"number": m.number, "uuid": m.uuid} for m in body_messages],
            }
            for body, body_messages in by_body.items()
        ]
        answers = self.config["send_batch"](payload)
        segments = {m.uuid: analyze(m.body or "").segments for m in messages}
        return [map_iap_result(answer, segments.get(answer.get("uuid"), 0)) for answer in answers]
