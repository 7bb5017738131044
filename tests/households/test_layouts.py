"""The layouts' cell reading (households.layouts): pure, no database."""

import datetime
from decimal import Decimal

import pytest

from households import layouts

COLUMNS = layouts.COLUMNS_BY_NAME


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("1962-03-08", datetime.date(1962, 3, 8)),
        ("1962/3/8", datetime.date(1962, 3, 8)),
        ("1962.3.8", datetime.date(1962, 3, 8)),
        ("1962年3月8日", datetime.date(1962, 3, 8)),
        ("19620308", datetime.date(1962, 3, 8)),
        ("１９６２－０３－０８", datetime.date(1962, 3, 8)),  # full width
    ],
)
def test_dates_are_read_as_people_write_them(text, day):
    assert layouts.parse_cell(COLUMNS["birth_date"], text) == day


@pytest.mark.parametrize(("text", "reason"), [("三月八日", "无法识别"), ("1962-02-30", "不存在")])
def test_an_unreadable_or_impossible_date_is_explained(text, reason):
    with pytest.raises(layouts.CellError, match=reason):
        layouts.parse_cell(COLUMNS["birth_date"], text)


@pytest.mark.parametrize(
    ("column", "text", "value"),
    [
        ("relation", "户主", "01"), ("relation", "01", "01"), ("relation", "1", "01"), ("relation", "21", "99"),
        ("attribute", "五保户", "tekun"), ("attribute", "低保贫困户", "dibao"), ("attribute", "dibao", "dibao"),
        ("stars", "二星", 2), ("stars", "2", 2), ("sex", "女", "female"), ("education", "02", "primary"),
        ("other_causes", "缺资金、缺技术", ["lack_funds", "lack_skills"]), ("other_causes", "", []),
        ("medical_insurance", "是", True), ("medical_insurance", "false", False), ("medical_insurance", "", None),
        ("cultivated_land", "3.5", Decimal("3.50")), ("migrant_months", "6", 6), ("id_number", "22082119620308123x", "22082119620308123X"),
    ],
)  # fmt: skip
def test_coded_values_read_as_label_national_code_or_english_value(column, text, value):
    assert layouts.parse_cell(COLUMNS[column], text) == value


@pytest.mark.parametrize(
    ("column", "text", "reason"),
    [
        ("health", "很好", "不是可选的值"), ("medical_insurance", "也许", "是”或“否"), ("migrant_months", "六", "整数"),
        ("cultivated_land", "-1", "负数"), ("id_number", "2.20821E+17", "科学计数法"), ("id_number", "220821********1234", "脱敏"),
    ],
)  # fmt: skip
def test_bad_cells_say_why(column, text, reason):
    with pytest.raises(layouts.CellError, match=reason):
        layouts.parse_cell(COLUMNS[column], text)


def test_the_national_layout_has_every_column_once_under_a_chinese_header():
    assert sorted(layouts.NATIONAL_HEADERS) == sorted(layouts.HEADER)
    assert len(set(layouts.NATIONAL_HEADER)) == len(layouts.NATIONAL_HEADER)
    assert layouts.NATIONAL_HEADER[:2] == ("户编号", "行政村区划代码")


def test_the_national_layout_writes_labels_and_reads_them_back():
    for name, value in (("relation", "04"), ("stars", 3), ("other_causes", ["illness", "lack_land"]), ("dropout", True)):
        text = layouts.format_national(COLUMNS[name], value)
        assert layouts.parse_cell(COLUMNS[name], text) == value
    assert layouts.format_national(COLUMNS["relation"], "04") == "之女"
