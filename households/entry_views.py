"""Entry pages of the register: a new household (新建户) and a household's changes (修改户).

One page in sections (household, members, living conditions); members are a formset whose rows are
added (htmx) and removed (a toggle) without reloading. Every write goes through the households
services in one transaction; their refusals come back beside the field they name. A stale edit
(someone saved first: the rows' versions moved on) is refused with the other person's values shown.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.roles import Capability
from core.scope import has_capability
from core.templatetags.jz import day
from households import hooks, rules, selectors, services
from households.choices import IdType
from households.entry_forms import (
    HOUSEHOLD_FORM_FIELDS,
    MEMBER_FORM_FIELDS,
    MEMBER_PREFIX,
    HouseholdForm,
    MemberFormSet,
)
from households.models import Household, Member

_MEMBER_KEY = re.compile(r"^(?:members\.(?P<index>\d+)|member (?P<pk>\d+)|added\.(?P<added>\d+))(?:\.(?P<field>\w+))?$")


class StaleEdit(Exception):
    """Someone saved the household or one of its members after this page was opened."""

    def __init__(self, changes: list[dict]):
        super().__init__("stale edit")
        self.changes = changes


def _require_edit(user, village_code: str | None = None) -> None:
    if not has_capability(user, Capability.EDIT_REGISTER, village_code):
        raise PermissionDenied


def _card_url(household: Household) -> str:
    """The household card (户卡) — the page that follows a save."""
    try:
        return reverse("households:detail", args=[household.pk])
    except NoReverseMatch:
        return f"/households/{household.pk}/"


# Shown values ------------------------------------------------------------------------------------


def _shown(field, value) -> str:
    """A value as the page shows it: choice labels, 是/否/未填, days as 2017年12月31日, （空） for nothing."""
    if value is None or value == "" or value == []:
        return _("（空）")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if hasattr(value, "isoformat") and not hasattr(value, "hour"):
        return day(value)
    choices = dict(getattr(field, "choices", ()) or ())
    if isinstance(value, list | tuple):
        return "、".join(str(choices.get(item, item)) for item in value)
    if hasattr(value, "pk"):
        return getattr(value, "name", str(value))
    return str(choices.get(value, choices.get(str(value), value)))


def _same(a, b) -> bool:
    if hasattr(a, "pk") or hasattr(b, "pk"):
        return getattr(a, "pk", a) == getattr(b, "pk", b)
    if isinstance(a, list | tuple) or isinstance(b, list | tuple):
        return sorted(a or []) == sorted(b or [])
    return (a in (None, "") and b in (None, "")) or a == b


# Error mapping -----------------------------------------------------------------------------------


def _messages_of(error) -> list:
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error)]


def _add_errors(exc, *, form: HouseholdForm, formset, rows: dict, single=None) -> None:
    """Put a service's refusal beside the field it names: household fields on the household form,
    `members.<i>.x` / `member <pk>.x` / `added.<i>.x` on that member's row, `members` above the rows."""
    if isinstance(exc, DomainError):
        named = False
        for key, errors in (exc.errors or {}).items():
            named |= _add_keyed(key, errors, form=form, formset=formset, rows=rows, single=single)
        if not named:
            form.add_error(None, str(exc.detail))
        return
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for key, errors in exc.error_dict.items():
        _add_keyed(key, errors, form=form, formset=formset, rows=rows, single=single)


def _add_keyed(key, errors, *, form, formset, rows, single) -> bool:
    errors = [message for error in errors for message in _messages_of(error)]
    match = _MEMBER_KEY.match(key)
    target, field = None, key
    if match:
        field = match.group("field")
        if match.group("index") is not None:
            target = rows.get(("index", int(match.group("index"))))
        elif match.group("pk") is not None:
            target = rows.get(("pk", int(match.group("pk"))))
        else:
            target = rows.get(("added", int(match.group("added"))))
    elif key in MEMBER_FORM_FIELDS and key not in form.fields and single is not None:
        target = single
    if target is not None and field in target.fields:
        for message in errors:
            target.add_error(field, message)
        return True
    if target is None and key in form.fields:
        for message in errors:
            form.add_error(key, message)
        return True
    if key == "members" or target is not None:
        formset._non_form_errors = formset.non_form_errors() + errors  # shown above the rows
        return True
    for message in errors:
        form.add_error(None, message)
    return False


# Stale edits -------------------------------------------------------------------------------------


