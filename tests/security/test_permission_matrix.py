"""The permission matrix: every route × every caller × an object in and out of scope × every method.

The expectations are `tests.security.matrix` (derived from core.roles' capability table); the objects are
`tests.security.world`. Besides the status, every answer is checked for leaks: an error is the API's JSON format,
no 2xx shows anything of the other county to anyone but a superuser, and no 2xx read by a masked role (inspector,
api_client) shows a full ID number, bank account or birth date of a member of the world.
"""

import json

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from tests.conftest import OTHER_COUNTY
from tests.security import matrix
from tests.security.conftest import body_text, rolled_back
from tests.security.world import CALLERS, GRANTS, MASKED_ROLES, SIDES

OTHER_COUNTY_PREFIX = OTHER_COUNTY[:6]

# Cases known to fail, while a fix is under way: (name, method, caller, side) → reason; "*" matches anything.
# Each becomes a strict xfail: once the fix lands it passes, the run fails, and the entry must go. Empty is the goal.
KNOWN_FAILURES: dict = {}


def known_failure(name, method, caller, side):
    for (k_name, k_method, k_caller, k_side), reason in KNOWN_FAILURES.items():
        if all(k in ("*", v) for k, v in ((k_name, name), (k_method, method), (k_caller, caller), (k_side, side))):
            return reason
    return None


def _api_sides(entry):
    return ("in", "out") if entry.scoped else ("-",)


def _page_sides(page):
    return ("in", "out") if page.out_of_scope is not None else ("-",)


def walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            yield from walk(pattern.url_patterns, f"{namespace}:{inner}".strip(":") if inner else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def routed_names() -> set[str]:
    """Every named URL of the router, but the admin's generated per-model views (see matrix.ADMIN_NAMESPACE)."""
    names = set(walk(get_resolver().url_patterns))
    return {n for n in names if not n.startswith(matrix.ADMIN_NAMESPACE + ":")} | (names & set(matrix.PAGES))


def test_every_routed_name_has_an_entry_and_every_entry_a_route():
    """A new URL pattern fails this test until the matrix says who may call it; a removed one, until it is dropped."""
    assert routed_names() == set(matrix.API) | set(matrix.PAGES)


def _params(table, sides_of):
    """One test per route, method and side, calling every caller in turn; a caller whose case is a known failure
    gets a test of its own, marked xfail(strict=True)."""
    for name, entry in table.items():
        for method in entry.methods:
            for side in sides_of(entry):
                callers = getattr(entry, "callers", None) or CALLERS
                failing = {caller: known_failure(name, method, caller, side) for caller in callers}
                rest = tuple(caller for caller in callers if not failing[caller])
                yield pytest.param(name, method, side, rest, id=f"{name}-{method}-{side}")
                for caller, reason in failing.items():
                    if reason:
                        mark = pytest.mark.xfail(strict=True, reason=reason)
                        yield pytest.param(name, method, side, (caller,), id=f"{name}-{method}-{side}-{caller}", marks=mark)


def _resolve(world, mapping: dict, side: str) -> dict:
    objects = world.objects["in" if side == "-" else side]
    # "=value" is a literal path value (a year), anything else names an object of the world.
    return {key: kind[1:] if kind.startswith("=") else objects[kind] for key, kind in mapping.items()}


def _codes(world) -> dict:
    """The region code of each kind of object on the "in" side (the scope it is judged by)."""
    village, county = SIDES["in"]
    return {kind: county if kind in matrix.COUNTY_KINDS else village for kind in world.objects["in"]}


def leaks(text: str, caller: str, world) -> list[str]:
    """What the text shows that the caller may not see: the other county's codes, full personal data."""
    found = []
    if caller != "superuser" and OTHER_COUNTY_PREFIX in text:
        found.append("a code of the other county")
    if caller in MASKED_ROLES:
        for kind in ("id_numbers", "bank_accounts", "birth_dates"):
            shown = sorted(value for value in world.secrets[kind] if value in text)
            if shown:
                found.append(f"full {kind}: {shown}")
    return found


def _answer(client, method, url, query):
    """(status, body text) of one request, read inside a rolled-back savepoint (exports stream from a cursor)."""

    def call():
        if method == "GET":
            response = client.get(url, query)
        else:
            suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
            response = getattr(client, method.lower())(url + suffix, {})
        return response.status_code, body_text(response)

    return rolled_back(call)


def _api_problems(world, name, method, side, caller) -> list[str]:
    entry = matrix.API[name]
    client = APIClient()
    client.raise_request_exception = False  # a 500 is a status to compare, not an error of the test
    if world.users[caller] is not None:
        client.force_authenticate(world.users[caller])
    url = reverse(name, kwargs=_resolve(world, entry.path, side))
    status, text = _answer(client, method, url, {**entry.fixed_query, **_resolve(world, entry.query, side)})
    allowed = matrix.expected_statuses(entry, method, caller, side, grants=GRANTS, codes=_codes(world))
    if status not in allowed:
        return [f"{caller}: {status}, expected {sorted(allowed)}: {text[:200]}"]
    if status >= 400:
        body = json.loads(text)
        if not {"code", "detail"} <= set(body) <= {"code", "detail", "errors"}:
            return [f"{caller}: {status} not in the error format: {text[:200]}"]
    if status == 200 and method == "GET":
        return [f"{caller} sees {leak}" for leak in leaks(text, caller, world)]
    return []


@pytest.mark.parametrize(("name", "method", "side", "callers"), list(_params(matrix.API, _api_sides)))
def test_api_matrix(in_world, name, method, side, callers):
    """The route answers each caller with the status the role table gives, in the error format, leaking nothing."""
    problems = [problem for caller in callers for problem in _api_problems(in_world, name, method, side, caller)]
    assert not problems, problems


def _page_problems(world, name, method, side, caller) -> list[str]:
    page = matrix.PAGES[name]
    client = Client(raise_request_exception=False)
    if world.users[caller] is not None:
        client.force_login(world.users[caller])
    url = reverse(name, kwargs=_resolve(world, page.path, side))
    status, text = _answer(client, method, url, {})
    expected = matrix.page_status(page, caller, side)
    if status != expected:
        return [f"{caller}: {status}, expected {expected}"]
    return [f"{caller} sees {leak}" for leak in leaks(text, caller, world)] if status == 200 else []


@pytest.mark.parametrize(("name", "method", "side", "callers"), list(_params(matrix.PAGES, _page_sides)))
def test_page_matrix(in_world, name, method, side, callers):
    """The page answers each caller as the table says; what it shows leaks nothing."""
    problems = [problem for caller in callers for problem in _page_problems(in_world, name, method, side, caller)]
    assert not problems, problems


def test_the_leak_check_sees_what_a_full_reader_is_shown(in_world):
    """The county officer reads full ID numbers, bank accounts and birth dates: the leak check would see them."""
    client = APIClient()
    client.force_authenticate(in_world.users["county_officer"])
    text = body_text(client.get(reverse("api:household-detail", kwargs={"pk": in_world.objects["in"]["household"]})))
    for kind in ("id_numbers", "bank_accounts", "birth_dates"):
        assert any(value in text for value in in_world.secrets[kind]), kind
