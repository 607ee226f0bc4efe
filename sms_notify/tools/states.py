"""The one rule for moving an SMS from one state to another on a report or a status poll.

Reports and polls arrive late, twice and out of order: a "still queued" answer may follow the
hand-over, a "failed" may follow a "delivered".  A message therefore only ever moves forward:
waiting in our queue (``outgoing``) < being handed over (``process``) < handed over, waiting for
the operator (``pending``) < a final state (``sent`` delivered, ``error``, ``canceled``).  A
final state never changes again, not even into another final state.
"""

#: states a message never leaves
FINAL_STATES = frozenset({"sent", "error", "canceled"})

#: how far along each ``sms.sms`` state is; every final state shares the last rank
STATE_RANK = {"outgoing": 0, "process": 1, "pending": 2, "sent": 3, "error": 3, "canceled": 3}


def may_move(old, new):
    """Whether a message in state ``old`` may take state ``new`` from a report or a poll.

    Only a move forward: never out of a final state, never back (``pending`` to ``process``),
    and staying in the same state is no move.  Unknown states never move."""
    if old not in STATE_RANK or new not in STATE_RANK or old in FINAL_STATES:
        return False
    return STATE_RANK[new] > STATE_RANK[old]
