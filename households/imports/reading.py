"""Reading an uploaded file (读取文件): XLSX by streaming the worksheet's XML, CSV through the csv module.

A file is refused whole, with one reason, when it cannot be read as a table: too large, empty, not a spreadsheet
(a renamed binary, an old .xls), an encoding that is neither UTF-8 (with or without BOM) nor GBK. Otherwise the
reader gives the header and the rows as raw cells (text, numbers as floats, dates, times and booleans typed by
the cell and its number format), with the cells that hold a formula and the merged ranges, which the validation
refuses cell by cell.

XLSX: the first worksheet (not the template's "可选值") is read row by row with ElementTree's iterparse (expat, in
C), each row cleared once read, so memory stays flat whatever the file's length; around it the workbook's shared
strings, the cell styles that format a date and the 1904 date system. The cells come out as python-calamine gave
them before (tests/households/test_xlsx_reading.py holds the two side by side): calamine loaded the whole sheet
before the first row (about 330 MB for 100,000 rows). A formula's cached value is read, never evaluated; the
formula cells and the merged ranges (written after the rows) are found by a byte scan first, and parsed for only
when the scan sees them.

CSV: the encoding is found with an incremental decoder over the bytes (the text is not kept), then the rows are
read through a text wrapper over the same bytes, one at a time."""

import codecs
import contextlib
import csv
import datetime
import gc
import io
import math
import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import XML, ParseError, iterparse

XLSX, CSV = "xlsx", "csv"
MAX_BYTES = 20 * 1024 * 1024  # the demo county's whole register as XLSX is under 10 MB
ALLOWED_VALUES_SHEET = "可选值"  # the template's second sheet, never read as data
UNREADABLE_XLSX = "文件无法作为 Excel 表格读取（可能已损坏，或只是改了扩展名）"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


class FileRefused(ValueError):
    """The file cannot be read as a table at all; `reason` says why (in Chinese)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Table:
    """The first sheet of a file: header cells, then (row number as the spreadsheet shows it, cells) one at a time
    (an iterator: the rows are read as they are used, not held together), about `size` of them.

    A row's cells are indexed by column from A (an XLSX row ends at its last cell that holds something; blank rows
    are left out)."""

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


# XLSX ---------------------------------------------------------------------------------------------------------

# Excel's built-in number formats that show a date or a time (27–36 and 50–58 are the East Asian ones); 46
# ([h]:mm:ss) is a duration. Any other id is a number, unless the workbook defines it as a custom format.
_BUILTIN_DATES = frozenset([*range(14, 23), *range(27, 37), 45, 47, *range(50, 59)])
_DATE, _DURATION = "date", "duration"
_EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
_DAY_MS = 86_400_000
_ERROR_CODES = frozenset(["#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"])
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")  # a character XML cannot hold, as Excel writes it (_x000D_)
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_TIME = re.compile(r"\d{2}:\d{2}:\d{2}(\.\d+)?")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _number_format_kind(code: str) -> str | None:
    """Whether a custom number format shows a date (or a time), a duration ([h]:mm) or neither: the date and time
    tokens of its first section outside quotes, brackets and escapes, by calamine's rule."""
    escaped = quoted = am_pm = hms = False
    brackets = 0
    previous = " "
    for ch in code:
        if escaped:
            escaped = False
        elif ch in "_\\*":  # escape, the width of the next character, a fill with it: the next one is literal
            escaped = True
        elif quoted:
            quoted = ch != '"'
        elif ch == '"':
            quoted = True
        elif ch == ";":
            return None  # the first section (positive numbers) decides
        elif ch == "[":
            brackets += 1
        elif ch == "]" and brackets == 1 and hms:
            return _DURATION  # [h], [mm], [ss]
        elif ch == "]":
            brackets = max(brackets - 1, 0)
        elif brackets == 0 and not am_pm and ch in "aA":
            am_pm = True
        elif brackets == 0 and ch in ("pm/PM" if am_pm else "dmhysDMHYS"):
            return _DATE
        elif not (hms and ch.lower() == previous.lower()):
            hms = previous == "[" and ch in "mhsMHS"
        previous = ch
    return None


def _unescape(text: str) -> str:
    """Excel's _xHHHH_ escapes read back (a surrogate half stays as written)."""
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: m[0] if 0xD800 <= (code := int(m[1], 16)) <= 0xDFFF else chr(code), text)


