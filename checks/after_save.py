"""After a household is saved on the entry pages: run the register rules for it and say what they opened.

The register (households, below the checks) asks its hook `households.hooks.after_save`; this module is
registered there in ChecksConfig.ready(), so the imports keep pointing down.
"""

from django.db.models import Q
from django.utils.translation import ngettext

from checks.choices import FindingStatus
from checks.models import Finding
from checks.register_rules import run_rules


def findings_opened_by_save(*, household, user) -> list[str]:
    """Run the register rules for this household (trigger "save"); one sentence when they opened findings."""
    run = run_rules(region_code=household.village_id, household_ids=[household.pk], user=user, trigger="save")
    opened = Finding.objects.filter(
        Q(household_id=household.pk) | Q(member__household_id=household.pk),
        status=FindingStatus.OPEN,
        found_at__gte=run.started_at,
    ).count()
    if not opened:
        return []
    return [
        ngettext(
            "保存后发现 %(count)s 个问题，请在户卡的“核查问题”中查看并整改。",
            "保存后发现 %(count)s 个问题，请在户卡的“核查问题”中查看并整改。",
            opened,
        )
        % {"count": opened}
    ]


def rules_after_import(*, village_codes, user) -> None:
    """Run the register rules over each village an import changed (trigger "import"): findings opened, closed."""
    for code in village_codes:
        run_rules(region_code=code, user=user, trigger="import")
