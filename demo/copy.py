"""Rows into a table by PostgreSQL COPY: how the demo generators (and the bench) write their hundreds of thousands of rows.

The history triggers still record every row; the caller opens the transaction and the history context.
"""

import io
import itertools
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

from django.db import connection
from django.utils import timezone

COPY_CHUNK = 20000


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """One value in PostgreSQL COPY text format."""
    kind = type(value)
    if kind is str:
        return value.translate(_COPY_ESCAPES)
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if kind is int:
        return str(value)
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        # A JSON field's value (step data, a stored evaluation).
        return json.dumps(value, ensure_ascii=False).translate(_COPY_ESCAPES)
    if isinstance(value, list | tuple):
        items = ",".join('"' + str(item).replace("\\", "\\\\").replace('"', '\\"') + '"' for item in value)
        return ("{" + items + "}").translate(_COPY_ESCAPES)
    return str(value)


def copy_into(cursor, *, model, rows) -> int:
    """COPY rows (attribute name → value) into the model's table; fields a row does not name take their defaults.

    The rows are made in a worker thread, one chunk ahead of the COPY: they must be plain Python (plan facts, ids
    already read), never database reads, which would run on another connection, outside this transaction.
    """
    now = timezone.now()
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    defaults = {}
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            # created_at, updated_at, recorded_at …
            defaults[field.attname] = _copy_text(now)
        else:
            # The model's own default: "" for text fields, None for nullable ones.
            defaults[field.attname] = _copy_text(field.get_default())
    names = [field.attname for field in fields]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"

    def texts():
        for chunk in _chunks(rows):
            lines = [
                "\t".join([_copy_text(row[name]) if name in row else defaults[name] for name in names]) for row in chunk
            ]
            lines.append("")
            yield len(chunk), "\n".join(lines)

    # The next chunk is made (in pure Python: the rows never touch the database) while the database takes this one.
    count = 0
    chunks = texts()
    with ThreadPoolExecutor(max_workers=1) as pool:
        upcoming = pool.submit(next, chunks, None)
        while (chunk := upcoming.result()) is not None:
            upcoming = pool.submit(next, chunks, None)
            size, text = chunk
            cursor.copy_expert(sql, io.StringIO(text), size=len(text) + 1)
            count += size
    return count


def _chunks(rows):
    """Lists of at most COPY_CHUNK rows (itertools.batched arrives with Python 3.12)."""
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, COPY_CHUNK)):
        yield chunk
