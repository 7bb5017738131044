"""Hostile values in every query parameter of every GET route the OpenAPI schema declares one for.

NUL and control characters, a 10,000-character string, far dates, full-width digits, negative and huge numbers,
SQL and a right-to-left override go, one parameter at a time, to each route as the county officer (who may read
everything in the world's county). No answer may be a 5xx; a 4xx must be the API's error format.
"""

import json

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.security.conftest import body_text, rolled_back

HOSTILE = {
    "nul": "\x00",
    "nul_inside": "2017\x00",
    "control": "\x01\x08\x1b[31m\x7f",
    "long": "9" * 10_000,
    "date_far": "9999-12-31",
    "date_first": "0001-01-01",
    "date_five_digit_year": "99999-01-01",
    "full_width_digits": "２０１７",
    "negative": "-1",
    "huge": "99999999999999999999999999",
    "sql": "' OR 1=1 --",
    "rtl_override": "\u202e220821",
}

# The kind of world object a path's first segment names (for {id}, {code}, {comparison_pk}).
SEGMENT_KINDS = {
    "households": "household", "members": "member", "cadres": "cadre", "campaigns": "campaign", "comparisons": "comparison",
    "programs": "program", "projects": "project", "summaries": "county", "reports": "county", "regions": "village",
    "villages": "village", "work-teams": "work_team",
}  # fmt: skip

# (path, value) → reason, for the combinations that fail today. Strict: a fix makes the run fail until removed.
KNOWN_FAILURES: dict = {}


def _operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in sorted(schema["paths"].items()):
        get = operations.get("get")
        if get is None:
            continue
        names = [p["name"] for p in get.get("parameters", ()) if p["in"] == "query"]
        if names:
            yield path, tuple(names)


OPERATIONS = list(_operations())


def _params():
    for path, names in OPERATIONS:
        for value_name in HOSTILE:
            reason = KNOWN_FAILURES.get((path, value_name))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(path, names, value_name, id=f"{path}-{value_name}", marks=marks)


def _url(world, path: str) -> str:
    objects = world.objects["in"]
    kind = SEGMENT_KINDS.get(path.removeprefix("/api/v1/").split("/")[0])
    for key in ("{id}", "{code}", "{comparison_pk}"):
        if key in path:
            path = path.replace(key, str(objects[kind]))
    assert "{" not in path, path
    return path


def test_the_sweep_covers_the_list_routes():
    """The schema gives the sweep its routes: every list route with filters is among them."""
    paths = {path for path, _names in OPERATIONS}
    assert {"/api/v1/households/", "/api/v1/findings/", "/api/v1/summaries/{code}/", "/api/v1/visits/"} <= paths


@pytest.mark.parametrize(("path", "names", "value_name"), list(_params()))
def test_hostile_query_values_never_give_a_5xx(in_world, path, names, value_name):
    """Each parameter of the route, given this hostile value, answers 2xx or a 4xx in the error format."""
    client = APIClient()
    client.raise_request_exception = False
    client.force_authenticate(in_world.users["county_officer"])
    url = _url(in_world, path)
    problems = []
    for name in names:
        status, text = rolled_back(lambda name=name: _answer(client, url, {name: HOSTILE[value_name]}))
        if status >= 500:
            problems.append(f"{name}: {status} {text[:200]}")
        elif status >= 400:
            body = json.loads(text)
            if not {"code", "detail"} <= set(body) <= {"code", "detail", "errors"}:
                problems.append(f"{name}: {status} not in the error format: {text[:200]}")
    assert not problems, problems


def _answer(client, url, query):
    response = client.get(url, query)
    return response.status_code, body_text(response)