def _rich_text(element, ns: str) -> str:
    """The text of a shared or inline string: its `<t>` runs joined, phonetic runs (`<rPh>`) left out; a run's
    surrounding whitespace is dropped unless it says xml:space="preserve"."""
    parts = []
    for child in element:
        if child.tag == f"{ns}t":
            runs: Iterable = (child,)
        elif child.tag == f"{ns}r":
            runs = child.iterfind(f"{ns}t")
        else:
            continue
        for run in runs:
            text = run.text or ""
            parts.append(_unescape(text if run.get(_XML_SPACE) == "preserve" else text.strip(" \t\r\n")))
    return "".join(parts)


def _round_half_away(value: float) -> int:
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


def _excel_date(serial: float, kind: str, date1904: bool):
    """A number in a date format: a duration as a timedelta; else a time below 1, a date when whole, a datetime
    otherwise (to the millisecond; Excel's 1900 counts the 29 February that never was); the number itself out of
    range."""
    try:
        if kind == _DURATION:
            return datetime.timedelta(milliseconds=_round_half_away(serial * _DAY_MS))
        days = serial + 1462 if date1904 else serial
        moment = _EXCEL_EPOCH + datetime.timedelta(milliseconds=_round_half_away((days if days >= 60 else days + 1) * _DAY_MS))
    except (OverflowError, ValueError):
        return serial
    if serial < 1:
        return moment.time()
    return moment.date() if serial.is_integer() else moment


def _iso_value(text: str):
    """A t="d" cell (ISO 8601 text): a datetime, a date or a time, else the text."""
    try:
        if _ISO_DATETIME.fullmatch(text):
            return datetime.datetime.fromisoformat(text)
        if _ISO_DATE.fullmatch(text):
            return datetime.date.fromisoformat(text)
        if _ISO_TIME.fullmatch(text):
            return datetime.time.fromisoformat(text)
    except ValueError:
        pass
    return text


def _number(text: str):
    """A number cell's text as a float; text that is not a number (as Rust reads one: no spaces, no underscores)
    stays text."""
    try:
        number = float(text)
    except ValueError:
        return text
    return number if text.isascii() and "_" not in text and text.strip() == text else text


def _namespace(tag: str) -> str:
    return tag[: tag.index("}") + 1] if tag.startswith("{") else ""


def _part_path(target: str) -> str:
    """A relationship's target as a path inside the archive (relative to xl/, or absolute)."""
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def _cell_reference(ref: str) -> tuple[int, int]:
    """A cell reference (B12) as (row number, column index from 0)."""
    digits = ref.lstrip(_LETTERS)
    column = 0
    for ch in ref[: len(ref) - len(digits)].upper():
        column = column * 26 + (ord(ch) - 64)
    return int(digits), column - 1


