"""The programs pages (帮扶项目, issue 16 point 6): programs with their beneficiary figures, one program's
beneficiaries (paginated, exportable) and targeting gap list with the recording of a benefit for one household or a
selected set; cooperatives with members and dividends; pairing-unit projects with the households they benefited.

Scope is the API's: programs through `selectors.programs_visible` (a county's program is seen by the village teams of
the county), households through the register's scope; anything outside it does not exist for the caller (404).
Every figure comes from the selectors the API and the summaries use, every write from `services.benefit_create`,
one household at a time: a refusal of one leaves the others recorded and that one untouched.
"""

import datetime
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from cadres.models import Unit
from core.errors import DomainError
from core.roles import Capability
from core.scope import has_capability, region_prefixes, restrict_to_scope
from core.ui import add_service_errors, keyset_links, keyset_page, ordered_page
from households.selectors import head_name, households_in_scope
from programs import selectors, services, targeting
from programs.filtersets import ProgramFilterSet
from programs.forms import (
    BenefitBatchForm,
    CooperativeForm,
    DividendForm,
    FiguresForm,
    MembershipForm,
    ProgramForm,
    ProjectForm,
)
from programs.models import ProjectBeneficiary
from villages.models import Region
from villages.selectors import regions_in_scope

PER_PAGE = 30
GAPS_SHOWN = 50
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")  # as reports.exports (a floor above): text never runs

# What to do next after each refusal of benefit_create, beside the service's own sentence.
NEXT = {
    "household": gettext_lazy("请选择项目覆盖区划内的户，或在适用于该户所在区划的项目下登记。"),
    "date": gettext_lazy("请把帮扶日期改在项目年度之内。"),
    "amount": gettext_lazy("请按“1200.50”的格式填写金额。"),
    "permission_denied": gettext_lazy("请由负责该村的驻村工作队或乡镇、县扶贫办人员登记。"),
}


def _region_choices(user):
    """The regions whose figures the caller may read, county, townships and villages in code order (one query)."""
    return list(
        regions_in_scope(user=user).filter(level__in=("county", "township", "village")).order_by("code")
    )


def _home_region(user, regions) -> str | None:
    """The caller's widest region with READ_FIGURES (the first county for a superuser)."""
    prefixes = region_prefixes(user, Capability.READ_FIGURES)
    if prefixes:
        return min(prefixes, key=lambda p: (len(p), p)).ljust(12, "0")
    return next((r.code for r in regions if r.level == "county"), regions[0].code if regions else None)


@login_required
def program_list(request):
    """帮扶项目: the programs that apply in my regions, each with the households, people and amount it reached in
    the chosen region from 1 January to the day; the region's coverage figures above (a fixed number of queries)."""
    user = request.user
    if not has_capability(user, Capability.READ_FIGURES):
        raise PermissionDenied
    regions = _region_choices(user)
    form = FiguresForm(request.GET or None, regions=regions)
    if form.is_bound and not form.is_valid() and "region" in form.errors:
        raise Http404  # a region outside my scope does not exist for me
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    region_code = chosen.get("region") or _home_region(user, regions)
    as_of = chosen.get("as_of") or timezone.localdate()
    if not form.is_bound:
        form = FiguresForm(initial={"region": region_code, "as_of": as_of}, regions=regions)
    region = next((r for r in regions if r.code == region_code), None)
    since = datetime.date(as_of.year, 1, 1)
    filterset = _program_filterset(request, selectors.programs_visible(user=user))
    programs = (filterset.qs if filterset.is_valid() else filterset.queryset.none()).order_by("-start_year", "name", "id")
    page = ordered_page(request, programs, size=PER_PAGE)
    rows, figures = [], None
    if region is not None:
        totals = {
            row["key"]: row
            for row in selectors.benefit_totals(region_code=region.code, by="program", since=since, until=as_of)
        }
        people = selectors.beneficiary_people_by_program(region_code=region.code, since=since, until=as_of)
        figures = selectors.program_figures(region_code=region.code, as_of=as_of)
        for program in page:
            row = totals.get(program.pk, {})
            rows.append(
                {
                    "program": program,
                    "households": row.get("households", 0),
                    "benefits": row.get("benefits", 0),
                    "amount": row.get("amount", "0.00"),
                    "people": people.get(program.pk, 0),
                }
            )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form, "filters": filterset.form, "region": region, "as_of": as_of, "since": since, "page": page,
        "rows": rows, "figures": figures, "query": query.urlencode(),
        "filtered": any(request.GET.get(name) for name in PROGRAM_FILTERS),
        "may_create": has_capability(user, Capability.COUNTY_ADMINISTRATION),
    }  # fmt: skip
    return render(request, "programs/list.html", context)


