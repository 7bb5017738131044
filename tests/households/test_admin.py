"""Data entry in the admin: one page for a household and its members, the services' rules and messages."""

import datetime

import pytest

from core.models import PersonalDataAccess
from households.models import Household, Member
from households.rules import make_resident_id
from tests.conftest import VILLAGE_A1, VILLAGE_A2
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/households/household/add/"
BORN = datetime.date(1962, 3, 8)


def id_for(seq, sex="male", born=BORN):
    return make_resident_id(area="220821", birth_date=born, sequence=seq, sex=sex)


def member_form(index, *, name, id_number, sex, relation, born=BORN, pk="", **extra):
    values = {
        "name": name,
        "relation": relation,
        "sex": sex,
        "birth_date": born.isoformat(),
        "id_type": "resident_id",
        "id_number": id_number,
        "ethnicity": "han",
        "health": "healthy",
        "labour": "ordinary",
        "migrant_work": "none",
        "migrant_months": "0",
        "education": "primary",
        "school_status": "not_in_school",
        "join_reason": "registration",
        "id": pk,
        "household": "",
        **extra,
    }
    return {f"members-{index}-{key}": value for key, value in values.items()}


def post_data(members, *, initial=0, village=VILLAGE_A1, **household):
    data = {
        "village": village,
        "address": "一组",
        "identification_standard": "national",
        "attribute": "general",
        "main_cause": "illness",
        "other_causes": "",
        "stars": "2",
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": str(initial),
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "annual_records-TOTAL_FORMS": "0",
        "annual_records-INITIAL_FORMS": "0",
        "annual_records-MIN_NUM_FORMS": "0",
        "annual_records-MAX_NUM_FORMS": "1000",
        **household,
    }
    for form in members:
        data.update(form)
    return data


@pytest.fixture
def team(client, users):
    client.post("/admin/login/", {"username": "team", "password": PASSWORD})
    return client


def couple(head_seq=1, spouse_seq=2):
    return [
        member_form(0, name="张淑梅", id_number=id_for(spouse_seq, "female"), sex="female", relation="02"),
        member_form(1, name="王德福", id_number=id_for(head_seq), sex="male", relation="01"),
    ]


def test_team_registers_a_household_with_its_members_on_one_page(team):
    response = team.post(ADD_URL, post_data(couple()))
    assert response.status_code == 302, response.context["errors"] if response.context else response
    household = Household.objects.get()
    assert household.number == f"{VILLAGE_A1}0001"
    assert sorted(household.members.values_list("relation", flat=True)) == ["01", "02"]


def test_a_bad_id_number_is_shown_beside_the_field_and_nothing_is_saved(team):
    members = couple()
    members[1]["members-1-id_number"] = members[1]["members-1-id_number"][:-1] + "0"
    response = team.post(ADD_URL, post_data(members))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.forms[1].errors
    assert "校验位" in str(errors["id_number"])
    assert Household.objects.count() == 0 and Member.objects.count() == 0


def test_two_heads_are_refused_for_the_household_as_a_whole(team):
    members = [
        member_form(0, name="甲", id_number=id_for(1), sex="male", relation="01"),
        member_form(1, name="乙", id_number=id_for(2), sex="male", relation="01"),
    ]
    response = team.post(ADD_URL, post_data(members))
    assert response.status_code == 200
    assert "户主" in str(response.context["inline_admin_formsets"][0].formset.non_form_errors())
    assert Household.objects.count() == 0


def test_a_person_registered_elsewhere_is_refused(team):
    assert team.post(ADD_URL, post_data(couple())).status_code == 302
    response = team.post(ADD_URL, post_data(couple(head_seq=1, spouse_seq=5)))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.forms[1].errors
    assert f"{VILLAGE_A1}0001" in str(errors["id_number"])
    assert Household.objects.count() == 1


def test_the_team_cannot_register_in_another_village(team):
    response = team.post(ADD_URL, post_data(couple(), village=VILLAGE_A2))
    assert response.status_code == 200
    assert "village" in response.context["adminform"].form.errors
    assert Household.objects.count() == 0


def test_the_head_hands_over_in_one_save(team):
    team.post(ADD_URL, post_data(couple()))
    household = Household.objects.get()
    spouse = household.members.get(relation="02")
    head = household.members.get(relation="01")
    forms = [
        member_form(0, name=spouse.name, id_number=spouse.id_number, sex="female", relation="01", pk=spouse.pk),
        member_form(
            1, name=head.name, id_number=head.id_number, sex="male", relation="01", pk=head.pk,
            left_on="2017-05-01", left_reason="deceased",
        ),
    ]  # fmt: skip
    url = f"/admin/households/household/{household.pk}/change/"
    response = team.post(url, post_data(forms, initial=2))
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    head.refresh_from_db()
    spouse.refresh_from_db()
    assert (head.left_reason, str(head.left_on)) == ("deceased", "2017-05-01")
    assert spouse.relation == "01"


