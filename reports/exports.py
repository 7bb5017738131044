"""Household exports (户信息导出): the register of a region, one row per member, in the import layout.

The layout
----------
`HOUSEHOLD_COLUMNS` is the one definition of the layout: the CSV and XLSX exports write it and the
import reads it back. Each row is one member (家庭成员) with the household's columns repeated on it;
the members of a household are contiguous, households come in number order, and within a household
the active head comes first, then the others by the order they were registered in. Former members
(`left_on` set) are included, so an export is the whole register of the region.

The header row is the column names (snake_case, the API's field names). Every cell is text:

- coded values are the English slugs the API gives (`relation` is the two-digit national code); with
  `codes=national` the coded columns of `households.choices.NATIONAL_FIELDS` hold the national filing
  system's numeric codes instead (`school_status` 01–16, `main_cause` 01–12, …);
- dates are ISO (`YYYY-MM-DD`), booleans `true` / `false`, integers in decimal, empty when unset;
- `other_causes` is the slugs joined with `;` (`lack_funds;lack_skills`);
- `villager_group` is the group's name (unique within its village), not a database id;
- `status` and `returned` are the registry status as of the export's day (`as_of`), read from the
  status changes like `lifecycle.selectors.statuses_as_of` (empty: no county decision by then);
  they are facts of the lifecycle, which an import reads but does not write;
- for roles that may not see personal data in the household's village (core.personal), `id_number`
  is masked with every birth-date digit hidden (`220821********123X`), `bank_account` keeps its first
  6 and last 4, and `birth_date` holds the year only (`1962`): a full date beside the masked number
  would give it back. Such a row cannot be imported again;
- every text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`
  (`neutralise_formula`, OWASP's advice), in CSV and XLSX alike, so that a spreadsheet never runs
  it as a formula; `csv_unescape_formula` undoes it, and the import must call it on every column.
  XLSX cells are typed as strings besides (control characters that a worksheet cannot hold are dropped).

Columns, in order (household, then member):

    household_number village villager_group address phone identification_standard attribute
    main_cause other_causes stars relocated relocation_mode relocation_placement relocation_site
    bank_name bank_account status returned
    name sex birth_date relation id_type id_number ethnicity education school_status dropout
    dropout_reason health disability_category disability_grade labour migrant_work migrant_months
    medical_insurance serious_illness_insurance pension_insurance receives_dibao receives_tekun
    joined_on join_reason left_on left_reason
    cultivated_land irrigated_land forest_land returned_farmland road_type main_fuel road_distance
    production_electricity military_family only_child_family two_daughters_family
    employee_medical_insurance employee_pension_insurance commercial_insurance serious_illness_assistance
    active_service workplace welfare_post welfare_post_months

A flag not entered (null) is an empty cell, never `false`. The columns after `left_reason` were added later
(issue 14) and come at the end so that a file laid out for the older columns still reads by position.

Database ids are not exported: the household number (户编号) is the household's stable key and the
ID number the person's. The identification date is not a field of the household (it is the date of
the first status change to `poor`, in the lifecycle) and is not in the layout.

Reading is one query over members joined to their household (and villager group), with the status
as of the day computed in that same SQL, iterated through a server-side cursor: memory stays flat
whatever the size of the region.
"""

import csv
import datetime
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator

from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

from core import regions as region_rules
from core.masking import masked_value
from core.personal import EXPORT_MODEL, log_personal_read
from core.roles import Capability
from core.scope import restrict_to_scope
from households.choices import CODES_SLUGS, NATIONAL_FIELDS, Relation, national_value
from households.layouts import (  # the layout lives with the register, which the import (below reports) reads
    BANK_ACCOUNT,  # noqa: F401 - re-exported
    BIRTH_DATE,  # noqa: F401 - re-exported
    BOOLEAN,  # noqa: F401 - re-exported
    CODE,  # noqa: F401 - re-exported
    DATE,  # noqa: F401 - re-exported
    DECIMAL,  # noqa: F401 - re-exported
    EXPORT,
    FORMULA_TRIGGERS,  # noqa: F401 - re-exported
    HEADER,
    HEADERS,  # noqa: F401 - re-exported
    HOUSEHOLD_COLUMNS,
    ID_NUMBER,  # noqa: F401 - re-exported
    INTEGER,  # noqa: F401 - re-exported
    LIST,  # noqa: F401 - re-exported
    LIST_SEPARATOR,  # noqa: F401 - re-exported
    MASKED_KINDS,
    NATIONAL,
    NATIONAL_COLUMNS,
    PERSONAL_KINDS,
    TEXT,  # noqa: F401 - re-exported
    Column,  # noqa: F401 - re-exported
    csv_unescape_formula,  # noqa: F401 - re-exported
    format_national,
    format_value,
    neutralise_formula,
)
from households.models import Member
from lifecycle.models import StatusChange
from villages.models import Region

