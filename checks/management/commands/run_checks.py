"""`manage.py run_checks --region CODE [--rule ID-1 ...]`: run the register rules over a region (规则校验)."""

import time

from django.core.management.base import BaseCommand, CommandError

from checks.register_rules import RULES, run_rules, unknown_rules
from core import regions as region_rules
from villages.models import Region


class Command(BaseCommand):
    help = (
        "Run the register rules (docs/checks.md, Register rules) over a region and sync the findings: new ones opened, those "
        "that no longer hold closed. Prints what each rule found, opened and closed, and the time taken."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="12-digit code of the region (e.g. 220821000000)")
        parser.add_argument(
            "--rule",
            action="append",
            dest="rules",
            metavar="CODE",
            help=f"a rule to run (repeat for several; all when left out): {', '.join(RULES)}",
        )

    def handle(self, *args, region, rules, **options):
        try:
            region_rules.level_of(region)
        except region_rules.RegionCodeError as exc:
            raise CommandError(f"--region: {exc}") from exc
        if not Region.objects.filter(pk=region).exists():
            raise CommandError(f"--region: no region {region}")
        unknown = unknown_rules(rules or [])
        if unknown:
            raise CommandError(f"--rule: unknown rule {', '.join(unknown)} (known: {', '.join(RULES)})")
        started = time.perf_counter()
        run = run_rules(region_code=region, rules=rules, trigger="command")
        elapsed = time.perf_counter() - started
        self.stdout.write(f"rule run {run.pk} over {region}: {len(run.rules)} rules")
        self.stdout.write(f"{'rule':<6} {'found':>7} {'opened':>7} {'closed':>7} {'ms':>7}")
        for rule, counts in run.counts.items():
            self.stdout.write(
                f"{rule:<6} {counts['found']:>7} {counts['opened']:>7} {counts['closed']:>7} {counts['ms']:>7}"
            )
        totals = {key: sum(counts[key] for counts in run.counts.values()) for key in ("found", "opened", "closed")}
        self.stdout.write(
            f"total  {totals['found']:>7} {totals['opened']:>7} {totals['closed']:>7}   in {elapsed:.2f} s"
        )
