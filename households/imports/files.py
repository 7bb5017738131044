"""Files the import gives back: the template (模板) and the file with its errors (错误标注).

The template is the national filing layout's header on the first sheet, with a drop-down list on each coded
column, and a second sheet "可选值" listing, per coded column, every allowed value as its Chinese label (an import
also takes the national code and the English value). The error file is the uploaded table again, row by row as
it was read, with one more column "错误" holding that row's reasons.
"""

import io

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from households import layouts
from households.imports.reading import ALLOWED_VALUES_SHEET, FileRefused, read_table
from households.imports.validation import ERROR_COLUMN

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERROR_HEADER = ERROR_COLUMN
DATA_ROWS = 5000  # rows of the template's data sheet that carry the drop-down lists


def _text(value):
    """A cell as written back: text made inert against formulas (as every export), other values as they are."""
    if value is None or value == "":
        return None
    return layouts.neutralise_formula(value) if isinstance(value, str) else value


def allowed_value_lists() -> dict[str, list[str]]:
    """{column name: the Chinese labels it takes} for the coded and yes/no columns of the layout."""
    lists: dict[str, list[str]] = {}
    for column in layouts.NATIONAL_COLUMNS:
        if column.name in layouts.READ_ONLY_COLUMNS:
            continue
        if column.name in layouts.CHOICES:
            choices = layouts.CHOICES[column.name]
            lists[column.name] = [layouts.chinese_label(column.name, value) for value, _label in choices.choices]
        elif column.kind == layouts.BOOLEAN:
            lists[column.name] = ["是", "否"]
    return lists


def template_xlsx() -> bytes:
    """The import template in the national filing layout, with a sheet of allowed values per column."""
    book = Workbook()
    data = book.active
    data.title = "户信息"
    data.append(list(layouts.NATIONAL_HEADER))
    data.freeze_panes = "A2"
    values = book.create_sheet(ALLOWED_VALUES_SHEET)
    position = {name: index for index, name in enumerate(layouts.NATIONAL_HEADERS)}
    for number, (name, labels) in enumerate(allowed_value_lists().items(), start=1):
        letter = get_column_letter(number)
        values.cell(row=1, column=number, value=layouts.NATIONAL_HEADERS[name])
        for row, label in enumerate(labels, start=2):
            values.cell(row=row, column=number, value=label)
        if name == "other_causes":
            continue  # up to two causes in one cell: a drop-down would allow one only
        target = get_column_letter(position[name] + 1)
        check = DataValidation(
            type="list", formula1=f"'{ALLOWED_VALUES_SHEET}'!${letter}$2:${letter}${len(labels) + 1}", allow_blank=True
        )
        check.error = "请从“可选值”表中选择"
        data.add_data_validation(check)
        check.add(f"{target}2:{target}{DATA_ROWS}")
    notes = book.create_sheet("说明")
    for line in (
        "每行一名家庭成员，同一户的成员连续排列，户信息在每行重复填写。",
        "户编号：修改已登记的户时填写；新户留空，系统按村编号（新户从户主所在行开始）。",
        "编码列可填中文名称、国家代码或英文值（见“可选值”表）；是否类填“是”或“否”；日期写成 1962-03-05。",
        "证件号码、银行账号、联系电话请设为文本格式，不要写成数字；不要合并单元格，不要使用公式。",
        "登记状态、返贫两列只供核对，导入不修改登记状态。",
    ):
        notes.append([line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def errors_xlsx(*, content: bytes, filename: str, report: dict) -> bytes:
    """The uploaded table again with an error column: each row's reasons from the report (column and value named)."""
    by_row: dict[int, list[str]] = {}
    for error in report.get("errors", []):
        where = f"{error['column']}列（{error['header']}）" if error.get("column") else ""
        by_row.setdefault(error["row"], []).append(f"{where}{error['reason']}")
    book = Workbook(write_only=True)
    try:
        # The error column goes after the widest row (a file's rows end at their last cell): one reading to measure.
        table = read_table(content, filename=filename)
        width = max([len(table.header), *(len(cells) for _number, cells in table.rows)])
        table = read_table(content, filename=filename)
    except FileRefused as exc:
        sheet = book.create_sheet("错误")
        sheet.append([ERROR_HEADER])
        sheet.append([exc.reason])
    else:
        sheet = book.create_sheet(table.sheet[:31] or "Sheet1")
        header_errors = "；".join(by_row.get(1, []) + by_row.get(0, []))
        padding = [None] * width
        header = [_text(cell) for cell in table.header]
        sheet.append((header + padding)[:width] + [f"{ERROR_HEADER}：{header_errors}" if header_errors else ERROR_HEADER])
        for number, cells in table.rows:
            sheet.append(([_text(cell) for cell in cells] + padding)[:width] + ["；".join(by_row.get(number, []))])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
