"""The admin works for every role: scoped rows, role rights, masked personal data."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from core.admin_base import ScopedModelAdmin
from core.models import RoleGrant
from tests.conftest import COUNTY, OTHER_VILLAGE, TOWN_A, VILLAGE_A1, VILLAGE_A2
from tests.factories import PASSWORD
from villages.models import Region

pytestmark = pytest.mark.django_db


def sign_in(client, username):
    response = client.post("/admin/login/?next=/admin/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:3000]
    return client


@pytest.mark.parametrize("role", ["village_team", "township_reviewer", "county_officer", "inspector"])
def test_every_working_role_can_sign_in_to_the_admin(client, users, role):
    sign_in(client, users[role].username)
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("role", ["api_client", "nobody"])
def test_machines_and_users_without_roles_cannot(client, users, role):
    response = client.post("/admin/login/?next=/admin/", {"username": users[role].username, "password": PASSWORD})
    assert response.status_code == 200
    assert "此账号没有可使用管理后台的角色" in response.content.decode()


def test_village_team_sees_only_its_village(client, users):
    sign_in(client, "team")
    page = client.get("/admin/villages/region/").content.decode()
    assert VILLAGE_A1 in page
    assert VILLAGE_A2 not in page and OTHER_VILLAGE not in page
    assert client.get(f"/admin/villages/region/{VILLAGE_A2}/change/").status_code == 302  # "does not exist"


def test_regions_are_read_only_for_roles(client, users):
    sign_in(client, "county")
    page = client.get(f"/admin/villages/region/{VILLAGE_A1}/change/").content.decode()
    assert 'name="name"' not in page  # shown, not editable
    response = client.post(f"/admin/villages/region/{VILLAGE_A1}/change/", {"name": "改"})
    assert response.status_code == 403
    assert Region.objects.get(code=VILLAGE_A1).name != "改"


def test_inspector_sees_no_role_management(client, users):
    sign_in(client, "inspector")
    assert "rolegrant" not in client.get("/admin/").content.decode()
    assert client.get("/admin/core/rolegrant/").status_code == 403


def test_county_officer_grants_roles_only_inside_the_county(client, users):
    sign_in(client, "county")
    town = users["township_reviewer"]  # holds a grant in the county, so the officer may name them
    ok = client.post("/admin/core/rolegrant/add/", {"user": town.pk, "role": "village_team", "region": VILLAGE_A2})
    assert ok.status_code == 302
    refused = client.post("/admin/core/rolegrant/add/", {"user": town.pk, "role": "village_team", "region": OTHER_VILLAGE})
    assert refused.status_code == 200 and "region" in refused.context["adminform"].form.errors
    assert list(RoleGrant.objects.filter(user=town, role="village_team").values_list("region_id", flat=True)) == [VILLAGE_A2]


class MaskedRegionAdmin(ScopedModelAdmin):
    """A stand-in for registry admins with personal data: here the region name plays the ID number."""

    masked_fields = ("name",)
    list_display = ("code", "name")
    search_fields = ("code", "name")


def request_for(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def shown_row(model_admin, request, obj) -> list:
    """The change list's cells of a row as the admin renders them (a column is a name or a per-row callable)."""
    cells = []
    for column in model_admin.get_list_display(request):
        cells.append(column(obj) if callable(column) else getattr(obj, column))
    return cells


def test_masked_fields_are_masked_for_inspectors_only(users):
    model_admin = MaskedRegionAdmin(Region, admin.site)
    Region.objects.filter(code=VILLAGE_A1).update(name="220821196203081234")
    obj = Region.objects.get(code=VILLAGE_A1)

    inspector = request_for(users["inspector"])
    assert shown_row(model_admin, inspector, obj) == [VILLAGE_A1, "220821********1234"]
    assert model_admin.masked__name(obj) == "220821********1234"
    assert "masked__name" in model_admin.get_fields(inspector, obj)
    assert "name" not in model_admin.get_fields(inspector, obj)
    assert model_admin.get_search_fields(inspector) == ["code"]

    officer = request_for(users["county_officer"])
    assert shown_row(model_admin, officer, obj) == [VILLAGE_A1, "220821196203081234"]
    assert model_admin.get_search_fields(officer) == ("code", "name")


