"""Cache-Control on every API GET: `no-store` where a response carries personal data, at least `private` elsewhere."""

import re

import pytest

from lifecycle.models import Procedure
from tests.factories import UserFactory, make_region
from tests.households import builders as b
from tests.lifecycle.test_services import identify

pytestmark = pytest.mark.django_db

BANK_ACCOUNT = "6228480402564890018"
PHONE = "13912345678"
LODGED_BY = "赵某某"


# A county of its own, so that every list the walk reads starts with the fixture's rows.
COUNTY_X, TOWN_X, VILLAGE_X = "220899000000", "220899100000", "220899100201"


@pytest.fixture
def register(api, db):
    """A household with members, bank account and phone, its identification up to the township review, and an
    objection lodged on its first notice: every personal value the API can send, in a county of its own."""
    village = make_region(VILLAGE_X)
    people = {
        "village_team": UserFactory(username="team_x", grants=[("village_team", VILLAGE_X)]),
        "township_reviewer": UserFactory(username="town_x", grants=[("township_reviewer", TOWN_X)]),
        "county_officer": UserFactory(username="county_x", grants=[("county_officer", COUNTY_X)]),
        "superuser": UserFactory(username="root_x", is_superuser=True, is_staff=True),
    }
    household = b.make_household(village=village, user=people["superuser"], bank_account=BANK_ACCOUNT, phone=PHONE)
    pid = identify(api, people, household, until="township_review")
    notice = Procedure.objects.get(pk=pid).notices.get()
    lodged = api(people["village_team"]).post(
        f"/api/v1/notices/{notice.pk}/objections/",
        {"lodged_on": notice.start.isoformat(), "lodged_by": LODGED_BY, "content": "家中有车"},
        format="json",
    )
    assert lodged.status_code == 201, lodged.json()
    members = household.members.all()
    personal = {BANK_ACCOUNT, PHONE, LODGED_BY, household.address}
    personal |= {m.name for m in members} | {m.id_number for m in members}
    return {"users": people, "personal": personal}


def _first_id(client, list_path: str):
    """The id of the first row a list endpoint gives, or None."""
    response = client.get(list_path)
    if response.status_code != 200 or not response["Content-Type"].startswith("application/json"):
        return None
    body = response.json()
    rows = body.get("results", []) if isinstance(body, dict) else body
    return rows[0].get("id") if rows and isinstance(rows[0], dict) else None


def _fill(client, path: str) -> str | None:
    """The schema path with its parameters filled from the fixture (None when no row exists for it)."""
    segments = path.split("/")
    for index, segment in enumerate(segments):
        if segment == "{code}":
            segments[index] = VILLAGE_X if segments[index - 1] in {"villages"} else COUNTY_X
        elif segment.startswith("{"):
            found = _first_id(client, "/".join(segments[:index]) + "/")
            if found is None:
                return None
            segments[index] = str(found)
    return "/".join(segments)


def test_every_get_sends_no_store_with_personal_data_and_private_otherwise(api, register):
    """Walk every GET of the schema as the county office (who sees everything in full): a response that
    holds a name, ID number, address, phone or bank account of the fixture says `no-store`; every other
    says at least `private` (no shared cache keeps it)."""
    client = api(register["users"]["county_officer"])
    schema = client.get("/api/schema/", {"format": "json"}).json()
    walked, personal_paths = [], []
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        url = _fill(client, path)
        if url is None:
            continue
        query = {}
        for parameter in operations["get"].get("parameters", []):
            if parameter["in"] == "query" and parameter.get("required"):
                query[parameter["name"]] = {"year": "2014", "region": COUNTY_X}.get(parameter["name"], "")
        response = client.get(url, query)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
        walked.append(path)
        text = content.decode("utf-8", errors="ignore")
        if any(value in text for value in register["personal"]):
            personal_paths.append(path)
            assert "no-store" in cache_control, (path, response.status_code, cache_control)
        else:
            assert cache_control & {"no-store", "private"}, (path, response.status_code, cache_control)
    assert len(walked) >= 40
    assert {"/api/v1/households/{id}/", "/api/v1/households/{id}/history/", "/api/v1/notices/{id}/objections/"} <= set(
        personal_paths
    )
    assert not [p for p in personal_paths if re.match(r"^/api/v1/(regions|summaries|reports)/", p)]
