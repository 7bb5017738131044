"""Closing 自然销户, status corrections 更正, published years and plan years, the township's notice (issue 14: 8, 10, 11)."""

import datetime

import pytest
from django.db import connection

from checks import catalog
from checks.models import Finding
from checks.register_rules import run_rules
from households import services
from households.models import Household, Member
from lifecycle import selectors
from lifecycle import services as lifecycle
from lifecycle.models import Notice, PublishedYear, StatusChange
from reports import selectors as report_selectors
from tests.assertions import assert_error
from tests.conftest import COUNTY, VILLAGE_A1
from tests.households.builders import head, spouse
from tests.lifecycle.test_services import identify, passing_record, take
from villages.models import Region

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def household(users):
    """A household registered poor on 2014-04-01 (a dated status change, as the county decided it)."""
    household = services.household_create(
        user=users["superuser"],
        village=Region.objects.get(code=VILLAGE_A1),
        data={"attribute": "general", "main_cause": "illness"},
        members=[head(1), spouse(1)],
    )
    lifecycle.status_record(user=users["superuser"], household=household, status="poor", on=D(2014, 4, 1))
    household.refresh_from_db()
    return household


def procedures_url(household):
    return f"/api/v1/households/{household.pk}/procedures/"


def corrections_url(household):
    return f"/api/v1/households/{household.pk}/status-corrections/"


def all_leave(household, on):
    Member.objects.filter(household=household).update(left_on=on, left_reason="deceased")


# 8: closing 自然销户 -------------------------------------------------------------------------------------------------


def test_closing_is_refused_while_a_member_is_left(api, users, household):
    """Given one member dead and the other still in the household, a closing proposal is 409 members_remaining."""
    Member.objects.filter(household=household, relation="02").update(left_on=D(2016, 3, 1), left_reason="deceased")
    response = api(users["village_team"]).post(
        procedures_url(household), {"kind": "closing", "date": "2016-06-01"}, format="json"
    )
    assert_error(response, 409, "members_remaining")
    assert not household.procedures.exists()


def test_closing_runs_through_the_api_to_closed_and_puts_hh10_right(api, users, household):
    """Given every member gone (HH-10 raised), the village team proposes and verifies, the township reviews, the
    county approves: the household is `closed` from the approval day, and HH-10's finding is fixed on the next run."""
    all_leave(household, D(2016, 3, 1))
    run_rules(region_code=VILLAGE_A1, rules=["HH-10"], trigger="api")
    finding = Finding.objects.get(household=household, rule="HH-10")
    assert finding.status == "open"
    team, town, county = api(users["village_team"]), api(users["township_reviewer"]), api(users["county_officer"])
    opened = team.post(procedures_url(household), {"kind": "closing", "date": "2016-06-01"}, format="json")
    assert opened.status_code == 201, opened.json()
    pid = opened.json()["id"]
    assert opened.json()["next_step"] == "verification"
    assert_error(take(town, pid, "township_review", "2016-06-02"), 409, "transition_not_allowed")
    assert take(team, pid, "verification", "2016-06-02").status_code == 201
    assert_error(take(team, pid, "township_review", "2016-06-03"), 403, "permission_denied")
    assert take(town, pid, "township_review", "2016-06-03").status_code == 201
    approved = take(county, pid, "county_approval", "2016-06-10")
    assert approved.status_code == 201, approved.json()
    household.refresh_from_db()
    assert household.status == "closed"
    change = StatusChange.objects.filter(household=household).latest("id")
    assert (change.status, change.effective_on, change.procedure_id) == ("closed", D(2016, 6, 10), pid)
    assert selectors.statuses_as_of(households=[household.pk], day=D(2016, 6, 9)) == {household.pk: ("poor", False)}
    run_rules(region_code=VILLAGE_A1, rules=["HH-10"], trigger="api")
    finding.refresh_from_db()
    assert finding.status == "fixed"


