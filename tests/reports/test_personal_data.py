"""Personal-data duties (issue 19 point 4): the log of full reads with its region, the county office's page and export,
alerts raised and closed, one person's report for a data-subject request, and the retention rule for people who left."""

import importlib
import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from core.masking import minimised_id_number, minimised_name
from core.models import PersonalDataAccess, PersonalDataAlert, PersonalDataDay
from core.personal import raise_due_alerts
from core.regions import smallest_common_region
from households import services
from households.models import Member
from tests.conftest import COUNTY, OTHER_VILLAGE, TOWN_A, VILLAGE_A1, VILLAGE_A2
from tests.factories import UserFactory
from tests.households.builders import family, make_household

pytestmark = pytest.mark.django_db

PAGE = "/personal-data/"
PERSON = "/personal-data/person/"


# Pure rules -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codes", "common"),
    [
        ([VILLAGE_A1], VILLAGE_A1),
        ([VILLAGE_A1, VILLAGE_A2], TOWN_A),
        ([VILLAGE_A1, "220821101201"], COUNTY),
        ([VILLAGE_A1, OTHER_VILLAGE], "220800000000"),
        ([VILLAGE_A1, "110101001001"], ""),
        ([VILLAGE_A1, ""], VILLAGE_A1),
        ([], ""),
    ],
)
def test_the_smallest_common_region(codes, common):
    assert smallest_common_region(codes) == common


def test_minimised_values_keep_no_birth_date_and_no_given_name():
    assert minimised_id_number("22082119620308123X") == "220821" + "*" * 12
    assert minimised_name("王小军") == "王某"
    assert minimised_name("") == ""


# The log names its region -----------------------------------------------------------------------------------------


@pytest.fixture
def home(tree, users):
    return make_household(village=tree[VILLAGE_A1], user=users["village_team"], members=family(3))


def test_a_read_through_the_api_is_logged_with_its_village_and_record_count(api, users, home):
    response = api(users["village_team"]).get(f"/api/v1/households/{home.pk}/")
    assert response.status_code == 200
    access = PersonalDataAccess.objects.get(model="households.member")
    assert (access.region, access.records) == (VILLAGE_A1, home.members.count())


def test_an_export_is_logged_against_its_region_and_counts_no_records(api, users, home):
    response = api(users["county_officer"]).get(f"/api/v1/exports/households.csv?region={COUNTY}")
    assert response.status_code == 200
    b"".join(response.streaming_content) if response.streaming else response.content
    access = PersonalDataAccess.objects.get(model="villages.region")
    assert (access.region, access.records) == (COUNTY, 0)


# Alerts ------------------------------------------------------------------------------------------------------------


def read(user, *, records: int, region: str = VILLAGE_A1, at=None, model: str = "households.member"):
    access = PersonalDataAccess.objects.create(
        user=user, model=model, object_ids=list(range(records)) or [1], fields=["id_number"], region=region,
        records=0 if model == "villages.region" else records,
    )  # fmt: skip
    if at is not None:
        PersonalDataAccess.objects.filter(pk=access.pk).update(at=at)
    return access


def test_many_reads_in_a_day_raise_one_alert_and_a_closed_alert_stays_closed(settings, users, tree):
    settings.JINGZHUN_PERSONAL_READS_PER_DAY = 5
    team = users["village_team"]
    read(team, records=3)
    raise_due_alerts()
    assert not PersonalDataAlert.objects.exists()  # 3 is within the threshold
    read(team, records=3, region=VILLAGE_A2)
    raise_due_alerts()
    raise_due_alerts()
    alert = PersonalDataAlert.objects.get()
    assert (alert.kind, alert.user, alert.records, alert.region) == ("many_reads", team, 6, TOWN_A)
    assert alert.day == timezone.localdate()
    PersonalDataAlert.objects.filter(pk=alert.pk).update(closed_at=timezone.now(), closed_by=users["county_officer"], note="ok")
    read(team, records=1)
    raise_due_alerts()
    assert PersonalDataAlert.objects.get().closed_at is not None


