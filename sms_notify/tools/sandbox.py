"""The sandbox gateway: accepts every message, sends nothing, and later reports a delivery outcome.

It lets a new database, a demo or a test run the whole notification flow without a contract with
an SMS centre.  The outcome is decided by the number so that both paths can be tried at will.
"""

from .gateway import GatewayClient, SendResult, register_gateway
from .gsm import analyze

#: a number ending in this comes back as not delivered
UNDELIVERABLE_SUFFIX = "0000"
DEFAULT_DELIVERY_DELAY = 5  # seconds


def delivery_outcome(number):
    """Return the ``(sms state, failure type)`` the simulated operator reports for ``number``."""
    digits = "".join(ch for ch in number or "" if ch.isdigit())
    if digits.endswith(UNDELIVERABLE_SUFFIX):
        return "error", "sms_not_delivered"
    return "sent", False


@register_gateway("sandbox")
class SandboxClient(GatewayClient):
    """Hands every message to nobody and answers as an SMS centre that accepted it."""

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
            segments=analyze(message.body or "").segments,
        )
