# Pure Python: nothing here imports odoo, so the top-level tests/ can import it directly.
"""A gateway's send-rate limit: at most ``limit`` messages in any minute.

Every worker notes what it takes from a gateway (a moment and a count); the notes of the last
minute tell how many more messages the gateway takes now, and when the rest may go. A
sliding window rather than a counter reset each minute: a counter would let twice the limit
through around the turn of the minute.

Datetimes are naive UTC, as Odoo stores them.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(minutes=1)


@dataclass(frozen=True)
class Take:
    """``count`` messages may go now; the others wait until ``retry_at`` (``None`` when all
    may go)."""

    count: int
    retry_at: datetime | None = None


def take(limit, taken, now, wanted, window=WINDOW):
    """How many of ``wanted`` messages a gateway sending at most ``limit`` per ``window`` takes
    at ``now``, given what it ``taken`` before (``(moment, count)`` pairs; older ones are
    ignored). ``limit`` 0 means no limit."""
    if limit < 0 or wanted < 0:
        raise ValueError("a rate limit and a number of messages cannot be negative")
    if not limit:
        return Take(wanted)
    recent = sorted((moment, count) for moment, count in taken if moment > now - window)
    used = sum(count for _moment, count in recent)
    count = max(0, min(wanted, limit - used))
    if count == wanted:
        return Take(count)
    # full: room for one more message comes back when enough of the oldest notes leave the
    # window (what is taken now is the newest, it leaves last)
    used += count
    for moment, earlier in [*recent, (now, count)]:
        used -= earlier
        if used < limit:
            return Take(count, moment + window)
    raise AssertionError("unreachable: with every note gone nothing is used")