class _Workbook:
    """What a sheet's rows need from the workbook: the sheets in order (name, path in the archive), the 1904 date
    system, the shared strings, and the cell styles (s=) whose number format shows a date or a duration."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        rels = {}
        for _event, element in iterparse(archive.open("xl/_rels/workbook.xml.rels")):  # noqa: S314
            if element.tag.endswith("Relationship"):
                rels[element.get("Id")] = (element.get("Type", "").rsplit("/", 1)[-1], element.get("Target", ""))
        self.sheets: list[tuple[str, str]] = []
        self.date1904 = False
        for _event, element in iterparse(archive.open("xl/workbook.xml")):  # noqa: S314
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "sheet":
                self.sheets.append((element.get("name", ""), _part_path(rels.get(element.get(f"{_REL_NS}id"), ("", ""))[1])))
            elif tag == "workbookPr":
                self.date1904 = element.get("date1904", "").lower() in ("1", "true")
        parts = {kind: _part_path(target) for kind, target in rels.values()}
        names = set(archive.namelist())
        strings, styles = parts.get("sharedStrings", "xl/sharedStrings.xml"), parts.get("styles", "xl/styles.xml")
        self.shared = self._shared_strings(strings) if strings in names else []
        self.date_styles = self._date_styles(styles) if styles in names else {}

    def _shared_strings(self, path: str) -> list[str]:
        shared: list[str] = []
        ns = None
        for _event, element in iterparse(self.archive.open(path)):  # noqa: S314
            if ns is None:
                ns = _namespace(element.tag)
            if element.tag == f"{ns}si":
                shared.append(_rich_text(element, ns))
                element.clear()
        return shared

    def _date_styles(self, path: str) -> dict[str, str]:
        """{a cell style's index as s= writes it: date or duration}, for the styles that format one."""
        custom: dict[int, str | None] = {}
        cell_formats: list[int] = []
        inside = 0
        for event, element in iterparse(self.archive.open(path), events=("start", "end")):  # noqa: S314
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "cellXfs":
                inside += 1 if event == "start" else -1
            elif event == "end" and tag == "numFmt":
                custom[int(element.get("numFmtId", "0"))] = _number_format_kind(element.get("formatCode", ""))
            elif event == "end" and tag == "xf" and inside:
                cell_formats.append(int(element.get("numFmtId", "0")))
        kinds = {}
        for index, number_format in enumerate(cell_formats):
            if number_format in custom:
                kind = custom[number_format]
            else:
                kind = _DURATION if number_format == 46 else _DATE if number_format in _BUILTIN_DATES else None
            if kind:
                kinds[str(index)] = kind
        return kinds


@contextlib.contextmanager
def _collector_paused():
    """The cyclic garbage collector paused while a batch is parsed: its hundreds of thousands of new elements (no
    cycles: freed by reference counting with their tree) would each time set off collections that walk every object
    the process holds: in a worker that holds a few million, reading the demo county took 12 s instead of 5."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _SheetXML:
    """A worksheet's XML read as a stream: its `<row>` elements parsed about a megabyte of XML at a time (expat,
    in C: one parse a batch, no Python step per element), then what follows the rows (the merged ranges).

    The rows are cut out of the stream after their closing tag and parsed inside the sheet's own root tag (which
    declares the namespaces); a batch's tree is dropped once its rows are read, so memory stays flat."""

    def __init__(self, archive: zipfile.ZipFile, path: str):
        self.archive = archive
        self.path = path
        self.after_rows = b""  # the XML after </sheetData>, once the rows are read

    def rows(self) -> Iterator:
        with self.archive.open(self.path) as stream:
            buffer = b""
            while True:
                chunk = stream.read(_CHUNK)
                buffer += chunk
                if (found := _SHEET_DATA.search(buffer)) or not chunk:
                    break
            if found is None or (root := _ROOT_TAG.search(buffer)) is None:
                raise ValueError("no <sheetData>")
            if found[2]:  # <sheetData/>: no rows
                self.after_rows = buffer[found.end() :] + stream.read()
                return
            head, tail = root[0], b"</" + root[1] + b">"
            prefix = found[1]
            row_end, data_end = b"</" + prefix + b"row>", b"</" + prefix + b"sheetData>"
            buffer = buffer[found.end() :]
            while True:
                cut = buffer.rfind(row_end)
                if cut >= 0:
                    cut += len(row_end)
                    yield from self._parse(head, buffer[:cut], tail, plain=not prefix)
                    buffer = buffer[cut:]
                if not (chunk := stream.read(_CHUNK)):
                    break
                buffer += chunk
            end = buffer.find(data_end)
            if end < 0:
                raise ValueError("no </sheetData>")
            if buffer[:end].strip():  # empty rows written as <row r="9"/>
                yield from self._parse(head, buffer[:end], tail, plain=not prefix)
            self.after_rows = buffer[end:]

    @staticmethod
    def _parse(head: bytes, rows: bytes, tail: bytes, *, plain: bool):
        """The rows' elements. A one-run inline string (`<is><t>text</t></is>`, as openpyxl and the export write
        every text cell) is first made one element, `<is_t>`: a third fewer elements for the parser to build.
        Markup cannot occur in text (`<` is always escaped), so the bytes match tags only; any other shape of
        `<is>` (several runs) leaves a tag unmatched, and that batch is parsed as written."""
        if plain:
            with _collector_paused():
                try:
                    return XML(head + rows.replace(b"<is><t>", b"<is_t>").replace(b"<is><t ", b"<is_t ").replace(b"</t></is>", b"</is_t>") + tail)
                except ParseError:
                    pass
        with _collector_paused():
            return XML(head + rows + tail)

    def merged(self) -> list[tuple[int, int, int, int]]:
        """The merged ranges as (row, column, last row, last column), read after the rows."""
        merged = []
        for ref in _MERGE_CELL.findall(self.after_rows):
            first, _colon, last = ref.decode("ascii", "replace").partition(":")
            (row, column), (last_row, last_column) = _cell_reference(first), _cell_reference(last or first)
            merged.append((row, column, last_row, last_column))
        return merged


