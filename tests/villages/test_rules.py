"""Region codes: levels, parents, prefixes and file checks, without a database."""

import pytest

from core.regions import RegionCodeError, RegionLevel, level_of, parent_code, significant_prefix
from villages.rules import check_region_rows


@pytest.mark.parametrize(
    ("code", "level", "parent", "prefix"),
    [
        ("220000000000", RegionLevel.PROVINCE, None, "22"),
        ("220800000000", RegionLevel.CITY, "220000000000", "2208"),
        ("220821000000", RegionLevel.COUNTY, "220800000000", "220821"),
        ("220821100000", RegionLevel.TOWNSHIP, "220821000000", "220821100"),
        ("220821100201", RegionLevel.VILLAGE, "220821100000", "220821100201"),
    ],
)
def test_level_parent_and_prefix_follow_from_the_code(code, level, parent, prefix):
    assert level_of(code) == level
    assert parent_code(code) == parent
    assert significant_prefix(code) == prefix


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("22082110020", "exactly 12 digits"),
        ("2208211002011", "exactly 12 digits"),
        ("22082110020x", "exactly 12 digits"),
        ("２２０８２１１００２０１", "exactly 12 digits"),  # full-width digits
        ("000000000000", "zero province part"),
        ("220021000000", "zero city part (00) before non-zero digits"),
        ("220821000201", "zero township part (000) before non-zero digits"),
    ],
)
def test_bad_codes_say_what_is_wrong(code, message):
    with pytest.raises(RegionCodeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        level_of(code)


def test_check_region_rows_orders_parents_first_and_skips_loaded_rows():
    rows = [(2, "220821100201", "村"), (3, "220821100000", "镇"), (4, "220821000000", "县")]
    errors, new = check_region_rows(rows, existing={"220800000000": "白城市", "220821000000": "县"})
    assert errors == []
    assert [code for code, *_ in new] == ["220821100000", "220821100201"]
    assert new[0] == ("220821100000", "镇", RegionLevel.TOWNSHIP, "220821000000")


def test_check_region_rows_reports_every_problem_by_line():
    rows = [
        (2, "220821100201", "甲村"),
        (3, "2208211002", "短码"),
        (4, "220821100201", "重复"),
        (5, "220821100202", ""),
        (6, "220800000000", "改名的白城"),
    ]
    errors, _new = check_region_rows(rows, existing={"220800000000": "白城市"})
    assert errors == [
        "line 3: region code '2208211002' must be exactly 12 digits",
        "line 4: region 220821100201 is a duplicate of line 2",
        "line 5: region 220821100202 has no name",
        "line 6: region 220800000000 already exists as '白城市', not '改名的白城'",
        "line 2: the parent 220821100000 of region 220821100201 is neither in the file nor loaded",
    ]