PROGRAM_FILTERS = ("category", "funding_source", "year")  # the API's ProgramFilterSet ("region" here is the figures')


def _program_filterset(request, queryset) -> ProgramFilterSet:
    """The API's FilterSet for the list's category, funding source and year, with "全部" for no filter."""
    filterset = ProgramFilterSet({name: request.GET.get(name, "") for name in PROGRAM_FILTERS}, queryset=queryset)
    fields = filterset.form.fields
    for name in [name for name in fields if name not in PROGRAM_FILTERS]:
        del fields[name]
    for name in ("category", "funding_source"):
        fields[name].choices = [("", _("全部")), *list(fields[name].choices)[1:]]
        fields[name].label = {"category": _("类别"), "funding_source": _("资金来源")}[name]
    fields["year"].label = _("实施年度")
    fields["year"].help_text = ""
    for name, field in fields.items():
        field.widget.attrs["class"] = "form-control" if name == "year" else "form-select"
    return filterset


def _program_regions(user):
    """The county and townships where the user holds COUNTY_ADMINISTRATION (one query), for a new program."""
    return list(
        restrict_to_scope(
            Region.objects.filter(level__in=("county", "township")), user, Capability.COUNTY_ADMINISTRATION
        ).order_by("code")
    )


@login_required
def program_create(request):
    """新建帮扶项目 (the county office) through program_create; errors beside the fields, or the new program's page."""
    user = request.user
    if not has_capability(user, Capability.COUNTY_ADMINISTRATION):
        raise PermissionDenied
    regions = _program_regions(user)
    year = timezone.localdate().year
    form = ProgramForm(request.POST or None, regions=regions, initial={"start_year": year, "end_year": year})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["region"] = next(r for r in regions if r.code == data["region"])
        try:
            program = services.program_create(user=user, data=data)
        except (DomainError, ValidationError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已新建帮扶项目“%(name)s”。") % {"name": program.name})
            return redirect("program", program.pk)
    return render(request, "programs/new.html", {"form": form})


def _year(request, program) -> int:
    """The program year the page reads: ?year= when it is one of the program's years, else this year kept inside
    them; anything else is a page that does not exist (404)."""
    today = timezone.localdate()
    value = request.GET.get("year") or request.POST.get("year") or ""
    if not value:
        return min(max(today.year, program.start_year), program.end_year)
    if not value.isdigit() or not program.start_year <= int(value) <= program.end_year:
        raise Http404
    return int(value)


@dataclass
class Outcome:
    number: str
    name: str
    recorded: bool
    sentence: str


def _refusal(exc) -> str:
    """The service's sentence, then what to do next."""
    if isinstance(exc, DomainError):
        return f"{str(exc).rstrip('。；')}。{NEXT.get(exc.code, '')}"
    fields = getattr(exc, "error_dict", {})
    sentences = "；".join(str(m) for m in exc.messages).rstrip("。；") + "。"
    return sentences + "".join(str(NEXT[f]) for f in fields if f in NEXT)


SHARED_FIELDS = ("date", "amount", "quantity", "note", "member")  # errors of these are the form's, whatever the household


def _record(request, program, form) -> list[Outcome]:
    """benefit_create for each chosen household, each its own transaction. A refusal of a field every household
    shares (the date, the amount…) goes beside that field; the households' own refusals go in the report."""
    data = form.cleaned_data
    in_scope = households_in_scope(user=request.user).annotate(head_name=head_name())
    chosen = list(in_scope.filter(pk__in=data["households"]).order_by("number"))
    typed = {h.number: h for h in in_scope.filter(number__in=data["numbers"])}
    outcomes: list[Outcome] = []
    targets = chosen + [typed[n] for n in data["numbers"] if n in typed and typed[n] not in chosen]
    for number in data["numbers"]:
        if number not in typed:
            outcomes.append(Outcome(number, "", False, _("在您负责的范围内没有这个户编号，请核对后再填。")))
    member_name = (data.get("member_name") or "").strip()
    for household in targets:
        member = None
        if member_name:  # one household only (the form says so otherwise)
            member = household.members.filter(name=member_name).order_by("left_on", "id").first()
            if member is None:
                form.add_error("member_name", _("户 %(number)s 没有名为“%(name)s”的成员") % {"number": household.number, "name": member_name})
                outcomes.append(Outcome(household.number, household.head_name or "", False, _("请核对受益成员姓名。")))
                continue
        try:
            services.benefit_create(
                user=request.user, program=program, household=household, member=member, date=data["date"],
                amount=data["amount"], quantity=data["quantity"], note=data["note"],
            )  # fmt: skip
        except (DomainError, ValidationError) as exc:
            shared = {f: m for f, m in getattr(exc, "message_dict", {}).items() if f in SHARED_FIELDS}
            for field, texts in shared.items():
                field_name = "member_name" if field == "member" else field
                if not form.has_error(field_name):
                    for message in texts:
                        form.add_error(field_name, message)
            outcomes.append(Outcome(household.number, household.head_name or "", False, _refusal(exc)))
            continue
        outcomes.append(Outcome(household.number, household.head_name or "", True, _("已登记。")))
    return outcomes


def _posted_households(request) -> list[int]:
    try:
        return sorted({int(value) for value in request.POST.getlist("households")})
    except ValueError as exc:
        raise Http404 from exc


@login_required
@require_GET
def program_detail(request, pk: int):
    """One program: its figures for a year, the households it reached (keyset pages, exportable) and the households
    its targeting rule says it should reach and has not (the gap list), with the form that records a benefit."""
    program = get_object_or_404(selectors.programs_visible(user=request.user), pk=pk)
    return _program_page(request, program, form=BenefitBatchForm(initial=BenefitBatchForm.initial_for()))


@login_required
@require_POST
def program_record(request, pk: int):
    """登记帮扶: a benefit of the program for one household or a selected set, through benefit_create, one transaction
    per household; the program's page again with the report of what was recorded and what was refused, and why."""
    user = request.user
    program = get_object_or_404(selectors.programs_visible(user=user), pk=pk)
    if not has_capability(user, Capability.RECORD_ACTIVITY):
        raise PermissionDenied
    ids = _posted_households(request)
    # A ticked household outside the register's scope does not exist for the caller (404), even in a batch.
    if households_in_scope(user=user).filter(pk__in=ids).count() != len(ids):
        raise Http404
    form = BenefitBatchForm(request.POST, choices=ids)
    outcomes: list[Outcome] = []
    if form.is_valid():
        outcomes = _record(request, program, form)
        if not form.errors and any(o.recorded for o in outcomes):
            kept = {name: form.cleaned_data[name] for name in ("date", "amount", "quantity", "note")}
            form = BenefitBatchForm(initial=kept)
    response = _program_page(request, program, form=form, outcomes=outcomes)
    response["Cache-Control"] = "no-store"
    return response


def _program_page(request, program, *, form, outcomes=()):
    user = request.user
    year = _year(request, program)
    since, until = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    figures = selectors.program_year_figures(program=program, year=year)
    may_read_register = has_capability(user, Capability.READ_REGISTER)
    page, gaps, gap_count = {"rows": [], "next": None, "previous": None}, [], 0
    if may_read_register:
        households = selectors.program_beneficiary_households(program=program, user=user, year=year)
        page = keyset_page(households, after=request.GET.get("after", "")[:20], before=request.GET.get("before", "")[:20])
        people = selectors.beneficiary_people_of(
            program=program, household_ids=[h.pk for h in page["rows"]], since=since, until=until
        )
        for household in page["rows"]:
            household.people_names = people.get(household.pk, [])
        if program.targeting_rule:
            as_of = targeting.as_of_for_year(year, timezone.localdate())
            gap_rows = selectors.program_gaps(program=program, user=user, year=year, as_of=as_of)
            gaps = list(gap_rows[:GAPS_SHOWN])
            gap_count = len(gaps) if len(gaps) < GAPS_SHOWN else gap_rows.count()
    ticked = set(form["households"].value() or []) if form.is_bound else set()
    context = {
        "program": program,
        "year": year,
        "years": list(range(program.start_year, program.end_year + 1)),
        "figures": figures,
        "page": page,
        **{name: f"{reverse('program', args=[program.pk])}{link}" if link else None
           for name, link in keyset_links(request, page).items()},  # also from the POST's page
        "gaps": gaps,
        "gap_count": gap_count,
        "gaps_more": gap_count > len(gaps),
        "ticked": {str(pk) for pk in ticked},
        "may_read_register": may_read_register,
        "may_record": has_capability(user, Capability.RECORD_ACTIVITY),
        "form": form,
        "outcomes": outcomes,
        "recorded": sum(1 for o in outcomes if o.recorded),
        "refused": sum(1 for o in outcomes if not o.recorded),
    }
    return render(request, "programs/detail.html", context)


def _xlsx_text(value):
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


@login_required
def program_export(request, pk: int):
    """The households a program reached in a year, as XLSX with Chinese headers (openpyxl write-only, spooled to a
    temporary file: memory stays flat whatever the number of rows)."""
    user = request.user
    program = get_object_or_404(selectors.programs_visible(user=user), pk=pk)
    if not has_capability(user, Capability.READ_REGISTER):
        raise PermissionDenied
    year = _year(request, program)
    households = selectors.program_beneficiary_households(program=program, user=user, year=year).order_by("number")
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=str(year))
    sheet.append([
        _("户编号"), _("户主"), _("乡镇"), _("行政村"), _("帮扶次数"), _("金额（元）"), _("受益人数"), _("最近帮扶日期"),
    ])  # fmt: skip
    for household in households.iterator(chunk_size=2000):
        day = WriteOnlyCell(sheet, value=household.last_benefit)
        day.number_format = "yyyy-mm-dd"
        village = household.village
        sheet.append([
            household.number, _xlsx_text(household.head_name or ""), _xlsx_text(village.parent.name if village.parent else ""),
            _xlsx_text(village.name), household.benefit_count, household.benefit_amount, household.people or 0, day,
        ])  # fmt: skip
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed open to the response, which closes it
    book.save(out)
    out.seek(0)
    response = FileResponse(
        out, as_attachment=True, filename=f"program-{program.pk}-{year}.xlsx", content_type=XLSX_CONTENT_TYPE
    )
    response["Cache-Control"] = "no-store"
    return response


