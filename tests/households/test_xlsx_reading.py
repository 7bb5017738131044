"""The XLSX reader (households.imports.reading) streams the sheet and gives the cells python-calamine gave.

Each workbook is read twice: by the streaming reader, and by python-calamine (kept as a test dependency for this)
through the contract the import used before it (rows from the sheet's first row, the leading empty columns put
back, blank rows left out). Cells compare with their types (1.0 is not True, a date is not a datetime). Rows
compare without their trailing empty cells: calamine padded every row to the sheet's width, the stream ends a row
at its last cell that holds something. No database: the files are built in memory.
"""

import datetime
import io

import pytest
import python_calamine
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from households import layouts
from households.imports import files
from households.imports.reading import ALLOWED_VALUES_SHEET, UNREADABLE_XLSX, FileRefused, read_table
from reports import exports
from tests.households import import_files as f


def calamine_table(data: bytes) -> dict:
    """The first sheet as the import read it through python-calamine before the streaming reader."""
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    name = next(name for name in workbook.sheet_names if name != ALLOWED_VALUES_SHEET)
    sheet = workbook.get_sheet_by_name(name)
    pad = [""] * ((sheet.start or (0, 0))[1])
    rows = [
        (number, pad + cells)
        for number, cells in enumerate(sheet.iter_rows(), start=1)
        if any(cell not in ("", None) for cell in cells)
    ]
    merged = [(r1 + 1, c1, r2 + 1, c2) for (r1, c1), (r2, c2) in (sheet.merged_cell_ranges or [])]
    return {"sheet": name, "rows": rows, "size": max(sheet.height - 1, 0), "merged": merged}


def typed(cells: list) -> list:
    cells = list(cells)
    while cells and cells[-1] == "":
        cells.pop()
    return [(type(cell).__name__, cell) for cell in cells]


def assert_same(data: bytes, *, size: bool = True):
    """The streaming reader gives calamine's sheet, header, rows (numbers and typed cells), merged ranges and
    (an estimate, for progress: from the <dimension>, which can count cells without a value) size."""
    expected = calamine_table(data)
    table = read_table(data, filename="file.xlsx")
    rows = list(table.rows)
    assert table.sheet == expected["sheet"]
    assert [(expected["rows"][0][0], typed(table.header))] + [(n, typed(c)) for n, c in rows] == [
        (n, typed(c)) for n, c in expected["rows"]
    ]
    assert table.merged == expected["merged"]
    if size:
        assert table.size == expected["size"]
    return table


