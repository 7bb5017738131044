"""Reading an uploaded file (读取文件): XLSX through python-calamine (fast, read-only), CSV through the csv module.

A file is refused whole, with one reason, when it cannot be read as a table: too large, empty, not a spreadsheet
(a renamed binary, an old .xls), an encoding that is neither UTF-8 (with or without BOM) nor GBK. Otherwise the
reader gives the header and the rows as raw cells (text, numbers, dates as calamine types them), with the
cells that hold a formula and the merged ranges, which the validation refuses cell by cell.

python-calamine returns a formula's cached value and does not say a cell is a formula, so the sheet's XML is
scanned once for `<f>` elements (a stream parse: memory stays flat).
"""

import csv
import io
import posixpath
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.etree.ElementTree import iterparse

import python_calamine

XLSX, CSV = "xlsx", "csv"
MAX_BYTES = 20 * 1024 * 1024  # the demo county's whole register as XLSX is under 10 MB
ALLOWED_VALUES_SHEET = "可选值"  # the template's second sheet, never read as data
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


class FileRefused(ValueError):
    """The file cannot be read as a table at all; `reason` says why (in Chinese)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Table:
    """The first sheet of a file: header cells, then (row number as the spreadsheet shows it, cells) one at a time
    (an iterator: the rows are read as they are used, not held together), about `size` of them."""

    file_format: str
    sheet: str
    header: list
    rows: Iterable[tuple[int, list]]
    size: int = 0
    formulas: set[tuple[int, int]] = field(default_factory=set)  # (row number, column index from 0)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # row, column, last row, last column


def column_letter(index: int) -> str:
    """A column index from 0 as the spreadsheet names it (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell_reference(ref: str) -> tuple[int, int]:
    letters = "".join(ch for ch in ref if ch.isalpha())
    digits = "".join(ch for ch in ref if ch.isdigit())
    column = 0
    for ch in letters.upper():
        column = column * 26 + (ord(ch) - 64)
    return int(digits), column - 1


def _sheet_path(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    """The path inside the archive of the worksheet named `sheet_name` (workbook.xml and its relationships)."""
    try:
        rels = {}
        for _event, element in iterparse(archive.open("xl/_rels/workbook.xml.rels")):  # noqa: S314
            if element.tag.endswith("Relationship"):
                rels[element.get("Id")] = element.get("Target")
        for _event, element in iterparse(archive.open("xl/workbook.xml")):  # noqa: S314
            if element.tag == f"{_NS}sheet" and element.get("name") == sheet_name:
                target = rels.get(element.get(f"{_REL_NS}id"), "")
                return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    except (KeyError, SyntaxError):
        return None
    return None


def _mentions_formula(archive: zipfile.ZipFile, path: str) -> bool:
    """Whether the sheet's XML holds an `<f>` element at all: a byte scan, so the usual file (no formula) skips the
    parse. Chunks overlap by a few bytes so a tag cut in two is still seen."""
    tail = b""
    with archive.open(path) as stream:
        while chunk := stream.read(1 << 20):
            data = tail + chunk
            if b"<f>" in data or b"<f " in data or b"<f/>" in data or b":f>" in data or b":f " in data:
                return True
            tail = data[-8:]
    return False


def _formula_cells(data: bytes, sheet_name: str) -> set[tuple[int, int]]:
    """Cells of the sheet that hold a formula (an `<f>` element in the cell), as (row number, column index)."""
    found: set[tuple[int, int]] = set()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        path = _sheet_path(archive, sheet_name)
        if path is None or path not in archive.namelist() or not _mentions_formula(archive, path):
            return found
        current = None
        for event, element in iterparse(archive.open(path), events=("start", "end")):  # noqa: S314
            if event == "start" and element.tag == f"{_NS}c":
                current = element.get("r")
            elif event == "end":
                if element.tag == f"{_NS}f" and current:
                    found.add(_cell_reference(current))
                elif element.tag == f"{_NS}row":
                    element.clear()
    return found


def _read_xlsx(data: bytes) -> Table:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types and zip/XML ones: all mean "not readable"
        raise FileRefused("文件无法作为 Excel 表格读取（可能已损坏，或只是改了扩展名）") from exc
    names = [name for name in workbook.sheet_names if name != ALLOWED_VALUES_SHEET]
    if not names:
        raise FileRefused("文件中没有工作表")
    sheet = workbook.get_sheet_by_name(names[0])
    # iter_rows starts at the sheet's first row but at its first used column: the columns before are put back.
    pad = [""] * ((sheet.start or (0, 0))[1])
    rows = (
        (number, pad + cells if pad else cells)
        for number, cells in enumerate(sheet.iter_rows(), start=1)
        if any(cell not in ("", None) for cell in cells)
    )
    first = next(rows, None)
    if first is None:
        raise FileRefused(f"工作表“{names[0]}”是空的")
    merged = [(r1 + 1, c1, r2 + 1, c2) for (r1, c1), (r2, c2) in (sheet.merged_cell_ranges or [])]
    return Table(
        XLSX, names[0], list(first[1]), rows, size=max(sheet.height - 1, 0), formulas=_formula_cells(data, names[0]), merged=merged
    )


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")  # GBK and its superset, as Excel on a Chinese Windows saves CSV
    except UnicodeDecodeError as exc:
        raise FileRefused("CSV 文件的编码无法识别（请保存为 UTF-8 或 GBK）") from exc


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    rows = _csv_rows(text)
    first = next(rows, None)
    if first is None:
        raise FileRefused("文件是空的")
    return Table(CSV, "CSV", first[1], rows, size=text.count("\n"))


def _csv_rows(text: str):
    """The CSV's non-blank rows, one at a time (a malformed line is refused when it is reached)."""
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if any(cell.strip() for cell in row):
                yield number, row
    except csv.Error as exc:
        raise FileRefused(f"CSV 文件格式有误：{exc}") from exc


def read_table(data: bytes, *, filename: str = "") -> Table:
    """The file as a table, or FileRefused with the reason."""
    if len(data) > MAX_BYTES:
        raise FileRefused(f"文件太大（{len(data) / 1024 / 1024:.0f} MB），上限 {MAX_BYTES // 1024 // 1024} MB；请按乡镇或村分开导入")
    if not data.strip():
        raise FileRefused("文件是空的")
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused("这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入")
    if b"\x00" in data[:4096] or filename.lower().endswith((".xlsx", ".xls")):
        raise FileRefused("文件不是表格（XLSX 或 CSV）：可能只是改了扩展名")
    return _read_csv(data)
