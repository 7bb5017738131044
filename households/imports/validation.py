"""Validating a whole file before anything is written (校验): every row against the register's rules.

The validation reads the table (households.imports.reading), recognises the layout by its headers (the export
layout or the national filing layout, households.layouts), reads every cell, groups the rows into households,
matches them with the register by household number (户编号: found = update, not found or blank = a new
household, numbered by the register), and checks what the register would hold afterwards with the same
functions every other entry path calls (households.services: validate_member for ID-1 and the member's own
rules, validate_household_fields, validate_composition's HH-1 rules, ID-2 within the file and against the
register). The file is read, grouped and checked in one pass, a chunk of households at a time: each checked
household goes to a `sink` (the import keeps it in ImportRow for the commit) and only its summary stays, so memory
does not grow with the rows. The result is a `Plan` (the report: counts and every error with the sheet, row,
column, value and reason in Chinese; the register's households matched).

Nothing is written here; households.imports.services commits a plan that has no errors.
"""

import datetime
import hashlib
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch

from core import regions as region_rules
from core.roles import Capability
from core.scope import has_capability, restrict_to_scope
from core.validators import field_errors, normalise_bank_account, validate_bank_account
from households import layouts, rules, services
from households.choices import REGISTERED_STATUSES, IdType
from households.imports.reading import FileRefused, Table, column_letter, read_table
from households.models import Household, Member
from villages.models import Region, VillagerGroup

ERROR_COLUMN = "错误"  # households.imports.files adds it to the error file
MAX_ERRORS = 2000  # kept in the report; the count says how many there were
MAX_WARNINGS = 200
MAX_CHANGES = 1000
PROGRESS_EVERY = 500
CHECK_CHUNK = 500  # households checked together: one query for the register's households and members
CACHE_SIZE = 20000  # distinct cells and field values remembered (the codes, villages and dates that repeat)
READ, GROUP, CHECK, PEOPLE = range(4)  # the phases, in the report's order
FORMULA_REASON = "单元格是公式（导入不计算公式）：请复制该列后“选择性粘贴—数值”"

MEMBER_COLUMNS = frozenset(
    column.name for column in layouts.HOUSEHOLD_COLUMNS if not column.source.startswith("household") and column.name not in layouts.READ_ONLY_COLUMNS
)
HOUSEHOLD_DATA_COLUMNS = frozenset(services.HOUSEHOLD_FIELDS)
# The columns of the household repeated on each member's row: they must agree within a household.
HOUSEHOLD_ROW_COLUMNS = tuple(
    column.name for column in layouts.HOUSEHOLD_COLUMNS if column.source.startswith("household") and column.name != "household_number"
)
MEMBER_DEFAULTS = {
    f.name: f.get_default() for f in Member._meta.concrete_fields if f.name in MEMBER_COLUMNS
}
HOUSEHOLD_DEFAULTS = {
    f.name: f.get_default() for f in Household._meta.concrete_fields if f.name in HOUSEHOLD_DATA_COLUMNS
}
HOUSEHOLD_DEFAULTS["villager_group"] = None
# A blank cell where the register has no "not entered" but a default (a yes/no that is never null, a count, a
# coded value like 民族 or 务工状况 that defaults to 汉族 or 无): the default, as on the entry form.
BLANK_DEFAULTS = {
    f.name: f.get_default()
    for model in (Household, Member)
    for f in model._meta.concrete_fields
    if f.name in layouts.COLUMNS_BY_NAME
    and f.has_default()
    and (
        (not f.null and layouts.COLUMNS_BY_NAME[f.name].kind in (layouts.BOOLEAN, layouts.INTEGER))
        or (not f.blank and layouts.COLUMNS_BY_NAME[f.name].kind == layouts.CODE)
    )
}


def noop_progress(done: int, total: int, phase: str) -> None:
    """The default `progress`: a job passes its own, which records done/total/phase."""


@dataclass
class Row:
    number: int  # as the spreadsheet shows it
    values: dict  # column name → stored value, only the columns present in the file
    texts: dict  # column name → the cell as read (for the report)


@dataclass
class MemberPlan:
    row: Row
    data: dict  # the member's fields as they will be (validate_member's output)
    member: Member | None = None  # the register's member (update) or None (create)
    changed: bool = True


