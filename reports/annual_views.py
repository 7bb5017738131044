"""The year-end dynamic-adjustment report page (年度动态调整, /reports/<code>/annual/?year=): the numbers of the API's
reports/{code}/annual/ (the same selector), as a table for the poor stock and the households on the register, a row per
child region, each household figure linked to the households counted in it; printable and exportable as XLSX."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.api.params import YEAR_MIN
from core.roles import Capability
from core.scope import has_capability
from households.choices import ANNUAL_HOUSEHOLD_FIGURES, ANNUAL_PEOPLE_CHANGES
from reports import selectors
from reports.tabular import workbook_response
from reports.views import households_url, my_region_code
from villages.selectors import regions_in_scope

# The rows of the report, in the order of the county's form: the start, what came in, what went out, the end.
INCREASES = ("identified", "returned", "other_in", "births", "married_in", "moved_in")
DECREASES = ("exited", "removed", "closed", "other_out", "deaths", "married_out", "moved_out", "other_left")
# On the register (poor + exited) an exit and a return are moves inside the stock, outside its balance.
INSIDE_MOVES = frozenset({"exited", "returned"})
CHILD_FIGURES = ("start", "identified", "returned", "exited", "end")


def _label(key: str) -> str:
    return str(ANNUAL_HOUSEHOLD_FIGURES.get(key) or ANNUAL_PEOPLE_CHANGES[key])


class AnnualYearForm(forms.Form):
    """The year of the report: from 2013 (精准扶贫) to this year."""

    year = forms.IntegerField(label=gettext_lazy("年度"))

    def clean_year(self):
        year = self.cleaned_data["year"]
        this_year = timezone.localdate().year
        if not YEAR_MIN <= year <= this_year:
            raise forms.ValidationError(
                _("请填写%(first)s年至%(last)s年之间的年度。") % {"first": YEAR_MIN, "last": this_year}, code="invalid"
            )
        return year


def _cell(*, value, stock: str, key: str, region_code: str, year: int, link: bool) -> dict:
    """A household figure with the households behind it (the register list's `figure` filter), or a people figure."""
    url = None
    if link and value:
        url = households_url(region_code, year=year, figure=f"{stock}.{key}")
    return {"value": value, "url": url}


def report_rows(report: dict, *, link: bool) -> list[dict]:
    """The report's table: a row per figure with households and people of the poor stock and of the register."""
    code, year = report["region"]["code"], report["year"]
    stocks = (
        ("poor", report["households"], report["people"]),
        ("on_register", report["on_register"]["households"], report["on_register"]["people"]),
    )
    rows = []
    for group, keys in (("start", ("start",)), ("in", INCREASES), ("out", DECREASES), ("end", ("end",))):
        for key in keys:
            cells = []
            for stock, households, people in stocks:
                if key in households:
                    cells.append(
                        _cell(value=households[key], stock=stock, key=key, region_code=code, year=year, link=link)
                    )
                else:
                    cells.append({"value": None, "url": None})
                cells.append({"value": people[key], "url": None})
            rows.append({"key": key, "group": group, "label": _label(key), "cells": cells, "inside": key in INSIDE_MOVES})
    return rows


def child_rows(children: list[dict], *, year: int, link: bool) -> list[dict]:
    """A row per child region: its poor stock's households at the start, in and out, at the end; its poor people and
    households on the register at the end."""
    rows = []
    for child in children:
        code = child["region"]["code"]
        cells = [
            _cell(value=child["households"][key], stock="poor", key=key, region_code=code, year=year, link=link)
            for key in CHILD_FIGURES
        ]
        cells.append({"value": child["people"]["end"], "url": None})
        cells.append(
            _cell(
                value=child["on_register"]["households"]["end"],
                stock="on_register",
                key="end",
                region_code=code,
                year=year,
                link=link,
            )
        )
        rows.append({"region": child["region"], "cells": cells})
    return rows


def report_columns() -> list[str]:
    return [_("项目"), _("未脱贫户（户）"), _("未脱贫人口（人）"), _("在册建档立卡户（户）"), _("在册人口（人）")]


def child_columns() -> list[str]:
    return [
        _("区划"),
        *(_("未脱贫户%(figure)s（户）") % {"figure": _label(key)} for key in CHILD_FIGURES),
        _("未脱贫人口年末（人）"),
        _("在册建档立卡户年末（户）"),
    ]


def _is_empty(report: dict) -> bool:
    """Nothing in either stock at any time of the year: the register has no data for it yet."""
    return not any(report["households"].values()) and not any(report["on_register"]["households"].values())


def _xlsx(*, region, year: int, rows: list[dict], children: list[dict]):
    main = [[row["label"], *(cell["value"] for cell in row["cells"])] for row in rows]
    sub = [[child["region"]["name"], *(cell["value"] for cell in child["cells"])] for child in children]
    sheets = [(_("年度动态调整"), report_columns(), main)]
    if children:
        sheets.append((_("下级区划"), child_columns(), sub))
    return workbook_response(sheets=sheets, filename=f"annual-{region.code}-{year}")


@login_required
def my_annual_report(request):
    """The year-end report of the user's first region (年报)."""
    return redirect("annual-report", my_region_code(request.user))


@login_required
def annual_report(request, code):
    """A region in the caller's scope (else 404), its report for the chosen year (this year by default) and its
    children's; `?export=xlsx` downloads the same tables."""
    region = regions_in_scope(user=request.user).filter(code=code).first()
    if region is None:
        raise Http404
    this_year = timezone.localdate().year
    form = AnnualYearForm(request.GET if "year" in request.GET else {"year": this_year})
    context = {"region": region, "form": form, "years": range(this_year, YEAR_MIN - 1, -1)}
    if not form.is_valid():
        return render(request, "reports/annual.html", context, status=400)
    year = form.cleaned_data["year"]
    link = has_capability(request.user, Capability.READ_REGISTER, region.code)
    report, children = selectors.annual_adjustment_with_children(region=region, year=year)
    rows = report_rows(report, link=link)
    children_rows = child_rows(children, year=year, link=link)
    if request.GET.get("export") == "xlsx":
        return _xlsx(region=region, year=year, rows=rows, children=children_rows)
    context.update(
        year=year,
        today=timezone.localdate(),
        report=report,
        rows=rows,
        children=children_rows,
        empty=_is_empty(report),
        columns=report_columns(),
        child_figure_labels=[_label(key) for key in CHILD_FIGURES],
        export_url=f"{reverse('annual-report', args=[region.code])}?year={year}&export=xlsx",
        parent=region.parent if region.parent_id and regions_in_scope(user=request.user).filter(
            code=region.parent_id).exists() else None,
    )  # fmt: skip
    return render(request, "reports/annual.html", context)
