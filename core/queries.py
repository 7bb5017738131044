"""Query expressions every app's lists share."""

from django.db.models import Func, IntegerField, Subquery


def count_of(rows) -> Subquery:
    """The number of `rows` (a queryset correlated to the outer row through OuterRef), as a subquery evaluated for
    each row the outer query returns: a list pays for its page only, where annotate(Count(...)) would COUNT … GROUP
    BY over every row of the scope before the LIMIT (quality.md P3)."""
    return Subquery(rows.order_by().values(n=Func("pk", function="COUNT", output_field=IntegerField())))
