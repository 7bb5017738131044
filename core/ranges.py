"""Range expressions for exclusion constraints ("no two periods of the same pair overlap").

Periods are [start, end): an open end (NULL) runs for ever, and a period ending on D and the next
starting on D neither overlap nor leave a gap. Row ids are compared as one-point ranges so that the
constraints need only PostgreSQL's built-in GiST range operators: the embedded PostgreSQL ships
without the btree_gist extension.
"""

from django.contrib.postgres.fields import BigIntegerRangeField, DateRangeField
from django.db import models
from django.db.models import Func


class DateRange(Func):
    """daterange(start, end, '[)')."""

    function = "DATERANGE"
    output_field = DateRangeField()


class IdRange(Func):
    """int8range(id, id, '[]'): a row id as a one-point range."""

    function = "INT8RANGE"
    output_field = BigIntegerRangeField()


def period(start: str, end: str) -> DateRange:
    return DateRange(start, end, models.Value("[)"))


def same(field: str) -> IdRange:
    return IdRange(field, field, models.Value("[]"))