def test_reads_spread_over_days_or_older_than_a_month_raise_nothing(settings, users, tree):
    settings.JINGZHUN_PERSONAL_READS_PER_DAY = 5
    team = users["village_team"]
    read(team, records=4, at=timezone.now() - timedelta(days=1))
    read(team, records=4)
    read(team, records=50, at=timezone.now() - timedelta(days=40))
    raise_due_alerts()
    assert not PersonalDataAlert.objects.exists()


def test_an_export_of_a_township_or_more_raises_an_alert_and_a_village_export_does_not(users, tree):
    officer = users["county_officer"]
    read(officer, records=0, region=VILLAGE_A1, model="villages.region")
    raise_due_alerts()
    assert not PersonalDataAlert.objects.exists()
    read(officer, records=0, region=TOWN_A, model="villages.region")
    read(officer, records=0, region=TOWN_A, model="villages.region")
    raise_due_alerts()
    alert = PersonalDataAlert.objects.get()
    assert (alert.kind, alert.region) == ("wide_export", TOWN_A)


def from_the_log() -> dict:
    """Each user's day as the log holds it, counted from scratch: (user, day) → (records, lowest and highest region
    of the reads of records, the township-or-wider regions exported)."""
    days = {}
    for access in PersonalDataAccess.objects.all():
        key = (access.user_id, timezone.localdate(access.at))
        records, first, last, wide = days.get(key, (0, None, None, set()))
        if access.records > 0:
            records += access.records
            first = min(first, access.region) if first is not None else access.region
            last = max(last, access.region) if last is not None else access.region
        if access.model == "villages.region" and access.region.endswith("000"):
            wide = wide | {access.region}
        if access.records > 0 or wide:
            days[key] = (records, first, last, wide)
    return days


def kept() -> dict:
    return {
        (day.user_id, day.day): (day.records, day.first_region, day.last_region, set(day.wide_exports))
        for day in PersonalDataDay.objects.all()
    }


def test_the_kept_day_totals_match_the_log_after_reads_back_dated_moves_and_deletes(users, tree):
    """The trigger keeps PersonalDataDay equal to the log counted from scratch: reads and exports added, a read moved
    to another day (back-dated) or to a smaller count, the day's lowest region deleted; the migration's fill counts
    the same."""
    team, officer = users["village_team"], users["county_officer"]
    yesterday = timezone.now() - timedelta(days=1)
    read(team, records=3, region=VILLAGE_A2)
    lowest = read(team, records=2, region=VILLAGE_A1)
    read(team, records=4, at=yesterday)
    read(officer, records=0, region=TOWN_A, model="villages.region")
    read(officer, records=0, region=TOWN_A, model="villages.region")
    read(officer, records=0, region=VILLAGE_A1, model="villages.region")  # a village export: no alert, no day
    moved = read(officer, records=5, region=COUNTY)
    assert kept() == from_the_log()
    PersonalDataAccess.objects.filter(pk=moved.pk).update(at=yesterday)
    PersonalDataAccess.objects.filter(pk=moved.pk).update(records=1)
    assert kept() == from_the_log()
    lowest.delete()
    assert kept()[(team.pk, timezone.localdate())] == (3, VILLAGE_A2, VILLAGE_A2, set())
    assert kept() == from_the_log()
    migration = importlib.import_module("core.migrations.0010_personal_data_day_totals")
    PersonalDataDay.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(migration.FILL)
    assert kept() == from_the_log()


def test_alerts_are_raised_from_the_kept_days_with_one_read(settings, users, tree, django_assert_num_queries):
    """Raising reads the window's days that call for an alert (one SELECT, no sum over the log) and inserts once."""
    settings.JINGZHUN_PERSONAL_READS_PER_DAY = 5
    read(users["village_team"], records=6)
    read(users["county_officer"], records=0, region=TOWN_A, model="villages.region")
    with django_assert_num_queries(2):
        raise_due_alerts()
    assert sorted(PersonalDataAlert.objects.values_list("kind", "region")) == [
        ("many_reads", VILLAGE_A1), ("wide_export", TOWN_A)
    ]  # fmt: skip


