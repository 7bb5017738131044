"""Audit context: every change recorded by the history triggers says who made it and in which request."""

import pghistory
import pgtrigger
import pytest
from django.db import connection, transaction

from core.models import RoleGrant
from tests.conftest import COUNTY, VILLAGE_A1
from villages.models import Region

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.urls")]


def events_for(code):
    return list(Region.pgh_event_model.objects.filter(pgh_obj_id=code).select_related("pgh_context").order_by("pgh_id"))


def test_api_write_records_user_and_request_id(api, users):
    user = users["county_officer"]
    response = api(user).patch(f"/api/v1/test-regions/{VILLAGE_A1}/", {"name": "改名"}, format="json")
    assert response.status_code == 200
    event = events_for(VILLAGE_A1)[-1]
    assert (event.pgh_label, event.name, event.version) == ("update", "改名", 2)
    metadata = event.pgh_context.metadata
    assert metadata["user"] == user.pk
    assert metadata["request_id"] == response["X-Request-ID"]
    assert metadata["url"] == f"/api/v1/test-regions/{VILLAGE_A1}/"
    assert metadata["method"] == "PATCH"


def test_admin_write_records_the_signed_in_user(client, users):
    root = users["superuser"]
    client.force_login(root)
    response = client.post(
        "/admin/core/rolegrant/add/", {"user": users["nobody"].pk, "role": "inspector", "region": COUNTY}
    )
    assert response.status_code == 302, response.content[:2000]
    grant = RoleGrant.objects.get(user=users["nobody"])
    event = RoleGrant.pgh_event_model.objects.get(pgh_obj_id=grant.pk, pgh_label="insert")
    assert event.pgh_context.metadata["user"] == root.pk


def test_raw_sql_and_bulk_changes_are_recorded_too(tree):
    Region.objects.filter(code=VILLAGE_A1).update(name="批量")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE villages_region SET name = 'SQL' WHERE code = %s", [VILLAGE_A1])
    names = [e.name for e in events_for(VILLAGE_A1) if e.pgh_label == "update"]
    assert names == ["批量", "SQL"]


def test_revoking_a_role_is_recorded(users):
    grant = RoleGrant.objects.get(user=users["inspector"])
    grant_id = grant.pk
    grant.delete()
    assert RoleGrant.pgh_event_model.objects.filter(pgh_obj_id=grant_id, pgh_label="delete").exists()


# The context is attached once per transaction (core migration 0011): what pghistory promised must still hold.


def test_a_nested_context_within_one_transaction_updates_the_context_row(tree):
    with transaction.atomic(), pghistory.context(reason="批量更名"):
        Region.objects.filter(code=VILLAGE_A1).update(name="一")
        with pghistory.context(step="复核"):
            Region.objects.filter(code=VILLAGE_A1).update(name="二")
    first, second = [e for e in events_for(VILLAGE_A1) if e.pgh_label == "update"][-2:]
    assert first.pgh_context_id == second.pgh_context_id
    assert second.pgh_context.metadata["reason"] == "批量更名"
    assert second.pgh_context.metadata["step"] == "复核"


def test_the_context_row_outlives_a_rolled_back_savepoint(tree):
    with transaction.atomic(), pghistory.context(reason="回滚之后"):
        with pytest.raises(RuntimeError), transaction.atomic():
            Region.objects.filter(code=VILLAGE_A1).update(name="撤销")  # the context row is upserted here …
            raise RuntimeError  # … and rolled back with the savepoint
        Region.objects.filter(code=VILLAGE_A1).update(name="保留")
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('jingzhun.pgh_attached', true)")
            remembered = cursor.fetchone()[0]
    kept = [e for e in events_for(VILLAGE_A1) if e.pgh_label == "update"]
    assert [e.name for e in kept][-1] == "保留"
    assert kept[-1].pgh_context is not None, "the event points at a context row that the savepoint took away"
    assert kept[-1].pgh_context.metadata["reason"] == "回滚之后"
    assert remembered.startswith(str(kept[-1].pgh_context_id))


def test_outside_a_context_history_rows_have_none(tree):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE villages_region SET name = '无上下文' WHERE code = %s", [VILLAGE_A1])
    assert events_for(VILLAGE_A1)[-1].pgh_context_id is None


# pgtrigger's row check without an exception block (core.history.FAST_IGNORE_CHECK, written after every migrate).


def _should_ignore(name: str, setting: str | None) -> bool:
    with transaction.atomic(), connection.cursor() as cursor:
        if setting is not None:
            cursor.execute("SELECT set_config('pgtrigger.ignore', %s, true)", [setting])
        cursor.execute('SELECT "public"._pgtrigger_should_ignore(%s)', [name])
        return cursor.fetchone()[0]


def test_the_row_check_installed_is_the_one_without_an_exception_block():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_functiondef('public._pgtrigger_should_ignore'::regproc)")
        definition = cursor.fetchone()[0]
    assert "current_setting('pgtrigger.ignore', true)" in definition
    assert "EXCEPTION" not in definition.upper()


@pytest.mark.parametrize(
    ("setting", "expected"),
    [(None, False), ("", False), ("{}", False), ("{other}", False), ("{pgtrigger_a}", True), ("{x,pgtrigger_a}", True)],
)
def test_the_row_check_answers_as_pgtriggers_own(setting, expected):
    assert _should_ignore("pgtrigger_a", setting) is expected


def test_an_ignored_trigger_is_still_ignored(tree):
    with pgtrigger.ignore("villages.Region:update_update"):
        Region.objects.filter(code=VILLAGE_A1).update(name="不记")
    Region.objects.filter(code=VILLAGE_A1).update(name="记下")
    assert [e.name for e in events_for(VILLAGE_A1) if e.pgh_label == "update"] == ["记下"]
