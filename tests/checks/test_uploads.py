"""Reading department lists (checks.uploads): CSV and XLSX, headers, categories, bad rows by line, limits.

Pure functions: no database. Every ID number is made with households.rules.make_resident_id.
"""

import io
import zipfile
from datetime import date

import pytest
from django.utils import translation
from openpyxl import Workbook

from checks import uploads
from checks.uploads import UploadInvalid, read_upload
from households.rules import make_resident_id, upgrade_legacy_id

TODAY = date(2017, 6, 30)
ID_A = make_resident_id(area="220821", birth_date=date(1962, 3, 8), sequence=7, sex="male")
ID_B = make_resident_id(area="220821", birth_date=date(1964, 5, 20), sequence=7, sex="female")
LEGACY = "220821640520014"  # 15 digits: born 1964-05-20


@pytest.fixture(autouse=True)
def chinese():
    """Messages are asserted in the source language whatever the environment's default."""
    with translation.override("zh-hans"):
        yield


def csv_bytes(*lines: str, bom: bool = False) -> bytes:
    text = "\n".join(lines) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def refused(name: str, content: bytes) -> UploadInvalid:
    with pytest.raises(UploadInvalid) as caught:
        read_upload(name=name, content=content, today=TODAY)
    return caught.value


def file_error(name: str, content: bytes) -> str:
    errors = refused(name, content).errors
    assert list(errors) == ["file"]
    assert errors["file"][0].code == "invalid_upload"
    return str(errors["file"][0])


# Reading ------------------------------------------------------------------------------------------------------


def test_csv_with_english_headers_gives_rows_with_their_lines():
    """Given id_number, category and detail columns, each data row comes back with its line (the header is line 1)."""
    rows = read_upload(
        name="list.csv", content=csv_bytes("id_number,category,detail", f"{ID_A},vehicle,吉G12345", f"{ID_B},deceased,"),
        today=TODAY,
    )
    assert [(r.line, r.id_number, r.category, r.detail) for r in rows] == [
        (2, ID_A, "vehicle", "吉G12345"),
        (3, ID_B, "deceased", ""),
    ]


def test_chinese_headers_and_labels_are_read_and_a_bom_is_tolerated():
    """A UTF-8 CSV with a byte-order mark, headers 证件号码/类别/说明 and categories by Chinese label reads as slugs."""
    content = csv_bytes("证件号码,类别,说明", f"{ID_A},车辆,轿车", f"{ID_B},财政供养,县教育局", bom=True)
    rows = read_upload(name="名单.CSV", content=content, today=TODAY)
    assert [(r.id_number, r.category) for r in rows] == [(ID_A, "vehicle"), (ID_B, "public_employee")]


def test_xlsx_built_with_openpyxl_is_read_from_its_first_sheet():
    """An XLSX with Chinese headers gives the same rows, lines as the spreadsheet numbers them."""
    content = xlsx_bytes([("证件号码", "类别", "说明"), (ID_A, "商品房或门市", "镇赉镇 3 号楼"), (None, None, None), (ID_B, "business", None)])
    rows = read_upload(name="list.xlsx", content=content, today=TODAY)
    assert [(r.line, r.id_number, r.category, r.detail) for r in rows] == [
        (2, ID_A, "property", "镇赉镇 3 号楼"),
        (4, ID_B, "business", ""),
    ]


def test_a_legacy_15_digit_number_is_accepted_and_upgraded():
    """A 15-digit legacy number becomes its 18-digit form, also when Excel stored it as a number."""
    rows = read_upload(name="list.csv", content=csv_bytes("证件号码,类别", f"{LEGACY},other"), today=TODAY)
    assert rows[0].id_number == upgrade_legacy_id(LEGACY)
    rows = read_upload(name="list.xlsx", content=xlsx_bytes([("证件号码", "类别"), (int(LEGACY), "other")]), today=TODAY)
    assert rows[0].id_number == upgrade_legacy_id(LEGACY)


def test_lower_case_x_and_full_width_digits_are_normalised():
    """A check character typed as x, and full-width digits from some systems, read as the ASCII number."""
    number = next(
        make_resident_id(area="220821", birth_date=date(1970, 1, d), sequence=s, sex="male")
        for d in range(1, 29) for s in range(0, 499)
        if make_resident_id(area="220821", birth_date=date(1970, 1, d), sequence=s, sex="male").endswith("X")
    )  # fmt: skip
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in number[:17]) + "x"
    rows = read_upload(
        name="list.csv", content=csv_bytes("id_number,category", f"{number.lower()},other", f"{full_width},other"),
        today=TODAY,
    )
    assert [r.id_number for r in rows] == [number, number]


def test_the_detail_column_may_be_left_out_and_other_columns_are_ignored():
    """Only the ID number and category columns are required; unknown columns are skipped."""
    rows = read_upload(name="list.csv", content=csv_bytes("姓名,category,身份证号", f"张三,vehicle,{ID_A}"), today=TODAY)
    assert [(r.id_number, r.category, r.detail) for r in rows] == [(ID_A, "vehicle", "")]


def test_blank_lines_are_skipped_and_line_numbers_stay_physical():
    """Blank lines and a quoted detail over two lines do not shift the line numbers reported for later rows."""
    content = csv_bytes("id_number,category,detail", "", f'{ID_A},vehicle,"两行\n说明"', f"{ID_B},nonsense,")
    error = refused("list.csv", content)
    assert list(error.errors) == ["rows.5"]


