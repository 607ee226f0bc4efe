"""The gateway seam: one result shape per message and an explicit registry of gateway types.

``sms.sms._send`` hands a batch of :class:`OutgoingSms` to the client class registered for the
gateway's type and stores the :class:`SendResult` it gets back for every message.  Addons add a
gateway type by subclassing :class:`GatewayClient` and decorating it with
``@register_gateway("code")``; they never override ``_send``.
"""

from dataclasses import dataclass

#: ``sms.sms`` states a client may return (Odoo's own selection keys).
SMS_STATES = frozenset({"outgoing", "process", "pending", "sent", "error", "canceled"})


@dataclass(frozen=True)
class OutgoingSms:
    """What a gateway needs to know about one message."""

    uuid: str
    number: str
    body: str


@dataclass(frozen=True)
class SendResult:
    """What a gateway answers about one message.

    ``state`` is an ``sms.sms`` state: ``pending`` when the gateway accepted the message and waits
    for the operator, ``sent`` when it is known to be delivered, ``error`` with a ``failure_type``
    among ``sms.sms``/``mail.notification`` failure types, ``process`` while still in progress.
    """

    uuid: str
    state: str
    failure_type: str | bool = False
    external_id: str | bool = False
    segments: int = 0
    cost: float = 0.0
    error_message: str = ""

    def __post_init__(self):
        if self.state not in SMS_STATES:
            raise ValueError(f"{self.state!r} is not an sms.sms state")
        if self.state == "error" and not self.failure_type:
            raise ValueError("an error result needs a failure type")


class GatewayError(Exception):
    """The gateway could not be reached or refused the whole batch."""

    def __init__(self, message, failure_type="sms_server"):
        super().__init__(message)
        self.failure_type = failure_type


class GatewayClient:
    """Base class of every gateway type.

    ``config`` is a plain mapping built by the gateway record (credentials, URLs, callables that
    need the Odoo environment); clients never see the ORM.
    """

    #: the code stored in ``sms.notify.gateway.gateway_type``
    code = None
    #: how many messages one ``send`` call may carry
    batch_size = 500

    def __init__(self, config=None):
        self.config = dict(config or {})

    def send(self, messages):
        """Hand ``messages`` (a list of :class:`OutgoingSms`) over; return one
        :class:`SendResult` per message, in any order.  Raise :class:`GatewayError` when nothing
        could be sent."""
        raise NotImplementedError


GATEWAY_TYPES = {}


def register_gateway(code):
    """Class decorator adding a :class:`GatewayClient` subclass to the registry under ``code``."""

    def decorator(cls):
        if code in GATEWAY_TYPES and GATEWAY_TYPES[code] is not cls:
            raise ValueError(f"gateway type {code!r} is already registered")
        cls.code = code
        GATEWAY_TYPES[code] = cls
        return cls

    return decorator


def get_client_class(code):
    try:
        return GATEWAY_TYPES[code]
    except KeyError:
        raise KeyError(f"no gateway client registered for type {code!r}") from None
