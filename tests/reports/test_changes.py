"""GET /api/v1/changes/ (docs/api.md, Change feed): de-identified events after a cursor, scoped, in pages of up to
1000, and a cursor that never skips nor doubles an event, even one committed late by a long transaction."""

import datetime
import json
import threading

import pytest
from django.db import connection, connections, transaction

from households import services as household_services
from lifecycle import services as lifecycle
from lifecycle.models import StatusChange
from reports import rules
from reports.models import ChangeEvent
from tests.assertions import assert_error
from tests.conftest import OTHER_VILLAGE, TOWN_A, TOWN_B, VILLAGE_A1, VILLAGE_B1
from tests.households import builders as b
from tests.programs.conftest import give, make_program
from villages.models import VillageProfile

# The feed hands out only events of transactions that have ended: every test commits (transaction=True).
pytestmark = pytest.mark.django_db(transaction=True)

FEED = "/api/v1/changes/"


def read(client, **query) -> dict:
    response = client.get(FEED, query)
    assert response.status_code == 200, response.content
    return response.json()


def drain(client, after=None, **query) -> tuple[list[dict], str]:
    """Every event after the cursor, page after page; the last cursor."""
    events = []
    while True:
        body = read(client, **({"after": after} if after else {}), **query)
        events += body["results"]
        after = body["cursor"]
        if not body["more"]:
            return events, after


@pytest.fixture
def homes(tree, users):
    """A household in village A1 and one in B1, each of two people (head, spouse)."""
    su = users["superuser"]
    return {
        code: b.make_household(village=tree[code], user=su, members=[b.head(n), b.spouse(n)])
        for n, code in enumerate((VILLAGE_A1, VILLAGE_B1), start=1)
    }


def test_the_register_s_movements_arrive_de_identified(api, users, homes, tree):
    """Given households created, identified, exited, a member leaving, a village exit and a benefit, then the feed
    gives each as an event with numbers, codes, counts and amounts, and no name or ID number."""
    su, home = users["superuser"], homes[VILLAGE_A1]
    lifecycle.status_record(user=su, household=home, status="poor", on=datetime.date(2014, 4, 2))
    lifecycle.status_record(user=su, household=home, status="exited", on=datetime.date(2016, 10, 15))
    spouse = home.members.get(relation="02")
    household_services.household_members_save(
        user=su, household=home, changed={spouse.pk: {"left_on": datetime.date(2017, 3, 1), "left_reason": "deceased"}}
    )
    VillageProfile.objects.create(village_id=VILLAGE_A1, poverty_status="exited", identified_year=2014, exit_year=2016)
    give(make_program(tree), home, amount="1200.50")

    events, _cursor = drain(api(users["api_client"]), region=VILLAGE_A1)
    kinds = [event["kind"] for event in events]
    assert kinds == ["members_joined", "status_change", "status_change", "members_left", "village_exit", "benefit"]
    joined, identified, exited, left, village_exit, benefit = events
    assert (joined["household"], joined["count"], joined["village"]) == (home.number, 2, VILLAGE_A1)
    assert (identified["from"], identified["to"], identified["effective_on"]) == (None, "poor", "2014-04-02")
    assert (exited["from"], exited["to"], exited["effective_on"], exited["returned"]) == ("poor", "exited", "2016-10-15", False)
    assert (left["count"], left["effective_on"], left["household"]) == (1, "2017-03-01", home.number)
    assert (village_exit["year"], village_exit["village"]) == (2016, VILLAGE_A1) and "household" not in village_exit
    assert (benefit["amount"], benefit["date"], benefit["village"]) == ("1200.50", "2017-05-01", VILLAGE_A1)
    assert (benefit["program"]["name"], benefit["program"]["category"]) == ("庭院经济补贴", "industry")
    assert "household" not in benefit
    text = json.dumps(events, ensure_ascii=False)
    for member in home.members.all():
        assert member.name not in text and member.id_number not in text
    assert len({event["id"] for event in events}) == len(events)


