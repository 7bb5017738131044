"""Files for the import tests: an export of the register (the round trip), and tables written by hand."""

import csv
import datetime
import io

from openpyxl import Workbook

from households import layouts
from reports import exports


def export_rows(*, user, region_code: str) -> list[list[str]]:
    """The register of a region as the export writes it (cells as text), header first."""
    raw = exports.household_export_rows(user=user, region_code=region_code, day=datetime.date.today())
    return [list(exports.HEADER), *exports.export_rows(raw, may_see=lambda village: True)]


def xlsx_bytes(rows: list[list], *, sheet: str = "households", merge: str | None = None) -> bytes:
    """An XLSX file holding the rows (values as given: strings, numbers, dates, formulas)."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append([None if cell == "" else cell for cell in row])
    if merge:
        worksheet.merge_cells(merge)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], *, encoding: str = "utf-8-sig") -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode(encoding)


def exported_xlsx(*, user, region_code: str, layout: str = layouts.EXPORT) -> bytes:
    out = io.BytesIO()
    raw = exports.household_export_rows(user=user, region_code=region_code, day=datetime.date.today())
    rows = exports.export_rows(raw, may_see=lambda village: True, layout=layout)
    exports.write_xlsx(rows, out, header=layouts.HEADERS[layout])
    return out.getvalue()


def exported_csv(*, user, region_code: str, layout: str = layouts.EXPORT) -> bytes:
    raw = exports.household_export_rows(user=user, region_code=region_code, day=datetime.date.today())
    rows = exports.export_rows(raw, may_see=lambda village: True, layout=layout)
    return b"".join(exports.csv_chunks(rows, header=layouts.HEADERS[layout]))


def national_rows(rows: list[dict]) -> list[list[str]]:
    """Rows given as {column name: text} in the national layout (Chinese headers), header first."""
    names = list(layouts.NATIONAL_HEADERS)
    return [list(layouts.NATIONAL_HEADERS.values()), *[[row.get(name, "") for name in names] for row in rows]]