# Bad rows -----------------------------------------------------------------------------------------------------


def test_bad_rows_are_reported_by_line_with_their_codes():
    """A wrong check digit, an unknown category and an over-long detail are each reported on their own line."""
    bad_check = ID_A[:17] + ("0" if ID_A[17] != "0" else "1")
    content = csv_bytes(
        "id_number,category,detail",
        f"{ID_A},vehicle,ok",
        f"{bad_check},vehicle,",
        f"{ID_B},boat,",
        f"{ID_B},other,{'长' * 501}",
        ",vehicle,",
    )
    error = refused("list.csv", content)
    assert error.bad_rows == 4
    assert list(error.errors) == ["rows.3", "rows.4", "rows.5", "rows.6"]
    assert error.errors["rows.3"][0].code == "invalid_id_number"
    assert "校验位" in error.errors["rows.3"][0]
    assert error.errors["rows.4"][0].code == "invalid" and "boat" in error.errors["rows.4"][0]
    assert "500" in error.errors["rows.5"][0]
    assert "为空" in error.errors["rows.6"][0]
    assert error.sentence() == "文件有 4 行错误，未写入任何数据"


def test_id_numbers_in_error_messages_are_masked():
    """An error names the number masked, first 6 and last 4, and never shows its birth-date digits."""
    bad_date = "22082119621308" + "1234"
    error = refused("list.csv", csv_bytes("id_number,category", f"{bad_date},vehicle"))
    message = str(error.errors["rows.2"][0])
    assert "220821********1234" in message
    assert bad_date not in message and "19621308" not in message


def test_a_row_with_two_problems_lists_both():
    """A bad number and a bad category on one line give two errors under that line."""
    error = refused("list.csv", csv_bytes("id_number,category", "12345,boat"))
    assert [p.code for p in error.errors["rows.2"]] == ["invalid_id_number", "invalid"]


def test_an_id_number_stored_as_an_excel_number_is_refused():
    """An 18-digit number saved in a numeric cell has lost digits: the row is refused with a hint."""
    content = xlsx_bytes([("证件号码", "类别"), (float(ID_A[:17] + "0"), "vehicle")])
    error = refused("list.xlsx", content)
    assert "文本" in error.errors["rows.2"][0]


def test_only_the_first_rows_are_listed_but_all_are_counted(monkeypatch):
    """Past the reporting limit, bad rows are counted in the sentence but not listed."""
    monkeypatch.setattr(uploads, "MAX_REPORTED", 2)
    error = refused("list.csv", csv_bytes("id_number,category", "1,vehicle", "2,vehicle", "3,vehicle"))
    assert list(error.errors) == ["rows.2", "rows.3"]
    assert error.bad_rows == 3
    assert "3" in error.sentence() and "2" in error.sentence()


# Bad files ----------------------------------------------------------------------------------------------------


def test_an_empty_file_is_refused():
    assert "为空" in file_error("list.csv", b"")


def test_a_file_with_a_header_only_is_refused():
    assert "没有数据行" in file_error("list.csv", csv_bytes("id_number,category,detail"))


def test_a_blank_file_is_refused():
    assert "没有表头" in file_error("list.csv", csv_bytes("", " , "))


def test_missing_columns_are_named():
    """A file without a category column says which column is missing and what the headers should be."""
    message = file_error("list.csv", csv_bytes("证件号码,说明", f"{ID_A},x"))
    assert "类别" in message and "category" in message


def test_a_doubled_column_is_refused():
    assert "两次" in file_error("list.csv", csv_bytes("id_number,证件号码,category", f"{ID_A},{ID_A},vehicle"))


@pytest.mark.parametrize(
    "name, content",
    [
        ("list.xls", b"\xd0\xcf\x11\xe0 old excel"),
        ("list.txt", b"id_number,category\n"),
        ("list", b"id_number,category\n"),
        ("list.csv", xlsx_bytes([("id_number", "category")])),
        ("list.xlsx", b"id_number,category\n"),
    ],
)
def test_a_wrong_file_type_is_refused(name, content):
    """Only CSV and XLSX are read, and the content must be what the name says."""
    assert "文件类型不支持" in file_error(name, content)


def test_a_csv_that_is_not_utf8_is_refused():
    """A GBK-encoded CSV (Excel's default in China) is refused with how to save it as UTF-8."""
    assert "UTF-8" in file_error("list.csv", "证件号码,类别\n".encode("gbk"))


def test_a_corrupt_xlsx_is_refused():
    """A zip that is not a workbook is refused as unreadable."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    assert "无法读取" in file_error("list.xlsx", buffer.getvalue())


def test_an_oversize_file_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_BYTES", 100)
    assert "过大" in file_error("list.csv", csv_bytes("id_number,category", *[f"{ID_A},vehicle"] * 10))


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ROWS", 2)
    assert "上限" in file_error("list.csv", csv_bytes("id_number,category", *[f"{ID_A},vehicle"] * 3))


def test_an_xlsx_that_unpacks_too_large_is_refused_unread(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_XLSX_UNPACKED", 1000)
    content = xlsx_bytes([("id_number", "category"), *[(ID_A, "vehicle")] * 50])
    assert "解压后过大" in file_error("list.xlsx", content)
