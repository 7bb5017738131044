"""The register's spreadsheet layouts (表格格式): the export layout, which every export writes and the import reads
back, and the national filing layout (全国扶贫开发信息系统的建档立卡采集表) with Chinese headers.

reports.exports (above) writes files in these layouts; households.imports (here) reads them. The export layout's
rules are documented in reports.exports; the national layout is the same columns under Chinese headers, in the
order of the national collection form, with coded values as Chinese labels (an import also takes national codes
and the English values).
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from households import choices as c

# Kinds of column: how a stored value becomes a cell (and how an import parses it back).
CODE = "code"  # a slug or a code, written as it is stored
TEXT = "text"  # free text typed by people (guarded against formulas in CSV)
DATE = "date"
BOOLEAN = "boolean"
INTEGER = "integer"
DECIMAL = "decimal"  # an exact amount (mu, km), written as stored
LIST = "list"  # slugs joined with LIST_SEPARATOR
ID_NUMBER = "id_number"  # personal data: masked for roles that may not see it
BANK_ACCOUNT = "bank_account"  # personal data: masked for roles that may not see it
BIRTH_DATE = "birth_date"  # a date, cut to its year where the ID number is masked (it would give it back)

LIST_SEPARATOR = ";"
PERSONAL_KINDS = frozenset({ID_NUMBER, BANK_ACCOUNT})  # logged when shown in full
MASKED_KINDS = PERSONAL_KINDS | {BIRTH_DATE}  # changed for roles that may not see personal data


@dataclass(frozen=True)
class Column:
    """A column of the import layout: its header, the lookup (from Member) it is read from, its kind."""

    name: str
    source: str
    kind: str = CODE


HOUSEHOLD_COLUMNS: tuple[Column, ...] = (
    # The household (户), repeated on each of its members' rows.
    Column("household_number", "household__number"),
    Column("village", "household__village_id"),
    Column("villager_group", "household__villager_group__name", TEXT),
    Column("address", "household__address", TEXT),
    Column("phone", "household__phone", TEXT),
    Column("identification_standard", "household__identification_standard"),
    Column("attribute", "household__attribute"),
    Column("main_cause", "household__main_cause"),
    Column("other_causes", "household__other_causes", LIST),
    Column("stars", "household__stars", INTEGER),
    Column("relocated", "household__relocated", BOOLEAN),
    Column("relocation_mode", "household__relocation_mode"),
    Column("relocation_placement", "household__relocation_placement"),
    Column("relocation_site", "household__relocation_site"),
    Column("bank_name", "household__bank_name", TEXT),
    Column("bank_account", "household__bank_account", BANK_ACCOUNT),
    Column("status", "household_status"),  # as of the export's day (annotation)
    Column("returned", "household_returned", BOOLEAN),  # as of the export's day (annotation)
    # The member (家庭成员).
    Column("name", "name", TEXT),
    Column("sex", "sex"),
    Column("birth_date", "birth_date", BIRTH_DATE),
    Column("relation", "relation"),
    Column("id_type", "id_type"),
    Column("id_number", "id_number", ID_NUMBER),
    Column("ethnicity", "ethnicity"),
    Column("education", "education"),
    Column("school_status", "school_status"),
    Column("dropout", "dropout", BOOLEAN),
    Column("dropout_reason", "dropout_reason"),
    Column("health", "health"),
    Column("disability_category", "disability_category"),
    Column("disability_grade", "disability_grade", INTEGER),
    Column("labour", "labour"),
    Column("migrant_work", "migrant_work"),
    Column("migrant_months", "migrant_months", INTEGER),
    Column("medical_insurance", "medical_insurance", BOOLEAN),
    Column("serious_illness_insurance", "serious_illness_insurance", BOOLEAN),
    Column("pension_insurance", "pension_insurance", BOOLEAN),
    Column("receives_dibao", "receives_dibao", BOOLEAN),
    Column("receives_tekun", "receives_tekun", BOOLEAN),
    Column("joined_on", "joined_on", DATE),
    Column("join_reason", "join_reason"),
    Column("left_on", "left_on", DATE),
    Column("left_reason", "left_reason"),
    # Added by issue 14 (appended: the older layout stays a prefix). Household facts, then member facts.
    Column("cultivated_land", "household__cultivated_land", DECIMAL),
    Column("irrigated_land", "household__irrigated_land", DECIMAL),
    Column("forest_land", "household__forest_land", DECIMAL),
    Column("returned_farmland", "household__returned_farmland", DECIMAL),
    Column("road_type", "household__road_type"),
    Column("main_fuel", "household__main_fuel"),
    Column("road_distance", "household__road_distance", DECIMAL),
    Column("production_electricity", "household__production_electricity", BOOLEAN),
    Column("military_family", "household__military_family", BOOLEAN),
    Column("only_child_family", "household__only_child_family", BOOLEAN),
    Column("two_daughters_family", "household__two_daughters_family", BOOLEAN),
    Column("employee_medical_insurance", "employee_medical_insurance", BOOLEAN),
    Column("employee_pension_insurance", "employee_pension_insurance", BOOLEAN),
    Column("commercial_insurance", "commercial_insurance", BOOLEAN),
    Column("serious_illness_assistance", "serious_illness_assistance", BOOLEAN),
    Column("active_service", "active_service", BOOLEAN),
    Column("workplace", "workplace", TEXT),
    Column("welfare_post", "welfare_post"),
    Column("welfare_post_months", "welfare_post_months", INTEGER),
)
HEADER: tuple[str, ...] = tuple(column.name for column in HOUSEHOLD_COLUMNS)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def format_value(kind: str, value) -> str:
    """A stored value as the text of its cell (personal data unmasked; see `format_row`)."""
    if value is None:
        return ""
    if kind == BOOLEAN:
        return "true" if value else "false"
    if kind in (DATE, BIRTH_DATE):
        return value.isoformat()
    if kind == LIST:
        return LIST_SEPARATOR.join(value)
    return str(value)


def neutralise_formula(value):
    """A cell as every export writes it (CSV and XLSX): text that a spreadsheet would run as a formula, made
    inert with a leading apostrophe (OWASP, CSV injection); numbers and anything not text come back as they are,
    so a negative number stays a number."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_unescape_formula(text: str) -> str:
    """The inverse of `neutralise_formula` for a text cell, for the import."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS) else text


# The national filing layout (全国建档立卡采集表) -----------------------------------------------------------------

EXPORT, NATIONAL = "export", "national"
LAYOUT_LABELS = {EXPORT: _("导出格式（英文列名）"), NATIONAL: _("全国建档立卡格式（中文列名）")}

# The export layout's columns under the national form's Chinese headers, in the form's order: the household's
# identification, the member table, the production and living conditions, relocation, the bank account; the
# registry status last (read, never written by an import).
NATIONAL_HEADERS: dict[str, str] = {
    "household_number": "户编号",
    "village": "行政村区划代码",
    "villager_group": "村民小组",
    "address": "住址",
    "phone": "联系电话",
    "identification_standard": "识别标准",
    "attribute": "贫困户属性",
    "main_cause": "主要致贫原因",
    "other_causes": "其他致贫原因",
    "stars": "星级",
    "name": "姓名",
    "id_type": "证件类型",
    "id_number": "证件号码",
    "sex": "性别",
    "birth_date": "出生日期",
    "relation": "与户主关系",
    "ethnicity": "民族",
    "education": "文化程度",
    "school_status": "在校生状况",
    "dropout": "失学辍学",
    "dropout_reason": "辍学原因",
    "health": "健康状况",
    "disability_category": "残疾类别",
    "disability_grade": "残疾等级",
    "labour": "劳动能力",
    "migrant_work": "务工状况",
    "migrant_months": "务工时间（月）",
    "workplace": "务工地点或企业",
    "welfare_post": "公益岗位类型",
    "welfare_post_months": "公益岗位时间（月）",
    "medical_insurance": "参加城乡居民基本医疗保险",
    "employee_medical_insurance": "参加城镇职工基本医疗保险",
    "serious_illness_insurance": "参加大病保险",
    "commercial_insurance": "参加商业补充保险",
    "serious_illness_assistance": "享受大病医疗救助",
    "pension_insurance": "参加城乡居民基本养老保险",
    "employee_pension_insurance": "参加城镇职工基本养老保险",
    "receives_dibao": "享受低保",
    "receives_tekun": "享受特困供养",
    "active_service": "现役军人",
    "joined_on": "加入日期",
    "join_reason": "加入原因",
    "left_on": "减少日期",
    "left_reason": "减少原因",
    "cultivated_land": "耕地面积（亩）",
    "irrigated_land": "有效灌溉面积（亩）",
    "forest_land": "林地面积（亩）",
    "returned_farmland": "退耕还林面积（亩）",
    "production_electricity": "通生产用电",
    "road_type": "入户路类型",
    "road_distance": "距村主干路距离（公里）",
    "main_fuel": "主要燃料类型",
    "military_family": "军烈属",
    "only_child_family": "独生子女户",
    "two_daughters_family": "双女户",
    "relocated": "易地扶贫搬迁",
    "relocation_mode": "搬迁方式",
    "relocation_placement": "安置方式",
    "relocation_site": "安置地点",
    "bank_name": "开户银行",
    "bank_account": "银行账号",
    "status": "登记状态",
    "returned": "返贫",
}
COLUMNS_BY_NAME: dict[str, Column] = {column.name: column for column in HOUSEHOLD_COLUMNS}
NATIONAL_COLUMNS: tuple[Column, ...] = tuple(COLUMNS_BY_NAME[name] for name in NATIONAL_HEADERS)
NATIONAL_HEADER: tuple[str, ...] = tuple(NATIONAL_HEADERS.values())
HEADERS = {EXPORT: HEADER, NATIONAL: NATIONAL_HEADER}
COLUMNS = {EXPORT: HOUSEHOLD_COLUMNS, NATIONAL: NATIONAL_COLUMNS}
# Facts of the lifecycle: shown in the file, read by the import (required fields by status), never written.
READ_ONLY_COLUMNS = frozenset({"status", "returned"})
# Without these a row cannot be matched or checked; every other column may be left out of a file (then the
# register's value stays, and a new household gets the default).
REQUIRED_COLUMNS = ("household_number", "village", "name", "id_number", "sex", "birth_date", "relation")
TRUE_WORDS = frozenset({"true", "是", "1", "y", "yes", "√", "有"})
FALSE_WORDS = frozenset({"false", "否", "0", "n", "no", "×", "无"})
NATIONAL_LIST_SEPARATOR = "、"

# The coded lists of each coded column (the field's choices); `relation` codes are the national ones already.
CHOICES: dict[str, type] = {
    "identification_standard": c.IdentificationStandard,
    "attribute": c.HouseholdAttribute,
    "main_cause": c.PovertyCause,
    "other_causes": c.PovertyCause,
    "stars": c.Stars,
    "relocation_mode": c.RelocationMode,
    "relocation_placement": c.RelocationPlacement,
    "relocation_site": c.RelocationSite,
    "status": c.RegistryStatus,
    "sex": c.Sex,
    "relation": c.Relation,
    "id_type": c.IdType,
    "ethnicity": c.Ethnicity,
    "education": c.Education,
    "school_status": c.SchoolStatus,
    "dropout_reason": c.DropoutReason,
    "health": c.Health,
    "disability_category": c.DisabilityCategory,
    "disability_grade": c.DisabilityGrade,
    "labour": c.Labour,
    "migrant_work": c.MigrantWork,
    "join_reason": c.JoinReason,
    "left_reason": c.LeftReason,
    "road_type": c.RoadType,
    "main_fuel": c.Fuel,
    "welfare_post": c.WelfarePost,
}
# Older words the national system's files still carry (docs/domain.md).
ALIASES: dict[str, dict[str, str]] = {
    "attribute": {"五保户": "tekun", "五保贫困户": "tekun"},
    "relation": {"21": "99"},
}


def chinese_label(field: str, value) -> str:
    """The Chinese label of a stored coded value (the national layout's cells)."""
    choices = CHOICES.get(field)
    if choices is None or value in (None, ""):
        return "" if value is None else str(value)
    with translation.override("zh-hans"):
        labels = dict(choices.choices)
        return str(labels.get(value, value))


@cache
def allowed_values(field: str) -> dict[str, object]:
    """{every accepted spelling: stored value} of a coded column: the English value, the Chinese label (and its
    short form before "："), the national code, and the older aliases."""
    choices = CHOICES[field]
    codes = c.NATIONAL_CODES.get(choices, {})
    accepted: dict[str, object] = {}
    with translation.override("zh-hans"):
        for value, label in choices.choices:
            label = str(label)
            accepted[str(value)] = value
            accepted[label] = value
            accepted[label.split("：")[0]] = value
            accepted[half_width(label)] = value  # the cell is read half-width: 一星：… becomes 一星:…
            if value in codes:
                accepted.setdefault(str(codes[value]), value)
    for alias, value in ALIASES.get(field, {}).items():
        accepted.setdefault(alias, value)
    return accepted


def format_national(column: Column, value) -> str:
    """A stored value as the national layout writes it: Chinese labels, 是/否, lists joined with 、."""
    if value is None:
        return ""
    if column.kind == BOOLEAN:
        return "是" if value else "否"
    if column.kind == LIST:
        return NATIONAL_LIST_SEPARATOR.join(chinese_label(column.name, item) for item in value)
    if column.name in CHOICES:
        return chinese_label(column.name, value)
    return format_value(column.kind, value)


# Reading cells (pure): text in, a stored value out, or a reason in Chinese --------------------------------------


class CellError(ValueError):
    """A cell that cannot be read; `reason` says why in words a clerk understands."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
_LIST_SPLIT = re.compile(r"[;；、,，]")


def half_width(text: str) -> str:
    """Full-width digits, letters and signs (１２３Ｘ) as their ASCII forms (NFKC); Chinese characters unchanged."""
    return unicodedata.normalize("NFKC", text)


def parse_date(text: str) -> datetime.date:
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError as exc:
                raise CellError(f"日期不存在：{text}") from exc
    raise CellError("日期无法识别，请写成 1962-03-05 或 1962年3月5日，或把单元格设为日期格式")


def parse_boolean(text: str) -> bool:
    word = text.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError("请填写“是”或“否”")


def parse_code(field: str, text: str):
    accepted = allowed_values(field)
    if text in accepted:
        return accepted[text]
    if text.isdigit() and text.zfill(2) in accepted:  # 1 for 01: a code that lost its leading zero in a number cell
        return accepted[text.zfill(2)]
    raise CellError("不是可选的值（可填中文名称、国家代码或英文值，见模板的“可选值”表）")


def parse_cell(column: Column, text: str):
    """The stored value of a cell's text for the column (blank: None, or "" for codes and text)."""
    if column.kind != TEXT:
        text = half_width(text).strip()
    if text == "":
        if column.kind in (TEXT, CODE, ID_NUMBER, BANK_ACCOUNT):
            return ""
        if column.kind == LIST:
            return []
        return None
    if column.kind in (DATE, BIRTH_DATE):
        return parse_date(text)
    if column.kind == BOOLEAN:
        return parse_boolean(text)
    if column.kind == LIST:
        return [parse_code(column.name, part.strip()) for part in _LIST_SPLIT.split(text) if part.strip()]
    if column.name in CHOICES:
        return parse_code(column.name, text)
    if column.kind == INTEGER:
        if not re.fullmatch(r"\d+(\.0+)?", text):
            raise CellError("请填写整数")
        return int(text.split(".")[0])
    if column.kind == DECIMAL:
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise CellError("请填写数字") from exc
        if value < 0 or not value.is_finite():
            raise CellError("不能为负数")
        return value.quantize(Decimal("0.01"))
    if column.kind == ID_NUMBER:
        if "*" in text:
            raise CellError("证件号码已脱敏（含 *），不能导入；请用能看到完整证件号码的账号导出")
        if _SCIENTIFIC.match(text):
            raise CellError("证件号码被存成了数字（科学计数法，末几位已丢失）；请把该列设为文本后重新输入")
        return text.upper()
    if column.kind == BANK_ACCOUNT:
        if "*" in text:
            raise CellError("银行账号已脱敏（含 *），不能导入")
        return text
    return text