# Cooperatives and pairing-unit projects ------------------------------------------------------------------------


@login_required
@require_GET
def cooperative_list(request):
    """合作社: the cooperatives of my regions with their member households today, by village; the county office
    registers one below."""
    if not has_capability(request.user, Capability.READ_FIGURES):
        raise PermissionDenied
    return _cooperatives_page(request, form=None)


def _county_villages(user):
    """The villages where the user holds COUNTY_ADMINISTRATION (one query), for the registration form."""
    return list(
        restrict_to_scope(
            Region.objects.filter(level="village").select_related("parent"), user, Capability.COUNTY_ADMINISTRATION
        ).order_by("code")
    )


def _cooperatives_page(request, *, form):
    user = request.user
    may_add = has_capability(user, Capability.COUNTY_ADMINISTRATION)
    if may_add and form is None:
        form = CooperativeForm(villages=_county_villages(user))
    cooperatives = selectors.cooperatives_in_scope(user=user).select_related("village__parent")
    page = ordered_page(request, cooperatives.order_by("village_id", "name", "id"), size=PER_PAGE)
    return render(request, "programs/cooperatives.html", {"page": page, "form": form if may_add else None})


@login_required
@require_POST
def cooperative_create(request):
    """登记合作社 through cooperative_create; the list again with the errors beside the fields, or the new one."""
    user = request.user
    if not has_capability(user, Capability.COUNTY_ADMINISTRATION):
        raise PermissionDenied
    villages = _county_villages(user)
    form = CooperativeForm(request.POST, villages=villages)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["village"] = next(v for v in villages if v.code == data["village"])
        try:
            cooperative = services.cooperative_create(user=user, data=data)
        except (DomainError, ValidationError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已登记合作社“%(name)s”。") % {"name": cooperative.name})
            return redirect("cooperative", cooperative.pk)
    return _cooperatives_page(request, form=form)


def _memberships(user, cooperative):
    return list(
        selectors.memberships_in_scope(user=user)
        .filter(cooperative=cooperative)
        .annotate(head_name=head_name("household_id"))
        .order_by("household__number", "joined", "id")
    )


def _cooperative_page(request, cooperative, *, membership_form=None, dividend_form=None):
    """One cooperative: its member households (those I may read) with their shares and each year's dividend, the
    dividends paid by year, and for the county office the forms to add a member and a dividend (a fixed number of
    queries whatever the members)."""
    user = request.user
    memberships = _memberships(user, cooperative)
    dividends, totals = defaultdict(list), defaultdict(Decimal)
    rows = selectors.dividends_in_scope(user=user).filter(membership__cooperative=cooperative).order_by("year", "id")
    for dividend in rows:
        dividends[dividend.membership_id].append(dividend)
        totals[dividend.year] += dividend.amount
    # The totals by year are summed from the dividends the member rows show anyway (every one of them, in scope),
    # not by a second statement that SUMs the cooperative's dividends in the database.
    by_year = [{"year": year, "total": total} for year, total in sorted(totals.items())]
    today = timezone.localdate()
    members = [
        {
            "membership": m,
            "active": m.joined <= today and (m.left is None or m.left > today),
            "dividends": dividends.get(m.pk, []),
        }
        for m in memberships
    ]
    may_manage = has_capability(user, Capability.COUNTY_ADMINISTRATION, cooperative.village_id)
    if may_manage:
        membership_form = membership_form or MembershipForm(initial={"joined": today, "shares": "1"})
        dividend_form = dividend_form or DividendForm(memberships=memberships, initial={"year": today.year - 1})
    context = {
        "cooperative": cooperative, "members": members, "by_year": by_year,
        "may_read_register": has_capability(user, Capability.READ_REGISTER, cooperative.village_id),
        "may_manage": may_manage, "membership_form": membership_form, "dividend_form": dividend_form,
    }  # fmt: skip
    return render(request, "programs/cooperative.html", context)


def _cooperative(request, pk):
    return get_object_or_404(
        selectors.cooperatives_in_scope(user=request.user).select_related("village__parent"), pk=pk
    )


@login_required
@require_GET
def cooperative_detail(request, pk: int):
    return _cooperative_page(request, _cooperative(request, pk))


def _manage(request, pk):
    cooperative = _cooperative(request, pk)
    if not has_capability(request.user, Capability.COUNTY_ADMINISTRATION, cooperative.village_id):
        raise PermissionDenied
    return cooperative


@login_required
@require_POST
def cooperative_member_create(request, pk: int):
    """入社 through membership_create: the household by its number in my scope; errors beside the fields."""
    user = request.user
    cooperative = _manage(request, pk)
    form = MembershipForm(request.POST)
    if form.is_valid():
        household = households_in_scope(user=user).filter(number=form.cleaned_data["number"]).first()
        if household is None:
            form.add_error("number", _("在您负责的范围内没有这个户编号，请核对后再填。"))
        else:
            try:
                services.membership_create(
                    user=user, cooperative=cooperative, household=household, joined=form.cleaned_data["joined"],
                    shares=form.cleaned_data["shares"],
                )  # fmt: skip
            except (DomainError, ValidationError) as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("户 %(number)s 已入社。") % {"number": household.number})
                return redirect("cooperative", cooperative.pk)
    return _cooperative_page(request, cooperative, membership_form=form)