VILLAGE_INDEX = HEADER.index("village")
NATIONAL_POSITIONS = tuple(HEADER.index(column.name) for column in NATIONAL_COLUMNS)
PERSONAL_FIELDS = tuple(sorted(column.name for column in HOUSEHOLD_COLUMNS if column.kind in PERSONAL_KINDS))

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"  # so that Excel reads the file as UTF-8 (Chinese names)
CHUNK_SIZE = 2000
CSV_BATCH = 500  # rows per chunk of the streamed CSV


# Reading --------------------------------------------------------------------------------------------------------


def _status_as_of(day: datetime.date, field: str) -> Subquery:
    """A field of the member's household's latest status change effective by the day (ties by recording order).

    The SQL form of lifecycle.selectors.statuses_as_of, served by the index status_change_as_of.
    """
    latest = (
        StatusChange.objects.filter(household=OuterRef("household_id"), effective_on__lte=day)
        .order_by("-effective_on", "-id")
        .values(field)[:1]
    )
    return Subquery(latest)


def region_exportable(*, user, region_code: str) -> bool:
    """Whether the region exists and lies in the caller's READ_REGISTER scope (one query); otherwise it is a 404."""
    return restrict_to_scope(Region.objects.filter(pk=region_code), user, Capability.READ_REGISTER).exists()


