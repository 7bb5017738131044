from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, back_up


class Command(BaseCommand):
    help = (
        "Back up the database in use (embedded or DATABASE_URL): pg_dump custom format and a manifest "
        "under var/backups/; encrypted when JINGZHUN_BACKUP_KEY is set."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=Path(settings.BASE_DIR) / "var" / "backups")

    def handle(self, *args, output, **options):
        try:
            backup = back_up(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"backup:   {backup.dump}\nmanifest: {backup.manifest}")
