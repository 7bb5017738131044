"""`manage.py minimise_departed [--years N] [--dry-run]`: the retention rule for people who left (保存期限).

People who left their household more than N years ago (default JINGZHUN_RETENTION_YEARS) keep their figures and lose
their personal fields (households.services.members_minimise_departed). Meant to run daily beside the backup timer.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from households import services


class Command(BaseCommand):
    help = "Minimise the personal fields of people who left their household more than N years ago (figures kept)."

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=None, help="retention in years (JINGZHUN_RETENTION_YEARS)")
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")

    def handle(self, *args, years, dry_run, **options):
        years = settings.JINGZHUN_RETENTION_YEARS if years is None else years
        if years < 1:
            raise CommandError("--years must be at least 1")
        today = timezone.localdate()
        if dry_run:
            count = services.departed_to_minimise(today=today, years=years).count()
            self.stdout.write(f"{count} people left more than {years} years ago and would be minimised (dry run).")
            return
        count = services.members_minimise_departed(today=today, years=years)
        self.stdout.write(f"{count} people who left more than {years} years ago minimised.")
