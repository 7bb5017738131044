"""Reading a department list (比对数据) from CSV or XLSX into rows: pure functions, no database.

A list has three columns, named in English (id_number, category, detail) or Chinese (证件号码, 类别,
说明); the detail column may be left out. Every row is checked: a valid 18-digit resident ID number
(a 15-digit legacy number is accepted and upgraded), a known category (its slug or its Chinese
label), a detail of at most 500 characters. Problems are collected by line, line 1 being the header
as a spreadsheet shows it, and raised together in `UploadInvalid`; ID numbers in the messages are
masked, since the errors travel to whoever uploaded the file.
"""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from xml.etree.ElementTree import ParseError

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from checks.choices import DepartmentCategory
from core.masking import mask_id_number
from households.rules import IdNumberError, parse_resident_id, upgrade_legacy_id

MAX_BYTES = 20 * 1024 * 1024  # a 100,000-row list is about 4 MB as CSV, 3 MB as XLSX
MAX_ROWS = 200_000
# An XLSX is a zip: its parts together may not unpack to more than this (a zip bomb is refused unread).
MAX_XLSX_UNPACKED = 400 * 1024 * 1024
MAX_DETAIL = 500
MAX_REPORTED = 100  # rows reported by line; the sentence gives the total

FILE_CODE = "invalid_upload"
ID_CODE = "invalid_id_number"
ROW_CODE = "invalid"

_HEADERS = {
    "id_number": ("id_number", "id number", "idnumber", "证件号码", "证件号", "身份证号", "身份证号码"),
    "category": ("category", "类别", "比对类别"),
    "detail": ("detail", "details", "说明", "详情", "备注"),
}
_REQUIRED = ("id_number", "category")
_HEADER_NAMES = {alias: column for column, aliases in _HEADERS.items() for alias in aliases}
_INVISIBLE = re.compile(r"[\ufeff\u200b\u200c\u200d\u2060\s]+")
_DIGITS = re.compile(r"[0-9]+")
_ALIASES = {"已死亡": "deceased", "机动车": "vehicle", "商品房": "property", "门市": "property", "财政供养人员": "public_employee"}


@dataclass(frozen=True, slots=True)
class UploadRow:
    """One valid row of a department list: its line in the file, the 18-digit ID number, the category slug."""

    line: int
    id_number: str
    category: str
    detail: str


class Problem(str):
    """An error sentence that carries its stable code (the API's error format reads `.code`)."""

    code: str

    def __new__(cls, message, code: str):
        problem = super().__new__(cls, str(message))
        problem.code = code
        return problem


class UploadInvalid(Exception):
    """The upload is refused whole: `errors` is {"file" | "rows.<line>": [Problem, ...]}, `bad_rows` the total."""

    def __init__(self, errors: dict[str, list[Problem]], *, bad_rows: int = 0):
        super().__init__(errors)
        self.errors = errors
        self.bad_rows = bad_rows

    def sentence(self) -> str:
        if "file" in self.errors:
            return str(self.errors["file"][0])
        if self.bad_rows > MAX_REPORTED:
            return _("文件有 %(count)s 行错误（列出前 %(shown)s 行），未写入任何数据") % {
                "count": self.bad_rows, "shown": MAX_REPORTED}  # fmt: skip
        return _("文件有 %(count)s 行错误，未写入任何数据") % {"count": self.bad_rows}


def _refuse(message) -> UploadInvalid:
    return UploadInvalid({"file": [Problem(message, FILE_CODE)]})


def _category_names() -> dict[str, str]:
    """Slug, Chinese label and a few common spellings, each to the slug."""
    names = {slug: slug for slug in DepartmentCategory.values}
    with translation.override("zh-hans"):
        names.update({str(label): slug for slug, label in DepartmentCategory.choices})
    names.update(_ALIASES)
    return names


def category_hint() -> str:
    with translation.override("zh-hans"):
        return "、".join(f"{slug}（{label}）" for slug, label in DepartmentCategory.choices)