def save(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# Files written by openpyxl (normal and write-only), the export, the template and the import fixtures -----------


def test_openpyxl_values_of_every_kind_are_read_as_calamine_read_them():
    """Text, integers, decimals, ID-like and huge numbers, scientific notation, dates, datetimes, times,
    durations, booleans, error values, formulas (no cached value), rich text and spaces."""
    book = Workbook()
    sheet = book.active
    sheet.title = "户信息"
    sheet.append(["姓名", "整数", "小数", "证件号", "科学", "日期", "日期时间", "时间", "时长", "布尔", "错误", "公式", "富文本"])
    sheet.append(["王建国", 42, 3.25, 110101199001011234, 1.5e-7, datetime.date(1962, 3, 8), datetime.datetime(2020, 1, 2, 3, 4, 5),
                  datetime.time(12, 30), datetime.timedelta(hours=30), True, "#N/A", "=B2+1",
                  CellRichText(["plain ", TextBlock(InlineFont(b=True), "bold")])])  # fmt: skip
    sheet.append(["  前后空格 ", -7, 0.1 + 0.2, 12345678901234567890, 1e20, datetime.date(1900, 1, 1), datetime.date(1900, 3, 1),
                  datetime.time(0, 0), datetime.timedelta(0), False, "#DIV/0!", '=CONCAT("a","b")', "a\r\nb"])  # fmt: skip
    sheet.append(["\u3000全角\u3000", 0, -0.5, 2**53 + 1, -1.25e-300, datetime.date(9999, 12, 31), datetime.datetime(2023, 3, 15, 23, 59, 59, 999000),
                  datetime.time(23, 59, 59), datetime.timedelta(days=-1, hours=2), True, "#VALUE!", "=1/0", "_x000D_ _x005F_x0041_"])  # fmt: skip
    for row, code in enumerate(['yyyy"年"m"月"d"日"', "[h]:mm:ss", "0.00", '"d"0', "[$-F800]dddd", "mm:ss", "@", "am/pm", "[Red]0;d"], start=5):
        for column, value in enumerate([45000, 45000.25, 0.5, 1, 60, 61, -1], start=2):
            sheet.cell(row=row, column=column, value=value).number_format = code
    table = assert_same(save(book))
    assert table.formulas == {(2, 11), (3, 11), (4, 11)}


def test_a_1904_workbook_dates_are_read_as_calamine_read_them():
    book = Workbook()
    book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.append(["日期", "时间"])
    sheet.append([datetime.date(1962, 3, 8), datetime.datetime(2020, 1, 2, 3, 4, 5)])
    sheet.append([datetime.date(1904, 1, 2), datetime.time(6, 0)])
    assert_same(save(book))


def test_leading_empty_columns_blank_rows_and_merged_cells_keep_their_places():
    """Data from C3: the leading columns are put back, row numbers are the sheet's, blank rows (nothing, or only
    empty text) are left out, merged ranges are found after the rows."""
    book = Workbook()
    sheet = book.active
    sheet.cell(row=3, column=3, value="户编号")
    sheet.cell(row=3, column=5, value="姓名")
    sheet.cell(row=4, column=3, value="")
    sheet.cell(row=6, column=4, value="x")
    sheet.cell(row=6, column=7, value=1)
    sheet.cell(row=9, column=3, value="末行")
    sheet.merge_cells("D6:E7")
    sheet.merge_cells("C9:C9")
    table = assert_same(save(book), size=False)  # the <dimension> starts at C3; calamine counted from its first cell
    assert table.merged == [(6, 3, 7, 4), (9, 2, 9, 2)]


def test_the_export_writer_files_are_read_as_calamine_read_them():
    """exports.write_xlsx (openpyxl write-only, every cell an inline string): error-like text, formula-like text,
    spaces, empty cells, long digit strings."""
    rows = [
        ["220821100001000001", "王建国", "#N/A", "=1+1", " 前后 ", "", "110101199001011234", "第一行\n第二行"],
        ["", "", "", "", "", "", "", ""],
        ["220821100001000002", "李秀兰", "@x", "-3", "", "", "6222020200112233445", "\t制表"],
    ]
    out = io.BytesIO()
    exports.write_xlsx(iter(rows), out, header=["household_number", "name", "a", "b", "c", "d", "e", "f"])
    assert_same(out.getvalue())


def test_the_template_and_the_error_file_are_read_as_calamine_read_them():
    """The template (its data sheet before 可选值) and the error file written from an upload."""
    assert_same(files.template_xlsx())
    upload = f.xlsx_bytes(f.national_rows([{"name": "王建国", "id_number": "220821196203080011"}, {"name": "李秀兰"}]))
    report = {"errors": [{"row": 3, "column": "K", "header": "姓名", "reason": "有误"}]}
    assert_same(upload)
    assert_same(files.errors_xlsx(content=upload, filename="x.xlsx", report=report))


def test_the_import_fixture_files_are_read_as_calamine_read_them():
    rows = f.national_rows([{"name": "王建国", "birth_date": "1962-03-08"}, {"name": "李秀兰", "village": "220821100001"}])
    assert_same(f.xlsx_bytes(rows))
    # openpyxl's merge empties A3:B3 and C3's formula has no value: calamine's size stops at row 2, the <dimension> at 3
    merged = assert_same(f.xlsx_bytes([*rows[:2], [datetime.date(1962, 3, 8), 3.5, "=A2"]], merge="A2:B3", sheet="户"), size=False)
    assert (merged.size, merged.formulas, merged.merged) == (2, {(3, 2)}, [(2, 0, 3, 1)])


# Files written by hand: the shapes of Excel, WPS and other writers ----------------------------------------------


def test_shared_strings_rich_text_escapes_and_whitespace_are_read_as_calamine_read_them():
    shared = [
        "<t>王建国</t>",
        "<r><t>富</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\"> 文本 </t></r><rPh sb=\"0\" eb=\"1\"><t>フ</t></rPh>",
        "<t>  去掉空格  </t>",
        '<t xml:space="preserve">  保留空格  </t>',
        "<t>a_x000D_b_x005F_x0041_c_xD83D_</t>",
        "<t>&lt;&amp;&gt;&#13;&#10;\u3000</t>",
        "<t/>",
        "<t>1</t><t>2</t>",
    ]
    cells = "".join(f'<c r="{chr(65 + n)}2" t="s"><v>{n}</v></c>' for n in range(len(shared)))
    data = f.xlsx_from_xml(f'<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2">{cells}</row>', shared=shared)
    table = assert_same(data)
    assert table.header == ["王建国"]


def test_cell_types_of_every_kind_are_read_as_calamine_read_them():
    """t="str" (a formula's text), "inlineStr", "b", "e" (every error code), "n" and none (numbers, and text that
    is not one), "d" (ISO dates), empty values, cells without r= and rows without r=."""
    errors = ["#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"]
    rows = [
        '<row r="1"><c r="A1" t="inlineStr"><is><t>表头</t></is></c><c r="C1" t="str"><f>A1</f><v>公式_x000D_文本</v></c></row>',
        '<row r="2"><c r="A2" t="b"><v>1</v></c><c r="B2" t="b"><v>0</v></c><c r="C2" t="b"><v>true</v></c><c r="D2" t="b"><v>false</v></c></row>',
        '<row r="3">' + "".join(f'<c r="{chr(65 + n)}3" t="e"><v>{e}</v></c>' for n, e in enumerate(errors)) + '<c r="I3"><v>1</v></c></row>',
        '<row r="4"><c r="A4"><v>1</v></c><c r="B4" t="n"><v>1.5E-3</v></c><c r="C4"><v>110101199001011234</v></c><c r="D4"><v>  7 </v></c>'
        '<c r="E4"><v>1_0</v></c><c r="F4"><v>abc</v></c><c r="G4"><v>+.5</v></c><c r="H4"><v>-0</v></c><c r="I4"><v>inf</v></c></row>',
        '<row r="5"><c r="A5" t="d"><v>2020-01-02</v></c><c r="B5" t="d"><v>2020-01-02T03:04:05</v></c><c r="C5" t="d"><v>03:04:05</v></c>'
        '<c r="D5" t="d"><v>不是日期</v></c></row>',
        '<row r="6"><c r="A6"/><c r="B6" s="0"/><c r="C6"><v></v></c><c r="D6" t="str"><v></v></c><c r="E6" t="inlineStr"></c></row>',
        '<row r="7"><c r="C7" t="e"><v>#N/A</v></c></row>',
        '<row><c><v>8</v></c><c><v>8.5</v></c><c r="E8"><v>9</v></c><c><v>10</v></c></row>',
        '<row r="10"><c r="B10"><v>2</v></c><c r="A10"><v>1</v></c></row>',
        '<row r="12"><c r="J12" t="inlineStr"><is><r><t>富</t></r><r><t xml:space="preserve"> 文</t></r><rPh><t>x</t></rPh></is></c></row>',
        '<row r="13"><c r="A13" t="inlineStr"><is><t>两个</t><t>t</t></is></c><c r="B13" t="inlineStr"><is><t xml:space="preserve"> 留 </t></is></c></row>',
    ]
    assert_same(f.xlsx_from_xml("".join(rows)))


def test_date_styles_builtin_custom_and_1904_are_read_as_calamine_read_them():
    """Every built-in number format id 0–81, custom formats (dates, times, durations, quoted and bracketed text,
    sections, escapes), in both date systems; a cell without s= is a number whatever style 0 is."""
    custom = {
        164: "yyyy-mm-dd", 165: "[h]:mm:ss", 166: "0.00", 167: '"d"0', 168: 'yyyy"年"m"月"d"日"', 169: "[$-F800]dddd, mmmm dd, yyyy",
        170: "General", 171: "@", 172: "[Red]0;d", 173: "0_d", 174: "#,##0\\ d", 175: "am/pm", 176: "[h]", 177: "*y0",
        178: "[mm]:ss", 179: "h:mm AM/PM", 14: "0.00", 3: "yyyy",
    }  # fmt: skip
    cell_formats = [14, *range(0, 82), *custom]
    values = ["0", "0.5", "1", "1.5", "59", "60", "61", "45000", "45000.25", "45000.999999999", "-1", "2958465", "2958466", "1e-9"]
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>值</t></is></c></row>' + "".join(
        f'<row r="{n + 2}"><c r="A{n + 2}"><v>45000</v></c>'
        + "".join(f'<c r="{chr(66 + k)}{n + 2}" s="{n}"><v>{v}</v></c>' for k, v in enumerate(values))
        + "</row>"
        for n in range(len(cell_formats))
    )
    for date1904 in (False, True):
        assert_same(f.xlsx_from_xml(rows, number_formats=custom, cell_formats=cell_formats, date1904=date1904))


