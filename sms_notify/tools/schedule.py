# Pure Python: nothing here imports odoo, so the top-level tests/ can import it directly.
"""When an automatic message is due, and until when it may still go.

A rule's message is due some minutes after the moment its record triggered it (a state
reached, a change saved), or some minutes before or after a date of the record (an appointment,
an order).  It is kept only for its validity: a "your order is ready" that could not go within
two hours is cancelled instead of arriving the next day.  Quiet hours keep messages from
arriving at night on the recipient's clock: a message due then waits for the morning.

Datetimes are naive UTC, as Odoo stores them; quiet hours are in the recipient's time zone.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = ZoneInfo("UTC")


@dataclass(frozen=True)
class QuietHours:
    """A nightly window, ``start`` to ``end`` in hours of the day (``21.0`` to ``9.0``); it
    crosses midnight when ``start`` is after ``end``.  Equal ends mean no quiet hours."""

    start: float
    end: float

    def __post_init__(self):
        for value in (self.start, self.end):
            if not 0 <= value < 24:
                raise ValueError(f"quiet hours are hours of the day (0 to 24), not {value}")

    @property
    def active(self):
        return self.start != self.end

    def contains(self, moment):
        """Whether ``moment`` (a time of day) falls in the window."""
        if not self.active:
            return False
        hour = moment.hour + moment.minute / 60 + moment.second / 3600
        if self.start < self.end:
            return self.start <= hour < self.end
        return hour >= self.start or hour < self.end


def _zone(tz):
    try:
        return ZoneInfo(tz or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _clock(hours):
    minutes = round(hours * 60)
    return time(minutes // 60 % 24, minutes % 60)


def after_quiet_hours(due, quiet, tz):
    """``due`` (naive UTC), or the end of the quiet hours it falls in on the ``tz`` clock."""
    if quiet is None or not quiet.active:
        return due
    zone = _zone(tz)
    local = due.replace(tzinfo=UTC).astimezone(zone)
    if not quiet.contains(local.time()):
        return due
    end = _clock(quiet.end)
    morning = local.date()
    # 23:00 in a 21:00-09:00 window waits for tomorrow's 09:00; 03:00 for today's
    if quiet.start > quiet.end and local.time() >= _clock(quiet.start):
        morning += timedelta(days=1)
    wake = datetime.combine(morning, end, tzinfo=zone)
    return wake.astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Timing:
    """When a rule's message goes: ``due`` and, when the rule limits it, ``expires``."""

    due: datetime
    expires: datetime | None


def plan(triggered, delay_minutes=0, validity_minutes=0, quiet=None, tz=None):
    """The timing of a message triggered at ``triggered`` (naive UTC): ``delay_minutes`` later
    (negative: before, for reminders of a date), moved out of the recipient's quiet hours;
    valid ``validity_minutes`` after it was first due (0: no limit).

    The validity counts from the moment the rule meant, not from the morning: a message meant
    for 22:00 that may wait one hour is not sent at 09:00."""
    meant = triggered + timedelta(minutes=delay_minutes)
    due = after_quiet_hours(meant, quiet, tz)
    expires = meant + timedelta(minutes=validity_minutes) if validity_minutes else None
    return Timing(due, expires)


def is_expired(timing, now):
    return timing.expires is not None and now >= timing.expires


def next_anniversary(day, today):
    """The next time (``today`` included) the month and day of ``day`` come round; a 29
    February is kept on 28 February in other years."""
    for year in (today.year, today.year + 1):
        try:
            candidate = day.replace(year=year)
        except ValueError:  # 29 February in a common year
            candidate = day.replace(year=year, day=28)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable: next year always comes after today")


def after_quiet_hours_by_zone(due, quiet, zones):
    """``{tz: after_quiet_hours(due, quiet, tz)}`` for each of ``zones``: a mailing's messages
    are timed once per time zone of its recipients, not once per recipient."""
    return {tz: after_quiet_hours(due, quiet, tz) for tz in set(zones)}


#: the units a rule's delay is chosen in, and how many minutes each is
DELAY_UNITS = {"minutes": 1, "hours": 60, "days": 24 * 60}


def to_minutes(amount, unit):
    """``amount`` of ``unit`` (one of :data:`DELAY_UNITS`) in minutes."""
    try:
        return (amount or 0) * DELAY_UNITS[unit or "minutes"]
    except KeyError:
        raise ValueError(f"a delay is counted in {', '.join(DELAY_UNITS)}, not {unit!r}") from None


def from_minutes(minutes):
    """``(amount, unit)`` saying ``minutes`` in the largest unit that counts them exactly:
    1440 is one day, 90 is 90 minutes, 0 is 0 minutes."""
    minutes = minutes or 0
    for unit, size in sorted(DELAY_UNITS.items(), key=lambda item: -item[1]):
        if minutes and minutes % size == 0:
            return minutes // size, unit
    return minutes, "minutes"


def window_of_dates(trigger, delay_minutes, now, days):
    """The dates (naive UTC, ``(start, end)``) a rule timed from a date sends for in the next
    ``days``: a reminder ``delay_minutes`` before a date goes for the dates from ``now`` plus
    the delay; a message after a date for the dates the delay ago; a yearly message for the
    next occurrences in those days.  ``None`` for rules not timed from a date."""
    span = timedelta(days=days)
    delay = timedelta(minutes=delay_minutes or 0)
    match trigger:
        case "before_date":
            return now + delay, now + delay + span
        case "after_date":
            return now - delay, now - delay + span
        case "yearly":
            return now - delay, now - delay + span
        case _:
            return None
