"""/visits/: my paired households and a visit recorded in one tap, through the cadres' services."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cadres.models import Visit
from tests.cadres.conftest import counts, make_cadre, make_household, pair
from tests.conftest import VILLAGE_B1
from tests.factories import UserFactory

VISITS = "/visits/"


def cadre_login(tree, unit, sequence=10):
    user = UserFactory(username=f"cadre{sequence}", grants=[("village_team", "220821100201")])
    return user, make_cadre(tree, unit, sequence, name="赵干部", user=user)


def test_a_cadre_sees_its_paired_households(client, tree, users, unit, household):
    user, cadre = cadre_login(tree, unit)
    pair(cadre, household)
    client.force_login(user)
    body = client.get(VISITS).content.decode()
    assert "我的结对户" in body and household.number in body and "王建国户" in body and "还没有走访" in body


def test_one_tap_records_a_visit_today_and_goes_back(client, tree, users, unit, household):
    """The row's form posts the pairing (chosen from the list, never typed), today and 入户走访 by default."""
    user, cadre = cadre_login(tree, unit)
    pairing = pair(cadre, household)
    client.force_login(user)
    today = timezone.localdate()
    response = client.post(
        VISITS, {"pairing": pairing.pk, "date": today.isoformat(), "kind": "home", "agreed": "", "found": "", "next": f"/households/{household.pk}/"}
    )
    assert response.status_code == 302 and response["Location"] == f"/households/{household.pk}/"
    visit = Visit.objects.get()
    assert (visit.cadre, visit.household, visit.date, visit.kind, visit.recorded_by) == (cadre, household, today, "home", user)


def test_a_future_date_is_refused_beside_the_field_and_writes_nothing(client, tree, users, unit, household):
    user, cadre = cadre_login(tree, unit)
    pairing = pair(cadre, household)
    client.force_login(user)
    before = counts()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(VISITS, {"pairing": pairing.pk, "date": tomorrow.isoformat(), "kind": "home", "agreed": "修路"})
    body = response.content.decode()
    assert response.status_code == 400 and "走访日期不能晚于今天" in body and "修路" in body
    assert counts() == before


def test_bad_input_is_refused(client, tree, users, unit, household):
    user, cadre = cadre_login(tree, unit)
    pairing = pair(cadre, household)
    client.force_login(user)
    before = counts()
    response = client.post(VISITS, {"pairing": pairing.pk, "date": "2019-02-30", "kind": "flying"})
    assert response.status_code == 400 and "error-summary" in response.content.decode()
    assert counts() == before


def test_out_of_scope_pairing_is_404_and_a_reader_is_403(client, tree, users, unit, cadres):
    other = make_household(tree, users, 2, village=VILLAGE_B1)
    pairing = pair(cadres[0], other)
    client.force_login(users["village_team"])
    day = timezone.localdate().isoformat()
    assert client.post(VISITS, {"pairing": pairing.pk, "date": day, "kind": "home"}).status_code == 404
    client.force_login(users["inspector"])
    assert client.get(VISITS).status_code == 403
    assert client.post(VISITS, {"pairing": pairing.pk, "date": day, "kind": "home"}).status_code == 403
    assert not Visit.objects.exists()


def test_a_team_without_a_cadre_sees_the_villages_pairings(client, tree, users, cadres, household):
    pair(cadres[1], household)
    client.force_login(users["village_team"])
    body = client.get(VISITS).content.decode()
    assert "结对户走访" in body and "干部1" in body and household.number in body


def test_query_count_is_flat(client, tree, users, unit):
    user, cadre = cadre_login(tree, unit)
    client.force_login(user)

    def measured():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(VISITS).status_code == 200
        return len(queries)

    for n in (1, 2):
        pair(cadre, make_household(tree, users, n))
    two = measured()
    for n in range(3, 21):
        pair(cadre, make_household(tree, users, n))
    assert measured() == two
