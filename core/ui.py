"""What every page shares: Bootstrap-styled forms with errors beside their fields, and the menu.

Pages are server-rendered (Django templates + htmx through django-htmx); each app keeps its own
`forms.py`, `views.py`, `urls.py` and `templates/<app>/` (docs/architecture.md, "Pages").
"""

from urllib.parse import urlencode

from django import forms
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


def add_service_errors(form, exc) -> None:
    """A service's refusal on a page form: a ValidationError's field errors beside the form's fields, those of fields
    the form lacks (and a DomainError's sentence) above it."""
    for field, messages in getattr(exc, "message_dict", {"__all__": getattr(exc, "messages", [str(exc)])}).items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
