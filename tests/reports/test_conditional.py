"""Conditional requests for polling clients (docs/api.md, Polling cheaply): a strong ETag on figures, 304 to a
matching If-None-Match, 200 with a new tag once a write moves the figures, and Cache-Control by published year."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lifecycle import services as lifecycle
from lifecycle.models import PublishedYear
from tests.conftest import COUNTY, VILLAGE_A1
from tests.households import builders as b

pytestmark = pytest.mark.django_db

SUMMARY = f"/api/v1/summaries/{COUNTY}/?as_of=2017-12-31"
ANNUAL = f"/api/v1/reports/{COUNTY}/annual/?year=2016"


@pytest.fixture
def household(tree, users):
    """One household of two, registered poor in 2014."""
    household = b.make_household(village=tree[VILLAGE_A1], user=users["superuser"])
    lifecycle.status_record(user=users["superuser"], household=household, status="poor", on=datetime.date(2014, 4, 1))
    return household


def poll(client, url, etag=None):
    return client.get(url, HTTP_IF_NONE_MATCH=etag) if etag else client.get(url)


def test_a_summary_polled_twice_is_304_the_second_time_and_200_after_a_write_that_moves_it(api, users, household):
    """Given a client that kept a summary and its ETag, when it asks again with If-None-Match, then it gets 304 with
    no body and the same tag; after an exit is recorded the same question gets 200, a new tag and the new figure."""
    client = api(users["api_client"])
    first = poll(client, SUMMARY)
    assert first.status_code == 200 and first["ETag"].startswith('"') and not first["ETag"].startswith('W/')
    assert first["Cache-Control"] == "private, no-cache"

    again = poll(client, SUMMARY, first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"] and again["Cache-Control"] == "private, no-cache"

    lifecycle.status_record(user=users["superuser"], household=household, status="exited", on=datetime.date(2016, 10, 1))
    moved = poll(client, SUMMARY, first["ETag"])
    assert moved.status_code == 200 and moved["ETag"] != first["ETag"]
    assert moved.json()["households"]["exited"] == first.json()["households"]["exited"] + 1 == 1


def test_a_write_that_does_not_move_the_answer_keeps_the_tag(api, users, household, tree):
    """Given a summary of 2015, when a change effective in 2016 is recorded, then the 2015 answer is the same and
    so is its tag (the tag follows the answer, not the time of the last write)."""
    client = api(users["api_client"])
    url = f"/api/v1/summaries/{COUNTY}/?as_of=2015-12-31"
    first = poll(client, url)
    lifecycle.status_record(user=users["superuser"], household=household, status="exited", on=datetime.date(2016, 10, 1))
    assert poll(client, url, first["ETag"]).status_code == 304


def test_a_weak_or_listed_tag_matches_and_another_does_not(api, users, household):
    client = api(users["api_client"])
    tag = poll(client, SUMMARY)["ETag"]
    assert poll(client, SUMMARY, f'"other", W/{tag}').status_code == 304
    assert poll(client, SUMMARY, '"other"').status_code == 200


def test_the_json_and_the_browsable_page_never_share_a_tag(api, users, household):
    client = api(users["api_client"])
    json_tag = client.get(SUMMARY, HTTP_ACCEPT="application/json")["ETag"]
    page = client.get(SUMMARY, HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and page["ETag"] != json_tag


@pytest.mark.django_db(transaction=True)
def test_a_poll_of_a_kept_summary_is_answered_from_the_kept_copy(api, users, household):
    """Given a kept summary (outside a test transaction, as in production), when a client polls it with its tag,
    then the 304 reads nothing of the register; after a write it is computed again and the tag changes."""
    client = api(users["api_client"])
    tag = poll(client, SUMMARY)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        assert poll(client, SUMMARY, tag).status_code == 304
    assert not [q for q in queries.captured_queries if "reports_ledgerrow" in q["sql"]]

    lifecycle.status_record(user=users["superuser"], household=household, status="exited", on=datetime.date(2016, 10, 1))
    moved = poll(client, SUMMARY, tag)
    assert moved.status_code == 200 and moved["ETag"] != tag


def test_the_annual_report_of_a_published_year_may_be_reused_for_a_day(api, users, household):
    """Given a year not published, the report says `private, no-cache`; once the county publishes it, a client may
    reuse it for JINGZHUN_PUBLISHED_MAX_AGE seconds. Either way it carries a tag that answers 304."""
    client = api(users["api_client"])
    open_year = poll(client, ANNUAL)
    assert open_year["Cache-Control"] == "private, no-cache"
    assert poll(client, ANNUAL, open_year["ETag"]).status_code == 304

    PublishedYear.objects.create(
        region_id=COUNTY, year=2016, published_on=datetime.date(2017, 1, 20), published_by=users["superuser"]
    )
    published = poll(client, ANNUAL, open_year["ETag"])
    assert published.status_code == 304 and published["Cache-Control"] == "private, max-age=86400"
    summary_2016 = poll(client, f"/api/v1/summaries/{COUNTY}/?as_of=2016-12-31")
    assert summary_2016["Cache-Control"] == "private, max-age=86400"
    assert poll(client, SUMMARY)["Cache-Control"] == "private, no-cache"  # 2017 is not published


def test_region_reads_carry_a_tag_and_answer_304(api, users, household, tree):
    """Every read an api_client may make carries a strong tag: lists and details alike."""
    client = api(users["api_client"])
    for url in ("/api/v1/regions/", f"/api/v1/regions/{COUNTY}/", "/api/v1/programs/figures/?region=" + COUNTY):
        first = poll(client, url)
        assert first.status_code == 200, (url, first.content)
        assert first["Cache-Control"] == "private, no-cache", url
        assert poll(client, url, first["ETag"]).status_code == 304, url


def test_a_region_renamed_changes_the_tag_of_the_list(api, users, household, tree):
    client = api(users["api_client"])
    first = poll(client, "/api/v1/regions/")
    tree[VILLAGE_A1].__class__.objects.filter(code=VILLAGE_A1).update(name="新名村")
    assert poll(client, "/api/v1/regions/", first["ETag"]).status_code == 200


def test_register_reads_keep_no_store_and_their_version_tag(api, users, household):
    """Answers with personal data still say no-store; a detail keeps the row's version as its tag (If-Match)."""
    client = api(users["county_officer"])
    detail = client.get(f"/api/v1/households/{household.pk}/")
    assert detail["Cache-Control"] == "no-store"
    assert detail["ETag"] == f'"{household.__class__.objects.get(pk=household.pk).version}"'
    listed = client.get("/api/v1/households/")
    assert listed["Cache-Control"] == "no-store"
    assert poll(client, "/api/v1/households/", listed["ETag"]).status_code == 304
