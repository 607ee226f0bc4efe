"""What sending may cost when nothing is charged in Odoo: the vendor bills the business, and
the only figures at hand are the costs the gateways reported for the company's recent
messages.  The estimate is the SMS parts to send times the average reported cost of a part.
"""

from dataclasses import dataclass

#: how many of the company's latest messages with a reported cost the average is taken over
RECENT_MESSAGES = 200


@dataclass(frozen=True)
class VendorEstimate:
    messages: int
    segments: int
    per_segment: float
    total: float


def vendor_estimate(segment_counts, reported):
    """The estimate for messages of ``segment_counts`` parts each, from ``reported``:
    ``[(vendor cost, parts)]`` of recent messages.  ``None`` when no message has a reported
    cost (nothing to estimate from) or nothing is to be sent."""
    segment_counts = [count for count in segment_counts if count > 0]
    reported = [(cost, parts) for cost, parts in reported if cost and cost > 0 and parts > 0]
    if not segment_counts or not reported:
        return None
    per_segment = sum(cost for cost, _parts in reported) / sum(parts for _cost, parts in reported)
    segments = sum(segment_counts)
    return VendorEstimate(
        messages=len(segment_counts),
        segments=segments,
        per_segment=round(per_segment, 4),
        total=round(per_segment * segments, 2),
    )