def test_the_feed_is_scoped_to_the_caller_s_regions(api, users, homes):
    su = users["superuser"]
    for home in homes.values():
        lifecycle.status_record(user=su, household=home, status="poor", on=datetime.date(2014, 4, 2))
    town_a = api(users["township_reviewer"])
    assert {event["village"] for event in drain(town_a)[0]} == {VILLAGE_A1}
    assert {event["village"] for event in drain(api(users["api_client"]))[0]} == {VILLAGE_A1, VILLAGE_B1}
    assert {event["village"] for event in drain(api(users["api_client"]), region=TOWN_B)[0]} == {VILLAGE_B1}
    assert_error(town_a.get(FEED, {"region": TOWN_B}), 404, "not_found")
    assert_error(town_a.get(FEED, {"region": OTHER_VILLAGE}), 404, "not_found")
    assert_error(api(users["nobody"]).get(FEED), 403, "permission_denied")
    assert_error(api().get(FEED), 401, "not_authenticated")


def test_pages_follow_the_cursor_without_gaps_or_doubles(api, users, homes):
    su, home = users["superuser"], homes[VILLAGE_A1]
    for year in range(2014, 2020):
        lifecycle.status_record(user=su, household=home, status="poor", on=datetime.date(year, 4, 2))
    client = api(users["api_client"])
    everything = read(client)["results"]
    assert len(everything) == 8  # two households joined, six status changes

    first = read(client, limit=3)
    assert len(first["results"]) == 3 and first["more"] is True
    assert "after=" in first["next"] and "limit=3" in first["next"]
    paged, _cursor = drain(client, limit=3)
    assert [event["id"] for event in paged] == [event["id"] for event in everything]

    last = read(client, after=first["cursor"], limit=1000)
    assert [event["id"] for event in last["results"]] == [event["id"] for event in everything[3:]]
    assert last["more"] is False
    again = read(client, after=last["cursor"])
    assert again["results"] == [] and again["cursor"] == last["cursor"]


def test_after_now_starts_at_the_end_and_sees_what_follows(api, users, homes):
    su, home = users["superuser"], homes[VILLAGE_A1]
    client = api(users["api_client"])
    now = read(client, after="now")
    assert now["results"] == [] and now["more"] is False
    lifecycle.status_record(user=su, household=home, status="poor", on=datetime.date(2014, 4, 2))
    events = read(client, after=now["cursor"])["results"]
    assert [(event["kind"], event["to"]) for event in events] == [("status_change", "poor")]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"after": "garbage!"}, "after"),
        ({"after": rules.encode_cursor((1, 2))[:-2] + "@@"}, "after"),
        ({"after": "YzIuMS4y"}, "after"),  # "c2.1.2": another version
        ({"limit": "0"}, "limit"),
        ({"limit": "1001"}, "limit"),
        ({"region": "2208"}, "region"),
    ],
)
def test_bad_parameters_are_400_naming_them(api, users, homes, query, field):
    response = api(users["api_client"]).get(FEED, query)
    assert_error(response, 400, "invalid")
    assert field in response.json()["errors"]


def test_the_cursor_is_opaque_and_round_trips():
    for position in ((0, 0), (123456789, 42), (2**40, 2**50)):
        assert rules.decode_cursor(rules.encode_cursor(position)) == position
    assert rules.encode_cursor((5, 6)).isascii() and "5" not in rules.encode_cursor((5, 6))
    with pytest.raises(ValueError):
        rules.decode_cursor(rules.encode_cursor((2**63, 1)))


def test_a_page_costs_the_same_queries_for_two_events_or_twenty(api, users, homes, django_assert_num_queries):
    home = homes[VILLAGE_A1]
    client = api(users["api_client"])
    start = read(client, after="now")["cursor"]
    for year, count in ((2014, 2), (2016, 20)):
        cursor = read(client, after="now")["cursor"]
        for n in range(count):
            StatusChange.objects.create(household=home, status="poor", effective_on=datetime.date(year, 1, 1 + n))
        # The token, the caller's grants, the region (scoped), the events.
        with django_assert_num_queries(4):
            assert len(read(client, after=cursor, region=TOWN_A)["results"]) == count
    assert len(drain(client, after=start)[0]) == 22


