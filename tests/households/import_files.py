"""Files for the import tests: an export of the register (the round trip), and tables written by hand."""

import csv
import datetime
import io
import zipfile
from xml.sax.saxutils import quoteattr

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


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def xlsx_from_xml(
    sheet_data: str,
    *,
    shared: list[str] = (),
    number_formats: dict[int, str] | None = None,
    cell_formats: list[int] = (0,),
    date1904: bool = False,
    after_rows: str = "",
    before_rows: str = "",
    sheets: list[str] = ("Sheet1",),
    prefix: str = "",
) -> bytes:
    """An XLSX file written by hand, as Excel and other writers shape it and openpyxl does not: shared strings
    (`shared`: each the inner XML of an `<si>`), cell styles (`cell_formats`: the numFmtId of each `<xf>`, custom
    formats in `number_formats`), the 1904 date system, a namespace prefix. Every sheet holds `sheet_data` (the
    inner XML of `<sheetData>`), `after_rows` after it (merged ranges)."""
    p = f"{prefix}:" if prefix else ""
    declare = f'xmlns:{prefix}="{_MAIN}"' if prefix else f'xmlns="{_MAIN}"'
    formats = "".join(f'<numFmt numFmtId="{n}" formatCode={quoteattr(code)}/>' for n, code in (number_formats or {}).items())
    xfs = "".join(f'<xf numFmtId="{n}" applyNumberFormat="1"/>' for n in cell_formats)
    system = '<workbookPr date1904="1"/>' if date1904 else ""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        archive.writestr("_rels/.rels", f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}">{system}<sheets>'
            + "".join(f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(sheets, start=1))
            + "</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_RELS}">'
            + "".join(f'<Relationship Id="rId{n}" Type="{_DOC}/worksheet" Target="worksheets/sheet{n}.xml"/>' for n in range(1, len(sheets) + 1))
            + f'<Relationship Id="rS" Type="{_DOC}/styles" Target="styles.xml"/><Relationship Id="rT" Type="{_DOC}/sharedStrings" Target="sharedStrings.xml"/>'
            + "</Relationships>",
        )
        archive.writestr(
            "xl/styles.xml",
            f'<styleSheet xmlns="{_MAIN}"><numFmts>{formats}</numFmts><cellStyleXfs><xf numFmtId="14"/></cellStyleXfs>'
            f"<cellXfs>{xfs}</cellXfs></styleSheet>",
        )
        archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{_MAIN}">' + "".join(f"<si>{s}</si>" for s in shared) + "</sst>")
        for n in range(1, len(sheets) + 1):
            archive.writestr(
                f"xl/worksheets/sheet{n}.xml",
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<{p}worksheet {declare}>{before_rows}'
                f"<{p}sheetData>{sheet_data}</{p}sheetData>{after_rows}</{p}worksheet>",
            )
    return out.getvalue()
