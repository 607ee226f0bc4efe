# Pure Python: nothing here imports odoo, so the top-level tests/ can import it directly.
"""Which bonus points of a card expire, and when, when each accrual is valid for some days.

Odoo's loyalty cards hold one balance and one expiration date for the whole card. A program
may instead give points a validity: each accrual (a history line that issued points) expires
that many days after the day it was issued, and spending uses the oldest points first.
Spending the oldest first means that what a card still holds are its newest accruals, so the
lots left are found from the card's balance, walking the accruals from the newest back; this
keeps the balance the truth even where the history misses a change (points set by hand, an
import). Points of the balance beyond every accrual have no date to count from: they do not
expire.

A lot issued on 1 March with a validity of 30 days expires on 31 March: it may be used until
30 March, and on 31 March it is removed.
"""

from dataclasses import dataclass
from datetime import timedelta

#: points below this are rounding noise of float sums, not points
EPSILON = 1e-6


@dataclass(frozen=True)
class Lot:
    """Points of one accrual still on the card: issued on ``issued_on``, gone on
    ``expires_on``."""

    issued_on: object  # datetime.date
    expires_on: object
    points: float


@dataclass(frozen=True)
class Expiry:
    """The next points to expire: ``points`` on ``day`` (``None`` and 0: none)."""

    day: object = None
    points: float = 0.0


def remaining_lots(accruals, balance, validity_days):
    """The lots a card with ``balance`` points still holds, oldest first.

    ``accruals`` are ``(issued_on, points)`` pairs (dates, in any order) of every history line
    that issued points; ``validity_days`` how long each accrual lives (more than 0).
    """
    if validity_days <= 0:
        raise ValueError("A validity of points is a positive number of days.")
    left = max(balance, 0.0)
    kept = []
    for issued_on, points in sorted(accruals, key=lambda accrual: accrual[0], reverse=True):
        if left <= EPSILON:
            break
        if points <= 0:
            continue
        share = min(points, left)
        left -= share
        kept.append(Lot(issued_on, issued_on + timedelta(days=validity_days), share))
    kept.reverse()
    return kept


def expired_points(lots, today):
    """How many points of ``lots`` have expired by ``today`` (their day included)."""
    total = sum(lot.points for lot in lots if lot.expires_on <= today)
    return total if total > EPSILON else 0.0


def next_expiry(lots, today):
    """The next day after ``today`` on which points of ``lots`` expire, with how many."""
    upcoming = [lot for lot in lots if lot.expires_on > today and lot.points > EPSILON]
    if not upcoming:
        return Expiry()
    day = min(lot.expires_on for lot in upcoming)
    return Expiry(day, sum(lot.points for lot in upcoming if lot.expires_on == day))
