"""The admin for every role: a site that admits role holders, and a ModelAdmin base with scope.

A village team member signs in and sees and edits only their villages; an inspector sees
everything in scope, personal data masked where they may not see it, and edits nothing. The same capabilities and the
same scope function as the API decide (core.roles, core.scope).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.forms import AdminSignInForm, may_use_admin
from core.masking import masked_value
from core.personal import may_see_personal_data
from core.roles import Capability, code_in_prefixes
from core.scope import has_capability, region_code_of, region_prefixes, restrict_to_scope

MASKED_PREFIX = "masked__"


class JingzhunAdminSite(admin.AdminSite):
    site_header = _("精准扶贫管理系统")
    site_title = _("精准")
    index_title = _("数据管理")
    login_form = AdminSignInForm

    def has_permission(self, request):
        return may_use_admin(request.user)


class CappedPaginator(Paginator):
    """The changelist's pages without counting the whole region (quality.md P3): the count stops at `cap` rows (a
    COUNT over a LIMIT), so a region larger than that shows its first `cap` rows' pages — search or filter to
    narrow it. The pages themselves are read by OFFSET, bounded by the cap."""

    cap = 10_000

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.cap].count()


class ScopedModelAdmin(admin.ModelAdmin):
    """Base for every registry admin: scoped rows, role-based rights, masked personal data.

    `read_capability` lets a user see rows in the regions where they hold it;
    `write_capability` (None: superusers only) lets them add and change rows there;
    `delete_capability` likewise (registry rows are never deleted by default);
    `masked_fields` are shown masked where the user lacks Capability.SEE_PERSONAL_DATA over the object's region.
    """

    read_capability = Capability.READ_REGISTER
    write_capability: str | None = Capability.EDIT_REGISTER
    delete_capability: str | None = None
    masked_fields: tuple[str, ...] = ()
    paginator = CappedPaginator
    show_full_result_count = False  # "of N in all" would count every row of the scope

    @property
    def scope_field(self) -> str:
        return self.model.scope_field

    def _allowed(self, request, capability, obj=None) -> bool:
        if capability is None:
            return bool(request.user.is_active and request.user.is_superuser)
        code = None if obj is None else region_code_of(obj, self.scope_field)
        return has_capability(request.user, capability, code)

    def get_queryset(self, request):
        return restrict_to_scope(super().get_queryset(request), request.user, self.read_capability, field=self.scope_field)

    def has_module_permission(self, request):
        return self._allowed(request, self.read_capability)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, self.read_capability, obj)

    def has_add_permission(self, request):
        return self._allowed(request, self.write_capability)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, self.write_capability, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, self.delete_capability, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Choices of a region-scoped foreign key are the rows the user may write in."""
        related = db_field.related_model
        if hasattr(related, "scope_field") and "queryset" not in kwargs:
            capability = self.write_capability or Capability.READ_REGISTER
            kwargs["queryset"] = restrict_to_scope(related._default_manager.all(), request.user, capability)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # Masking, by the object's region (core.personal.may_see_personal_data, as in the API and the exports):
    # on an object's pages a masked field is replaced by a read-only "masked__<field>" display; in the
    # change list, which mixes regions, each masked column decides row by row.

    def _region_of(self, obj) -> str:
        return region_code_of(obj, self.scope_field)

    def _masks(self, request, obj=None) -> bool:
        """Whether this object's personal data is masked for the user (no object: the user sees it nowhere)."""
        if not self.masked_fields:
            return False
        return not may_see_personal_data(request.user, None if obj is None else self._region_of(obj))

    def _masks_somewhere(self, request) -> bool:
        """Whether some row the user may read is masked for them: searching a masked field is then refused."""
        if not self.masked_fields:
            return False
        see = region_prefixes(request.user, Capability.SEE_PERSONAL_DATA)
        if see is None:
            return False
        read = region_prefixes(request.user, self.read_capability)
        return read is None or not all(code_in_prefixes(prefix, see) for prefix in read)

    def _substitute(self, names):
        return [f"{MASKED_PREFIX}{name}" if name in self.masked_fields else name for name in names]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return self._substitute(fields) if self._masks(request, obj) else fields

    def get_list_display(self, request):
        names = super().get_list_display(request)
        if not any(name in self.masked_fields for name in names):
            return names
        return [self._row_display(request, name) if name in self.masked_fields else name for name in names]

    def _row_display(self, request, field_name: str):
        """A change-list column that shows the field in full or masked, row by row, by the row's region."""

        def display(obj):
            value = getattr(obj, field_name)
            if may_see_personal_data(request.user, self._region_of(obj)):
                return value
            return masked_value(field_name, value)

        display.short_description = self.model._meta.get_field(field_name).verbose_name
        display.__name__ = f"{MASKED_PREFIX}{field_name}"
        return display

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self._masks(request, obj):
            readonly += [f"{MASKED_PREFIX}{name}" for name in self.masked_fields]
        return readonly

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        if self._masks_somewhere(request):
            # Searching by a hidden value would reveal it one guess at a time.
            fields = [f for f in fields if f.split("__")[0].lstrip("=^@") not in self.masked_fields]
        return fields

    def masked_str(self, obj) -> str:
        """str(obj) with the value of every masked field masked."""
        text = str(obj)
        for name in self.masked_fields:
            value = getattr(obj, name, None)
            if value:
                text = text.replace(str(value), masked_value(name, str(value)))
        return text

    def _mask_page(self, request, response):
        """Titles and breadcrumbs of the change and history pages name the object: mask them."""
        context = getattr(response, "context_data", None)
        if not context:
            return response
        for key in ("original", "object"):
            obj = context.get(key)
            if isinstance(obj, self.model) and self._masks(request, obj):
                text = self.masked_str(obj)
                context[key] = _Labelled(obj, text)
                context["subtitle"] = text
                if "title" in context:
                    context["title"] = str(context["title"]).replace(str(obj), text)
        return response

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._mask_page(request, super().changeform_view(request, object_id, form_url, extra_context))

    def history_view(self, request, object_id, extra_context=None):
        return self._mask_page(request, super().history_view(request, object_id, extra_context))

    def __getattr__(self, name):
        if name.startswith(MASKED_PREFIX):
            field_name = name.removeprefix(MASKED_PREFIX)
            if field_name in type(self).masked_fields:

                def display(obj):
                    return masked_value(field_name, getattr(obj, field_name))

                display.short_description = self.model._meta.get_field(field_name).verbose_name
                return display
        raise AttributeError(name)


