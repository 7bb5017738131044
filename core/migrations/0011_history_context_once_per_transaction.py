"""The history triggers attach their context (谁、哪个请求) once per transaction, not once per row.

pghistory's `_pgh_attach_context()` (installed by its migration 0007) runs on every history row: it reads the
context settings inside an exception block (a subtransaction per row) and upserts the context row
(`INSERT … ON CONFLICT DO UPDATE … WHERE metadata differs`, an index probe and a row lock per row). A bulk write
of 240,000 procedure steps paid both 240,000 times.

This version reads the settings with `current_setting(…, true)` (no exception, no subtransaction) and remembers in a
transaction-local setting (`jingzhun.pgh_attached`: the context id and the digest of its metadata) that the row is
upserted: the next history row of the same transaction with the same context returns at once. A change of metadata
(a nested `pghistory.context`) changes the digest and upserts again; a savepoint rolled back reverts the
remembered setting together with the upsert, so the context row is never missing. The function is otherwise
pghistory's: NULL outside a context.
"""

from django.db import migrations

ATTACH_ONCE = """
CREATE OR REPLACE FUNCTION _pgh_attach_context() RETURNS pghistory_context.id%TYPE AS $$
DECLARE
    _id text := current_setting('pghistory.context_id', true);
    _metadata text := current_setting('pghistory.context_metadata', true);
    _key text;
BEGIN
    IF _id IS NULL OR _id = '' OR _metadata IS NULL OR _metadata = '' THEN
        RETURN NULL;
    END IF;
    _key := _id || ':' || md5(_metadata);
    IF current_setting('jingzhun.pgh_attached', true) IS NOT DISTINCT FROM _key THEN
        RETURN _id::uuid;
    END IF;
    INSERT INTO pghistory_context (id, metadata, created_at, updated_at)
        VALUES (_id::uuid, _metadata::jsonb, NOW(), NOW())
        ON CONFLICT (id) DO UPDATE
            SET metadata = EXCLUDED.metadata, updated_at = EXCLUDED.updated_at
            WHERE pghistory_context.metadata != EXCLUDED.metadata;
    PERFORM set_config('jingzhun.pgh_attached', _key, true);
    RETURN _id::uuid;
END;
$$ LANGUAGE plpgsql;
"""


def pghistory_function(apps, schema_editor):
    """Back to pghistory's own function (its migration 0007's)."""
    from pghistory.models import Context

    Context.install_pgh_attach_context_func(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_personal_data_day_totals"),
        ("pghistory", "0007_auto_20250421_0444"),
    ]

    operations = [
        migrations.RunSQL(ATTACH_ONCE, reverse_sql=migrations.RunSQL.noop),
        migrations.RunPython(migrations.RunPython.noop, reverse_code=pghistory_function),
    ]