def test_the_work_queue_shows_the_open_alerts_to_the_county_office_only(client, settings, users, tree):
    settings.JINGZHUN_PERSONAL_READS_PER_DAY = 1
    read(users["village_team"], records=2)
    client.force_login(users["county_officer"])
    html = client.get("/").content.decode()
    assert 'id="queue-personal-data"' in html and "个人信息查阅提醒待处理" in html
    assert PersonalDataAlert.objects.count() == 1
    client.force_login(users["village_team"])
    assert 'id="queue-personal-data"' not in client.get("/").content.decode()


# The county office's page ----------------------------------------------------------------------------------------------


def test_the_page_lists_the_countys_reads_and_not_another_countys(client, users, tree):
    stranger = UserFactory(username="stranger", grants=[("village_team", OTHER_VILLAGE)])
    read(users["village_team"], records=3)
    read(stranger, records=7, region=OTHER_VILLAGE)
    client.force_login(users["county_officer"])
    html = client.get(PAGE).content.decode()
    assert 'data-user="team"' in html and "家庭成员证件号码" in html and "3 条" in html
    assert 'data-user="stranger"' not in html


def test_filters_narrow_the_list_and_a_region_outside_the_county_is_404(client, users, tree):
    read(users["village_team"], records=3)
    read(users["township_reviewer"], records=2, region=VILLAGE_A2)
    client.force_login(users["county_officer"])
    html = client.get(PAGE, {"username": "tow"}).content.decode()
    assert 'data-user="town"' in html and 'data-user="team"' not in html
    assert client.get(PAGE, {"region": "220822000000"}).status_code == 404
    refused = client.get(PAGE, {"since": "2020-05-02", "until": "2020-05-01"})
    assert refused.status_code == 200 and "截止日期不能早于起始日期" in refused.content.decode()


