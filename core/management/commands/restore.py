from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the database in use. Refuses a database that "
        "already holds tables unless --force is given; checks the file against its manifest and "
        "compares every table's row count afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--force", action="store_true", help="replace what the database holds")

    def handle(self, *args, file, force, **options):
        try:
            result = restore(file, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if result["differences"]:
            lines = "\n".join(
                f"  {table}: {counts['expected']} in the backup, {counts['restored']} restored"
                for table, counts in result["differences"].items()
            )
            raise CommandError(f"restored, but row counts differ from the manifest:\n{lines}")
        self.stdout.write(f"restored {result['tables']} tables, {result['rows']} rows; every count matches the manifest")
