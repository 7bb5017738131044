"""The worked example of docs/api-clients.md runs against a live server: it mirrors the county (the series once,
then the feed), sees a later change, and polls the summary with If-None-Match."""

import datetime
import importlib.util
from pathlib import Path

import pytest

from lifecycle import services as lifecycle
from tests.conftest import COUNTY, VILLAGE_A1
from tests.factories import token_for
from tests.households import builders as b

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "mirror_county.py"


def load_example():
    spec = importlib.util.spec_from_file_location("mirror_county", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db(transaction=True)
def test_the_example_mirrors_a_county_and_follows_its_changes(live_server, tree, users):
    example = load_example()
    su = users["superuser"]
    household = b.make_household(village=tree[VILLAGE_A1], user=su)
    lifecycle.status_record(user=su, household=household, status="poor", on=datetime.date(2014, 4, 2))
    api = example.Api(live_server.url, token_for(users["api_client"]))

    state = example.mirror(api, COUNTY, {})
    assert state["trend"]["2014-12-31"] == 1 and list(state["trend"]) == [f"{y}-12-31" for y in range(2014, 2021)]
    assert state["households"] == {}  # the cursor was taken before: nothing older is replayed
    summary_url = f"{live_server.url}/api/v1/summaries/{COUNTY}/"
    assert summary_url in api.kept  # its ETag is kept for the next poll

    lifecycle.status_record(user=su, household=household, status="exited", on=datetime.date(2016, 10, 15))
    state = example.mirror(api, COUNTY, state)
    assert state["households"] == {household.number: {"status": "exited", "since": "2016-10-15"}}
    assert state["today"]["exited"] == 1
    assert len(state["seen"]) == len(set(state["seen"])) == 1

    tag = api.kept[summary_url][0]
    state = example.mirror(api, COUNTY, state)  # nothing moved: the summary comes back 304, the body kept
    assert api.kept[summary_url][0] == tag and state["today"]["exited"] == 1