def test_the_export_holds_the_filtered_rows_with_chinese_headers(client, users, tree):
    read(users["village_team"], records=3)
    read(users["township_reviewer"], records=2, region=VILLAGE_A2)
    client.force_login(users["county_officer"])
    response = client.get(PAGE, {"username": "team", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("时间", "用户名", "姓名", "内容", "记录数")
    assert [(row[1], row[4], row[6]) for row in rows[1:]] == [("team", 3, VILLAGE_A1)]


def test_the_page_costs_the_same_queries_for_three_rows_or_thirty(client, users, tree, django_assert_num_queries):
    client.force_login(users["county_officer"])
    for _ in range(3):
        read(users["village_team"], records=1)
    client.get(PAGE)  # the session and the grants cached
    with django_assert_num_queries(8) as few:  # the log's page is a keyset page: no count
        client.get(PAGE)
    for _ in range(27):
        read(users["village_team"], records=1)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(PAGE)


def test_an_alert_is_closed_with_a_note_and_never_without(client, users, tree):
    alert = PersonalDataAlert.objects.create(user=users["village_team"], day=date(2026, 5, 1), kind="wide_export", region=TOWN_A)
    client.force_login(users["county_officer"])
    url = f"/personal-data/alerts/{alert.pk}/close/"
    assert client.post(url, {"note": " "}).status_code == 302
    alert.refresh_from_db()
    assert alert.closed_at is None
    assert client.post(url, {"note": "经核实为年度核查所需"}).status_code == 302
    alert.refresh_from_db()
    assert (alert.closed_by, alert.note) == (users["county_officer"], "经核实为年度核查所需")
    html = client.get(PAGE).content.decode()
    assert "已处理" in html and "经核实为年度核查所需" in html


def test_another_countys_alert_cannot_be_closed(client, users, tree):
    stranger = UserFactory(username="stranger", grants=[("village_team", OTHER_VILLAGE)])
    alert = PersonalDataAlert.objects.create(user=stranger, day=date(2026, 5, 1), kind="wide_export", region="220822100000")
    client.force_login(users["county_officer"])
    assert client.post(f"/personal-data/alerts/{alert.pk}/close/", {"note": "x"}).status_code == 404


# One person's report ------------------------------------------------------------------------------------------------


def test_a_persons_report_shows_their_rows_and_who_read_them_and_is_logged(client, api, users, home):
    head = home.members.get(relation="01")
    api(users["village_team"]).get(f"/api/v1/households/{home.pk}/")  # a read of the family's numbers
    client.force_login(users["county_officer"])
    before = PersonalDataAccess.objects.count()
    html = client.post(PERSON, {"id_number": head.id_number.lower()}).content.decode()
    assert 'id="person-report"' in html and head.name in html and head.id_number in html
    assert home.number in html and "team" in html  # the village team's read is listed
    logged = PersonalDataAccess.objects.order_by("-id").first()
    assert PersonalDataAccess.objects.count() == before + 1
    assert (logged.user, logged.object_ids, logged.region) == (users["county_officer"], [head.pk], VILLAGE_A1)


def test_a_person_of_another_county_is_not_found_and_nothing_is_logged(client, users, tree):
    stranger_home = make_household(village=tree[OTHER_VILLAGE], user=None, members=family(8))
    number = stranger_home.members.first().id_number
    client.force_login(users["county_officer"])
    before = PersonalDataAccess.objects.count()
    html = client.post(PERSON, {"id_number": number}).content.decode()
    assert 'id="person-not-found"' in html and number not in html.replace(f'value="{number}"', "")
    assert PersonalDataAccess.objects.count() == before


def test_a_malformed_number_is_refused_beside_the_field(client, users, tree):
    client.force_login(users["county_officer"])
    html = client.post(PERSON, {"id_number": "２２０８２１"}).content.decode()
    assert "id_id_number_error" in html and 'id="person-report"' not in html


def test_the_report_costs_a_fixed_number_of_queries(client, users, home, django_assert_num_queries):
    head = home.members.get(relation="01")
    client.force_login(users["county_officer"])
    client.get(PAGE)
    with django_assert_num_queries(11):
        client.post(PERSON, {"id_number": head.id_number})


# Retention -----------------------------------------------------------------------------------------------------------


def leave(member, years_ago: int):
    left = timezone.localdate().replace(year=timezone.localdate().year - years_ago) - timedelta(days=1)
    Member.objects.filter(pk=member.pk).update(left_on=left, left_reason="moved_out")


def test_people_who_left_long_ago_are_minimised_in_the_row_and_its_history(api, users, home):
    son = home.members.get(relation="22") if home.members.filter(relation="22").exists() else home.members.last()
    spouse = home.members.exclude(pk=son.pk).exclude(relation="01").first()
    original_number, original_name = son.id_number, son.name
    leave(son, 11)
    leave(spouse, 2)
    summary = api(users["county_officer"]).get(f"/api/v1/summaries/{COUNTY}/?as_of=2017-12-31").json()

    assert services.members_minimise_departed(today=timezone.localdate(), years=10) == 1
    son.refresh_from_db()
    assert (son.name, son.id_number, son.minimised_on) == (
        minimised_name(original_name), minimised_id_number(original_number), timezone.localdate()
    )
    history = Member.pgh_event_model.objects.filter(pgh_obj_id=son.pk)
    assert history.count() >= 2
    assert not history.filter(id_number=original_number).exists() and not history.filter(name=original_name).exists()
    spouse.refresh_from_db()
    assert "*" not in spouse.id_number and spouse.minimised_on is None
    # The figures are the same, and a second run changes nothing.
    assert api(users["county_officer"]).get(f"/api/v1/summaries/{COUNTY}/?as_of=2017-12-31").json() == summary
    assert services.members_minimise_departed(today=timezone.localdate(), years=10) == 0


def test_the_command_counts_in_a_dry_run_and_minimises_otherwise(users, home):
    leave(home.members.exclude(relation="01").first(), 12)
    out = io.StringIO()
    call_command("minimise_departed", "--dry-run", stdout=out)
    assert out.getvalue().startswith("1 people") and not Member.objects.filter(minimised_on__isnull=False).exists()
    call_command("minimise_departed", "--years", "10", stdout=io.StringIO())
    assert Member.objects.filter(minimised_on__isnull=False).count() == 1
