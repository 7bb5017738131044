from pathlib import Path

import pghistory
from django.core.management.base import BaseCommand, CommandError

from villages.services import RegionFileError, read_region_csv, regions_load


class Command(BaseCommand):
    help = "Load regions from a CSV file with the header code,name (12-digit codes); all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV file, UTF-8: code,name")

    def handle(self, *args, path, **options):
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except FileNotFoundError as exc:
            raise CommandError(f"{path}: no such file") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8") from exc
        try:
            with pghistory.context(command="load_regions", file=str(path)):
                result = regions_load(rows=read_region_csv(text))
        except RegionFileError as exc:
            raise CommandError(f"{path}: nothing loaded, {len(exc.errors)} error(s):\n" + "\n".join(exc.errors)) from exc
        self.stdout.write(f"{path}: {result.added} regions added, {result.unchanged} already loaded")
