"""A rule about rows, written once as a ``Q``: the database filters by it, and ``holds`` checks
it on an object already in hand (an article being rendered, a cached banner), so the two can
never disagree.

Only what the models' rules use is understood: AND, OR and NOT of exact, isnull and
lt/lte/gt/gte lookups on fields, also across loaded relations, against plain values. As in
SQL, a comparison with NULL (None) is never true. Anything else raises.
"""

import operator

from django.db import models
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP

COMPARISONS = {
    "exact": operator.eq,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


def holds(condition: Q, obj: models.Model) -> bool:
    """Whether ``obj`` is one of the rows that ``filter(condition)`` returns."""
    results = (
        holds(child, obj) if isinstance(child, Q) else _lookup_holds(*child, obj)
        for child in condition.children
    )
    met = all(results) if condition.connector == Q.AND else any(results)
    return met != condition.negated


def _lookup_holds(lookup: str, value, obj: models.Model) -> bool:
    *path, name = lookup.split(LOOKUP_SEP)
    if name not in COMPARISONS and name != "isnull":
        path, name = [*path, name], "exact"
    if hasattr(value, "resolve_expression"):
        raise TypeError(f"{lookup}: holds() compares with plain values, not {value!r}")
    for field in path:
        if obj is None:  # a missing related row: every field of it is NULL
            break
        if not isinstance(obj, models.Model):
            raise ValueError(f"{lookup}: holds() does not know the lookup {field!r}")
        if _multi_valued(obj, field):  # a misspelt name raises here, as filter() would
            raise ValueError(f"{lookup}: holds() follows single related rows only")
        obj = getattr(obj, field)
    if name == "isnull":
        return (obj is None) == value
    if value is None:
        if name != "exact":
            raise ValueError(f"{lookup}: None can only be compared for equality")
        return obj is None  # as filter(field=None) means field__isnull=True
    return obj is not None and COMPARISONS[name](obj, value)


def _multi_valued(obj: models.Model, name: str) -> bool:
    field = obj._meta.get_field(name)
    return bool(field.many_to_many or field.one_to_many)
