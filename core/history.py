"""History of registry rows (变更记录), recorded by database triggers (django-pghistory)."""

import pghistory


def track_changes(*, table: str | None = None):
    """Record every insert, update and delete of the model, with the request's audit context.

    `table` names the event table when it must not follow the app (a model moved between apps
    keeps its history table, and the rows in it).
    """
    meta = {"db_table": table} if table else None
    return pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), meta=meta)


# pgtrigger's `_pgtrigger_should_ignore(name)`, which every trigger of the project calls on every row, reads the
# `pgtrigger.ignore` setting inside an exception block: a subtransaction per row even when nothing is ignored.
# This version reads it with `current_setting(…, true)`: the same answer (an ignored trigger's name is in the list;
# unset or empty ignores nothing) without the subtransaction. pgtrigger writes its own version again whenever it
# installs a trigger (each migration that adds one), so this one is written after every migrate.
FAST_IGNORE_CHECK = """
CREATE OR REPLACE FUNCTION "public"._pgtrigger_should_ignore(trigger_name NAME) RETURNS BOOLEAN AS $$
    SELECT coalesce(trigger_name = ANY(nullif(current_setting('pgtrigger.ignore', true), '')::text[]), false);
$$ LANGUAGE sql STABLE;
"""


def install_fast_ignore_check(*, using: str = "default", **_kwargs) -> None:
    """Write FAST_IGNORE_CHECK (a post_migrate receiver: after the migrations that install triggers)."""
    from django.db import connections

    with connections[using].cursor() as cursor:
        cursor.execute(FAST_IGNORE_CHECK)
