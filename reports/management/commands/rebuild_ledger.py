"""`manage.py rebuild_ledger [--chunk N]`: rebuild the ledger of dated aggregates (台账) from the register.

Needed after rows were written with the triggers off (a bulk load under session_replication_role = replica, a
restore of the register tables alone); harmless any time: writes that commit meanwhile wait for it, then move the
rebuilt ledger (docs/reports.md, The ledger). Progress goes to stderr.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from reports import ledger


class Command(BaseCommand):
    help = "Rebuild the ledger of dated aggregates (reports_ledgerrow, reports_householdstep) from the register."

    def add_arguments(self, parser):
        parser.add_argument("--chunk", type=int, default=5000, help="household ids per step (default 5000)")

    def progress(self, done: int, total: int) -> None:
        self.stderr.write(f"\r户台账 households {done}/{total}", ending="")

    def handle(self, *args, chunk, **options):
        if chunk < 1:
            raise CommandError("--chunk must be a positive number of household ids")
        started = time.monotonic()
        counts = ledger.rebuild(chunk=chunk, progress=self.progress)
        self.stderr.write("")
        self.stdout.write(
            f"ledger rebuilt in {time.monotonic() - started:.1f} s: {counts['households']} households, "
            f"{counts['steps']} steps, {counts['keys']} keys, {counts['rows']} rows"
        )
