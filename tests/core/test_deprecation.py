"""A deprecated route says so on every answer: Deprecation, Sunset and a Link to what replaces it
(docs/api-clients.md, Versioning)."""

import datetime

import pytest

from core.api import deprecation

pytestmark = pytest.mark.django_db


def test_a_deprecated_route_announces_it_and_others_do_not(api, users, monkeypatch):
    monkeypatch.setitem(
        deprecation.DEPRECATED,
        "api:region-list",
        deprecation.Deprecation(
            since=datetime.date(2026, 12, 1), sunset=datetime.date(2027, 6, 1), link="https://example.org/docs/regions"
        ),
    )
    client = api(users["api_client"])
    listed = client.get("/api/v1/regions/")
    assert listed.status_code == 200
    assert listed["Deprecation"] == "@1796083200"  # 2026-12-01T00:00:00Z
    assert listed["Sunset"] == "Tue, 01 Jun 2027 00:00:00 GMT"
    assert listed["Link"] == '<https://example.org/docs/regions>; rel="deprecation"'
    assert client.get("/api/v1/regions/", HTTP_IF_NONE_MATCH=listed["ETag"])["Deprecation"] == "@1796083200"
    detail = client.get("/api/v1/regions/220821000000/")
    assert detail.status_code == 200 and "Deprecation" not in detail and "Sunset" not in detail
