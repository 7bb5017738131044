"""The move of the lifecycle models from the register (households) to the lifecycle app keeps tables, rows and triggers.

The migrations run backwards to before the move and forwards again, inside the test's transaction
(PostgreSQL rolls the DDL back with it), with rows in the moved tables.
"""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from households import services
from lifecycle import services as lifecycle
from lifecycle.models import Procedure, StatusChange
from tests.conftest import VILLAGE_A1
from tests.households.builders import head
from villages.models import Region

pytestmark = pytest.mark.django_db

BEFORE_MOVE = [("households", "0003_lifecycle")]
MOVED_TABLES = ("households_procedure", "households_procedurestep", "households_notice", "households_objection",
                "households_statuschange", "households_monitoringchange")  # fmt: skip


def triggers() -> dict[str, list[str]]:
    """The pgtrigger triggers on the moved tables, by table (names sorted)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE NOT t.tgisinternal AND t.tgname LIKE 'pgtrigger_%%' AND c.relname = ANY(%s)
            ORDER BY c.relname, t.tgname
            """,
            [list(MOVED_TABLES)],
        )
        found = {}
        for table, name in cursor.fetchall():
            found.setdefault(table, []).append(name)
        return found


def migrate(targets):
    # The rows written above leave deferred foreign-key checks pending; PostgreSQL refuses trigger
    # DDL on a table with pending events, so the checks run now.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def history_rows(table: str, object_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{table}event" WHERE pgh_obj_id = %s', [object_id])  # noqa: S608
        return cursor.fetchone()[0]


def test_migrating_back_before_the_move_and_forward_again_keeps_rows_and_one_set_of_triggers(users):
    """Given a procedure and a status change, when the migrations go back before the move and forward again,
    the rows are read through the old (households) and then the new (lifecycle) models, every moved table
    has the same triggers under each app's names exactly once, and the history triggers still record."""
    household = services.household_create(
        user=users["superuser"], village=Region.objects.get(code=VILLAGE_A1),
        data={"attribute": "general", "main_cause": "illness"}, members=[head(1)],
    )  # fmt: skip
    procedure = lifecycle.procedure_open(
        user=users["village_team"], household=household, kind="identification", on=datetime.date(2014, 3, 1)
    )
    change = lifecycle.status_record(user=users["county_officer"], household=household, status="poor",
                                     on=datetime.date(2014, 4, 2))  # fmt: skip
    after_move = triggers()
    assert after_move["households_statuschange"] == [StatusChange._meta.triggers[0].get_pgid(StatusChange)]
    assert len(after_move["households_procedure"]) == 4  # bump_version, insert, update, delete

    executor = migrate(BEFORE_MOVE)
    old = executor.loader.project_state(BEFORE_MOVE).apps
    assert old.get_model("households", "Procedure").objects.get(pk=procedure.pk).kind == "identification"
    assert old.get_model("households", "StatusChange").objects.get(pk=change.pk).status == "poor"
    assert old.get_model("households", "ProcedureStep").objects.filter(procedure_id=procedure.pk).count() == 1
    before_move = triggers()
    assert {table: len(names) for table, names in before_move.items()} == {
        table: len(names) for table, names in after_move.items()
    }
    assert not set(sum(before_move.values(), [])) & set(sum(after_move.values(), []))
    with pytest.raises(DatabaseError, match="Cannot update or delete rows"), transaction.atomic():
        old.get_model("households", "StatusChange").objects.filter(pk=change.pk).delete()  # append-only before too

    migrate(executor.loader.graph.leaf_nodes())
    assert triggers() == after_move
    assert Procedure.objects.get(pk=procedure.pk).steps.count() == 1
    assert StatusChange.objects.get(pk=change.pk).procedure_id is None
    recorded = history_rows("households_procedure", procedure.pk)
    Procedure.objects.filter(pk=procedure.pk).update(reason="moved")
    assert history_rows("households_procedure", procedure.pk) == recorded + 1
    with pytest.raises(DatabaseError, match="Cannot update or delete rows"), transaction.atomic():
        StatusChange.objects.filter(pk=change.pk).delete()
