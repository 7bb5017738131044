"""The year-end dynamic-adjustment report page (年度动态调整, /reports/<code>/annual/): the API's figures in a table, each
household figure linked to exactly the households counted in it, child regions, scope, bad input, the XLSX export,
and a pinned number of queries."""

import datetime
import io
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lifecycle import services as lifecycle
from tests.conftest import COUNTY, OTHER_COUNTY, TOWN_A, TOWN_B, VILLAGE_A1, VILLAGE_B1
from tests.factories import make_region
from tests.households import builders as b

pytestmark = pytest.mark.django_db

COLUMNS = (("households", "poor"), ("people", "poor"), ("households", "on_register"), ("people", "on_register"))


@pytest.fixture
def registered(tree, users):
    """Three households identified in 2014 (two in township A, one in B); the second exited in 2016, the third in
    2017; in 2016 a child was born into the first."""
    root = users["superuser"]
    homes = [
        b.make_household(village=tree[village], user=root, members=b.family(n))
        for n, village in enumerate([VILLAGE_A1, VILLAGE_A1, VILLAGE_B1], start=1)
    ]
    for home in homes:
        lifecycle.status_record(user=root, household=home, status="poor", on=datetime.date(2014, 5, 1))
    lifecycle.status_record(user=root, household=homes[1], status="exited", on=datetime.date(2016, 11, 1))
    lifecycle.status_record(user=root, household=homes[2], status="exited", on=datetime.date(2017, 10, 1))
    homes[0].members.filter(relation="son").update(joined_on=datetime.date(2016, 3, 1), join_reason="birth")
    return homes


