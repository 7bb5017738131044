"""Keyset pages for the web pages' lists (core.ui.ordered_page): the list's own order, no count, any depth."""

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from core.ui import ordered_page
from villages.models import Region

pytestmark = pytest.mark.django_db


def _page(query: str, size: int = 3):
    request = RequestFactory().get("/list/" + query)
    return ordered_page(request, Region.objects.order_by("-level", "name"), size=size)


def _walk(page, attribute):
    """The codes of every page reached from `page` through its next (or previous) links, in the order read."""
    seen = [[r.code for r in page]]
    while getattr(page, attribute):
        page = _page(getattr(page, attribute))
        seen.append([r.code for r in page])
    return seen


def test_the_pages_walk_the_whole_list_in_its_order_forwards_and_back(tree):
    """Following next from the first page reads every row once in the list's order (the primary key breaking
    ties); following previous from the last page reads them back; the links keep the other parameters."""
    expected = list(Region.objects.order_by("-level", "name", "code").values_list("code", flat=True))
    first = _page("?village=x")
    forward = _walk(first, "next_url")

    assert [code for page in forward for code in page] == expected
    assert len(forward) == -(-len(expected) // 3) and not first.has_previous()
    assert parse_qs(urlsplit(first.next_url).query)["village"] == ["x"]
    last = _page(_last_link(first))
    backward = _walk(last, "previous_url")
    assert [code for page in reversed(backward) for code in page] == expected


def _last_link(page):
    while page.next_url:
        previous, page = page, _page(page.next_url)
    return previous.next_url


def test_a_page_is_one_query_without_a_count(tree):
    """The first page and a deeper one: one SELECT each, with a LIMIT, and no COUNT."""
    with CaptureQueriesContext(connection) as first:
        page = _page("")
    with CaptureQueriesContext(connection) as deeper:
        _page(page.next_url)
    for captured, expected in ((first, 1), (deeper, 3)):  # the deeper page in a savepoint (SAVEPOINT, SELECT, RELEASE)
        selects = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
        assert len(captured.captured_queries) == expected and len(selects) == 1
        assert " LIMIT 4" in selects[0] and "COUNT(" not in selects[0]


def _token(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "query",
    [
        "?after=not-a-token", "?before=%00", f"?after={_token([1, 2])}", f"?after={_token({'a': 1})}",
        f"?before={_token([None, None, None])}", f"?after={_token('text')}",
    ],
)  # fmt: skip
def test_a_position_that_is_not_ours_gives_the_first_page(tree, query):
    """A token that does not decode, has the wrong length, or holds values the columns cannot take: the first page,
    never an error."""
    assert [r.code for r in _page(query)] == [r.code for r in _page("")]
