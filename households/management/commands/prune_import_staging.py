"""`manage.py prune_import_staging [--days N]`: drop the staged plans (暂存行) of imports left uncommitted.

A validated import keeps its plan in households.ImportRow (a row a household and a member) until it is committed
or refused; one left uncommitted more than N days (default JINGZHUN_IMPORT_STAGING_DAYS) loses it, and a later
commit validates its file again (households.imports.services.import_staging_prune). Meant to run nightly with the
other duties (deploy/jingzhun-duties.service).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from households.imports import services


class Command(BaseCommand):
    help = "Drop the staged plans of imports validated more than N days ago and not committed."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="days a plan is kept (JINGZHUN_IMPORT_STAGING_DAYS)")

    def handle(self, *args, days, **options):
        days = settings.JINGZHUN_IMPORT_STAGING_DAYS if days is None else days
        if days < 1:
            raise CommandError("--days must be at least 1")
        count = services.import_staging_prune(days=days)
        self.stdout.write(f"{count} imports left uncommitted more than {days} days lost their staged plan.")