def test_inspector_sees_masked_numbers_and_cannot_edit(client, users):
    household = _household_with_account(users)
    client.post("/admin/login/", {"username": "inspector", "password": PASSWORD})
    page = client.get(f"/admin/households/household/{household.pk}/change/").content.decode()
    head = household.members.get(relation="01")
    assert head.id_number not in page and head.id_number[:6] + "********" + head.id_number[-4:] in page
    assert "6228480123456789012" not in page and "622848*********9012" in page
    assert 'name="members-0-name"' not in page
    assert not PersonalDataAccess.objects.exists()


def test_full_reads_in_the_admin_are_logged(client, users):
    household = _household_with_account(users)
    client.post("/admin/login/", {"username": "county", "password": PASSWORD})
    page = client.get(f"/admin/households/household/{household.pk}/change/").content.decode()
    assert household.members.get(relation="01").id_number in page
    logged = {(row.model, tuple(row.fields)) for row in PersonalDataAccess.objects.filter(user=users["county_officer"])}
    assert logged == {("households.household", ("bank_account",)), ("households.member", ("id_number",))}


def _household_with_account(users):
    from households.services import household_create
    from villages.models import Region

    return household_create(
        user=users["superuser"],
        village=Region.objects.get(code=VILLAGE_A1),
        data={"attribute": "general", "main_cause": "illness", "bank_account": "6228480123456789012"},
        members=[
            {"name": "王德福", "id_number": id_for(1), "sex": "male", "birth_date": BORN, "relation": "01", "labour": "weak"},
        ],
    )


def test_admin_history_is_the_trigger_timeline(client, users):
    import pghistory

    with pghistory.context(user=users["superuser"].pk):  # as a request by the administrator would
        household = _household_with_account(users)
    Member.objects.filter(household=household).update(name="改名")  # a bulk change, no request
    client.post("/admin/login/", {"username": "inspector", "password": PASSWORD})
    page = client.get(f"/admin/households/household/{household.pk}/history/").content.decode()
    assert 'id="timeline"' in page
    assert "改名" in page and "root" in page  # the bulk edit and the creator
    assert "6228480123456789012" not in page and "622848*********9012" in page


def test_the_list_filters_by_township_within_scope(client, users):
    from households.services import household_create
    from villages.models import Region

    for code, seq in ((VILLAGE_A1, 11), ("220821101201", 12)):
        household_create(
            user=users["superuser"],
            village=Region.objects.get(code=code),
            data={"attribute": "general", "main_cause": "illness"},
            members=[{"name": "户主", "id_number": id_for(seq), "sex": "male", "birth_date": BORN, "relation": "01", "labour": "weak"}],
        )
    client.post("/admin/login/", {"username": "county", "password": PASSWORD})
    page = client.get("/admin/households/household/?region=220821100000").content.decode()
    assert f"{VILLAGE_A1}0001" in page and "2208211012010001" not in page
    assert "?region=220821101000" in client.get("/admin/households/household/").content.decode()


def _household_in(users, village, seq):
    from households.services import household_create
    from villages.models import Region

    return household_create(
        user=users["superuser"],
        village=Region.objects.get(code=village),
        data={"attribute": "general", "main_cause": "illness", "bank_account": f"622848012345678{seq:04d}"},
        members=[
            {"name": "王德福", "id_number": id_for(seq), "sex": "male", "birth_date": BORN, "relation": "01", "labour": "weak"},
        ],
    )


FULL_BIRTH_DATE_FORMS = (BORN.isoformat(), "1962年3月8日", "March 8, 1962", "1962-3-8")


def test_masking_follows_the_households_village_not_rights_held_elsewhere(client, users):
    """A user who is the inspector of the county and the work team of A1 sees A1's household in full (read logged)
    and A2's masked: ID number without birth digits, bank account, birth year only; nothing logged for A2."""
    from tests.factories import UserFactory

    mine, other = _household_in(users, VILLAGE_A1, 21), _household_in(users, VILLAGE_A2, 22)
    both = UserFactory(username="both", grants=[("inspector", "220821000000"), ("village_team", VILLAGE_A1)])
    client.post("/admin/login/", {"username": both.username, "password": PASSWORD})

    page = client.get(f"/admin/households/household/{other.pk}/change/").content.decode()
    head = other.members.get()
    assert head.id_number not in page and head.id_number[:6] + "********" + head.id_number[-4:] in page
    assert other.bank_account not in page and other.bank_account[:6] + "*********" + other.bank_account[-4:] in page
    assert not any(form in page for form in FULL_BIRTH_DATE_FORMS)
    assert not PersonalDataAccess.objects.exists()

    page = client.get(f"/admin/households/household/{mine.pk}/change/").content.decode()
    assert mine.members.get().id_number in page and mine.bank_account in page
    logged = {(row.model, tuple(row.object_ids)) for row in PersonalDataAccess.objects.filter(user=both)}
    assert logged == {("households.household", (mine.pk,)), ("households.member", (mine.members.get().pk,))}


def test_the_inspector_sees_the_birth_year_only(client, users):
    """Beside a masked ID number the member's birth date is shown as its year: the two would give the number back."""
    household = _household_with_account(users)
    client.post("/admin/login/", {"username": "inspector", "password": PASSWORD})
    page = client.get(f"/admin/households/household/{household.pk}/change/").content.decode()
    assert "出生年份" in page and str(BORN.year) in page
    assert not any(form in page for form in FULL_BIRTH_DATE_FORMS)
