"""seed_demo: builds the demo county once, --if-missing and --reset, and a reset refused while other records use it."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.regions import RegionLevel
from villages.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_register(monkeypatch):
    """seed_demo with the county's regions and villages but only its first 60 households (fast)."""
    import dataclasses

    from demo import register as demo

    plan = demo.plan_county()
    small = dataclasses.replace(plan, households=plan.households[:60])
    monkeypatch.setattr("demo.management.commands.seed_demo.plan_county", lambda **kwargs: small)
    return small


def test_seed_demo_builds_the_demo_county_once(capsys, small_register):
    call_command("seed_demo")
    assert Region.objects.filter(level=RegionLevel.TOWNSHIP, code__startswith="220821").count() == 11
    assert Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith="220821").count() == 141
    assert Region.objects.get(code="220821000000").name == "镇赉县"
    with pytest.raises(CommandError, match="demo data already exists; use --reset"):
        call_command("seed_demo")
    call_command("seed_demo", "--if-missing")
    assert "nothing to do" in capsys.readouterr().out
    call_command("seed_demo", "--reset")
    assert Region.objects.filter(code__startswith="220821").count() == 153


def test_seed_demo_reset_refuses_while_grants_use_demo_regions(small_register):
    from tests.factories import UserFactory

    call_command("seed_demo")
    UserFactory(username="team", grants=[("village_team", "220821100201")])
    with pytest.raises(CommandError, match="other records still refer to demo regions"):
        call_command("seed_demo", "--reset")
    assert Region.objects.filter(code__startswith="220821").count() == 153
