import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.regions import RegionLevel
from demo.cadres import build_demo_cadres, delete_demo_cadres
from demo.checks import build_demo_campaign, build_demo_findings, delete_demo_checks
from demo.programs import build_demo_programs, delete_demo_programs
from demo.regions import DEMO_COUNTY, build_demo_regions, demo_present
from demo.register import plan_county
from demo.register_build import build_demo_register, delete_demo_register
from villages.models import Region


class Command(BaseCommand):
    help = (
        "Build the demo county (docs/demo.md): its regions, its register, its cadres (work teams, pairings, "
        "visits), its programs (benefits, cooperatives, projects) and its cross-checks (a 2017 campaign, a rule "
        "run). Refuses when demo data exists, unless --reset (rebuild) or --if-missing (do nothing)."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--reset", action="store_true", help="delete the demo county's data and build it again")
        group.add_argument("--if-missing", action="store_true", help="build only when no demo data exists (make run)")
        parser.add_argument(
            "--seed", type=int, default=2017, help="the same seed builds the same county (default 2017)"
        )

    def handle(self, *args, reset, if_missing, seed, **options):
        if demo_present():
            if if_missing:
                self.stdout.write("demo data present; nothing to do")
                return
            if not reset:
                raise CommandError("demo data already exists; use --reset to rebuild it")
        started = time.perf_counter()
        with transaction.atomic():
            if reset:
                self._delete_demo()
            result = build_demo_regions()
            plan = plan_county(seed=seed)
            counts = build_demo_register(plan=plan)
            cadres = build_demo_cadres(plan=plan)
            programs = build_demo_programs(plan=plan)
            campaign = build_demo_campaign()
            findings = build_demo_findings(seed=seed)
        elapsed = time.perf_counter() - started
        self.stdout.write(f"demo county {DEMO_COUNTY}: {result.added} regions added")
        self.stdout.write(
            f"register: {counts['registered_households']} registered households "
            f"(+{counts['removed_households']} removed), {counts['people']} people, "
            f"{counts['annual_records']} annual records"
        )
        self.stdout.write(
            f"lifecycle: {counts['procedures']} procedures, {counts['procedure_steps']} steps, "
            f"{counts['notices']} notices, {counts['status_changes']} status changes"
        )
        self.stdout.write(
            f"cadres: {cadres['work_teams']} work teams, {cadres['resident_members']} resident members, "
            f"{cadres['pairing_cadres']} pairing cadres ({cadres['cadres']} cadres of {cadres['units']} units), "
            f"{cadres['pairings']} pairings ({cadres['handovers']} handovers), {cadres['visits']} visits, "
            f"{cadres['team_logins']} team logins"
        )
        self.stdout.write(
            f"programs: {programs['programs']} programs with {programs['benefits']} benefits, "
            f"{programs['cooperatives']} cooperatives ({programs['memberships']} memberships, "
            f"{programs['dividends']} dividends), {programs['projects']} pairing-unit projects "
            f"({programs['project_beneficiaries']} beneficiary households)"
        )
        self.stdout.write(
            f"cross-checks: a 2017 campaign with {campaign['assignments']} assignments and "
            f"{campaign['verifications']} verifications; rule run: "
            + (", ".join(f"{rule} {n}" for rule, n in sorted(findings.items())) or "no findings")
        )
        self.stdout.write(f"done in {elapsed:.1f} s")

    def _delete_demo(self):
        from django.db.models import ProtectedError

        try:
            # Cross-checks first (findings, samples and assignments protect households and teams), then the help (benefits
            # and memberships protect households, projects units), the cadres (pairings and visits protect households,
            # teams and units the regions), the register (it protects the villages), regions, children before parents.
            delete_demo_checks()
            delete_demo_programs()
            delete_demo_cadres()
            delete_demo_register()
            for level in (RegionLevel.VILLAGE, RegionLevel.TOWNSHIP, RegionLevel.COUNTY):
                Region.objects.subtree(DEMO_COUNTY).filter(level=level).delete()
        except ProtectedError as exc:
            raise CommandError(f"cannot reset: other records still refer to demo regions ({exc.args[0]})") from exc