def _household_changes(current: Household, form: HouseholdForm) -> list[dict]:
    lines = []
    for name in HOUSEHOLD_FORM_FIELDS:
        if name not in form.fields or name not in form.cleaned_data:
            continue
        theirs, mine = getattr(current, name), form.cleaned_data[name]
        if not _same(theirs, mine):
            field = form.fields[name]
            lines.append({"label": field.label, "theirs": _shown(field, theirs), "mine": _shown(field, mine)})
    return lines


def _member_changes(current: Member, row) -> list[dict]:
    lines = []
    for name in MEMBER_FORM_FIELDS:
        if name not in row.cleaned_data:
            continue
        theirs, mine = getattr(current, name), row.cleaned_data[name]
        if not _same(theirs, mine):
            field = row.fields[name]
            label = _("成员%(name)s · %(field)s") % {"name": current.name, "field": field.label}
            lines.append({"label": label, "theirs": _shown(field, theirs), "mine": _shown(field, mine)})
    return lines


def _stale_changes(household: Household, current_members: dict, form, rows) -> list[dict]:
    """What the other person changed, as "field: their value vs yours"; empty when nobody saved first."""
    changes = []
    if form.cleaned_data.get("version") not in (None, household.version):
        changes += _household_changes(household, form)
        if not changes:
            changes.append({"label": _("户信息"), "theirs": _("已修改"), "mine": _("未修改")})
    posted = set()
    for row in rows:
        pk = row.cleaned_data.get("id")
        if not pk:
            continue
        posted.add(pk)
        member = current_members.get(pk)
        if member is None:
            changes.append({"label": _("成员%(name)s") % {"name": row.cleaned_data.get("name") or ""},
                            "theirs": _("已减少或移出本户"), "mine": _("仍在本户")})  # fmt: skip
        elif row.cleaned_data.get("version") not in (None, member.version):
            changes += _member_changes(member, row)
    for pk, member in current_members.items():
        if pk not in posted:
            changes.append({"label": _("成员%(name)s") % {"name": member.name}, "theirs": _("新增"), "mine": _("无")})
    return changes


def _refresh_versions(data, household: Household, members: dict, formset) -> None:
    """After a refused stale edit: the page now carries the current versions, so saving again is deliberate."""
    data["version"] = str(household.version)
    for index in range(formset.total_form_count()):
        prefix = f"{MEMBER_PREFIX}-{index}"
        pk = data.get(f"{prefix}-id")
        if pk and pk.isdigit() and int(pk) in members:
            data[f"{prefix}-version"] = str(members[int(pk)].version)


# Pages -------------------------------------------------------------------------------------------


def _render(request, *, form, formset, household=None, stale=None, status=200):
    template = "households/entry/form.html"
    return render(
        request,
        template,
        {"form": form, "formset": formset, "household": household, "stale": stale or []},
        status=status,
    )


def _after_save(request, household: Household, *, created: bool) -> HttpResponse:
    if created:
        messages.success(request, _("已新建户 %(number)s。") % {"number": household.number})
    else:
        messages.success(request, _("已保存户 %(number)s 的修改。") % {"number": household.number})
    for sentence in hooks.after_save(household=household, user=request.user):
        messages.warning(request, sentence)
    return redirect(_card_url(household))


@login_required
def household_new(request):
    """新建户: the household, its members and its living conditions on one page."""
    _require_edit(request.user)
    if request.method != "POST":
        form = HouseholdForm(user=request.user)
        formset = MemberFormSet(prefix=MEMBER_PREFIX, initial=[{"relation": "01"}])
        return _render(request, form=form, formset=formset)
    form = HouseholdForm(request.POST, user=request.user)
    formset = MemberFormSet(request.POST, prefix=MEMBER_PREFIX)
    forms_valid = form.is_valid() & formset.is_valid()
    if forms_valid:
        kept = formset.kept_forms()
        rows = {("index", index): row for index, row in enumerate(kept)}
        data = {name: form.cleaned_data[name] for name in HOUSEHOLD_FORM_FIELDS if name != "village"}
        try:
            household = services.household_create(
                user=request.user,
                village=form.cleaned_data["village"],
                data=data,
                members=[row.member_data() for row in kept],
            )
        except (ValidationError, DomainError) as exc:
            _add_errors(exc, form=form, formset=formset, rows=rows)
        else:
            return _after_save(request, household, created=True)
    return _render(request, form=form, formset=formset, status=400)