@dataclass
class HouseholdPlan:
    key: str
    rows: list[Row]
    village: Region | None = None
    household: Household | None = None  # None: a new household
    data: dict = field(default_factory=dict)
    members: list[MemberPlan] = field(default_factory=list)
    changed: bool = True

    @property
    def action(self) -> str:
        if self.household is None:
            return "create"
        return "update" if self.changed or any(m.changed for m in self.members) else "unchanged"


@dataclass
class Plan:
    """The report of a validation and the register's households the file matched (by number); the households to
    write went to the validation's sink one by one."""

    report: dict
    matched: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.report["error_count"]


class FieldChecks:
    """A model's own field checks (Model.clean_fields: required, lengths, choices, ranges; core's free text and
    days), one field and value at a time and remembered: a register repeats its values (codes, villages, dates)
    row after row, and a field's check depends on its value alone (the foreign keys, which read the database, are
    left out, as the import's full_clean always did). `errors(data)` gives what `Model(**columns of data)
    .full_clean(exclude=…, validate_unique=False, validate_constraints=False)` gives, without building a model
    instance per row; the fields that are not `columns` hold their defaults, as on such an instance."""

    def __init__(self, model, *, columns, exclude):
        self.columns = columns
        self.instance = model()
        fields = [f for f in model._meta.concrete_fields if f.name not in exclude and not f.generated]
        self.names = {f.name for f in model._meta.concrete_fields}
        self.cache: dict = {}
        self.checked = [(f, f.name, getattr(self.instance, f.attname)) for f in fields if f.name in columns]
        # The other fields hold their defaults on every row: checked once.
        self.fixed = {}
        for f in fields:
            if f.name not in columns:
                django, extra = self._check(f, getattr(self.instance, f.attname))
                if django or extra:
                    self.fixed[f.name] = django or extra

    def _check(self, field, value) -> tuple[list[str], list[str]]:
        others = self.names - {field.name}
        setattr(self.instance, field.attname, value)
        django = []
        try:
            models.Model.clean_fields(self.instance, exclude=others)
        except ValidationError as exc:
            django = exc.message_dict.get(field.name, [])
        extra = [] if django else [m for e in field_errors(self.instance, others).get(field.name, []) for m in e.messages]
        return django, extra

    def errors(self, data: dict) -> dict[str, list[str]]:
        django: dict[str, list[str]] = {}
        extra: dict[str, list[str]] = {}
        cache = self.cache
        for model_field, name, default in self.checked:
            value = data.get(name, default)
            key = (name, value.__class__, tuple(value) if value.__class__ is list else value)
            found = cache.get(key)
            if found is None:
                if len(cache) >= CACHE_SIZE:
                    cache.clear()  # names and ID numbers never repeat: the cache must not grow with the file
                found = cache[key] = self._check(model_field, value)
            if found[0]:
                django[name] = found[0]
            elif found[1]:
                extra[name] = found[1]
        return {**django, **extra, **self.fixed} if django or extra or self.fixed else django


