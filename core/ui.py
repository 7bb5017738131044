"""What every page shares: Bootstrap-styled forms with errors beside their fields, and the menu.

Pages are server-rendered (Django templates + htmx through django-htmx); each app keeps its own
`forms.py`, `views.py`, `urls.py` and `templates/<app>/` (docs/architecture.md, "Pages").
"""

import base64
import binascii
import json
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.db import DataError, transaction
from django.db.models import Q
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

_CHECK_WIDGETS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)
_SELECT_WIDGETS = (forms.Select, forms.SelectMultiple, forms.NullBooleanSelect)


class StyledBoundField(BoundField):
    """A field that styles its own widget: Bootstrap classes, `is-invalid` and the ARIA links to its error."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(widget, _CHECK_WIDGETS):
            css = "form-check-input"
        elif isinstance(widget, _SELECT_WIDGETS):
            css = "form-select"
        else:
            css = "form-control"
        classes = [attrs.get("class", ""), widget.attrs.get("class", ""), css]
        if self.errors and not widget.is_hidden:
            classes.append("is-invalid")
            attrs["aria-describedby"] = f"{self.auto_id}_error"
        elif self.help_text and not widget.is_hidden:
            attrs["aria-describedby"] = f"{self.auto_id}_helptext"
        attrs["class"] = " ".join(c for c in dict.fromkeys(" ".join(classes).split()) if c)
        return attrs


class PageForm(forms.Form):
    """Base of every page form: styled fields; `{% include "core/forms/errors.html" %}` gives the summary."""

    bound_field_class = StyledBoundField
    template_name = "core/forms/form.html"


class PageModelForm(forms.ModelForm):
    bound_field_class = StyledBoundField
    template_name = "core/forms/form.html"


class Renderer(TemplatesSetting):
    """Form templates from the project's template folders, so `as_field_group` uses the page layout."""

    field_template_name = "core/forms/field.html"
    # Radio buttons and check boxes side by side in Bootstrap's form-check markup, easy to tap on a phone. Django's
    # own markup puts the styled field's class on the group's box too, which squeezed the labels to one character a
    # line; every page form gets this one instead (the admin's widgets have templates of their own).
    CHOICES = {
        "django/forms/widgets/radio.html": "core/widgets/choices.html",
        "django/forms/widgets/checkbox_select.html": "core/widgets/choices.html",
    }

    def get_template(self, template_name):
        return super().get_template(self.CHOICES.get(template_name, template_name))


KEYSET_PAGE_SIZE = 25


def keyset_page(queryset, *, after: str, before: str, size: int = KEYSET_PAGE_SIZE, key: str = "number") -> dict:
    """One page of rows ordered by a unique key (the household number), after or before a value of it (keyset: the
    same cost at any depth, read from the key's index)."""
    queryset = queryset.order_by(key)
    if before:
        rows = list(queryset.filter(**{f"{key}__lt": before}).order_by(f"-{key}")[: size + 1])
        has_previous, rows = len(rows) > size, rows[:size][::-1]
        has_next = True
    else:
        rows = list((queryset.filter(**{f"{key}__gt": after}) if after else queryset)[: size + 1])
        has_next, rows = len(rows) > size, rows[:size]
        has_previous = bool(after)
    return {
        "rows": rows,
        "next": getattr(rows[-1], key) if has_next and rows else None,
        "previous": getattr(rows[0], key) if has_previous and rows else None,
    }


def keyset_links(request, page: dict) -> dict:
    """The next and previous page's URLs: this request's filters with `after` or `before` the page's last or first."""
    params = [(key, value) for key, value in request.GET.items() if key not in ("after", "before") and value]
    return {
        "next_url": f"?{urlencode([*params, ('after', page['next'])])}" if page["next"] else None,
        "previous_url": f"?{urlencode([*params, ('before', page['previous'])])}" if page["previous"] else None,
    }


class KeysetPage:
    """A page of rows read after (or before) a row's place in the list's order, for the page links of
    `core/_pages.html`: iterable like a Paginator's page, without its count (no page numbers, no "of N")."""

    def __init__(self, rows: list, *, next_url: str | None, previous_url: str | None):
        self.object_list = rows
        self.next_url, self.previous_url = next_url, previous_url

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self) -> bool:
        return bool(self.next_url)

    def has_previous(self) -> bool:
        return bool(self.previous_url)

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()


