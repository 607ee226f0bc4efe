# Pure Python: nothing here imports odoo, so the top-level tests/ can import it directly.
"""What became of the messages a user just sent: how many went to the queue, and how many
were skipped, counted per reason.

The sender reads it at once, as the summary of a send (the Notify dialog, Odoo's SMS
dialog in mass): a message is *queued* when it is on its way (waiting in the queue, being
handed over, or already with the operator) and *skipped* when it was cancelled or failed
before leaving, with the reason the message carries.
"""

from dataclasses import dataclass

#: ``sms.sms`` states of a message on its way to the customer
QUEUED_STATES = frozenset({"outgoing", "process", "pending", "sent"})


@dataclass(frozen=True)
class Tally:
    queued: int
    #: ``[(reason, count)]``, the most frequent reason first, ties in the order first met
    skipped: tuple

    @property
    def skipped_count(self):
        return sum(count for _reason, count in self.skipped)


def tally(messages):
    """``Tally`` of ``messages``, an iterable of ``(state, reason)`` pairs: the reason of a
    skipped message may be anything hashable (``None`` when it gave none)."""
    queued = 0
    skipped = {}
    for state, reason in messages:
        if state in QUEUED_STATES:
            queued += 1
        else:
            skipped[reason] = skipped.get(reason, 0) + 1
    order = {reason: index for index, reason in enumerate(skipped)}
    ranked = sorted(skipped.items(), key=lambda item: (-item[1], order[item[0]]))
    return Tally(queued=queued, skipped=tuple(ranked))