class Validation:
    """One pass over a table: errors collected, never raised, so the report holds them all."""

    def __init__(self, *, table: Table | None, user, region: Region, progress: Callable):
        self.table, self.user, self.region, self.progress = table, user, region, progress
        self._errors: dict[int, list[dict]] = {}  # phase → issues
        self._warnings: dict[int, list[dict]] = {}
        self.phase = READ
        self.error_count = 0
        self.rows = 0
        # What is kept of a checked household (its rows and data go to the sink and are let go).
        self.counts = {"households": {"create": 0, "update": 0, "unchanged": 0}, "members": {"create": 0, "update": 0, "unchanged": 0}}
        self.changes: list[dict] = []
        self.matched: list[str] = []  # the register's households the file matched, by number
        self.active: dict[str, tuple[int, str, int | None]] = {}  # person → (row, ID number, register member id)
        self.leaving: set[tuple[int, str]] = set()  # (household id, person) that the file marks as left
        self.twice: list[tuple[int, str, int]] = []  # (row, ID number, the row where the person was first)
        self.villages: dict = {}
        self.villager_groups: dict = {}
        self.layout = ""
        self.columns: list = []  # index → Column or None
        self.headers: dict[str, str] = {}  # column name → header text
        self.index: dict[str, int] = {}  # column name → position in the row
        # Household.clean's own rule (the bank account) is checked by check_household with the same functions.
        self.household_checks = FieldChecks(Household, columns=HOUSEHOLD_DATA_COLUMNS, exclude={"number", "village", "villager_group"})
        self.member_checks = FieldChecks(Member, columns=MEMBER_COLUMNS, exclude={"household"})
        self.today = services.today()

    # Reporting ------------------------------------------------------------------------------------------------

    # The file is read, grouped and checked in one pass, a household at a time; the report lists the issues phase
    # by phase (the cells, the grouping, the households, ID-2), each phase in the file's order, as a pass per
    # phase would.

    def error(self, row: int, column: str | None, value, reason) -> None:
        self.error_count += 1
        kept = self._errors.setdefault(self.phase, [])
        if len(kept) < MAX_ERRORS:
            kept.append(self._issue(row, column, value, reason))

    def warn(self, row: int, column: str | None, value, reason) -> None:
        kept = self._warnings.setdefault(self.phase, [])
        if len(kept) < MAX_WARNINGS:
            kept.append(self._issue(row, column, value, reason))

    @property
    def errors(self) -> list[dict]:
        return [issue for phase in sorted(self._errors) for issue in self._errors[phase]][:MAX_ERRORS]

    @property
    def warnings(self) -> list[dict]:
        return [issue for phase in sorted(self._warnings) for issue in self._warnings[phase]][:MAX_WARNINGS]

    def _issue(self, row, column, value, reason) -> dict:
        index = self.index.get(column) if column else None
        return {
            "sheet": self.table.sheet if self.table else "",
            "row": row,
            "column": column_letter(index) if index is not None else "",
            "header": self.headers.get(column, column or ""),
            "value": "" if value is None else str(value)[:200],
            "reason": str(reason),
        }

    # Header ---------------------------------------------------------------------------------------------------

    def read_header(self) -> bool:
        header = [layouts.half_width(str(cell or "")).strip().lstrip("\ufeff") for cell in self.table.header]
        export_names = {name: name for name in layouts.HEADER}
        national_names = {text: name for name, text in layouts.NATIONAL_HEADERS.items()}
        national_names.update({layouts.half_width(text): name for text, name in list(national_names.items())})
        hits_export = sum(1 for text in header if text in export_names)
        hits_national = sum(1 for text in header if text in national_names)
        self.layout = layouts.NATIONAL if hits_national > hits_export else layouts.EXPORT
        names = national_names if self.layout == layouts.NATIONAL else export_names
        self.index = {}
        ok = True
        for position, text in enumerate(header):
            if not text or text.startswith(ERROR_COLUMN):  # the error file's own column, when it comes back corrected
                self.columns.append(None)
                continue
            name = names.get(text)
            if name is None:
                self.index[f"#{position}"] = position
                self.headers[f"#{position}"] = text
                self.error(1, f"#{position}", text, "不认识的列名（请使用导入模板的列名，见“下载模板”）")
                ok = False
                self.columns.append(None)
                continue
            if name in self.index:
                self.error(1, name, text, f"列名重复（另见 {column_letter(self.index[name])} 列）")
                ok = False
                self.columns.append(None)
                continue
            self.index[name] = position
            self.headers[name] = text
            self.columns.append(layouts.COLUMNS_BY_NAME[name])
        wanted = layouts.NATIONAL_HEADERS if self.layout == layouts.NATIONAL else {n: n for n in layouts.HEADER}
        missing = [wanted[name] for name in layouts.REQUIRED_COLUMNS if name not in self.index]
        if missing:
            self.error(1, None, "", "缺少必填列：" + "、".join(missing))
            ok = False
        return ok

    # Cells ----------------------------------------------------------------------------------------------------

    def cell_text(self, column, raw) -> str:
        """The text of a raw cell for the column, or a layouts.CellError (a formula is refused before)."""
        if raw is None:
            return ""
        if isinstance(raw, bool):
            return "true" if raw else "false"
        if isinstance(raw, int | float):
            if column.kind == layouts.ID_NUMBER:
                raise layouts.CellError("证件号码被存成了数字（前导零或末几位已丢失）；请把该列设为文本后重新输入")
            if column.kind == layouts.BANK_ACCOUNT or column.name == "phone":
                raise layouts.CellError("号码被存成了数字（可能已丢失数字）；请把该列设为文本后重新输入")
            if isinstance(raw, float) and raw.is_integer():
                raw = int(raw)
            if column.kind == layouts.DATE or column.kind == layouts.BIRTH_DATE:
                raise layouts.CellError("日期是一个数字，无法识别；请写成 1962-03-05 或设为日期格式")
            return str(raw)
        if isinstance(raw, datetime.datetime):
            return raw.date().isoformat()
        if isinstance(raw, datetime.date):
            return raw.isoformat()
        if not isinstance(raw, str):
            raise layouts.CellError("无法识别的单元格内容")
        text = layouts.csv_unescape_formula(raw)
        if text == raw and raw.startswith("="):
            raise layouts.CellError("以“=”开头的内容会被表格软件当作公式，已拒绝；如确为文字，请在前面加英文单引号")
        return text

    def read_cell(self, column, raw) -> tuple:
        """(text, value, reason refused or None, whether full-width characters were read as half-width)."""
        try:
            text = self.cell_text(column, raw)
            value = layouts.parse_cell(column, text)
        except layouts.CellError as exc:
            return None, None, exc.reason, False
        blank = value is None or (value == "" and column.kind == layouts.CODE)
        value = BLANK_DEFAULTS[column.name] if blank and column.name in BLANK_DEFAULTS else value
        return text, value, None, column.kind != layouts.TEXT and text != layouts.half_width(text)

    def read_rows(self) -> Iterator[Row]:
        """The table's rows read cell by cell, one at a time (a row with an unreadable cell has no values)."""
        seen: dict[bytes, int] = {}
        total = self.table.size
        merged_rows = set()
        for first_row, first_col, last_row, last_col in self.table.merged:
            ref = f"{column_letter(first_col)}{first_row}:{column_letter(last_col)}{last_row}"
            self.error(first_row, None, ref, f"合并单元格 {ref}：请取消合并，并在每一行填写完整")
            merged_rows.update(range(first_row, last_row + 1))
        blanks = {}
        for column in self.columns:
            if column is not None:
                value = layouts.parse_cell(column, "")
                blank = value is None or (value == "" and column.kind == layouts.CODE)
                blanks[column.name] = BLANK_DEFAULTS[column.name] if blank and column.name in BLANK_DEFAULTS else value
        formulas = self.table.formulas
        # A register repeats its cells (codes, villages, dates): each distinct (column, cell) is read once.
        cells: dict = {}
        columns = [(position, column) for position, column in enumerate(self.columns) if column is not None]
        names = [column.name for _position, column in columns]
        blank_texts = [""] * len(names)
        for done, (number, raw_cells) in enumerate(self.table.rows, start=1):
            self.rows = done
            if done % PROGRESS_EVERY == 0:
                self.progress(done, total, "read")
            self.phase = READ
            values, texts, ok = {}, {}, True
            width = len(raw_cells)
            for position, column in columns:
                raw = raw_cells[position] if position < width else None
                if formulas and (number, position) in formulas:
                    self.error(number, column.name, raw, FORMULA_REASON)
                    ok = False
                    continue
                if raw is None or raw == "":
                    # Most cells of a register are empty: their value is the column's blank, parsed once (and their
                    # text is not kept: a row holds only its non-empty texts).
                    values[column.name] = blanks[column.name]
                    continue
                key = (position, type(raw), raw)
                read = cells.get(key)
                if read is None:
                    if len(cells) >= CACHE_SIZE:
                        cells.clear()
                    read = cells[key] = self.read_cell(column, raw)
                text, value, reason, full_width = read
                if reason is not None:
                    self.error(number, column.name, raw, reason)
                    ok = False
                    continue
                texts[column.name] = text
                if full_width:
                    self.warn(number, column.name, text, "全角字符已按半角读取")
                values[column.name] = list(value) if type(value) is list else value  # each row its own list
            if number in merged_rows:
                ok = False
            # The row's texts as a digest (a duplicate row is the same texts): 16 bytes a row, not the texts.
            key = hashlib.blake2b("\x1f".join(map(texts.get, names, blank_texts)).encode(), digest_size=16).digest()
            if key in seen:
                self.error(number, None, "", f"与第 {seen[key]} 行完全相同（重复行）")
                continue
            seen[key] = number
            yield Row(number, values, texts) if ok else Row(number, {}, texts)  # kept for grouping, not checked further
        self.progress(self.rows, self.rows, "read")

    # Households -----------------------------------------------------------------------------------------------

    def group(self, rows: Iterable[Row]) -> Iterator[HouseholdPlan]:
        """Rows into households, each given when its last row has been read: a household number groups its rows
        (which must be adjacent); rows without a number form a new household from each head's row (户主) on."""
        by_key: dict[str, int] = {}  # key → the household's first row
        current: HouseholdPlan | None = None
        last_key = None
        blank_count = 0
        for row in rows:
            number = row.texts.get("household_number", "").strip()
            if number:
                key = number
            else:
                if last_key is None or not last_key.startswith("(新户") or row.values.get("relation") == rules.HEAD:
                    blank_count += 1
                key = f"(新户{blank_count})"
            if key in by_key and key != last_key:
                self.phase = GROUP
                self.error(row.number, "household_number", number, f"同一户的成员行不相邻（该户另见第 {by_key[key]} 行）：请把同一户的各行排在一起")
                last_key = key
                continue
            if key not in by_key:
                by_key[key] = row.number
                if current is not None:
                    yield current
                current = HouseholdPlan(key=key, rows=[])
            current.rows.append(row)
            last_key = key
        if current is not None:
            yield current

    def check(self, households: Iterable[HouseholdPlan], *, sink: Callable | None = None) -> None:
        """Check the households a chunk at a time; each checked household goes to `sink` (the plan kept for the
        commit), then only its summary is kept."""
        chunk: list[HouseholdPlan] = []
        done = 0
        for household in households:
            chunk.append(household)
            if len(chunk) == CHECK_CHUNK:
                done += self.check_chunk(chunk, sink=sink)
                self.progress(done, max(done, self.table.size // 2), "validate")
                chunk = []
        done += self.check_chunk(chunk, sink=sink)
        self.progress(done, done, "validate")
        self.phase = PEOPLE
        self.check_unique_people()

    def check_chunk(self, groups: list[HouseholdPlan], *, sink: Callable | None) -> int:
        self.phase = CHECK
        prefix = region_rules.significant_prefix(self.region.code)
        village_codes = {r.values.get("village") for g in groups for r in g.rows if r.values.get("village")} - set(self.villages)
        if village_codes:
            found_villages = {v.code: v for v in Region.objects.filter(code__in=village_codes)}
            self.villages.update({code: found_villages.get(code) for code in village_codes})
            for group in VillagerGroup.objects.filter(village_id__in=list(found_villages)):
                self.villager_groups[(group.village_id, group.name)] = group
                self.villager_groups[group.pk] = group
        numbers = [g.key for g in groups if not g.key.startswith("(新户")]
        found = {
            h.number: h
            for h in Household.objects.filter(number__in=numbers).prefetch_related(
                Prefetch("members", queryset=Member.objects.order_by("id"))  # matched by person number
            )
        }
        editable = set(
            restrict_to_scope(Household.objects.filter(number__in=list(found)), self.user, Capability.EDIT_REGISTER)
            .values_list("number", flat=True)
        )
        villages = {code: village for code, village in self.villages.items() if village is not None}
        for plan in groups:
            if any(not row.values for row in plan.rows):
                continue  # a row with unreadable cells: reported already
            self.check_household(plan, prefix=prefix, villages=villages, villager_groups=self.villager_groups, found=found, editable=editable)
            self.keep(plan, sink=sink)
        return len(groups)

    def keep(self, plan: HouseholdPlan, *, sink: Callable | None) -> None:
        """What the report and ID-2 need of a checked household; the household itself goes to the sink."""
        if plan.village is None:
            return
        if plan.household is not None:
            self.matched.append(plan.household.number)
        action = plan.action
        self.counts["households"][action] += 1
        members = self.counts["members"]
        for member in plan.members:
            members["create" if member.member is None else "update" if member.changed else "unchanged"] += 1
            person = member.data["person_number"]
            if member.data.get("left_on"):
                if plan.household is not None:
                    self.leaving.add((plan.household.pk, person))
                continue
            if person in self.active:
                # ID-2 within the file: reported with the register's check, after every row has been read.
                self.twice.append((member.row.number, member.data["id_number"], self.active[person][0]))
                continue
            self.active[person] = (member.row.number, member.data["id_number"], member.member.pk if member.member else None)
        if action != "unchanged" and len(self.changes) < MAX_CHANGES:
            head = next((m.data["name"] for m in plan.members if m.data["relation"] == rules.HEAD), "")
            self.changes.append({
                "action": action, "household": plan.household.number if plan.household else "",
                "village": plan.village.name, "head": head, "row": plan.rows[0].number,
                "members": sum(1 for m in plan.members if m.changed),
            })  # fmt: skip
        if sink is not None and not self.error_count:
            sink(plan)

    def check_household(self, plan, *, prefix, villages, villager_groups, found, editable) -> None:
        first = plan.rows[0]
        for row in plan.rows[1:]:
            for name in HOUSEHOLD_ROW_COLUMNS:
                if name in row.values and row.values[name] != first.values.get(name):
                    self.error(row.number, name, row.texts.get(name), f"同一户各行的户信息须一致（与第 {first.number} 行不同）")
        village_code = first.values.get("village") or ""
        village = villages.get(village_code)
        if village is None or village.level != region_rules.RegionLevel.VILLAGE:
            self.error(first.number, "village", village_code, "不是已登记的行政村区划代码")
            return
        if not village.code.startswith(prefix):
            self.error(first.number, "village", village_code, f"该村不在本次导入的区划（{self.region.name}）内")
            return
        if not has_capability(self.user, Capability.EDIT_REGISTER, village.code):
            self.error(first.number, "village", village_code, "您无权修改该村的户信息")
            return
        plan.village = village
        if not plan.key.startswith("(新户"):
            household = found.get(plan.key)
            if household is not None:
                if household.number not in editable:
                    self.error(first.number, "household_number", plan.key, "您无权修改该户")
                    return
                if household.village_id != village.code:
                    self.error(first.number, "village", village_code, f"户 {household.number} 属于另一个村，户不能改换行政村")
                    return
                plan.household = household
            else:
                self.warn(first.number, "household_number", plan.key, "登记中没有这个户编号：将作为新户导入，由系统重新编号")
        # The household's facts: the file's columns over the register's (or the defaults of a new household).
        if plan.household:
            current = {name: getattr(plan.household, name) for name in HOUSEHOLD_DATA_COLUMNS - {"villager_group"}}
            current["villager_group"] = villager_groups.get(plan.household.villager_group_id)
        else:
            current = dict(HOUSEHOLD_DEFAULTS)
        data = dict(current)
        for name in HOUSEHOLD_DATA_COLUMNS:
            if name in first.values and name != "villager_group":
                data[name] = first.values[name]
        if "villager_group" in first.values:
            group_name = first.values["villager_group"].strip()
            data["villager_group"] = villager_groups.get((village.code, group_name)) if group_name else None
            if group_name and data["villager_group"] is None:
                self.error(first.number, "villager_group", group_name, f"{village.name}没有这个村民小组")
        if data.get("bank_account"):
            try:
                validate_bank_account(data["bank_account"])
                data["bank_account"] = normalise_bank_account(data["bank_account"])
            except ValidationError as exc:
                self.error(first.number, "bank_account", data["bank_account"], exc.messages[0])
        try:
            services.validate_household_fields(village=village, data=data)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.error(first.number, name, first.texts.get(name), message)
        self.clean_model(self.household_checks, data, first)
        status = plan.household.status if plan.household else first.values.get("status") or ""
        if status in REGISTERED_STATUSES:
            for name in ("attribute", "main_cause"):
                if not data.get(name):
                    self.error(first.number, name, "", "已建档立卡的户（登记状态为未脱贫、已脱贫或自然销户）须填写此项")
        plan.data = data
        plan.changed = plan.household is None or any(data[name] != current[name] for name in HOUSEHOLD_DATA_COLUMNS)
        self.check_members(plan)

    def clean_model(self, checks: "FieldChecks", data: dict, row: Row) -> bool:
        """The model's own field checks (required, lengths, choices, ranges, free text, days), as the services'
        full_clean will run them at commit; each error on its column. Returns whether the row passed."""
        errors = checks.errors(data)
        for name, messages in errors.items():
            for message in messages:
                self.error(row.number, name if name in checks.columns else None, row.texts.get(name), message)
        return not errors

    def check_members(self, plan: HouseholdPlan) -> None:
        existing = {m.person_number: m for m in plan.household.members.all()} if plan.household else {}
        matched: set[int] = set()
        ok = True
        for row in plan.rows:
            given = {name: value for name, value in row.values.items() if name in MEMBER_COLUMNS}
            id_type = given.get("id_type") or IdType.RESIDENT_ID
            person = rules.person_number(id_type=id_type, id_number=(given.get("id_number") or "").strip().upper())
            member = existing.get(person)
            if member is not None and member.pk in matched:
                member = None  # the same person twice in a household: the ID-2 check reports it
            base = {name: getattr(member, name) for name in MEMBER_COLUMNS} if member else dict(MEMBER_DEFAULTS)
            data = {**base, **given}
            try:
                data = services.validate_member(data=data, today=self.today)
            except ValidationError as exc:
                ok = False
                for name, messages in exc.message_dict.items():
                    for message in messages:
                        self.error(row.number, name, row.texts.get(name), message)
                continue
            if not self.clean_model(self.member_checks, data, row):
                ok = False
                continue
            if member is not None:
                matched.add(member.pk)
                changed = any(data[name] != getattr(member, name) for name in MEMBER_COLUMNS)
            else:
                changed = True
                if plan.household is not None and data.get("left_on"):
                    ok = False
                    self.error(row.number, "left_on", row.texts.get("left_on"), "新增成员不能同时减少（该人不在此户的登记中）")
            plan.members.append(MemberPlan(row=row, data=data, member=member, changed=changed))
        if not ok:
            return
        facts = [
            rules.MemberFacts(key=str(m.row.number), relation=m.data["relation"], sex=m.data["sex"], active=not m.data.get("left_on"))
            for m in plan.members
        ]
        # Members of the register not in the file stay as they are, and count in the household's composition.
        facts += [
            rules.MemberFacts(key=f"register {m.pk}", relation=m.relation, sex=m.sex, active=m.left_on is None)
            for m in existing.values()
            if m.pk not in matched
        ]
        for violation in rules.composition_violations(facts):
            self.error(plan.rows[0].number, "relation", "", violation.message)

    def check_unique_people(self) -> None:
        """ID-2: each person active in one household at most, in the file and in the register after the import."""
        for row, id_number, first in self.twice:
            self.error(row, "id_number", id_number, f"同一证件号码在文件中出现两次（另见第 {first} 行）")
        people = list(self.active)
        taken = []
        for start in range(0, len(people), 5000):
            taken += Member.objects.active().filter(person_number__in=people[start : start + 5000]).select_related("household__village")
        taken.sort(key=lambda other: self.active[other.person_number][0])
        for other in taken:
            row, id_number, member_id = self.active[other.person_number]
            if member_id is not None and member_id == other.pk:
                continue
            if (other.household_id, other.person_number) in self.leaving:
                continue
            self.error(row, "id_number", id_number, services.duplicate_message(user=self.user, other=other))

    # The whole ------------------------------------------------------------------------------------------------

    def report(self) -> dict:
        return {
            "layout": self.layout,
            "file_format": self.table.file_format if self.table else "",
            "sheet": self.table.sheet if self.table else "",
            "rows": self.rows,
            "households": self.counts["households"],
            "members": self.counts["members"],
            "changes": self.changes,
            "errors": self.errors,
            "error_count": self.error_count,
            "warnings": self.warnings,
        }


def validate_table(table: Table, *, user, region: Region, progress: Callable = noop_progress, sink: Callable | None = None) -> Plan:
    """Validate a table read from a file, streaming: the report, and each household of the plan (what to write)
    given to `sink` while no error has been found; nothing is written to the register."""
    validation = Validation(table=table, user=user, region=region, progress=progress)
    if not validation.read_header():
        validation.rows = sum(1 for _row in table.rows)
        return Plan(report=validation.report())
    rows = iter(table.rows)
    first = next(rows, None)
    if first is None:
        validation.error(2, None, "", "表中只有列名，没有数据行")
        return Plan(report=validation.report())
    table.rows = itertools.chain([first], rows)
    validation.check(validation.group(validation.read_rows()), sink=sink)
    return Plan(report=validation.report(), matched=validation.matched)


def validate_file(
    data: bytes, *, filename: str = "", user, region: Region, progress: Callable = noop_progress, sink: Callable | None = None
) -> Plan:
    """Read and validate a file; a file that cannot be read at all gives a report with that one error."""
    progress(0, 1, "read")
    try:
        table = read_table(data, filename=filename)
    except FileRefused as exc:
        validation = Validation(table=None, user=user, region=region, progress=progress)
        validation.error(0, None, filename, exc.reason)
        return Plan(report=validation.report())
    try:
        return validate_table(table, user=user, region=region, progress=progress, sink=sink)
    except FileRefused as exc:  # a CSV line that cannot be read, found when it is reached
        validation = Validation(table=None, user=user, region=region, progress=progress)
        validation.error(0, None, filename, exc.reason)
        return Plan(report=validation.report())
