"""What every page shares: Bootstrap-styled forms with errors beside their fields, and the menu.

Pages are server-rendered (Django templates + htmx through django-htmx); each app keeps its own
`forms.py`, `views.py`, `urls.py` and `templates/<app>/` (docs/architecture.md, "Pages").
"""

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
