"""Pages of the help side for the county office and townships (帮扶力量): cadres, units, village work teams with
their warnings, a cadre's portfolio with last visits, and a household handed over to another cadre (包保交接).

Reads need READ_REGISTER where the object lies (as in the API); an object outside the caller's regions is 404.
The handover needs COUNTY_ADMINISTRATION in the household's village; the service decides everything else.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cadres import selectors, services
from cadres.forms import CadreFilterForm, HandoverForm
from cadres.models import Cadre, Pairing, WorkTeam
from core import regions as region_rules
from core.errors import DomainError
from core.queries import count_of
from core.roles import Capability
from core.scope import has_capability
from core.ui import add_service_errors, ordered_page

PER_PAGE = 30
CANDIDATES = 20  # cadres shown for one search of the handover page
VISIT_DUE_DAYS = 90  # a paired household not visited for a quarter is marked (the work queue's rule)


def _require_reader(user) -> None:
    if not has_capability(user, Capability.READ_REGISTER):
        raise PermissionDenied


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _active_pairings():
    """The number of households a cadre is paired with today, as a subquery (evaluated for the page's rows only)."""
    today = timezone.localdate()
    counted = (
        Pairing.objects.filter(selectors.active_q(today), cadre_id=OuterRef("pk"))
        .order_by()
        .values("cadre_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


@login_required
def cadre_list(request):
    """干部: the cadres of my regions, by name or unit, each with the households paired with them today."""
    _require_reader(request.user)
    units = list(selectors.units_in_scope(user=request.user).order_by("name", "id"))
    form = CadreFilterForm(request.GET or None, units=units)
    rows = selectors.cadres_in_scope(user=request.user)
    if form.is_bound and not form.is_valid():
        if "unit" in form.errors:
            raise Http404  # a unit outside my regions does not exist for me
        rows = rows.none()
    elif form.is_bound:
        if form.cleaned_data["q"]:
            rows = rows.filter(name__contains=form.cleaned_data["q"].strip())
        if form.cleaned_data["unit"]:
            rows = rows.filter(unit_id=form.cleaned_data["unit"])
    rows = rows.annotate(paired=_active_pairings()).order_by("name", "id")
    page = ordered_page(request, rows, size=PER_PAGE)
    return render(request, "cadres/cadre_list.html", {"form": form, "page": page, "query": _query_without_page(request)})


@login_required
def cadre_detail(request, pk: int):
    """A cadre (干部): unit, teams served in, and the portfolio (包保户) with the last visit to each household."""
    cadre = get_object_or_404(selectors.cadres_in_scope(user=request.user), pk=pk)
    today = timezone.localdate()
    pairings = list(selectors.portfolio(user=request.user, cadre=cadre, as_of=today))
    due = today - datetime.timedelta(days=VISIT_DUE_DAYS)
    rows = [
        {
            "pairing": pairing,
            "overdue": pairing.last_visit_on is None or pairing.last_visit_on < due,
            "may_hand_over": has_capability(request.user, Capability.COUNTY_ADMINISTRATION, pairing.household.village_id),
        }
        for pairing in pairings
    ]
    memberships = list(cadre.memberships.select_related("team__village", "team__unit").order_by("-starts_on", "id"))
    return render(
        request,
        "cadres/cadre_detail.html",
        {"cadre": cadre, "rows": rows, "memberships": memberships, "today": today, "due_days": VISIT_DUE_DAYS},
    )


@login_required
def unit_list(request):
    """帮扶单位: the units of my regions with their cadres and the work teams they sent that serve today."""
    _require_reader(request.user)
    today = timezone.localdate()
    rows = (
        selectors.units_in_scope(user=request.user)
        .annotate(
            # Per row of the page (correlated subqueries), not a COUNT … GROUP BY over every unit of the scope.
            cadre_count=count_of(Cadre.objects.filter(unit_id=OuterRef("pk"))),
            team_count=count_of(WorkTeam.objects.filter(selectors.active_q(today), unit_id=OuterRef("pk"))),
        )
        .order_by("name", "id")
    )
    page = ordered_page(request, rows, size=PER_PAGE)
    return render(request, "cadres/unit_list.html", {"page": page, "query": _query_without_page(request)})


def _team_rows(teams) -> list[dict]:
    return [{"team": team, "warnings": services.team_warnings(team=team)} for team in teams]


@login_required
def team_list(request):
    """驻村工作队: the teams serving today in my villages (or every team with ?all=1), each with its warnings."""
    _require_reader(request.user)
    show_all = request.GET.get("all") == "1"
    teams = selectors.work_teams_in_scope(user=request.user)
    if not show_all:
        teams = teams.filter(selectors.active_q(timezone.localdate()))
    teams = teams.order_by("village_id", "-starts_on", "id")
    page = ordered_page(request, teams, size=PER_PAGE)
    return render(
        request,
        "cadres/team_list.html",
        {"page": page, "rows": _team_rows(page), "show_all": show_all, "query": _query_without_page(request)},
    )


@login_required
def team_detail(request, pk: int):
    """A work team: unit, village, term, members with role and period, and what is unusual about it."""
    team = get_object_or_404(selectors.work_teams_in_scope(user=request.user), pk=pk)
    today = timezone.localdate()
    members = [
        {"membership": m, "active": m.starts_on <= today and (m.ends_on is None or m.ends_on > today)}
        for m in team.memberships.all()
    ]
    return render(
        request,
        "cadres/team_detail.html",
        {"team": team, "members": members, "warnings": services.team_warnings(team=team)},
    )


def _candidates(request, pairing: Pairing, query: str):
    """Cadres who may take the household over: in scope, working where the household lies, matching the search."""
    rows = _working_where(request, pairing)
    if query:
        rows = rows.filter(name__contains=query)
    return list(rows.order_by("name", "id")[:CANDIDATES])


@login_required
def pairing_handover(request, pk: int):
    """包保交接: search the cadre who takes over, choose the day, hand over; the household is never left unpaired."""
    pairing = get_object_or_404(
        selectors.pairings_in_scope(user=request.user).select_related("household__village", "cadre__unit"), pk=pk
    )
    if not has_capability(request.user, Capability.COUNTY_ADMINISTRATION, pairing.household.village_id):
        raise PermissionDenied
    query = (request.POST.get("q") if request.method == "POST" else request.GET.get("q", "")) or ""
    query = query.strip()[:50]
    chosen = request.POST.get("to_cadre") if request.method == "POST" else None
    candidates = _candidates(request, pairing, query)
    if chosen and chosen.isascii() and chosen.isdigit() and all(str(c.pk) != chosen for c in candidates):
        # The chosen cadre stays on the list when the search is changed (nothing typed lost).
        candidates += list(_working_where(request, pairing).filter(pk=int(chosen)))
    status = 200
    if request.method == "POST":
        form = HandoverForm(request.POST, candidates=candidates)
        if form.is_valid():
            to_cadre = next((c for c in candidates if c.pk == form.cleaned_data["to_cadre"]), None)
            if to_cadre is None:
                form.add_error("to_cadre", _("请从搜索结果中选择接手的干部。"))
            else:
                try:
                    services.pairing_handover(
                        user=request.user, household=pairing.household, to_cadre=to_cadre,
                        on=form.cleaned_data["on"], from_cadre=pairing.cadre,
                    )  # fmt: skip
                except (DomainError, ValidationError) as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(
                        request,
                        _("已交接：户编号 %(number)s 自 %(day)s 起由 %(name)s 包保。") % {
                            "number": pairing.household.number, "name": to_cadre.name,
                            "day": date_format(form.cleaned_data["on"], "DATE_FORMAT"),
                        },
                    )  # fmt: skip
                    return redirect("cadre", pk=to_cadre.pk)
        status = 400
    else:
        form = HandoverForm(candidates=candidates)
    return render(
        request,
        "cadres/handover.html",
        {"pairing": pairing, "form": form, "query": query, "candidates": candidates, "limit": CANDIDATES},
        status=status,
    )


def _working_where(request, pairing: Pairing):
    """Cadres in scope, other than the one handing over, whose region holds the household's village."""
    regions = region_rules.region_and_ancestor_codes(pairing.household.village_id)
    return selectors.cadres_in_scope(user=request.user).exclude(pk=pairing.cadre_id).filter(region_id__in=regions)
