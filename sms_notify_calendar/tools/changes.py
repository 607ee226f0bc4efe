# Pure Python: nothing here imports odoo, so the top-level tests/ can import it directly.
"""What changed in an appointment, as its change notice tells the customer: the date and time,
the employee, the service, or several of them ("new date and time: 08/03/2027 at 10:00; new
specialist: Irina").

The appointment keeps the kinds of change it went through (``WHEN``, ``EMPLOYEE``,
``SERVICE``) as one stored word list; the sentence is written when the notice is rendered, from
the appointment's values then, in the customer's language.
"""

WHEN = "when"
EMPLOYEE = "employee"
SERVICE = "service"
#: the kinds in the order the sentence names them
KINDS = (WHEN, EMPLOYEE, SERVICE)
#: the appointment's fields each kind watches; the end alone moving (a longer visit) is no
#: news for the customer, who comes at the start
WATCHED_FIELDS = {WHEN: ("start", "allday"), EMPLOYEE: ("user_id",), SERVICE: ("name",)}


def _(message):
    """Mark ``message`` for Odoo's translation export; :func:`sentence` hands it to its
    ``translate`` argument (``env._`` in the customer's language)."""
    return message


_NEW_DATE_AND_TIME = _("new date and time: %(date)s at %(time)s")
_NEW_DATE = _("new date: %(date)s")
_NEW_EMPLOYEE = _("new specialist: %(employee)s")
_NEW_SERVICE = _("new service: %(service)s")


def _format(message, **params):
    return message % params


def changed_kinds(old, new):
    """The kinds of change between ``old`` and ``new``, two mappings of field names to values
    (a record as an id), in the order of :data:`KINDS`. A field missing from ``old`` was not
    written and did not change."""
    return tuple(
        kind
        for kind in KINDS
        if any(name in old and old[name] != new.get(name) for name in WATCHED_FIELDS[kind])
    )


def parse(stored):
    """The kinds of a stored word list, known ones only, in the order of :data:`KINDS`."""
    words = set((stored or "").split(","))
    return tuple(kind for kind in KINDS if kind in words)


def merge(stored, kinds):
    """The word list to store once ``kinds`` are added to the ``stored`` ones."""
    merged = set(parse(stored)) | set(kinds)
    return ",".join(kind for kind in KINDS if kind in merged) or False


def sentence(kinds, date, time=None, employee=None, service=None, translate=None):
    """The change as the customer reads it, from the appointment's current values (``time``
    empty for an all-day appointment). Without a recorded change, or with nothing to say about
    the recorded ones, it names the date and time, as a plain "moved" notice would."""
    translate = translate or _format

    def when():
        if not date:
            return None
        if time:
            return translate(_NEW_DATE_AND_TIME, date=date, time=time)
        return translate(_NEW_DATE, date=date)

    clauses = []
    for kind in parse(",".join(kinds)):
        if kind == WHEN:
            clauses.append(when())
        elif kind == EMPLOYEE and employee:
            clauses.append(translate(_NEW_EMPLOYEE, employee=employee))
        elif kind == SERVICE and service:
            clauses.append(translate(_NEW_SERVICE, service=service))
    clauses = [clause for clause in clauses if clause] or [when()]
    return "; ".join(clause for clause in clauses if clause)