def _member_initial(member: Member) -> dict:
    return {"id": member.pk, "version": member.version, **{name: getattr(member, name) for name in MEMBER_FORM_FIELDS}}


@login_required
def household_edit(request, pk):
    """修改户: the same page for a registered household; refused with the other's values when someone saved first."""
    household = get_object_or_404(selectors.households_in_scope(user=request.user), pk=pk)
    _require_edit(request.user, household.village_id)
    if request.method != "POST":
        members = household.members.active().order_by("relation", "birth_date", "id")
        initial = {"version": household.version, **{name: getattr(household, name) for name in HOUSEHOLD_FORM_FIELDS}}
        form = HouseholdForm(initial=initial, user=request.user, household=household)
        formset = MemberFormSet(prefix=MEMBER_PREFIX, initial=[_member_initial(m) for m in members])
        return _render(request, form=form, formset=formset, household=household)

    data = request.POST.copy()
    form = HouseholdForm(data, user=request.user, household=household)
    formset = MemberFormSet(data, prefix=MEMBER_PREFIX)
    if not (form.is_valid() & formset.is_valid()):
        return _render(request, form=form, formset=formset, household=household, status=400)
    kept = formset.kept_forms()
    try:
        with transaction.atomic():
            locked = Household.objects.select_for_update().get(pk=household.pk)
            current = {m.pk: m for m in locked.members.active().select_for_update()}
            stale = _stale_changes(locked, current, form, kept)
            if stale:
                raise StaleEdit(stale)
            rows = {}
            changed, added = {}, []
            for row in kept:
                values = row.member_data()
                pk_ = row.cleaned_data.get("id")
                if pk_:
                    member = current[pk_]
                    diff = {k: v for k, v in values.items() if not _same(getattr(member, k), v)}
                    if diff:
                        changed[pk_] = diff
                        rows[("pk", pk_)] = row
                else:
                    rows[("added", len(added))] = row
                    added.append(values)
            single = next(iter(rows.values())) if len(rows) == 1 else None
            household_data = {
                name: form.cleaned_data[name]
                for name in HOUSEHOLD_FORM_FIELDS
                if name in form.fields and not _same(getattr(locked, name), form.cleaned_data[name])
            }
            try:
                if household_data:
                    services.household_update(user=request.user, household=locked, data=household_data)
                if changed or added:
                    services.household_members_save(user=request.user, household=locked, changed=changed, added=added)
            except (ValidationError, DomainError) as exc:
                _add_errors(exc, form=form, formset=formset, rows=rows, single=single)
                raise
    except StaleEdit as exc:
        members = {m.pk: m for m in household.members.active()}
        household.refresh_from_db()
        _refresh_versions(data, household, members, formset)
        form = HouseholdForm(data, user=request.user, household=household)
        formset = MemberFormSet(data, prefix=MEMBER_PREFIX)
        form.is_valid(), formset.is_valid()
        return _render(request, form=form, formset=formset, household=household, stale=exc.changes, status=409)
    except (ValidationError, DomainError):
        return _render(request, form=form, formset=formset, household=household, status=400)
    return _after_save(request, household, created=False)


@login_required
def member_row(request):
    """One blank member row (添加成员), fetched by htmx with the next row's index."""
    _require_edit(request.user)
    try:
        index = int(request.GET.get("index", ""))
    except ValueError as exc:
        raise Http404 from exc
    if not 0 <= index < 30:
        raise Http404
    formset = MemberFormSet(prefix=MEMBER_PREFIX)
    return render(request, "households/entry/member_row.html", {"row": formset.row(index), "index": index})


@login_required
@require_POST
def id_number_check(request):
    """The server's word on an ID number as typed (ID-1): birth date and sex, or what is wrong. POST only:
    ID numbers never travel in a URL."""
    _require_edit(request.user)
    row = request.POST.get("row", "")
    number = request.POST.get(f"{row}-id_number", "").strip().upper()
    type_ = request.POST.get(f"{row}-id_type", "")
    if type_ not in IdType.values:
        type_ = IdType.RESIDENT_ID
    context = {"number": number, "type": type_}
    if number:
        try:
            parsed = rules.check_identity(
                id_type=type_, id_number=number, sex=None, birth_date=None, today=timezone.localdate()
            )
        except rules.IdNumberError as exc:
            context["error"] = exc.message
        else:
            context["parsed"] = parsed
            if parsed is not None:
                context["sex_label"] = _("男") if parsed.sex == "male" else _("女")
    return render(request, "households/entry/id_check.html", context)

