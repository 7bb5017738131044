"""Small tables as CSV or XLSX downloads (the summary export): whole in memory, they are a few hundred rows at most.

Every text cell, the header included, goes through `reports.exports.neutralise_formula` (a region's name is
typed by people and must not run as a formula); numbers stay numbers.
"""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook

from reports.exports import BOM, CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, neutralise_formula


def _cell(value):
    return "" if value is None else neutralise_formula(value)


def table_response(*, columns: list[str], rows: list[list], file_format: str, filename: str) -> HttpResponse:
    """An attachment holding the table: CSV (UTF-8 with a BOM, so that Excel reads the Chinese names) or XLSX."""
    if file_format == "csv":
        text = io.StringIO()
        text.write(BOM)
        writer = csv.writer(text)
        writer.writerow([_cell(name) for name in columns])
        writer.writerows([[_cell(value) for value in row] for row in rows])
        response = HttpResponse(text.getvalue().encode("utf-8"), content_type=CSV_CONTENT_TYPE)
    else:
        return workbook_response(sheets=[("summary", columns, rows)], filename=filename)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response


def workbook_response(*, sheets: list[tuple[str, list[str], list[list]]], filename: str) -> HttpResponse:
    """An XLSX attachment with one sheet per (title, columns, rows)."""
    book = Workbook(write_only=True)
    for title, columns, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append([_cell(name) for name in columns])
        for row in rows:
            sheet.append([_cell(value) for value in row])
    data = io.BytesIO()
    book.save(data)
    response = HttpResponse(data.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