def _shown(number: str) -> str:
    """The ID number as an error message may show it: masked, and cut when absurdly long."""
    return mask_id_number(number[:20]) + ("…" if len(number) > 20 else "")


def _id_problem(exc: IdNumberError) -> str:
    # Own sentences, not IdNumberError's: those quote the birth-date digits, which masking hides.
    sentences = {
        "characters": _("含有不允许的字符：前17位只能是半角数字，最后一位可以是数字或 X"),
        "birth_date": _("其中的出生日期不存在"),
        "future_birth_date": _("其中的出生日期晚于今天"),
        "check_digit": _("校验位不符"),
    }
    return sentences.get(exc.part) or str(exc)


def clean_id_number(value: str, *, today: date) -> str:
    """The 18-character resident ID number for a cell's text (a legacy 15-digit number upgraded); else ValueError."""
    number = unicodedata.normalize("NFKC", value).strip().upper()  # full-width digits and Ｘ as typed in some systems
    if len(number) == 15 and _DIGITS.fullmatch(number):
        number = upgrade_legacy_id(number)
    elif len(number) != 18:
        raise ValueError(_("应为18位（或15位旧号码），实为 %(length)s 位") % {"length": len(number)})
    try:
        return parse_resident_id(number, today=today).number
    except IdNumberError as exc:
        raise ValueError(_id_problem(exc)) from None


class _Rows:
    """Validates rows as they are read and collects the problems by line."""

    def __init__(self, columns: dict[str, int], *, today: date):
        self.columns = columns
        self.today = today
        self.categories = _category_names()
        self.rows: list[UploadRow] = []
        self.errors: dict[str, list[Problem]] = {}
        self.bad_rows = 0

    def _cell(self, cells, column: str):
        index = self.columns.get(column)
        if index is None or index >= len(cells):
            return ""
        return cells[index]

    def fail(self, line: int, problems: list[Problem]) -> None:
        self.bad_rows += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors[f"rows.{line}"] = problems

    def add(self, line: int, cells) -> None:
        problems: list[Problem] = []
        raw_id = self._cell(cells, "id_number")
        number = ""
        if isinstance(raw_id, float):
            problems.append(Problem(_("证件号码以数字格式保存，末几位可能已丢失：请把该列设为文本后重新导出"), ID_CODE))
        else:
            text = _text(raw_id)
            if not text:
                problems.append(Problem(_("证件号码为空"), ID_CODE))
            else:
                try:
                    number = clean_id_number(text, today=self.today)
                except ValueError as exc:
                    problems.append(
                        Problem(_("证件号码 %(number)s 有误：%(problem)s") % {"number": _shown(text), "problem": exc}, ID_CODE)
                    )
        category_text = _text(self._cell(cells, "category"))
        category = self.categories.get(category_text) or self.categories.get(category_text.lower())
        if not category_text:
            problems.append(Problem(_("类别为空，应为：%(choices)s") % {"choices": category_hint()}, ROW_CODE))
        elif category is None:
            problems.append(
                Problem(
                    _("类别“%(value)s”无效，应为：%(choices)s") % {"value": category_text[:40], "choices": category_hint()},
                    ROW_CODE,
                )
            )
        detail = _text(self._cell(cells, "detail"))
        if len(detail) > MAX_DETAIL:
            problems.append(
                Problem(_("说明不能超过 %(max)s 个字符（实为 %(length)s 个）") % {"max": MAX_DETAIL, "length": len(detail)}, ROW_CODE)
            )
        if problems:
            self.fail(line, problems)
        else:
            self.rows.append(UploadRow(line, number, category, detail))

    def result(self) -> list[UploadRow]:
        if self.bad_rows:
            raise UploadInvalid(self.errors, bad_rows=self.bad_rows)
        if not self.rows:
            raise _refuse(_("文件没有数据行"))
        return self.rows


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value).strip()


def _blank(cells) -> bool:
    return all(_text(cell) == "" for cell in cells)


