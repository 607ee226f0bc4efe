"""The sandbox gateway: accepts every message, sends nothing, and later reports a delivery outcome.

It lets a new database, a demo or a test run the whole notification flow without a contract with
an SMS centre.  The outcome is decided by the number so that both paths can be tried at will.
"""

from .gateway import SMS, VIBER, GatewayClient, SendResult, _lt, register_gateway
from .gsm import analyze

#: a number ending in this comes back as not delivered
UNDELIVERABLE_SUFFIX = "0000"
#: a Viber message to a number ending in this comes back as not delivered: no Viber account
NOT_VIBER_USER_SUFFIX = "1111"
#: a Viber message to a number ending in this is never reported on: the phone is off
SILENT_VIBER_SUFFIX = "2222"
DEFAULT_DELIVERY_DELAY = 5  # seconds


def delivery_outcome(number, channel=SMS):
    """Return the ``(sms state, failure type)`` the simulated operator reports for ``number``
    on ``channel``, or ``None`` when it never reports."""
    digits = "".join(ch for ch in number or "" if ch.isdigit())
    if digits.endswith(UNDELIVERABLE_SUFFIX):
        return "error", "sms_not_delivered"
    if channel == VIBER and digits.endswith(NOT_VIBER_USER_SUFFIX):
        return "error", "sms_invalid_destination"
    if channel == VIBER and digits.endswith(SILENT_VIBER_SUFFIX):
        return None
    return "sent", False


@register_gateway("sandbox")
class SandboxClient(GatewayClient):
    """Hands every message to nobody and answers as an SMS centre that accepted it."""

    form_fields = {"sandbox_delivery_delay": False}
    simulated_reports = True
    channels = frozenset({SMS, VIBER})
    form_help = _lt(
        "Sandbox — not delivered to phones. Messages sent through this gateway are recorded in "
        "the sandbox outbox and never leave Odoo. Delivery reports are simulated: numbers "
        "ending in 0000 come back as not delivered; by Viber, numbers ending in 1111 have no "
        "Viber account and numbers ending in 2222 never report, so that the SMS follows."
    )

    def send(self, messages):
        return [self._refusal(message) or self._accept(message) for message in messages]

    def find_sent(self, messages):
        """Nothing the sandbox accepted ever left Odoo, so a message interrupted mid-send may
        simply be sent again."""
        return []

    @staticmethod
    def _accept(message):
        return SendResult(
            uuid=message.uuid,
            state="pending",
            gateway_reference=f"sandbox-{message.uuid}",
            segments=1 if message.channel == VIBER else analyze(message.body or "").segments,
        )
