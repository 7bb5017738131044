"""The annual record page (年度信息, /households/<id>/records/<year>/): incomes with their totals computed as they
are typed, the 两不愁三保障 facts, and the exit checklist (lifecycle.eligibility) for the facts as typed.

The totals and the checklist come from an htmx post of the form that saves nothing; the save goes through
households.services.annual_record_upsert like the API's.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.roles import Capability
from core.scope import has_capability
from households import rules, services
from households.selectors import households_in_scope, standard_for
from lifecycle import eligibility
from lifecycle.record_forms import INCOME_FIELDS, AnnualRecordForm

FIRST_YEAR = 2013
L = gettext_lazy
RESULT_LABELS = {eligibility.PASS: L("达标"), eligibility.FAIL: L("未达标"), eligibility.MISSING: L("未录入")}
CHECK_LABELS = {"income": L("收入"), "food": L("不愁吃"), "clothing": L("不愁穿"), "education": L("义务教育有保障"),
                "medical": L("基本医疗有保障"), "housing": L("住房安全有保障"), "water": L("饮水安全有保障")}  # fmt: skip


def _amount(value) -> Decimal:
    return value if isinstance(value, Decimal) and value.is_finite() and value >= 0 else Decimal("0.00")


def live_figures(*, household, year: int, values: dict, members) -> dict:
    """Totals, per-capita income and the exit checklist for the facts as typed (nothing read but members and the standard)."""
    income = rules.IncomeFacts(**{name: _amount(values.get(name)) for name in INCOME_FIELDS if name != "uncounted_income"})
    persons = eligibility.members_at_year_end(members=members, year=year)
    net = rules.net_income(income)
    per_capita = rules.per_capita_income(net=net, members=len(persons))
    standard = standard_for(year=year, region_code=household.village_id, kind=household.identification_standard)
    grade = values.get("housing_grade") or ""
    record = eligibility.RecordFacts(
        year=year,
        per_capita_income=per_capita,
        members_counted=len(persons),
        food_secure=values.get("food_secure"),
        clothing_secure=values.get("clothing_secure"),
        housing_grade=grade if grade in ("A", "B", "C", "D") else "",
        renovation_year=values.get("renovation_year"),
        relocation_done=bool(values.get("relocation_done")),
        water_safe=values.get("water_safe"),
        water_access_ok=values.get("water_access_ok"),
        medical_expense=values.get("medical_expense"),
        schooling_expense=values.get("schooling_expense"),
    )
    evaluation = eligibility.evaluate_exit(
        year=year,
        record=record,
        members=persons,
        standard=None if standard is None else eligibility.standard_facts_of(standard=standard),
    )
    checks = [
        {"name": str(CHECK_LABELS.get(c.name, c.name)), "result": c.result, "label": str(RESULT_LABELS[c.result]),
         "sentence": c.sentence}
        for c in evaluation.checks
    ]
    return {
        "transfer_income": rules.transfer_income(income),
        "net_income": net,
        "members_counted": len(persons),
        "per_capita_income": per_capita,
        "poverty_line": None if standard is None else standard.poverty_line,
        "checks": checks,
        "passed": evaluation.passed,
    }


def _values(form: AnnualRecordForm) -> dict:
    """What the form holds now, the valid fields only (a field being typed does not stop the totals)."""
    form.is_valid()
    return dict(getattr(form, "cleaned_data", {}))


@login_required
def annual_record(request, pk: int, year: int):
    household = get_object_or_404(households_in_scope(user=request.user), pk=pk)
    if not FIRST_YEAR <= year <= timezone.localdate().year + 1:
        raise Http404
    may_edit = has_capability(request.user, Capability.EDIT_REGISTER, household.village_id)
    record = household.annual_records.filter(year=year).first()
    members = list(household.members.order_by("id"))
    head = next((m for m in members if m.relation == "01" and m.left_on is None), None)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = AnnualRecordForm(request.POST)
        if request.htmx:  # the live totals and checklist: nothing saved
            live = live_figures(household=household, year=year, values=_values(form), members=members)
            return render(request, "lifecycle/record/live.html", {"live": live, "year": year})
        if form.is_valid():
            if record is not None and form.cleaned_data.get("version") not in (None, record.version):
                form.add_error(None, _("保存前已有他人修改了该年度信息，请重新打开本页核对后再保存。"))
            else:
                try:
                    services.annual_record_upsert(user=request.user, household=household, year=year, data=form.record_data())
                except ValidationError as exc:
                    for field, errors in getattr(exc, "error_dict", {None: exc.error_list}).items():
                        for error in errors:
                            form.add_error(field if field in form.fields else None, error)
                except DomainError as exc:
                    form.add_error(None, str(exc.detail))
                else:
                    messages.success(request, _("已保存 %(year)s 年度信息。") % {"year": year})
                    return redirect(request.path)
        values, status = _values(form), 400
    else:
        initial = {"version": record.version} if record else {}
        if record is not None:
            initial.update({name: getattr(record, name) for name in AnnualRecordForm().fields if name != "version"})
        form = AnnualRecordForm(initial=initial)
        values = {name: initial.get(name) for name in form.fields}
        status = 200
    live = live_figures(household=household, year=year, values=values, members=members)
    context = {
        "household": household,
        "head": head,
        "year": year,
        "form": form,
        "live": live,
        "may_edit": may_edit,
        "record": record,
        "years": [y for y in (year - 1, year + 1) if FIRST_YEAR <= y <= timezone.localdate().year + 1],
    }
    return render(request, "lifecycle/record/page.html", context, status=status)
