"""Rate limits per API token (docs/api.md, Rate limits): said on every answer, 429 with Retry-After past them,
configurable per token, counted in PostgreSQL without a query of their own."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.api import authentication, throttling
from core.models import ApiRateCounter, ApiToken
from tests.assertions import assert_error
from tests.conftest import COUNTY, OTHER_COUNTY

pytestmark = pytest.mark.django_db

REGIONS = "/api/v1/regions/"


@pytest.fixture
def limited(settings):
    settings.JINGZHUN_API_RATE_LIMIT = 3
    settings.JINGZHUN_API_RATE_WINDOW = 60
    return settings


def limits(response) -> tuple[int, int, int]:
    return int(response["RateLimit-Limit"]), int(response["RateLimit-Remaining"]), int(response["RateLimit-Reset"])


def test_every_answer_says_the_limit_and_what_remains(api, users, limited):
    """200, 304 and errors alike carry the three headers; each request uses one."""
    client = api(users["api_client"])
    first = client.get(REGIONS)
    assert first.status_code == 200
    limit, remaining, reset = limits(first)
    assert (limit, remaining) == (3, 2) and 1 <= reset <= 60
    not_modified = client.get(REGIONS, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304 and limits(not_modified)[:2] == (3, 1)
    missing = client.get(f"/api/v1/regions/{OTHER_COUNTY}/")
    assert_error(missing, 404, "not_found")
    assert limits(missing)[:2] == (3, 0)
    assert ApiRateCounter.objects.get().hits == 3


def test_past_the_limit_the_answer_is_429_throttled_with_retry_after(api, users, limited):
    client = api(users["api_client"])
    for _ in range(3):
        assert client.get(REGIONS).status_code == 200
    refused = client.get(REGIONS)
    assert_error(refused, 429, "throttled")
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert limits(refused)[:2] == (3, 0) and int(refused["RateLimit-Reset"]) == int(refused["Retry-After"])
    # Another client's token has its own count.
    assert api(users["county_officer"]).get(REGIONS).status_code == 200


def test_a_new_window_starts_the_count_again(api, users, limited, monkeypatch):
    client = api(users["api_client"])
    for _ in range(4):
        client.get(REGIONS)
    assert client.get(REGIONS).status_code == 429
    later = authentication.time.time() + 61
    monkeypatch.setattr(authentication.time, "time", lambda: later)
    monkeypatch.setattr(throttling.time, "time", lambda: later)
    again = client.get(REGIONS)
    assert again.status_code == 200 and limits(again)[:2] == (3, 2)


def test_a_token_s_own_limit_is_set_by_the_command(api, users, limited):
    """api_rate_limit sets a user's tokens' limit (here above the default), and --default gives it back."""
    client = api(users["api_client"])
    call_command("api_rate_limit", username="client", limit=5)
    assert ApiToken.objects.get(user=users["api_client"]).rate_limit == 5
    answers = [client.get(REGIONS).status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]
    call_command("api_rate_limit", username="client", default=True)
    assert ApiToken.objects.get(user=users["api_client"]).rate_limit is None


def test_the_command_refuses_a_user_without_tokens_and_a_bad_limit(users):
    with pytest.raises(CommandError, match="no API token"):
        call_command("api_rate_limit", username="nobody", limit=5)
    with pytest.raises(CommandError, match="at least 1"):
        call_command("api_rate_limit", username="client", limit=0)


def test_counting_costs_no_query(api, users):
    """The request is counted in the query that authenticates the token: no query of its own."""
    client = api(users["api_client"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/api/v1/regions/{COUNTY}/").status_code == 200
    token_queries = [q["sql"] for q in queries.captured_queries if "core_apitoken" in q["sql"]]
    assert len(token_queries) == 1 and "core_rate_hit" in token_queries[0]
    assert not [q for q in queries.captured_queries if "core_apiratecounter" in q["sql"]]
    assert ApiRateCounter.objects.get().hits == 1


def test_a_page_session_is_not_counted(client, users):
    client.force_login(users["superuser"])
    response = client.get(REGIONS)
    assert response.status_code == 200 and "RateLimit-Limit" not in response
    assert not ApiRateCounter.objects.exists()