class _Labelled:
    """An object that reads as `text` in templates and is the object for everything else."""

    def __init__(self, obj, text):
        self._obj = obj
        self._text = text

    def __getattr__(self, name):
        return getattr(self._obj, name)

    def __str__(self):
        return self._text


# Admin pages that save through a service --------------------------------------------------------


class _DryRun(Exception):
    """Raised inside a savepoint to roll back a service run kept only for its verdict."""


def _dry_run(call) -> None:
    """Run a service and undo everything it wrote; its ValidationError (or DomainError) comes through."""
    try:
        with transaction.atomic():
            call()
            raise _DryRun
    except _DryRun:
        pass


def apply_service_errors(form, exc, prefix: str = "") -> None:
    """A service's error on a form: field errors beside their fields (keys named `<prefix><field>` where the
    service speaks of a nested row), the rest on top."""
    if isinstance(exc, DomainError):
        form.add_error(None, str(exc.detail))
        return
    errors = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
    for key, messages_ in errors.items():
        field = key.removeprefix(prefix) if key else None
        for error in messages_:
            form.add_error(field if field in form.fields else None, error)


def pick(data: dict, fields) -> dict:
    """The cleaned values of `fields` a form has, for a service's `data`."""
    return {field: data[field] for field in fields if field in data}


class ServiceForm(forms.ModelForm):
    """A model form whose clean() asks the admin's service (dry run) whether the save would pass."""

    service_call = None  # set by ServiceAdmin.get_form: (cleaned data) -> callable running the service

    def clean(self):
        data = super().clean()
        if self.errors or self.service_call is None:
            return data
        try:
            _dry_run(self.service_call(data))
        except (ValidationError, DomainError) as exc:
            apply_service_errors(self, exc)
        return data

    def _post_clean(self):
        # Field values onto the instance and field validation only: the service checks the rest.
        opts = self._meta
        try:
            self.instance = forms.models.construct_instance(self, self.instance, opts.fields, opts.exclude)
        except ValidationError as exc:
            self._update_errors(exc)


class ServiceAdmin(ScopedModelAdmin):
    """A scoped admin whose saves go through the app's service (the one way in for every write).

    `service(request, obj, data, change)` returns a callable that runs the service and returns the saved
    row; the form runs it as a dry run so its errors show beside the fields, the save runs it for real.
    Where the row is written together with its inlines in one service call (a household with its members),
    `saves_with_inlines` is set and `save_with_inlines(request, form, formsets, change)` does it once the
    inlines are cleaned too; its form checks what it can itself (see households.admin).
    A late refusal (a race) is shown as a message and nothing is saved.
    """

    form = ServiceForm
    saves_with_inlines = False

    def service(self, request, obj, data: dict, change: bool):  # pragma: no cover - each admin defines it
        raise NotImplementedError

    def save_with_inlines(self, request, form, formsets, change):  # pragma: no cover - where saves_with_inlines
        raise NotImplementedError

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not self.saves_with_inlines:
            form.service_call = staticmethod(lambda data: self.service(request, obj, data, obj is not None))
        return form

    def save_model(self, request, obj, form, change):
        if not self.saves_with_inlines:  # else saved in save_related, with the inlines
            self._saved(request, form, self.service(request, obj if change else None, form.cleaned_data, change)())

    def save_related(self, request, form, formsets, change):
        """Related rows were saved by the service."""
        if self.saves_with_inlines:
            self._saved(request, form, self.save_with_inlines(request, form, formsets, change))
        for formset in formsets:  # what the admin's change message reads; the service did the saving
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def _saved(self, request, form, saved) -> None:
        """The admin goes on with the row the service saved (its messages, its redirect)."""
        form.instance.pk = saved.pk
        form.instance._state.adding = False
        self.after_save(request, saved)

    def after_save(self, request, saved) -> None:
        """Hook: say something after a save (for example a work team's warnings)."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, DomainError) as exc:
            text = str(exc.detail) if isinstance(exc, DomainError) else "; ".join(exc.messages)
            messages.error(request, text)
            return HttpResponseRedirect(request.get_full_path())


class ReadOnlyInline(admin.TabularInline):
    """Rows shown under their parent and written elsewhere (through the services): set `model` and `fields`."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