def _ordering_of(queryset) -> list[tuple[str, bool]]:
    """The queryset's order as (field path, descending), ended by the primary key to make it unique."""
    order = queryset.query.order_by or queryset.model._meta.ordering
    if not all(isinstance(item, str) and item != "?" for item in order):
        raise ValueError("a keyset page needs an order by field names")
    fields = [(item.lstrip("-"), item.startswith("-")) for item in order]
    pk = queryset.model._meta.pk.name
    if not any(name in (pk, "pk") for name, _desc in fields):
        fields.append((pk, fields[-1][1] if fields else False))
    return fields


def _value(row, path: str):
    for name in path.split("__"):
        row = getattr(row, name) if row is not None else None
    return row


def _beyond(ordering, position, *, backwards: bool) -> Q:
    """Rows after the position in the order (before it, backwards): (a > x) or (a = x and b > y) or …"""
    beyond, same = Q(pk__in=[]), Q()
    for (name, descending), value in zip(ordering, position, strict=True):
        beyond |= same & Q(**{f"{name}__{'lt' if descending != backwards else 'gt'}": value})
        same &= Q(**{name: value})
    return beyond


def _plain(value) -> str:
    """A value of the position as text: dates and times in full (to the microsecond), numbers as written."""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _encode(position) -> str:
    return base64.urlsafe_b64encode(json.dumps(position, default=_plain).encode()).decode().rstrip("=")


def _decode(token: str, length: int):
    """The position a token names, or None for anything that is not one of ours (the first page)."""
    try:
        position = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return position if isinstance(position, list) and len(position) == length else None


def ordered_page(request, queryset, *, size: int, prefix: str = "") -> KeysetPage:
    """One page of the queryset in its own order (order_by field names, the primary key added last), after or
    before the position in `?after=` / `?before=` (keyset: no count of the rows and no OFFSET, at any depth).

    `prefix` names the parameters when a page has two lists (`samples_after`). The order's fields must not be
    null (a keyset compares values)."""
    ordering = _ordering_of(queryset)
    after_key, before_key = f"{prefix}after", f"{prefix}before"
    after = _decode(request.GET.get(after_key, "")[:500], len(ordering))
    before = _decode(request.GET.get(before_key, "")[:500], len(ordering)) if after is None else None
    ordered = queryset.order_by(*(f"{'-' if desc else ''}{name}" for name, desc in ordering))
    rows = None
    if after is not None or before is not None:
        try:
            with transaction.atomic():  # a value the column cannot hold (out of range) fails in the database
                rows, has_next, has_previous = _read_page(ordered, ordering, after=after, before=before, size=size)
        except (ValidationError, ValueError, TypeError, DataError):  # a position whose values do not fit
            rows = None
    if rows is None:  # the first page
        rows, has_next, has_previous = _read_page(ordered, ordering, after=None, before=None, size=size)
    params = [(key, value) for key, value in request.GET.items() if key not in (after_key, before_key) and value]

    def link(key, row):
        return "?" + urlencode([*params, (key, _encode([_value(row, name) for name, _desc in ordering]))])

    return KeysetPage(
        rows,
        next_url=link(after_key, rows[-1]) if has_next and rows else None,
        previous_url=link(before_key, rows[0]) if has_previous and rows else None,
    )


def _read_page(ordered, ordering, *, after, before, size):
    """(rows, has_next, has_previous) of the page after or before the position (neither: the first page)."""
    if before is not None:
        backwards = ordered.reverse().filter(_beyond(ordering, before, backwards=True))
        rows = list(backwards[: size + 1])
        return rows[:size][::-1], True, len(rows) > size
    rows = list((ordered.filter(_beyond(ordering, after, backwards=False)) if after else ordered)[: size + 1])
    return rows[:size], len(rows) > size, after is not None


def add_service_errors(form, exc) -> None:
    """A service's refusal on a page form: a ValidationError's field errors beside the form's fields, those of fields
    the form lacks (and a DomainError's sentence) above it."""
    for field, messages in getattr(exc, "message_dict", {"__all__": getattr(exc, "messages", [str(exc)])}).items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
