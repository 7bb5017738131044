"""The kept summaries' invalidation list is the set of tables the summary actually reads.

A kept summary stays valid while no transaction wrote one of `reports.models.SOURCE_TABLES` (each carries a
statement-level trigger that marks its writers). A table the summary reads but the list forgets would let a
stale summary be served silently, so the list is derived here from the SQL the summary runs.
"""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import SOURCE_TABLES
from reports.selectors import region_summary
from tests.conftest import COUNTY

_TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?([a-z_][a-z0-9_]*)"?', re.IGNORECASE)
# The summary cache's own bookkeeping, read to decide validity, not counted in any figure.
_BOOKKEEPING = {"reports_keptsummary", "reports_writemark", "reports_regionmark", "reports_markhorizon"}


def tables_read_by_the_summary(region) -> set[str]:
    existing = set(connection.introspection.table_names())
    with CaptureQueriesContext(connection) as queries:
        region_summary(region=region, as_of=datetime.date(2017, 12, 31))
    named = {name.lower() for query in queries.captured_queries for name in _TABLE.findall(query["sql"])}
    return (named & existing) - _BOOKKEEPING


def test_every_table_the_summary_reads_marks_its_writers(tree):
    read = tables_read_by_the_summary(tree[COUNTY])
    assert read, "the capture found no table: the pattern no longer matches the summary's SQL"
    assert read - set(SOURCE_TABLES) == set()


def test_the_list_names_no_table_the_summary_does_not_read(tree):
    """A table listed but never read costs every write on it a mark for nothing, and hides a renamed table."""
    assert set(SOURCE_TABLES) - tables_read_by_the_summary(tree[COUNTY]) == set()


def test_each_listed_table_carries_the_write_mark_trigger_once(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE t.tgname = 'reports_mark_write' AND NOT t.tgisinternal GROUP BY c.relname"
        )
        triggers = dict(cursor.fetchall())
    assert triggers == dict.fromkeys(SOURCE_TABLES, 1)


# pg_trigger.tgtype's event bits: INSERT 4, DELETE 8, UPDATE 16, TRUNCATE 32
_EVENTS = {"INSERT": 4, "DELETE": 8, "UPDATE": 16, "TRUNCATE": 32}
_LEDGER_TABLES = {"reports_ledgerkey", "reports_ledgerrow", "reports_cadrerow"}


def test_the_ledgers_tables_are_marked_whole_only_when_rows_go(db):
    """The ledger's flush marks the villages it moves (RegionMark), so its inserts and updates must not mark the whole
    table as well (that would set every kept copy aside again); a DELETE or TRUNCATE (rebuild_ledger) still does."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgtype FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE t.tgname = 'reports_mark_write' AND NOT t.tgisinternal"
        )
        events = {
            table: {name for name, bit in _EVENTS.items() if tgtype & bit} for table, tgtype in cursor.fetchall()
        }
    assert events == {
        table: {"DELETE", "TRUNCATE"} if table in _LEDGER_TABLES else set(_EVENTS) for table in SOURCE_TABLES
    }