@login_required
@require_POST
def cooperative_dividend_create(request, pk: int):
    """分红 through dividend_create on one of the cooperative's memberships; errors beside the fields."""
    user = request.user
    cooperative = _manage(request, pk)
    memberships = _memberships(user, cooperative)
    form = DividendForm(request.POST, memberships=memberships)
    if form.is_valid():
        membership = next(m for m in memberships if m.pk == form.cleaned_data["membership"])
        try:
            services.dividend_create(
                user=user, membership=membership, year=form.cleaned_data["year"], amount=form.cleaned_data["amount"]
            )
        except (DomainError, ValidationError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已登记户 %(number)s 的分红。") % {"number": membership.household.number})
            return redirect("cooperative", cooperative.pk)
    return _cooperative_page(request, cooperative, dividend_form=form)


@login_required
@require_GET
def project_list(request):
    """帮扶单位项目: pairing units' projects in my villages — funds invested and coordinated, trainings — each with
    the households it benefited that I may read (two queries for the page's projects and their households); the
    county office records one below."""
    if not has_capability(request.user, Capability.READ_FIGURES):
        raise PermissionDenied
    return _projects_page(request, form=None)


def _project_form(user, data=None):
    return ProjectForm(
        data, units=list(Unit.objects.order_by("level", "name", "id")), villages=_county_villages(user),
        initial={"year": timezone.localdate().year},
    )  # fmt: skip


def _projects_page(request, *, form):
    user = request.user
    may_add = has_capability(user, Capability.COUNTY_ADMINISTRATION)
    if may_add and form is None:
        form = _project_form(user)
    projects = selectors.projects_in_scope(user=user).select_related("village__parent")
    page = ordered_page(request, projects.order_by("-year", "village_id", "name", "id"), size=PER_PAGE)
    beneficiaries = defaultdict(list)
    if has_capability(user, Capability.READ_REGISTER):
        rows = (
            restrict_to_scope(ProjectBeneficiary.objects.filter(project__in=[p.pk for p in page]), user)
            .select_related("household")
            .annotate(head_name=head_name("household_id"))
            .order_by("household__number")
        )
        for row in rows:
            beneficiaries[row.project_id].append(row)
    items = [{"project": p, "beneficiaries": beneficiaries.get(p.pk, [])} for p in page]
    return render(request, "programs/projects.html", {"page": page, "items": items, "form": form if may_add else None})


@login_required
@require_POST
def project_create(request):
    """登记帮扶单位项目 through project_create: the households by number in my scope; errors beside the fields."""
    user = request.user
    if not has_capability(user, Capability.COUNTY_ADMINISTRATION):
        raise PermissionDenied
    form = _project_form(user, request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        numbers = data.pop("numbers")
        households = {h.number: h for h in households_in_scope(user=user).filter(number__in=numbers)}
        unknown = [n for n in numbers if n not in households]
        if unknown:
            form.add_error("numbers", _("在您负责的范围内没有这些户编号：%(numbers)s") % {"numbers": "、".join(unknown[:10])})
        else:
            data["unit"] = Unit.objects.get(pk=data["unit"])
            data["village"] = Region.objects.get(code=data["village"])
            try:
                project = services.project_create(user=user, data=data, beneficiaries=[households[n] for n in numbers])
            except (DomainError, ValidationError) as exc:
                if hasattr(exc, "message_dict") and "beneficiaries" in exc.message_dict:
                    exc = ValidationError({
                        ("numbers" if f == "beneficiaries" else f): m for f, m in exc.message_dict.items()
                    })  # fmt: skip
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已登记项目“%(name)s”。") % {"name": project.name})
                return redirect("projects")
    return _projects_page(request, form=form)