def household_export_rows(*, user, region_code: str, day: datetime.date):
    """The raw rows of the export of a region's subtree: one tuple per member, in `HOUSEHOLD_COLUMNS` order.

    A lazy values_list queryset (one query: members, their household, its villager group and two
    subqueries for the status as of the day), scoped to the caller's READ_REGISTER regions; iterate
    it with `.iterator(chunk_size=CHUNK_SIZE)` to read through a server-side cursor.
    """
    active_head_first = Case(
        When(relation=Relation.HEAD, left_on__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        _exported_members(user=user, region_code=region_code)
        .annotate(household_status=_status_as_of(day, "status"), household_returned=_status_as_of(day, "returned"))
        .order_by("household__number", active_head_first, "id")
        .values_list(*(column.source for column in HOUSEHOLD_COLUMNS))
    )


def _exported_members(*, user, region_code: str):
    prefix = region_rules.significant_prefix(region_code)
    return restrict_to_scope(Member.objects.all(), user, Capability.READ_REGISTER).filter(
        household__village__code__startswith=prefix
    )


def household_export_count(*, user, region_code: str) -> int:
    """How many rows the export of the region holds for the caller (one COUNT): the total of an export job."""
    return _exported_members(user=user, region_code=region_code).count()


# Formatting (pure) ----------------------------------------------------------------------------------------------


def format_row(
    values: Iterable, *, full_personal_data: bool, codes: str = CODES_SLUGS, layout: str = EXPORT
) -> list[str]:
    """One raw row (in `HOUSEHOLD_COLUMNS` order) as the cells of the layout, personal data masked unless allowed
    (core.masking.masked_value: ID numbers without birth-date digits, accounts' ends, the birth year); with
    `codes="national"` the coded columns hold the national codes (households.choices.NATIONAL_FIELDS).

    With `layout="national"` the cells are those of the national filing layout (households.layouts): in its column
    order, coded values as Chinese labels, yes/no as 是/否 (`codes` is not used)."""
    cells = []
    for column, value in zip(HOUSEHOLD_COLUMNS, values, strict=True):
        if layout == NATIONAL:
            text = format_national(column, value)
        else:
            if codes != CODES_SLUGS and column.name in NATIONAL_FIELDS:
                value = national_value(column.name, value)
            text = format_value(column.kind, value)
        if column.kind in MASKED_KINDS and not full_personal_data:
            text = masked_value(column.kind, text)
        cells.append(text)
    if layout == NATIONAL:
        return [cells[position] for position in NATIONAL_POSITIONS]
    return cells


def export_rows(
    raw_rows: Iterable, *, may_see: Callable[[str], bool], codes: str = CODES_SLUGS, layout: str = EXPORT
) -> Iterator[list[str]]:
    """Format raw rows one by one; `may_see(village_code)` says whether personal data is shown in full there;
    `codes` as in `format_row`."""
    seen: dict[str, bool] = {}
    for values in raw_rows:
        village = values[VILLAGE_INDEX]
        if village not in seen:
            seen[village] = may_see(village)
        yield format_row(values, full_personal_data=seen[village], codes=codes, layout=layout)


def csv_chunks(rows: Iterable[list[str]], *, batch: int = CSV_BATCH, header=HEADER) -> Iterator[bytes]:
    """The CSV file, in chunks of `batch` rows: a UTF-8 BOM and the header first, then the rows (RFC 4180, CRLF)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow(header)
    pending = 0
    for row in rows:
        writer.writerow([neutralise_formula(cell) for cell in row])
        pending += 1
        if pending >= batch:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue().encode("utf-8")


def xlsx_value(sheet, text: str):
    """A cell's text as a write-only sheet takes it: None when empty, and always a string, never a formula.

    Formula-like text is neutralised as in CSV (`neutralise_formula`); openpyxl reads "#N/A" as an error value
    and refuses control characters, so such text becomes an explicit string cell, control characters dropped.
    """
    if text == "":
        return None
    text = neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("", text))
    if text in ERROR_CODES:
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        return cell
    return text


def write_xlsx(rows: Iterable[list[str]], out, *, header=HEADER) -> None:
    """Write the XLSX file (header row, then the rows, every cell a string) to a binary file object.

    openpyxl's write-only workbook spools each row to a temporary file as it comes, so memory stays flat.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="households")
    sheet.append(list(header))
    for row in rows:
        sheet.append([xlsx_value(sheet, text) for text in row])
    workbook.save(out)


def xlsx_file(rows: Iterable[list[str]], *, header=HEADER):
    """The XLSX file in an anonymous temporary file (on disk, removed when closed), positioned at its start."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed open to the response, which closes it
    try:
        write_xlsx(rows, out, header=header)
        out.seek(0)
    except BaseException:
        out.close()
        raise
    return out


def export_filename(*, region_code: str, day: datetime.date, extension: str) -> str:
    return f"households-{region_code}-{day.isoformat()}.{extension}"


# The personal-data log ------------------------------------------------------------------------------------------


def reveals_in_region(see_prefixes, region_prefix: str) -> bool:
    """Whether a caller who sees personal data under `see_prefixes` (None: everywhere) sees some of it in the region.

    True when a prefix covers the region, or lies inside it (a grant on one of its villages).
    """
    if see_prefixes is None:
        return True
    return any(region_prefix.startswith(p) or p.startswith(region_prefix) for p in see_prefixes)


EXPORT_LOG_MODEL = EXPORT_MODEL


def log_household_export(request, *, region_code: str, see_prefixes) -> bool:
    """Log an export that shows full ID numbers or bank accounts: one PersonalDataAccess row per request.

    PersonalDataAccess names records by id, and listing every member and household of a county would
    mean reading all their ids first. The export is logged against the region instead: model
    `villages.region`, `object_ids` = [the region code as a number], `fields` = the personal columns,
    `path` = the export's path. Who exported a person is then found through the region codes that
    contain the person's village. Written before the first byte is sent (also when the region turns
    out to hold nobody); nothing is written when every row is masked. Returns whether it logged.
    """
    if not reveals_in_region(see_prefixes, region_rules.significant_prefix(region_code)):
        return False
    log_personal_read(
        request, model_label=EXPORT_LOG_MODEL, object_ids=[int(region_code)], fields=PERSONAL_FIELDS,
        region=region_code, export=True,
    )  # fmt: skip
    return True