def test_masking_is_decided_per_object_region_in_the_list_and_the_form(users):
    """An inspector of the county who is A1's work team sees A1's value in full and A2's masked, row by row and
    on each object's form; searching the masked field is refused (it would reveal A2's values by guessing)."""
    from tests.factories import UserFactory

    model_admin = MaskedRegionAdmin(Region, admin.site)
    Region.objects.filter(code=VILLAGE_A1).update(name="220821196203081234")
    Region.objects.filter(code=VILLAGE_A2).update(name="220821197001024321")
    a1, a2 = Region.objects.get(code=VILLAGE_A1), Region.objects.get(code=VILLAGE_A2)
    both = request_for(UserFactory(username="both", grants=[("inspector", COUNTY), ("village_team", VILLAGE_A1)]))

    assert shown_row(model_admin, both, a1) == [VILLAGE_A1, "220821196203081234"]
    assert shown_row(model_admin, both, a2) == [VILLAGE_A2, "220821********4321"]
    assert "name" in model_admin.get_fields(both, a1) and "masked__name" not in model_admin.get_fields(both, a1)
    assert "masked__name" in model_admin.get_fields(both, a2) and "name" not in model_admin.get_fields(both, a2)
    assert model_admin.get_search_fields(both) == ["code"]


def test_the_role_grant_form_lists_only_users_in_the_officers_county(client, users):
    """The county officer chooses among users holding a grant in the county; a user of the other county and a
    user without any grant are not offered (nor accepted when posted); a superuser is offered everyone."""
    from tests.factories import UserFactory

    UserFactory(username="elsewhere", grants=[("village_team", OTHER_VILLAGE)])
    sign_in(client, "county")
    offered = {str(user) for user in client.get("/admin/core/rolegrant/add/").context["adminform"].form.fields["user"].queryset}
    assert offered == {"team", "town", "county", "inspector", "client"}

    refused = client.post("/admin/core/rolegrant/add/", {"user": users["nobody"].pk, "role": "village_team", "region": VILLAGE_A2})
    assert refused.status_code == 200 and "user" in refused.context["adminform"].form.errors
    assert not RoleGrant.objects.filter(user=users["nobody"]).exists()

    client.logout()
    sign_in(client, "root")
    offered = {str(user) for user in client.get("/admin/core/rolegrant/add/").context["adminform"].form.fields["user"].queryset}
    assert {"nobody", "elsewhere", "team"} <= offered


def test_write_rights_follow_the_object_region(users):
    model_admin = MaskedRegionAdmin(Region, admin.site)  # write capability: edit_register
    team = request_for(users["village_team"])
    assert model_admin.has_change_permission(team, Region.objects.get(code=VILLAGE_A1))
    assert not model_admin.has_change_permission(team, Region.objects.get(code=VILLAGE_A2))
    assert not model_admin.has_change_permission(request_for(users["inspector"]), Region.objects.get(code=VILLAGE_A1))
    assert model_admin.has_view_permission(request_for(users["inspector"]), Region.objects.get(code=TOWN_A))
    assert not model_admin.has_delete_permission(team, Region.objects.get(code=VILLAGE_A1))


def test_inspector_change_page_shows_masked_values(client, users, monkeypatch):
    """Rendered through the real admin: the masked value appears, the clear one never."""
    Region.objects.filter(code=VILLAGE_A1).update(name="220821196203081234")
    registered = admin.site._registry[Region]
    monkeypatch.setattr(type(registered), "masked_fields", ("name",))
    sign_in(client, "inspector")
    page = client.get(f"/admin/villages/region/{VILLAGE_A1}/change/").content.decode()
    assert "220821********1234" in page
    assert "220821196203081234" not in page
    listing = client.get("/admin/villages/region/").content.decode()
    assert "220821196203081234" not in listing
    assert COUNTY in listing
    history = client.get(f"/admin/villages/region/{VILLAGE_A1}/history/").content.decode()
    assert "220821196203081234" not in history
