"""One poverty-line series and a monitoring line for every year (docs/domain.md, Policy standards).

- 2016's nationwide poverty line is the exit benchmark's 3146, not the statistics bureau's 2952 that 0002 loaded; a
  row a county has edited since (anything but the old default) is left as the county set it.
- The monitoring line has a nationwide row for every year from 2021 to the year the migration runs. The yearly
  default is explicit: MONITORING_LINE_DEFAULT (2021's 6000) carried forward; provinces raise it yearly, so a county
  edits each year's row (or adds its province's row). A row that already exists keeps its figures.
"""

from decimal import Decimal

from django.db import migrations
from django.utils import timezone

OLD_2016, NEW_2016 = Decimal(2952), Decimal(3146)
MONITORING_FROM = 2021
MONITORING_LINE_DEFAULT = Decimal(6000)


def forwards(apps, schema_editor):
    PolicyStandard = apps.get_model("households", "PolicyStandard")
    PolicyStandard.objects.filter(year=2016, region=None, poverty_line=OLD_2016).update(poverty_line=NEW_2016)
    for year in range(MONITORING_FROM, max(timezone.localdate().year, MONITORING_FROM) + 1):
        row, created = PolicyStandard.objects.get_or_create(
            year=year, region=None, defaults={"monitoring_line": MONITORING_LINE_DEFAULT}
        )
        if not created and row.monitoring_line is None:
            row.monitoring_line = MONITORING_LINE_DEFAULT
            row.save(update_fields=["monitoring_line"])


def backwards(apps, schema_editor):
    PolicyStandard = apps.get_model("households", "PolicyStandard")
    PolicyStandard.objects.filter(year=2016, region=None, poverty_line=NEW_2016).update(poverty_line=OLD_2016)
    # The rows after 2021 that this migration added with the default and nobody edited.
    PolicyStandard.objects.filter(
        year__gt=MONITORING_FROM, region=None, poverty_line=None, monitoring_line=MONITORING_LINE_DEFAULT
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("households", "0008_policy_standard_kind_and_lines")]

    operations = [migrations.RunPython(forwards, backwards)]