_CHUNK = 1 << 20
_SHEET_DATA = re.compile(rb"<((?:[\w.-]+:)?)sheetData\b[^>]*?(/?)>")
_ROOT_TAG = re.compile(rb"<([A-Za-z_][\w.:-]*)\b[^>]*>")
_MERGE_CELL = re.compile(rb"<(?:[\w.-]+:)?mergeCell\s[^>]*?\bref=\"([^\"]*)\"")
_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\s[^>]*?\bref=\"([^\"]*)\"")
_ROW_NUMBER = re.compile(rb"<(?:[\w.-]+:)?row\s[^>]*?\br=\"(\d+)\"")
_DIGITS = "0123456789"


class _Positions:
    """Where a sheet's cells are: a row's number and a cell's column index, from their r= references or counted on
    from the previous ones where a writer left them out."""

    def __init__(self):
        self.row = 0
        self.columns: dict[str, int] = {}

    def row_number(self, row) -> int:
        number = row.get("r")
        self.row = int(number) if number else self.row + 1
        return self.row

    def column(self, ref: str | None, previous: int) -> int:
        if not ref:
            return previous + 1
        column = self.columns.get(ref.rstrip(_DIGITS))
        return self.new_column(ref) if column is None else column

    def new_column(self, ref: str) -> int:
        column = self.columns[ref.rstrip(_DIGITS)] = _cell_reference(ref)[1]
        return column


def _scan(archive: zipfile.ZipFile, path: str) -> tuple[bool, bool, int]:
    """A byte scan of the sheet's XML, no parse: whether it holds a formula (`<f>`) or merged ranges
    (`<mergeCell>`), and about how many rows it has (from `<dimension ref>`, else the last row's number). Chunks
    overlap by a few bytes so a tag cut in two is still seen."""
    formula = merged = False
    dimension = last_row = None
    tail = b""
    with archive.open(path) as stream:
        while chunk := stream.read(_CHUNK):
            data = tail + chunk
            # <f>, </f>, <f/>, <f t="shared" …/>, with or without a prefix (text holding "f>" only costs a parse)
            formula = formula or b"f>" in data or b"<f " in data or b":f " in data
            merged = merged or b"mergeCell " in data
            if dimension is None:
                dimension = found[1] if (found := _DIMENSION.search(data)) else (b"" if b"sheetData" in data else None)
            if (at := data.rfind(b"<row ")) >= 0 and (found := _ROW_NUMBER.match(data, at)):
                last_row = int(found[1])
            tail = data[-32:]
    first, _colon, last = (dimension or b"").decode("ascii", "replace").partition(":")
    size = _cell_reference(last)[0] - _cell_reference(first)[0] if last else (last_row or 1) - 1
    return formula, merged, max(size, 0)


def _formulas(sheet: _SheetXML) -> set[tuple[int, int]]:
    """The cells that hold a formula (an `<f>` element), as (row number, column index)."""
    found: set[tuple[int, int]] = set()
    positions = _Positions()
    for row in sheet.rows():
        ns = _namespace(row.tag)
        number, column = positions.row_number(row), -1
        for cell in row:
            column = positions.column(cell.get("r"), column)
            if cell.find(f"{ns}f") is not None:
                found.add((number, column))
    return found


