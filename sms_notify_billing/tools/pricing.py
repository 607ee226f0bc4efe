"""What a message costs under a tariff, and how many of a batch a balance covers.

Prices are per segment (operators bill every part of a concatenated SMS) and exact to the
cent or kopeck: amounts are ``Decimal``, rounded half up to two places once per message, the way
a price list rounds, so that the ledger's sum equals the sum of the prices shown per message.

A message package counts messages instead: every message sent takes one from it, whatever
its parts and channel (the SMS that follows a Viber attempt is a message of its own).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ...sms_notify.tools import cascade
from ...sms_notify.tools.kinds import (  # noqa: F401 (the kinds priced here)
    ADVERTISING,
    MESSAGE_KIND_SELECTION,
    MESSAGE_KINDS,
    SERVICE,
    message_kind,
)

#: every message goes out under the provider's sender name, at one price
SHARED_NAME = "shared"
#: the company's own registered name: a monthly fee, and service messages cheaper than
#: advertising ones when their template is registered with the operators
OWN_NAME = "own"
#: a package of messages bought in advance: each message sent takes one, whatever its length
PACKAGE = "package"
TARIFF_TYPES = (SHARED_NAME, OWN_NAME, PACKAGE)

CENT = Decimal("0.01")


def amount_text(value):
    """An amount as messages to the user write it: ``1,234.50``."""
    return f"{value:,.2f}"


def count_text(value):
    """A number of messages as messages to the user write it: ``20,000``."""
    return f"{value:,}"


def to_amount(value):
    """``value`` (float, int, str or Decimal) as an exact amount of two decimals."""
    if isinstance(value, float):
        # repr gives the shortest decimal that reads back as this float: 9.8, not 9.80000000001
        value = repr(value)
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Tariff:
    tariff_type: str
    price_per_message: Decimal = Decimal(0)
    price_service: Decimal = Decimal(0)
    price_advertising: Decimal = Decimal(0)
    monthly_fee: Decimal = Decimal(0)
    price_viber_service: Decimal = Decimal(0)
    price_viber_advertising: Decimal = Decimal(0)

    def __post_init__(self):
        if self.tariff_type not in TARIFF_TYPES:
            raise ValueError(f"unknown tariff type {self.tariff_type!r}")
        for name in (
            "price_per_message",
            "price_service",
            "price_advertising",
            "monthly_fee",
            "price_viber_service",
            "price_viber_advertising",
        ):
            object.__setattr__(self, name, to_amount(getattr(self, name)))

    @property
    def counts_messages(self):
        """The balance is a number of messages (a package), not an amount of money."""
        return self.tariff_type == PACKAGE

    def viber_price(self, kind):
        """Price of one Viber message of ``kind``, whatever its length: Viber bills a
        business message as one, a promotion dearer than a transaction."""
        if message_kind(kind) == SERVICE:
            return self.price_viber_service
        return self.price_viber_advertising

    def segment_price(self, kind, operator_registered=False):
        """Price of one segment of a message of ``kind``.

        Under an own name, the operators charge the service price only for texts of a
        template they registered as a service template; anything else is advertising, and so
        is a message of unknown kind."""
        kind = message_kind(kind)
        if self.tariff_type == SHARED_NAME:
            return self.price_per_message
        if kind == SERVICE and operator_registered:
            return self.price_service
        return self.price_advertising

    def message_price(self, segments, kind, operator_registered=False, channel=cascade.SMS):
        if segments < 0:
            raise ValueError("a message cannot have a negative number of segments")
        if channel == cascade.VIBER:
            return self.viber_price(kind)
        return to_amount(self.segment_price(kind, operator_registered) * segments)

    def notification_cost(self, mode, segments, kind, operator_registered=False, viber_share=1.0):
        """``(worst, expected)`` price of one notification sent in ``mode`` (see
        ``tools.cascade``) whose SMS has ``segments`` parts; ``viber_share`` is the share of
        customers Viber reaches. The expected price is an average, not rounded: a sum of
        them is rounded once."""
        worst, expected = cascade.cost(
            mode,
            self.viber_price(kind),
            self.segment_price(kind, operator_registered),
            segments,
            Decimal(repr(float(viber_share))),
        )
        return to_amount(worst), expected


def covered(balance, prices):
    """Which of ``prices`` (in sending order) ``balance`` pays for: a list of booleans.

    Each message is taken if what is left still covers it, so a short message behind a long
    one that did not fit still leaves; the balance never goes below zero."""
    left = to_amount(balance)
    result = []
    for price in prices:
        price = to_amount(price)
        fits = price <= left
        if fits:
            left -= price
        result.append(fits)
    return result


@dataclass(frozen=True)
class CostPreview:
    """``total`` is the most sending may cost (a cascade whose every Viber message and SMS
    is paid for); ``expected`` what it should cost, for the share of customers Viber
    reaches."""

    messages: int
    segments: int
    total: Decimal
    balance: Decimal
    expected: Decimal | None = None

    @property
    def balance_after(self):
        return self.balance - self.total

    @property
    def enough(self):
        return self.total <= self.balance


def preview(
    tariff,
    segment_counts,
    kind,
    operator_registered,
    balance,
    mode=cascade.SMS_ONLY,
    viber_share=1.0,
):
    """The cost of sending messages of ``segment_counts`` SMS parts each in ``mode``, and the
    balance left (see :class:`CostPreview`)."""
    segment_counts = list(segment_counts)
    costs = [
        tariff.notification_cost(mode, count, kind, operator_registered, viber_share)
        for count in segment_counts
    ]
    return CostPreview(
        messages=len(segment_counts),
        segments=sum(segment_counts) if mode != cascade.VIBER_ONLY else 0,
        total=to_amount(sum((worst for worst, _expected in costs), Decimal(0))),
        balance=to_amount(balance),
        expected=to_amount(sum((expected for _worst, expected in costs), Decimal(0))),
    )


@dataclass(frozen=True)
class PackagePreview:
    """What sending takes from a message package: ``units`` at most (a cascade whose every
    Viber message is followed by its SMS), ``expected`` for the share of customers Viber
    reaches, and the messages ``left`` in the package before sending."""

    messages: int
    segments: int
    units: int
    left: int
    expected: Decimal | None = None

    @property
    def left_after(self):
        return self.left - self.units

    @property
    def enough(self):
        return self.units <= self.left


def package_preview(segment_counts, left, mode=cascade.SMS_ONLY, viber_share=1.0):
    """What sending messages of ``segment_counts`` SMS parts each in ``mode`` takes from a
    package holding ``left`` messages: one per message sent, whatever its parts; by *Viber,
    then SMS*, two at most (the Viber message and its SMS), as the queue counts them."""
    segment_counts = list(segment_counts)
    share = Decimal(repr(float(viber_share)))
    # each channel's message is one unit: the cascade's cost with every price at 1
    costs = [cascade.cost(mode, 1, 1, 1, share) for _count in segment_counts]
    expected = sum((Decimal(expected) for _worst, expected in costs), Decimal(0))
    return PackagePreview(
        messages=len(segment_counts),
        segments=sum(segment_counts) if mode != cascade.VIBER_ONLY else 0,
        units=int(sum(worst for worst, _expected in costs)),
        left=int(left),
        expected=expected.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
    )


def package_covered(left, count):
    """Which of ``count`` messages (in sending order) a package of ``left`` messages takes:
    as many as it holds, never below zero."""
    return [index < max(int(left), 0) for index in range(count)]