def test_closing_is_refused_at_approval_when_a_member_was_entered_since(users, household):
    """A member recorded back in the household after the proposal: the county approval is 409 members_remaining."""
    from core.errors import DomainError

    all_leave(household, D(2016, 3, 1))
    procedure = lifecycle.procedure_open(user=users["village_team"], household=household, kind="closing", on=D(2016, 6, 1))
    lifecycle.procedure_step(
        user=users["village_team"], procedure=procedure, step="verification", decision="approve", on=D(2016, 6, 2)
    )
    lifecycle.procedure_step(
        user=users["township_reviewer"], procedure=procedure, step="township_review", decision="approve", on=D(2016, 6, 3)
    )
    Member.objects.filter(household=household, relation="01").update(left_on=None, left_reason="")
    with pytest.raises(DomainError) as info:
        lifecycle.procedure_step(
            user=users["county_officer"], procedure=procedure, step="county_approval", decision="approve", on=D(2016, 6, 4)
        )
    assert info.value.code == "members_remaining"
    household.refresh_from_db()
    assert household.status == "poor"


def test_the_catalogue_names_closing_as_hh10s_remedy_and_no_finding_blocks_a_closing():
    """HH-10 names the closing procedure (and, in its message, the county's correction) as what puts it right; an
    error finding on a household nobody is left in does not hold its closing."""
    hh10 = catalog.CODES["HH-10"]
    assert "closing" in hh10.remedies
    assert "自然销户" in str(hh10.message) and "更正" in str(hh10.message)
    assert not catalog.blocks("HH-1", "error", "closing")
    assert catalog.blocks("HH-1", "error", "exit")


# 8: corrections 更正 ------------------------------------------------------------------------------------------------


