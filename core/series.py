"""Figures of many days in one statement (时间序列): a read written for one day runs once for a list of days.

A read of figures "as of a day" is a statement with the day (and the start of its year) as parameters. For a series
the same statement runs inside `CROSS JOIN LATERAL` over `unnest(days)`, the day's parameters replaced by the
series' column, so a series of 2 or 400 days costs the same number of queries, and each day's figures come from the
very statement the single summary runs (no rule is written twice).

Two shapes of statement:
- our own SQL text with named placeholders (`%(day)s`, `%(since)s`, `%(year)s`, `%(year_end)s`): `lateral_sql`
  replaces them with expressions of `series.day`;
- a queryset built for the stand-in days `DAY` and `SINCE`: `lateral_queryset` compiles it and replaces exactly the
  parameters equal to a stand-in (dates no real figure uses: days are 1900–2100, core.api.params).
"""

import datetime

DAY = datetime.date(1001, 1, 1)  # stand-in for the day, in a queryset built for lateral_queryset
SINCE = datetime.date(1001, 1, 2)  # stand-in for 1 January of the day's year

_DAY_EXPRESSIONS = {
    "day": "series.day",
    "since": "date_trunc('year', series.day)::date",
    "year": "extract(year FROM series.day)::integer",
    "year_end": "(extract(month FROM series.day) = 12 AND extract(day FROM series.day) = 31)",
}
_STAND_INS = {DAY: _DAY_EXPRESSIONS["day"], SINCE: _DAY_EXPRESSIONS["since"]}


def lateral_sql(sql: str) -> str:
    """The statement run for every day of `%(days)s` (a list of dates), each row led by its day."""
    for name, expression in _DAY_EXPRESSIONS.items():
        sql = sql.replace(f"%({name})s", expression)
    return f"SELECT series.day, q.* FROM unnest(%(days)s::date[]) AS series(day) CROSS JOIN LATERAL ({sql}) q"  # noqa: S608 - our own constant SQL pieces; values are bound parameters


def lateral_queryset(queryset, days) -> tuple[str, list]:
    """(sql, params) of the queryset run for every day, each row led by its day; the queryset was built with the
    stand-ins DAY and SINCE where its filters name the day and the start of its year."""
    sql, params = queryset.query.sql_with_params()
    pieces, kept = [], []
    rest = sql
    for param in params:
        # The compiler writes every parameter as %s and every literal percent as %%: find the next real %s.
        index = _next_placeholder(rest)
        pieces.append(rest[:index])
        if type(param) is datetime.date and param in _STAND_INS:
            pieces.append(_STAND_INS[param])
        else:
            pieces.append("%s")
            kept.append(param)
        rest = rest[index + 2 :]
    pieces.append(rest)
    inner = "".join(pieces)
    return (
        f"SELECT series.day, q.* FROM unnest(%s::date[]) AS series(day) CROSS JOIN LATERAL ({inner}) q",  # noqa: S608 - see above
        [list(days), *kept],
    )


def _next_placeholder(sql: str) -> int:
    index = 0
    while True:
        index = sql.index("%", index)
        if sql[index + 1] == "s":
            return index
        index += 2  # "%%"


def rows_by_day(cursor, queryset, days) -> list[tuple]:
    """Execute lateral_queryset on the cursor and return its rows (day, *the queryset's columns)."""
    sql, params = lateral_queryset(queryset, days)
    cursor.execute(sql, params)
    return cursor.fetchall()


def series_days(start: datetime.date, end: datetime.date, months: int, *, limit: int) -> list[datetime.date]:
    """The days from `start` to `end` every `months` months (12: a year, 3: a quarter, 1: a month), at most
    `limit` + 1 of them (a caller refuses more than `limit`).

    A start on the last day of its month steps from month end to month end (2014-12-31, 2015-03-31, 2015-06-30 …);
    another start keeps its day of the month, the last day where a month is shorter (01-31, 02-28, 03-31).
    """
    month_end = (start + datetime.timedelta(days=1)).day == 1
    days, step = [], 0
    while True:
        total = start.month - 1 + step * months
        year, month = start.year + total // 12, total % 12 + 1
        last = _last_day(year, month)
        day = datetime.date(year, month, last if month_end else min(start.day, last))
        if day > end or len(days) > limit:
            return days
        days.append(day)
        step += 1


def _last_day(year: int, month: int) -> int:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return (following - datetime.timedelta(days=1)).day