def test_a_prefixed_namespace_the_allowed_values_sheet_first_and_a_dimension_are_read_as_calamine_read_them():
    rows = '<x:row r="2"><x:c r="B2" t="inlineStr"><x:is><x:t>户编号</x:t></x:is></x:c></x:row><x:row r="3"><x:c r="B3"><x:v>1</x:v></x:c></x:row>'
    data = f.xlsx_from_xml(rows, prefix="x", sheets=[ALLOWED_VALUES_SHEET, "户信息"], before_rows='<x:dimension ref="B2:B3"/>',
                           after_rows='<x:mergeCells count="1"><x:mergeCell ref="B2:C2"/></x:mergeCells>')  # fmt: skip
    table = assert_same(data)
    assert (table.sheet, table.size, table.merged) == ("户信息", 1, [(2, 1, 2, 2)])


def test_a_long_sheet_is_read_in_batches_as_calamine_read_it():
    """More than one batch of the sheet's XML (a batch is cut after a row's closing tag)."""
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>第{n}行</t></is></c><c r="B{n}"><v>{n}</v></c><c r="C{n}" t="inlineStr"><is><t>{"长" * 300}</t></is></c></row>'
        for n in range(1, 3001)
    ) + '<row r="3001"/><row r="3002" spans="1:3"/>'
    table = assert_same(f.xlsx_from_xml(rows), size=False)
    assert table.size == 3001  # without a <dimension>, up to the last <row> (calamine: the last row with a value)


