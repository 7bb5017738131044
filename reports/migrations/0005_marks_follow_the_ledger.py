"""Kept summaries are invalidated by writes to what a computed summary reads (reports.models.SOURCE_TABLES): the
households' figures now come from the ledger, so the write marks move from the register tables to the ledger's.
A register write that moves no figure (a member's name, a phone number) no longer invalidates every kept copy."""

from django.db import migrations

LEFT = (
    "households_household", "households_member", "households_statuschange", "households_monitoringchange",
    "cadres_pairing", "programs_program", "programs_benefit", "programs_cooperativemembership",
)  # fmt: skip
JOINED = ("reports_ledgerkey", "reports_ledgerrow", "reports_cadrerow")
CREATE = (
    "CREATE TRIGGER reports_mark_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION reports_mark_write();"
)
DROP = "DROP TRIGGER IF EXISTS reports_mark_write ON {table};"


def statements(template: str, tables) -> str:
    return "\n".join(template.format(table=table) for table in tables)


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_ledger_sql")]

    operations = [
        migrations.RunSQL(
            statements(DROP, LEFT) + statements(CREATE, JOINED),
            statements(DROP, JOINED) + statements(CREATE, LEFT),
        )
    ]
