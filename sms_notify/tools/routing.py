# Pure Python: nothing here imports odoo, so the top-level tests/ can import it directly.
"""Which gateway of a company sends which message of a queue batch.

A company's gateways are tried by priority, the ones that are down after those that are up.
A gateway sends to the numbers starting with one of its prefixes, or to any number when it has
none.  A gateway with a capacity (a phone or modem with a daily limit) takes that many more
messages; one with no capacity left is passed over, and so is a device another worker holds
(``take`` refuses it): the message goes to the next gateway that sends to its number.  When
no other gateway does, the message waits for the first of those passed over rather than
failing as if no gateway sent to its number.

A message may prefer one of the company's gateways (a rule sending from the salon's phone):
that gateway is tried first while it is up and has capacity; when it is down, full or does not
send to the number, the message fails over to the company's other gateways as any other
would, and waits for it only when none of them sends to the number.
"""

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Gateway:
    """What routing knows of a gateway: ``capacity`` is how many more messages it takes now
    (``None``: any number, ``0``: none); ``down`` after a failure, until it is tried again."""

    id: Hashable
    prefixes: tuple[str, ...] = ()
    capacity: int | None = None
    down: bool = False

    def sends_to(self, number):
        return not self.prefixes or any(number.startswith(prefix) for prefix in self.prefixes)


@dataclass
class Routing:
    """``routes``: ``{gateway id: message ids}``, the messages no gateway sends to under the
    key ``None``; ``waiting``: ``{gateway id: message ids}`` of the messages that wait for a
    gateway passed over. Both keep the order in which gateways and messages first came."""

    routes: dict = field(default_factory=dict)
    waiting: dict = field(default_factory=dict)


def parse_prefixes(text):
    """The prefixes of a comma-separated list (``"+7, +48"``), blanks dropped."""
    return tuple(prefix.strip() for prefix in (text or "").split(",") if prefix.strip())


def in_order(gateways):
    """``gateways`` (in priority order) as they are tried: those up, then those down."""
    gateways = list(gateways)
    return [gateway for gateway in gateways if not gateway.down] + [
        gateway for gateway in gateways if gateway.down
    ]


def first_sending(gateways, number):
    """The first of ``gateways`` that sends to ``number`` (E.164), or ``None``."""
    return next((gateway for gateway in gateways if gateway.sends_to(number)), None)


def preferring(gateways, preferred_id):
    """``gateways`` (as they are tried) with the one of id ``preferred_id`` first, unless it is
    down or not among them: a preference never puts a failed gateway before working ones."""
    first = [gateway for gateway in gateways if gateway.id == preferred_id and not gateway.down]
    return first + [gateway for gateway in gateways if gateway not in first]


def route(
    gateways: Iterable[Gateway],
    messages: Iterable[tuple[Hashable, str]],
    take: Callable[[Hashable], bool] | None = None,
    preferred: dict | None = None,
) -> Routing:
    """Route ``messages`` (``(message id, E.164 number)`` pairs, in sending order) to
    ``gateways`` (a company's, in priority order; see the module's description).

    ``take(gateway id)`` reserves a gateway for this batch when the first message goes to it;
    it is asked once per gateway, and a gateway it refuses is passed over. ``preferred`` maps
    a message id to the id of the gateway it prefers (see :func:`preferring`)."""
    preferred = preferred or {}
    ordered = in_order(gateways)
    capacity = {gateway.id: gateway.capacity for gateway in ordered}
    available = [gateway for gateway in ordered if capacity[gateway.id] != 0]
    taken = set()
    result = Routing()
    for message_id, number in messages:
        gateway = first_sending(preferring(available, preferred.get(message_id)), number)
        while gateway and gateway.id not in taken and take and not take(gateway.id):
            available.remove(gateway)
            gateway = first_sending(preferring(available, preferred.get(message_id)), number)
        if gateway:
            taken.add(gateway.id)
        if not gateway and len(available) != len(ordered):
            passed_over = [gateway for gateway in ordered if gateway not in available]
            full = first_sending(preferring(passed_over, preferred.get(message_id)), number)
            if full:
                result.waiting.setdefault(full.id, []).append(message_id)
                continue
        result.routes.setdefault(gateway and gateway.id, []).append(message_id)
        if gateway and capacity[gateway.id] is not None:
            capacity[gateway.id] -= 1
            if capacity[gateway.id] <= 0:
                available.remove(gateway)
    return result
