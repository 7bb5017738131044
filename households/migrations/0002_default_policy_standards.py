"""The default nationwide policy standards of docs/domain.md (poverty lines 2014–2020, monitoring line 2021)."""

from decimal import Decimal

from django.db import migrations

POVERTY_LINES = {2014: 2800, 2015: 2855, 2016: 2952, 2017: 3335, 2018: 3535, 2019: 3747, 2020: 4000}
MONITORING_LINES = {2021: 6000}


def load(apps, schema_editor):
    PolicyStandard = apps.get_model("households", "PolicyStandard")
    for year in sorted(set(POVERTY_LINES) | set(MONITORING_LINES)):
        line = POVERTY_LINES.get(year)
        monitoring = MONITORING_LINES.get(year)
        PolicyStandard.objects.update_or_create(
            year=year,
            region=None,
            defaults={
                "poverty_line": Decimal(line) if line is not None else None,
                "monitoring_line": Decimal(monitoring) if monitoring is not None else None,
                "village_exit_threshold": Decimal("0.0200"),
                "notice_days": 7,
                "objection_days": 7,
            },
        )


def unload(apps, schema_editor):
    PolicyStandard = apps.get_model("households", "PolicyStandard")
    PolicyStandard.objects.filter(region=None, year__in=set(POVERTY_LINES) | set(MONITORING_LINES)).delete()


class Migration(migrations.Migration):
    dependencies = [("households", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