class Tables(HTMLParser):
    """Every table of a page by id: rows of (text, href) cells, with the row's data-key or data-region."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: dict[str, list[dict]] = {}
        self._table = self._row = self._cell = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = self.tables.setdefault(attrs.get("id", ""), [])
        elif tag == "tr" and self._table is not None:
            self._row = {"key": attrs.get("data-key") or attrs.get("data-region"), "cells": []}
            self._table.append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ["", None]
            self._row["cells"].append(self._cell)
        elif tag == "a" and self._cell is not None:
            self._cell[1] = attrs.get("href")

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag in ("td", "th"):
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[0] += data.strip()


def page(client, user, path):
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, response.content.decode()[:500]
    return response, Tables(response.content.decode()).tables


def number(text: str) -> int | None:
    text = text.replace("※", "").replace(",", "")
    return None if text == "—" else int(text)


def test_every_figure_is_the_apis(client, api, users, registered):
    """Each row of the table (start, every change, end) holds the API's households and people of the poor stock and
    of the register; each child's row holds the API's report of that child."""
    reader = api(users["county_officer"])
    for year in (2016, 2017):
        _response, tables = page(client, users["county_officer"], f"/reports/{COUNTY}/annual/?year={year}")
        body = reader.get(f"/api/v1/reports/{COUNTY}/annual/?year={year}").json()
        rows = {row["key"]: [number(text) for text, _href in row["cells"][1:]] for row in tables["annual-table"]
                if row["key"]}  # fmt: skip
        assert set(rows) == set(body["people"])
        for key, values in rows.items():
            expected = [
                (body if stock == "poor" else body["on_register"])[kind].get(key) for kind, stock in COLUMNS
            ]
            assert values == expected, key
        children = {row["key"]: row["cells"] for row in tables["children-table"] if row["key"]}
        assert list(children) == [TOWN_A, TOWN_B]
        for code, cells in children.items():
            child = reader.get(f"/api/v1/reports/{code}/annual/?year={year}").json()
            assert cells[0][0] == child["region"]["name"]
            expected = [child["households"][k] for k in ("start", "identified", "returned", "exited", "end")]
            assert [number(text) for text, _href in cells[1:6]] == expected
            assert number(cells[6][0]) == child["people"]["end"]
            assert number(cells[7][0]) == child["on_register"]["households"]["end"]
    assert rows["exited"][:2] == [1, 3] and rows["end"][:2] == [1, 3]  # 2017: one exited, one left poor


def test_the_page_names_things_in_chinese_and_numbers_with_separators(client, users, registered):
    response, tables = page(client, users["county_officer"], f"/reports/{COUNTY}/annual/?year=2016")
    html = response.content.decode()
    assert "2016年度动态调整情况" in html and "2015年12月31日" in html
    labels = [row["cells"][0][0] for row in tables["annual-table"] if row["key"]]
    assert labels[0] == "年初" and labels[-1] == "年末" and "脱贫退出" in labels and "出生" in labels
    assert all(not label.isascii() for label in labels)
    assert "<script>" not in html and "css/report-print.css" in html


def test_the_year_defaults_to_this_year_and_the_form_keeps_it(client, users, registered):
    response, _tables = page(client, users["county_officer"], f"/reports/{COUNTY}/annual/")
    this_year = datetime.date.today().year
    assert f'value="{this_year}"' in response.content.decode()


def test_each_household_figure_opens_exactly_its_households(client, users, registered):
    """The 2016 exit opens the one household that exited in 2016; the year's end opens the two still poor, the
    register's end all three; a child's figure opens its own households."""
    _response, tables = page(client, users["county_officer"], f"/reports/{COUNTY}/annual/?year=2016")
    rows = {row["key"]: row["cells"] for row in tables["annual-table"] if row["key"]}

    def households_behind(href):
        html = client.get(href).content.decode()
        return {home.number for home in registered if home.number in html}

    numbers = [home.number for home in registered]
    assert households_behind(rows["exited"][1][1]) == {numbers[1]}
    html = client.get(rows["exited"][1][1]).content.decode()
    assert "2016年 未脱贫户：脱贫退出" in html and 'id="figure-shown"' in html  # the list says what it shows
    assert households_behind(rows["end"][1][1]) == {numbers[0], numbers[2]}
    assert households_behind(rows["end"][3][1]) == set(numbers)
    assert rows["births"][1][1] is None and rows["births"][2][1] is None  # people figures are not household lists
    assert rows["identified"][1][1] is None  # nothing identified in 2016: no list of nothing
    children = {row["key"]: row["cells"] for row in tables["children-table"] if row["key"]}
    assert households_behind(children[TOWN_B][5][1]) == {numbers[2]}  # township B's poor at the end of 2016
    assert children[TOWN_A][0][1] == f"/reports/{TOWN_A}/annual/?year=2016"


def test_the_household_list_refuses_a_figure_without_its_year(client, users, registered):
    client.force_login(users["county_officer"])
    html = client.get(f"/households/?region={COUNTY}&figure=poor.end").content.decode()
    assert "按年度调整数字筛选时，请填写年度。" in html
    assert not any(home.number in html for home in registered)


def test_a_bad_year_is_said_and_nothing_is_shown(client, users, registered):
    client.force_login(users["county_officer"])
    for year in ("abc", "1999", "2999", "2016.5"):
        response = client.get(f"/reports/{COUNTY}/annual/?year={year}")
        html = response.content.decode()
        assert response.status_code == 400, year
        assert 'id="year-error"' in html and 'id="annual-table"' not in html, year
    html = client.get(f"/reports/{COUNTY}/annual/?year=1999").content.decode()
    assert f"请填写2013年至{datetime.date.today().year}年之间的年度。" in html


def test_a_year_before_the_register_says_it_has_no_data(client, users, registered):
    response, tables = page(client, users["county_officer"], f"/reports/{COUNTY}/annual/?year=2013")
    assert "2013年尚无建档立卡数据" in response.content.decode()
    assert [row["key"] for row in tables["annual-table"] if row["key"]] == []
    assert 'id="export-xlsx"' in response.content.decode()


def test_scope_is_the_apis(client, users, registered):
    """A township reviewer reads its township, not the county nor another township; the other county is 404."""
    client.force_login(users["township_reviewer"])
    assert client.get(f"/reports/{COUNTY}/annual/?year=2016").status_code == 404
    assert client.get(f"/reports/{TOWN_B}/annual/?year=2016").status_code == 404
    assert client.get(f"/reports/{OTHER_COUNTY}/annual/?year=2016").status_code == 404
    assert client.get(f"/reports/{TOWN_A}/annual/?year=2016").status_code == 200
    client.force_login(users["county_officer"])
    assert client.get(f"/reports/{OTHER_COUNTY}/annual/?year=2016").status_code == 404
    assert client.get("/reports/xyz/annual/?year=2016").status_code == 404


def test_my_annual_report_opens_the_users_own_region(client, users, tree):
    assert reverse("my-annual-report") == "/reports/annual/"
    client.force_login(users["township_reviewer"])
    response = client.get("/reports/annual/")
    assert response.status_code == 302 and response["Location"] == f"/reports/{TOWN_A}/annual/"
    client.force_login(users["nobody"])
    assert client.get("/reports/annual/").status_code == 404


def test_the_xlsx_holds_the_pages_tables_with_chinese_headers(client, users, registered):
    response, tables = page(client, users["county_officer"], f"/reports/{COUNTY}/annual/?year=2016")
    export = client.get(f"/reports/{COUNTY}/annual/?year=2016&export=xlsx")
    assert export.status_code == 200
    assert export["Content-Disposition"] == f'attachment; filename="annual-{COUNTY}-2016.xlsx"'
    book = load_workbook(io.BytesIO(export.content))
    assert book.sheetnames == ["年度动态调整", "下级区划"]
    main = list(book["年度动态调整"].values)
    assert main[0] == ("项目", "未脱贫户（户）", "未脱贫人口（人）", "在册建档立卡户（户）", "在册人口（人）")
    on_page = [[row["cells"][0][0], *(number(text) for text, _href in row["cells"][1:])]
               for row in tables["annual-table"] if row["key"]]  # fmt: skip
    assert [list(row) for row in main[1:]] == on_page
    children = list(book["下级区划"].values)
    assert children[0][0] == "区划" and children[0][1] == "未脱贫户年初（户）"
    on_page = [[row["cells"][0][0], *(number(text) for text, _href in row["cells"][1:])]
               for row in tables["children-table"] if row["key"]]  # fmt: skip
    assert [list(row) for row in children[1:]] == on_page


@pytest.mark.parametrize("villages", [3, 30])
def test_the_page_costs_the_same_queries_for_3_or_30_villages(client, users, registered, villages, django_assert_num_queries):
    """A township's report with its villages' rows: the same queries whatever the number of villages."""
    for n in range(villages):
        make_region(f"2208211002{n + 10:02d}")
    client.force_login(users["county_officer"])
    with django_assert_num_queries(8):
        response = client.get(f"/reports/{TOWN_A}/annual/?year=2016")
    assert response.content.decode().count('<tr data-region="') == villages + 2


def test_a_villages_report_has_no_child_rows_and_a_caller_without_the_register_no_links(client, users, registered):
    """A village has no child regions: no second table. The api client reads figures but not the register: the
    figures are there, without links to households."""
    response, tables = page(client, users["county_officer"], f"/reports/{VILLAGE_A1}/annual/?year=2016")
    assert "children-table" not in tables
    rows = {row["key"]: row["cells"] for row in tables["annual-table"] if row["key"]}
    assert number(rows["start"][1][0]) == 2 and rows["start"][1][1]
    _response, tables = page(client, users["api_client"], f"/reports/{COUNTY}/annual/?year=2016")
    rows = {row["key"]: row["cells"] for row in tables["annual-table"] if row["key"]}
    assert number(rows["start"][1][0]) == 3
    assert all(href is None for cells in rows.values() for _text, href in cells)


def test_the_register_list_by_status_on_a_day_defaults_to_today(client, users, registered):
    """stock without a day: the households in that status today (the second and third have exited by now)."""
    client.force_login(users["county_officer"])
    html = client.get(f"/households/?region={COUNTY}&stock=exited").content.decode()
    assert {home.number for home in registered if home.number in html} == {registered[1].number, registered[2].number}