def test_a_county_officer_corrects_a_wrong_status_change_through_the_api(api, users, household):
    """A household wrongly recorded `removed` on 2016-05-01: the county officer's correction to `poor` is a new row
    naming the wrong one, with the reason and who recorded it, effective on the wrong row's day; the wrong row stays,
    and statuses_as_of and latest_change_sql read the correction (the later recorded wins on its day)."""
    wrong = lifecycle.status_record(user=users["superuser"], household=household, status="removed", on=D(2016, 5, 1))
    county = api(users["county_officer"])
    response = county.post(
        corrections_url(household), {"corrects": wrong.pk, "status": "poor", "reason": "清退依据有误，系误录"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["corrects"], body["status"], body["effective_on"]) == (wrong.pk, "poor", "2016-05-01")
    assert (body["reason"], body["recorded_by"]) == ("清退依据有误，系误录", "county")
    assert StatusChange.objects.get(pk=wrong.pk).status == "removed"  # the wrong row stays
    household.refresh_from_db()
    assert household.status == "poor"
    for day in (D(2016, 5, 1), D(2017, 1, 1)):
        assert selectors.statuses_as_of(households=[household.pk], day=day) == {household.pk: ("poor", False)}
        with connection.cursor() as cursor:
            cursor.execute(selectors.latest_change_sql(households="IS NOT NULL"), {"day": day})
            assert dict(cursor.fetchall()) == {household.pk: "poor"}
    history = county.get(corrections_url(household)).json()
    assert [row["status"] for row in history] == ["poor", "removed", "poor"]
    assert history[-1]["corrects"] == wrong.pk


def test_a_correction_is_the_county_officers_and_says_why(api, users, household):
    """The village team may not correct (403); without a reason it is 400; a row corrected once is 409
    already_corrected (correct the correction instead); another household's row is 400."""
    wrong = StatusChange.objects.get(household=household)
    payload = {"corrects": wrong.pk, "status": "exited", "reason": "误录"}
    assert_error(api(users["village_team"]).post(corrections_url(household), payload, format="json"), 403, "permission_denied")
    county = api(users["county_officer"])
    assert county.post(corrections_url(household), {**payload, "reason": " "}, format="json").status_code == 400
    assert county.post(corrections_url(household), payload, format="json").status_code == 201
    assert_error(county.post(corrections_url(household), payload, format="json"), 409, "already_corrected")
    other = services.household_create(
        user=users["superuser"], village=Region.objects.get(code=VILLAGE_A1),
        data={"attribute": "general", "main_cause": "illness"}, members=[head(2)],
    )  # fmt: skip
    assert county.post(corrections_url(other), payload, format="json").status_code == 400
    assert StatusChange.objects.filter(household=household).count() == 2


def test_a_correction_without_a_reason_is_refused_by_the_database(users, household):
    """The constraint backs the service: a row that corrects another carries a reason."""
    from django.db import IntegrityError, transaction

    wrong = StatusChange.objects.get(household=household)
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusChange.objects.create(household=household, status="exited", effective_on=wrong.effective_on, corrects=wrong)


# 10: published years and plan years ---------------------------------------------------------------------------------


def publish_url(year):
    return f"/api/v1/reports/{COUNTY}/annual/publish/?year={year}"


def test_the_county_publishes_a_year_and_back_dated_steps_into_it_are_refused(api, users, household):
    """Once the county published 2016, a procedure opened or a step dated in 2016 is 409 year_published; a step in
    2017 is not; a correction of a 2016 row still is allowed (it is how a published year is put right)."""
    wrong = lifecycle.status_record(user=users["superuser"], household=household, status="exited", on=D(2016, 6, 1))
    assert_error(api(users["inspector"]).post(publish_url(2016)), 403, "permission_denied")
    county = api(users["county_officer"])
    published = county.post(publish_url(2016))
    assert published.status_code == 201, published.json()
    assert (published.json()["year"], published.json()["published_by"]) == (2016, "county")
    assert_error(county.post(publish_url(2016)), 409, "year_published")
    assert_error(county.post(publish_url(datetime.date.today().year)), 409, "year_not_ended")
    team = api(users["village_team"])
    removal = {"kind": "removal", "reason": "vehicle"}
    for day in ("2016-11-01", "2016-12-31"):
        refused = team.post(procedures_url(household), {**removal, "date": day}, format="json")
        assert_error(refused, 409, "year_published")
    opened = team.post(procedures_url(household), {**removal, "date": "2017-01-03"}, format="json")
    assert opened.status_code == 201, opened.json()
    rejected = take(team, opened.json()["id"], "verification", "2017-01-04", decision="reject", note="核实无车")
    assert rejected.status_code == 201
    payload = {"corrects": wrong.pk, "status": "poor", "reason": "误录"}
    corrected = county.post(corrections_url(household), payload, format="json")
    assert corrected.status_code == 201, corrected.json()
    assert corrected.json()["effective_on"] == "2016-06-01"
    assert PublishedYear.objects.filter(region_id=COUNTY, year=2016).count() == 1


def exit_approved_in_january(users, household, plan_year=None):
    """An exit of 2015 proposed in December 2015, approved by the county on 2016-01-10 naming `plan_year`."""
    from lifecycle import workflow

    team, town, county = users["village_team"], users["township_reviewer"], users["county_officer"]
    passing_record(users, household, 2015)
    procedure = lifecycle.procedure_open(user=team, household=household, kind="exit", on=D(2015, 12, 1), year=2015)
    day = D(2015, 12, 2)
    for step in workflow.STEPS["exit"][1:-1]:
        actor = town if step == "township_review" else team
        data = {"votes_for": 20, "votes_against": 1} if step == "appraisal" else {}
        if step == "notice":
            data = {"start": day, "end": day + datetime.timedelta(days=7)}
        lifecycle.procedure_step(user=actor, procedure=procedure, step=step, decision="approve", on=day, data=data)
        day = day + datetime.timedelta(days=8 if step == "notice" else 1)
    data = {} if plan_year is None else {"plan_year": plan_year}
    lifecycle.procedure_step(
        user=county, procedure=procedure, step="county_approval", decision="approve", on=D(2016, 1, 10), data=data
    )
    procedure.refresh_from_db()
    return procedure


def test_an_exit_approved_in_january_counts_in_the_plan_year_the_county_names(users, household):
    """Approved on 2016-01-10 for the 2015 plan: the year-end report of 2015 counts the exit (and the household out of
    the poor stock at its end), the report of 2016 does not; both still balance."""
    procedure = exit_approved_in_january(users, household, plan_year=2015)
    assert procedure.plan_year == 2015 and procedure.steps.latest("id").data["plan_year"] == 2015
    county = Region.objects.get(code=COUNTY)
    of_2015 = report_selectors.annual_adjustment(region=county, year=2015)["households"]
    of_2016 = report_selectors.annual_adjustment(region=county, year=2016)["households"]
    assert (of_2015["start"], of_2015["exited"], of_2015["end"]) == (1, 1, 0)
    assert (of_2016["start"], of_2016["exited"], of_2016["end"]) == (0, 0, 0)


def test_without_a_plan_year_an_exit_counts_in_the_year_of_its_approval(users, household):
    procedure = exit_approved_in_january(users, household)
    assert procedure.plan_year == 2016
    county = Region.objects.get(code=COUNTY)
    assert report_selectors.annual_adjustment(region=county, year=2016)["households"]["exited"] == 1


def test_a_plan_year_into_a_published_year_or_too_far_back_is_refused(users, household):
    """Naming 2014 for a 2016 approval is invalid; naming 2015 once 2015 is published is 409 year_published."""
    from django.core.exceptions import ValidationError

    from core.errors import DomainError

    with pytest.raises(ValidationError) as invalid:
        exit_approved_in_january(users, household, plan_year=2014)
    assert "plan_year" in invalid.value.message_dict
    lifecycle.year_publish(user=users["county_officer"], region=Region.objects.get(code=COUNTY), year=2015)
    procedure = household.procedures.get()
    with pytest.raises(DomainError) as info:
        lifecycle.procedure_step(
            user=users["county_officer"], procedure=procedure, step="county_approval", decision="approve",
            on=D(2016, 1, 10), data={"plan_year": 2015},
        )  # fmt: skip
    assert info.value.code == "year_published"
    household.refresh_from_db()
    assert household.status == "poor"


# 11: the township's notice 乡镇公示 ----------------------------------------------------------------------------------


@pytest.fixture
def candidate(users):
    return Household.objects.get(
        pk=services.household_create(
            user=users["superuser"], village=Region.objects.get(code=VILLAGE_A1),
            data={"attribute": "general", "main_cause": "illness"}, members=[head(3)],
        ).pk
    )  # fmt: skip


def test_the_second_notice_and_its_objections_are_the_townships(api, users, candidate):
    """乡镇公示 is taken by the township reviewer, not the village team; an objection to it is recorded and resolved
    by the township (403 for the village team), while the village notice's objections stay the village team's."""
    pid = identify(api, users, candidate, until="second_notice")
    team, town = api(users["village_team"]), api(users["township_reviewer"])
    notice_data = {"start": "2014-03-22", "end": "2014-03-29"}
    assert_error(take(team, pid, "second_notice", "2014-03-21", **notice_data), 403, "permission_denied")
    assert take(town, pid, "second_notice", "2014-03-21", **notice_data).status_code == 201
    notice = Notice.objects.get(procedure_id=pid, step="second_notice")
    objection = {"lodged_on": "2014-03-23", "lodged_by": "村民甲", "content": "该户有经营收入"}
    url = f"/api/v1/notices/{notice.pk}/objections/"
    assert_error(team.post(url, objection, format="json"), 403, "permission_denied")
    lodged = town.post(url, objection, format="json")
    assert lodged.status_code == 201, lodged.json()
    resolve = f"/api/v1/objections/{lodged.json()['id']}/resolve/"
    resolution = {"outcome": "dismissed", "date": "2014-03-25", "resolution": "经核实无经营收入"}
    assert_error(team.post(resolve, resolution, format="json"), 403, "permission_denied")
    assert town.post(resolve, resolution, format="json").status_code == 200
    village_notice = Notice.objects.get(procedure_id=pid, step="first_notice")
    objection = {"lodged_on": "2014-03-11", "lodged_by": "村民乙", "content": "异议"}
    village_url = f"/api/v1/notices/{village_notice.pk}/objections/"
    assert_error(town.post(village_url, objection, format="json"), 403, "permission_denied")
