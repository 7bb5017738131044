"""Pagination: every list is read a page at a time by a cursor (quality.md P3: a page costs one page at any depth).

No list counts its rows: a `count` runs COUNT(*) over everything the filters select (the whole region), however
small the page. `ListCursorPagination` (the default) keeps each list's own order — `?ordering=` where a list
names its fields, else its view's or selector's order — with the primary key last as the unique tiebreaker.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db.models.expressions import BaseExpression
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError


class PageNumberPagination(pagination.PageNumberPagination):
    """Numbered pages with a `count` (COUNT(*) over the filtered rows): kept for no list of ours; see api.md."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class CursorPagination(pagination.CursorPagination):
    """Constant-time pages at any depth (P3); the view's ordering must be unique, e.g. ("-id",)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-id"

    def decode_cursor(self, request):
        """A cursor that is not one of ours is bad input (400 naming `cursor`), not a missing object (DRF's 404)."""
        try:
            return super().decode_cursor(request)
        except NotFound as exc:
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from exc


def unique_ordering(ordering, *, pk: str = "id", default: str = "-id") -> tuple[str, ...]:
    """The ordering as field names, ended by the primary key (the tiebreaker that makes it unique).

    Not field names (an expression, a random order): the default. The cursor's position is read from the first
    field, so it must be a column of the row itself (not a lookup through a relation): the default too otherwise.
    """
    fields = []
    for item in ordering or ():
        if isinstance(item, BaseExpression) or not isinstance(item, str) or item == "?":
            return (default,)
        fields.append(item)
    if not fields or "__" in fields[0]:
        return (default,)
    names = [field.lstrip("-") for field in fields]
    if pk not in names and "pk" not in names:
        fields.append(f"-{pk}" if fields[-1].startswith("-") else pk)
    return tuple(fields)


class ListCursorPagination(CursorPagination):
    """Cursor pages in the list's own order (see the module's docstring): `{"next", "previous", "results"}`."""

    def get_ordering(self, request, queryset, view):
        # The filters (OrderingFilter among them) have run: the queryset's order is the request's ?ordering=, the
        # view's `ordering`, or the selector's order_by; a queryset without one has its model's Meta.ordering.
        pk = queryset.model._meta.pk.name
        ordering = unique_ordering(
            queryset.query.order_by or queryset.model._meta.ordering, pk=pk, default=f"-{pk}" if pk != "id" else self.ordering
        )
        # The cursor keeps the first field's value: a column that may be null (`?ordering=resolved_at`) cannot hold
        # the place, so such a list is read in the primary key's order.
        first = ordering[0].lstrip("-")
        try:
            nullable = queryset.model._meta.get_field(first).null
        except FieldDoesNotExist:  # an annotation
            nullable = True
        return (f"-{pk}",) if nullable else ordering
