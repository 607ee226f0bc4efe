# Pure Python: nothing here imports odoo, so the top-level tests/ can import it directly.
"""A notification rule in words: when it sends, to whom and at what hours.

"When a Sales Order reaches Status “Delivered”, 2 hours later, to customers of the
department Shop A, between 9:00 and 21:00 on the customer's clock."

The model gathers plain values (labels already translated, the condition as :class:`Term`s)
and this module phrases them.  Every phrase goes through ``_``, the caller's translation
function (``env._`` in Odoo: ``_("... %(name)s ...", name=value)``), so the sentence reads in
the user's language; without one, the English text is used.
"""

from dataclasses import dataclass


def english(text, **values):
    """The default ``_``: the English text with its placeholders filled."""
    return text % values if values else text


@dataclass(frozen=True)
class Term:
    """One comparison of a condition: ``label`` of the field, Odoo's ``operator`` and the
    value as the user reads it (a selection's label, a record's name; a list for ``in``);
    ``kind``: ``selection`` (a state), ``number``, ``date`` or ``""`` for the others."""

    label: str
    operator: str
    value: object = None
    kind: str = ""


@dataclass(frozen=True)
class Rule:
    """What the sentence says of a rule (see :func:`describe`)."""

    trigger: str
    document: str
    terms: tuple[Term, ...] | None = ()
    delay_amount: int = 0
    delay_unit: str = "minutes"
    date_label: str = ""
    changed_labels: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    sending_hours: tuple[float, float] | None = None
    gateway: str = ""


def clock(hours):
    """``9.5`` as ``9:30``."""
    minutes = round(hours * 60)
    return f"{minutes // 60 % 24}:{minutes % 60:02d}"


def delay_text(amount, unit, _=english):
    """``2 hours``, ``1 day``, ``30 minutes``."""
    if unit == "days":
        return _("1 day") if amount == 1 else _("%(amount)s days", amount=amount)
    if unit == "hours":
        return _("1 hour") if amount == 1 else _("%(amount)s hours", amount=amount)
    return _("1 minute") if amount == 1 else _("%(amount)s minutes", amount=amount)


def _value_text(value, _):
    if isinstance(value, (list, tuple)):
        return ", ".join(_value_text(item, _) for item in value)
    if value is True:
        return _("yes")
    if value is False or value is None:
        return _("not set")
    if isinstance(value, (int, float)):
        return str(value)
    return f"“{value}”"


#: the operators :func:`term_text` says in words
OPERATORS = {"=", "!=", "in", "not in", ">", ">=", "<", "<=", "ilike", "not ilike"}


def term_text(term, _=english):
    """One comparison in words: ``Status is “Delivered”``."""
    label, value = term.label, term.value
    if term.operator in ("=", "!=") and value is False:
        if term.operator == "=":
            return _("%(field)s is not set", field=label)
        return _("%(field)s is set", field=label)
    if term.operator == "=" and value is True:
        return _("%(field)s is set", field=label)
    if term.operator not in OPERATORS:
        return None
    values = {"field": label, "value": _value_text(value, _)}
    # each phrase is written out so that translations find it
    match term.operator:
        case "=":
            return _("%(field)s is %(value)s", **values)
        case "!=":
            return _("%(field)s is not %(value)s", **values)
        case "in":
            return _("%(field)s is one of %(value)s", **values)
        case "not in":
            return _("%(field)s is none of %(value)s", **values)
        case ">" | ">=" | "<" | "<=" if term.kind == "number":
            return _compared_number(term.operator, values, _)
        case ">":
            return _("%(field)s is after %(value)s", **values)
        case ">=":
            return _("%(field)s is %(value)s or after", **values)
        case "<":
            return _("%(field)s is before %(value)s", **values)
        case "<=":
            return _("%(field)s is %(value)s or before", **values)
        case "ilike":
            return _("%(field)s contains %(value)s", **values)
        case _other:
            return _("%(field)s does not contain %(value)s", **values)


def _compared_number(operator, values, _):
    match operator:
        case ">":
            return _("%(field)s is more than %(value)s", **values)
        case ">=":
            return _("%(field)s is at least %(value)s", **values)
        case "<":
            return _("%(field)s is less than %(value)s", **values)
        case _other:
            return _("%(field)s is at most %(value)s", **values)


def condition_text(terms, _=english):
    """The condition in words, ``""`` when there is none, or ``None`` when a term cannot be
    said simply (the caller then says "matching the filter")."""
    if terms is None:
        return None
    texts = [term_text(term, _) for term in terms]
    if any(text is None for text in texts):
        return None
    return _(" and ").join(texts)


def _reached_state(rule):
    """``Term`` of a condition that is one state of a selection (``state = 'sale'``)."""
    if rule.terms and len(rule.terms) == 1:
        term = rule.terms[0]
        if term.kind == "selection" and term.operator == "=" and isinstance(term.value, str):
            return term
    return None


def describe(rule, _=english):
    """The sentence saying when ``rule`` (a :class:`Rule`) sends, and to whom."""
    condition = condition_text(rule.terms, _)
    delay = delay_text(rule.delay_amount, rule.delay_unit, _)
    document = rule.document
    match rule.trigger:
        case "state":
            state = _reached_state(rule)
            if state:
                text = _(
                    "When a %(document)s reaches %(field)s “%(state)s”",
                    document=document,
                    field=state.label,
                    state=state.value,
                )
            elif condition == "":
                text = _("When a %(document)s is created", document=document)
            elif condition is None:
                text = _("When a %(document)s comes to match the filter", document=document)
            else:
                text = _(
                    "When a %(document)s comes to meet the condition: %(condition)s",
                    document=document,
                    condition=condition,
                )
        case "change":
            text = _(
                "When %(fields)s of a %(document)s change",
                fields=", ".join(rule.changed_labels),
                document=document,
            )
        case "before_date":
            text = _(
                "%(delay)s before %(date)s of a %(document)s",
                delay=delay,
                date=rule.date_label,
                document=document,
            )
        case "after_date":
            text = _(
                "%(delay)s after %(date)s of a %(document)s",
                delay=delay,
                date=rule.date_label,
                document=document,
            )
        case _other:
            text = _(
                "Every year on %(date)s of a %(document)s", date=rule.date_label, document=document
            )
    parts = [text]
    if rule.trigger != "state" or not _reached_state(rule):
        if rule.trigger != "state" and condition:
            parts.append(_("if it meets the condition: %(condition)s", condition=condition))
        elif rule.trigger != "state" and condition is None:
            parts.append(_("if it matches the filter"))
    if rule.trigger in ("state", "change", "yearly"):
        parts.append(_("at once") if not rule.delay_amount else _("%(delay)s later", delay=delay))
    if rule.departments:
        if len(rule.departments) == 1:
            parts.append(_("to customers of the department %(name)s", name=rule.departments[0]))
        else:
            parts.append(
                _(
                    "to customers of the departments %(names)s",
                    names=", ".join(rule.departments),
                )
            )
    if rule.sending_hours:
        start, end = rule.sending_hours
        parts.append(
            _(
                "between %(start)s and %(end)s on the customer's clock",
                start=clock(start),
                end=clock(end),
            )
        )
    if rule.gateway:
        parts.append(_("through %(gateway)s", gateway=rule.gateway))
    return ", ".join(parts) + "."