# Concurrent writers ---------------------------------------------------------------------------------------------------


def _in_thread(target):
    """Run `target` in a thread with its own database connection, closed at the end; errors are re-raised on join."""
    failures = []

    def run():
        try:
            target()
        except BaseException as error:  # noqa: BLE001 - handed to the test thread
            failures.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, failures


def test_an_event_committed_late_by_a_long_transaction_is_not_skipped(api, users, homes):
    """Given writer B that took its transaction id first and writer A that wrote its event first (the lower event
    number) but holds its transaction open, when B commits and a reader follows the feed, then the reader is given
    B's event and, once A commits, A's event too: nothing skipped (a cursor on the event number alone would have
    passed A's), nothing given twice."""
    client = api(users["api_client"])
    start = read(client, after="now")["cursor"]
    b_has_txid, a_wrote, b_committed, a_may_commit = (threading.Event() for _ in range(4))
    home_a, home_b = homes[VILLAGE_A1], homes[VILLAGE_B1]

    def writer_b():
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_current_xact_id()")  # B's transaction id is taken now: the older one
            b_has_txid.set()
            assert a_wrote.wait(30)
            StatusChange.objects.create(household=home_b, status="poor", effective_on=datetime.date(2015, 1, 1))
        b_committed.set()

    def writer_a():
        assert b_has_txid.wait(30)
        with transaction.atomic():
            StatusChange.objects.create(household=home_a, status="poor", effective_on=datetime.date(2015, 1, 1))
            a_wrote.set()
            assert a_may_commit.wait(30)

    thread_b, failures_b = _in_thread(writer_b)
    thread_a, failures_a = _in_thread(writer_a)
    try:
        assert b_committed.wait(30)
        seen, cursor = drain(client, after=start)
        # A is still open: B's event is there, A's is not yet (B's transaction is older than A's, so it settles).
        assert [event["household"] for event in seen] == [home_b.number]
    finally:
        a_may_commit.set()
        thread_a.join(30)
        thread_b.join(30)
    assert not failures_a and not failures_b, failures_a + failures_b
    a_event = ChangeEvent.objects.get(household=home_a.number, kind="status_change")
    b_event = ChangeEvent.objects.get(household=home_b.number, kind="status_change")
    assert a_event.pk < b_event.pk and a_event.txid > b_event.txid  # the case an event-number cursor skips

    later, _cursor = drain(client, after=cursor)
    assert [event["household"] for event in later] == [home_a.number]


def test_two_writers_and_a_reader_nothing_skipped_or_doubled(api, users, homes):
    """Given two writers committing status changes concurrently, one of them holding each transaction open a while,
    and a reader following the feed all the time, then the reader is given every event exactly once."""
    client = api(users["api_client"])
    start = read(client, after="now")["cursor"]
    done = threading.Event()

    def writer(home, hold):
        def write():
            for n in range(8):
                with transaction.atomic():
                    StatusChange.objects.create(household=home, status="poor", effective_on=datetime.date(2015, 1, 1 + n))
                    if hold:
                        done.wait(0.15)  # a long transaction: its event commits after later-numbered ones

        return write

    writers = [_in_thread(writer(homes[VILLAGE_A1], hold=True)), _in_thread(writer(homes[VILLAGE_B1], hold=False))]
    seen, cursor = [], start
    while any(thread.is_alive() for thread, _failures in writers):
        events, cursor = drain(client, after=cursor)
        seen += events
    for thread, failures in writers:
        thread.join(30)
        assert not failures, failures
    events, cursor = drain(client, after=cursor)
    seen += events

    ids = [event["id"] for event in seen]
    assert len(ids) == len(set(ids)) == 16
    assert set(ids) == set(ChangeEvent.objects.filter(kind="status_change").values_list("pk", flat=True))
