"""Spreadsheet import (导入): validated whole before anything is written, committed all or nothing.

Files are made by the export (the round trip) or by hand; the validation and the commit are called as the
API, the page and the command call them (households.imports.services).
"""

import datetime

import pytest
from django.utils import translation

from households.imports import services as imports
from households.models import Household, ImportState, Member
from tests.conftest import COUNTY, OTHER_VILLAGE, VILLAGE_A1, VILLAGE_A2
from tests.households import builders as b
from tests.households import import_files as f


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def officer(users):
    return users["county_officer"]


@pytest.fixture
def county(tree):
    from villages.models import Region

    return Region.objects.get(pk=COUNTY)


def run(officer, county, content: bytes, filename="households.xlsx"):
    return imports.import_create(user=officer, region=county, filename=filename, content=content)


def reasons(imp) -> list[str]:
    return [e["reason"] for e in imp.report["errors"]]


@pytest.mark.django_db
def test_an_exported_village_reads_back_with_no_changes(tree, officer, county):
    """Round trip: export a village and import it: every household and member unchanged, nothing to write."""
    b.make_household(village=tree[VILLAGE_A1], user=officer, members=b.family(1), bank_account="6228480402564890018")
    b.make_household(village=tree[VILLAGE_A1], user=officer, members=[b.head(2, name="=SUM(A1)"), b.daughter(2)], address="-3号")
    for content, filename in (
        (f.exported_xlsx(user=officer, region_code=VILLAGE_A1), "a.xlsx"),
        (f.exported_csv(user=officer, region_code=VILLAGE_A1), "a.csv"),
    ):
        imp = run(officer, county, content, filename)
        assert imp.report["errors"] == []
        assert imp.state == ImportState.VALIDATED
        assert imp.report["households"] == {"create": 0, "update": 0, "unchanged": 2}
        assert imp.report["members"] == {"create": 0, "update": 0, "unchanged": 5}