def _sheet_rows(workbook: _Workbook, path: str) -> Iterator[tuple[int, list]]:
    """The sheet's rows, one at a time: (row number, cells from column A to the row's last cell that holds
    something), rows that hold nothing (or only empty text and error values) left out; an unreadable part of the
    file is refused when it is reached.

    A cell holds what python-calamine gave: text (shared, inline or a formula's text), a float for any number, a
    bool, "" for an error value (#N/A…), and for a number in a date format a date, a datetime, a time (below 1) or a
    timedelta (a duration format such as [h]:mm)."""
    shared, date_styles, date1904 = workbook.shared, workbook.date_styles, workbook.date1904
    positions = _Positions()
    columns = positions.columns
    ns = None
    try:
        for row in _SheetXML(workbook.archive, path).rows():
            if ns is None:
                ns = _namespace(row.tag)
                v_tag, is_tag, plain_tag = f"{ns}v", f"{ns}is", f"{ns}is_t"
            number = positions.row_number(row)
            values: list = []
            column = -1
            something = False
            for cell in row:
                # positions.column, inlined: this loop runs for every cell of the file
                if ref := cell.get("r"):
                    if (column := columns.get(ref.rstrip(_DIGITS))) is None:
                        column = positions.new_column(ref)
                else:
                    column += 1
                kind = cell.get("t")
                if kind == "inlineStr":
                    if (plain := cell.find(plain_tag)) is not None:  # <is><t>text</t></is>, the usual case
                        value = plain.text or ""
                        if plain.get(_XML_SPACE) != "preserve":
                            value = value.strip(" \t\r\n")
                        if "_x" in value:
                            value = _unescape(value)
                    elif (inline := cell.find(is_tag)) is not None:
                        value = _rich_text(inline, ns)
                    elif cell.find(v_tag) is not None:
                        value = ""
                    else:
                        continue
                else:
                    text = cell.findtext(v_tag)
                    if text is None:
                        continue
                    if kind == "s":
                        if not text.isdigit():
                            raise ValueError(f"shared string index {text!r}")
                        value = shared[int(text)]
                    elif kind is None or kind == "n":
                        if not text:
                            continue
                        value = _number(text)
                        if type(value) is float and (style := date_styles.get(cell.get("s"))):
                            value = _excel_date(value, style, date1904)
                    elif kind == "str":
                        value = _unescape(text)
                    elif kind == "b":
                        value = _BOOLEANS[text]
                    elif kind == "e":
                        if text not in _ERROR_CODES:
                            raise ValueError(f"unknown error value {text!r}")
                        value = ""
                    elif kind == "d":
                        value = _iso_value(text)
                    else:
                        raise ValueError(f"unknown cell type {kind!r}")
                if column == len(values):
                    values.append(value)
                else:
                    if column > len(values):
                        values.extend([""] * (column - len(values) + 1))
                    values[column] = value
                something = something or value != ""
            if something:
                yield number, values
    except (ParseError, zipfile.BadZipFile, EOFError, KeyError, IndexError, ValueError) as exc:
        raise FileRefused(UNREADABLE_XLSX) from exc


_BOOLEANS = {"1": True, "true": True, "0": False, "false": False}


def _read_xlsx(data: bytes) -> Table:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        workbook = _Workbook(archive)
        sheets = [(name, path) for name, path in workbook.sheets if name != ALLOWED_VALUES_SHEET]
        if not sheets:
            raise FileRefused("文件中没有工作表")
        name, path = sheets[0]
        formula, merges, size = _scan(archive, path)
        formulas, merged = set(), []
        if formula or merges:
            sheet = _SheetXML(archive, path)
            formulas = _formulas(sheet)
            merged = sheet.merged()
    except (ParseError, zipfile.BadZipFile, EOFError, KeyError, IndexError, ValueError) as exc:
        raise FileRefused(UNREADABLE_XLSX) from exc
    rows = _sheet_rows(workbook, path)
    first = next(rows, None)
    if first is None:
        raise FileRefused(f"工作表“{name}”是空的")
    return Table(XLSX, name, first[1], rows, size=size, formulas=formulas, merged=merged)


# CSV ----------------------------------------------------------------------------------------------------------

_BOM = b"\xef\xbb\xbf"
_CSV_ENCODINGS = ("utf-8", "gb18030")  # UTF-8, else GBK and its superset, as Excel on a Chinese Windows saves CSV


def _encoding(data: bytes, start: int) -> str:
    """The first of the encodings that decodes the whole file: an incremental decoder over chunks, the text
    dropped as it comes (a 19 MB file would be some 40 MB as one string)."""
    view = memoryview(data)[start:]
    for encoding in _CSV_ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for at in range(0, len(view), _CHUNK):
                decoder.decode(view[at : at + _CHUNK])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise FileRefused("CSV 文件的编码无法识别（请保存为 UTF-8 或 GBK）")


def _read_csv(data: bytes) -> Table:
    start = len(_BOM) if data.startswith(_BOM) else 0
    encoding = _encoding(data, start)
    stream = io.BytesIO(data)  # shares the bytes, no copy
    stream.seek(start)
    rows = _csv_rows(io.TextIOWrapper(stream, encoding=encoding, newline=""))
    first = next(rows, None)
    if first is None:
        raise FileRefused("文件是空的")
    return Table(CSV, "CSV", first[1], rows, size=data.count(b"\n"))  # no other character of either holds byte 0A


def _csv_rows(text: io.TextIOBase):
    """The CSV's non-blank rows, decoded and read one at a time (a malformed line is refused when it is reached)."""
    try:
        for number, row in enumerate(csv.reader(text), start=1):
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