def _columns(header) -> dict[str, int]:
    """Column positions by name, from the header row; UploadInvalid when a column is missing or doubled."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = _INVISIBLE.sub(" ", _text(cell)).strip().lower()
        column = _HEADER_NAMES.get(name) or _HEADER_NAMES.get(name.replace(" ", ""))
        if column is None:
            continue
        if column in columns:
            raise _refuse(_("表头中“%(column)s”出现了两次") % {"column": _text(cell)})
        columns[column] = index
    missing = [column for column in _REQUIRED if column not in columns]
    if missing:
        with translation.override("zh-hans"):
            names = {"id_number": "证件号码", "category": "类别"}
        raise _refuse(
            _("缺少列：%(missing)s。表头应为 证件号码、类别、说明（或 id_number、category、detail）") % {
                "missing": "、".join(f"{names[m]}（{m}）" for m in missing)}
        )  # fmt: skip
    return columns


def _read(lines, *, today: date) -> list[UploadRow]:
    """Rows from (line number, cells) pairs, the first non-blank one being the header."""
    rows: _Rows | None = None
    count = 0
    for line, cells in lines:
        if _blank(cells):
            continue
        if rows is None:
            rows = _Rows(_columns(cells), today=today)
            continue
        count += 1
        if count > MAX_ROWS:
            raise _refuse(_("数据行过多：上限为 %(max)s 行，请分成几个文件上传") % {"max": MAX_ROWS})
        rows.add(line, cells)
    if rows is None:
        raise _refuse(_("文件没有表头和数据行"))
    return rows.result()


def _csv_lines(text: str):
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise UploadInvalid(
                {f"rows.{reader.line_num}": [Problem(_("该行无法按 CSV 解析：%(error)s") % {"error": exc}, ROW_CODE)]},
                bad_rows=1,
            ) from None
        yield line, cells
        line = reader.line_num + 1


def read_csv(content: bytes, *, today: date) -> list[UploadRow]:
    """Rows of a UTF-8 CSV (a byte-order mark is tolerated)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(_("CSV 文件须为 UTF-8 编码：在 Excel 中请另存为“CSV UTF-8（逗号分隔）”")) from None
    if "\x00" in text:
        raise _refuse(_("文件不是文本格式的 CSV"))
    return _read(_csv_lines(text), today=today)


def read_xlsx(content: bytes, *, today: date) -> list[UploadRow]:
    """Rows of the first worksheet of an XLSX workbook, read in openpyxl's streaming read-only mode."""
    unreadable = _("无法读取 XLSX 文件：文件已损坏或不是 Excel 工作簿")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse(unreadable) from None
    if sum(info.file_size for info in infos) > MAX_XLSX_UNPACKED:
        raise _refuse(_("XLSX 文件解压后过大，请改用 CSV 上传"))
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, ParseError):
        raise _refuse(unreadable) from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise _refuse(_("文件没有表头和数据行"))
        sheet.reset_dimensions()  # some writers record a wrong sheet size; read every row there is
        lines = ((index, row) for index, row in enumerate(sheet.iter_rows(values_only=True), start=1))
        try:
            return _read(lines, today=today)
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, ParseError):
            raise _refuse(unreadable) from None
    finally:
        workbook.close()


def read_upload(*, name: str, content: bytes, today: date) -> list[UploadRow]:
    """The valid rows of an uploaded department list; UploadInvalid naming every problem (nothing half-read)."""
    if not content:
        raise _refuse(_("文件为空"))
    if len(content) > MAX_BYTES:
        raise _refuse(
            _("文件过大（%(size).1f MB），上限为 %(max)s MB") % {"size": len(content) / 1024 / 1024, "max": MAX_BYTES // 1024 // 1024}
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    is_zip = content[:4] == b"PK\x03\x04"
    if extension == "xlsx" and is_zip:
        return read_xlsx(content, today=today)
    if extension == "csv" and not is_zip:
        return read_csv(content, today=today)
    hint = _("（.xls 请另存为 .xlsx）") if extension == "xls" else ""
    raise _refuse(_("文件类型不支持：只接受 CSV（UTF-8）或 XLSX 文件") + hint)