# Refusals ------------------------------------------------------------------------------------------------------


def test_a_renamed_or_broken_file_is_refused_as_unreadable():
    for data in (b"PK\x03\x04 not a zip at all", f.xlsx_from_xml("<row><c><v>1</v></c>")[:-40]):
        with pytest.raises(FileRefused) as refused:
            list(read_table(data, filename="x.xlsx").rows)
        assert refused.value.reason == UNREADABLE_XLSX


def test_an_empty_sheet_is_refused():
    for sheet_data in ("", '<row r="1"><c r="A1" t="inlineStr"><is><t></t></is></c><c r="B1" t="e"><v>#N/A</v></c></row>'):
        with pytest.raises(FileRefused) as refused:
            read_table(f.xlsx_from_xml(sheet_data, sheets=["户信息"]))
        assert refused.value.reason == "工作表“户信息”是空的"


def test_a_cell_calamine_could_not_read_refuses_the_file_when_reached():
    """An unknown error code or a shared string that is not there: calamine refused the whole sheet (an
    exception); the stream refuses the file with the unreadable reason when it reaches the row."""
    for cell in ('<c r="A2" t="e"><v>#WHAT</v></c>', '<c r="A2" t="s"><v>5</v></c>', '<c r="A2" t="b"><v>2</v></c>', '<c r="A2" t="x"><v>1</v></c>'):
        table = read_table(f.xlsx_from_xml(f'<row r="1"><c r="A1"><v>1</v></c></row><row r="2">{cell}</row>'))
        with pytest.raises(FileRefused) as refused:
            list(table.rows)
        assert refused.value.reason == UNREADABLE_XLSX
        with pytest.raises(python_calamine.CalamineError):
            calamine_table(f.xlsx_from_xml(f'<row r="1"><c r="A1"><v>1</v></c></row><row r="2">{cell}</row>'))


def test_the_header_layout_is_recognised_from_a_streamed_file():
    """The national layout's Chinese headers come through the reader unchanged."""
    table = read_table(f.xlsx_bytes(f.national_rows([{"name": "王建国"}])))
    assert table.header[: len(layouts.NATIONAL_HEADER)] == list(layouts.NATIONAL_HEADER)


def test_the_error_file_keeps_its_reasons_in_one_column_when_rows_end_early():
    """Rows end at their last cell (and a CSV's rows are as long as their lines): the error column goes after the
    widest row, the same column for every row."""
    from openpyxl import load_workbook

    report = {"errors": [{"row": 2, "column": "", "header": "", "reason": "短行"}, {"row": 3, "column": "", "header": "", "reason": "长行"}]}
    for content, filename in (
        (f.csv_bytes([["户编号", "姓名", "性别"], ["1"], ["2", "李", "女", "多"]]), "x.csv"),
        (f.xlsx_bytes([["户编号", "姓名", "性别"], ["1"], ["2", "李", "女", "多"]]), "x.xlsx"),
    ):
        sheet = load_workbook(io.BytesIO(files.errors_xlsx(content=content, filename=filename, report=report))).active
        assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
            ["户编号", "姓名", "性别", None, files.ERROR_HEADER],
            ["1", None, None, None, "短行"],
            ["2", "李", "女", "多", "长行"],
        ]
