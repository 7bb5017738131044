"""The household's history timeline shows the rows of other apps that refer to it under their own kind."""

import datetime

from checks.findings import finding_raise, finding_resolve
from households.choices import Sex
from tests.conftest import VILLAGE_A1
from tests.households.builders import make_household

HOUSEHOLDS = "/api/v1/households/"


def test_pairings_and_findings_appear_on_the_timeline_with_their_kind(api, users, tree):
    """Given a household with a pairing and a finding later closed, its history lists a pairing entry and two
    finding entries (opened, then closed), each with its object type."""
    from cadres.models import Cadre, Pairing, Unit

    officer = users["county_officer"]
    household = make_household(village=tree[VILLAGE_A1], user=officer)
    unit = Unit.objects.create(name="县农业局", level="county", region=tree[VILLAGE_A1].parent.parent)
    cadre = Cadre.objects.create(name="赵干部", sex=Sex.MALE, id_number="220821198001010011", unit=unit, region=unit.region)
    Pairing.objects.create(cadre=cadre, household=household, starts_on=datetime.date(2017, 1, 1))
    finding, _ = finding_raise(
        rule="HH-10", key=f"household:{household.pk}", village_id=VILLAGE_A1, detail={}, household_id=household.pk
    )
    finding_resolve(user=officer, finding=finding, status="fixed", resolution="已核实补录")

    entries = api(officer).get(f"{HOUSEHOLDS}{household.pk}/history/").json()

    kinds = [(e["kind"], e["object_type"], e["action"]) for e in entries if e["kind"] != "edit"]
    assert ("pairing", "pairing", "insert") in kinds
    assert ("finding", "finding", "insert") in kinds
    assert ("finding", "finding", "update") in kinds
    closing = next(e for e in entries if e["kind"] == "finding" and e["action"] == "update")
    assert closing["changes"]["status"] == ["open", "fixed"]
