"""The API framework: authentication, the error format, ETags, caching headers, schema and docs."""

import json

import pytest
from django.test import RequestFactory

from core.views import server_error
from tests.assertions import assert_error
from tests.conftest import COUNTY, OTHER_COUNTY, TOWN_A, VILLAGE_A1

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.urls")]




def test_anonymous_requests_are_401_with_a_token_challenge(api, tree):
    response = api().get("/api/v1/regions/")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


def test_a_bad_token_is_401(api, tree):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert_error(client.get("/api/v1/regions/"), 401, "not_authenticated")


def test_a_bad_filter_value_is_400_with_field_errors(api, users):
    body = assert_error(api(users["county_officer"]).get("/api/v1/regions/?level=planet"), 400, "invalid")
    assert body["errors"]["level"][0]["code"] == "invalid_choice"


def test_malformed_json_is_400(api, users):
    response = api(users["county_officer"]).generic(
        "PATCH", f"/api/v1/test-regions/{VILLAGE_A1}/", "{not json", content_type="application/json"
    )
    assert_error(response, 400, "invalid")


def test_unknown_api_paths_are_json_404(api, users):
    assert_error(api(users["county_officer"]).get("/api/v1/nothing-here/"), 404, "not_found")
    assert_error(api().get("/api/v1/regions/12/"), 404, "not_found")  # Django's own 404, before auth


def test_method_not_allowed_is_405(api, users):
    assert_error(api(users["county_officer"]).post("/api/v1/regions/", {}, format="json"), 405, "method_not_allowed")


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_regions_are_read_only_through_the_api_even_for_superusers(api, users, method):
    response = getattr(api(users["superuser"]), method)(f"/api/v1/regions/{VILLAGE_A1}/", {}, format="json")
    assert_error(response, 405, "method_not_allowed")


def test_django_500_handler_answers_json_on_api_paths():
    response = server_error(RequestFactory().get("/api/v1/regions/"))
    assert response.status_code == 500
    assert json.loads(response.content) == {"code": "server_error", "detail": "服务器内部错误，已记录。"}


def test_csrf_failure_on_the_api_is_json_403(users, client):
    """Session-authenticated writes need the CSRF token; the refusal has the API's format."""
    from rest_framework.test import APIClient

    session = APIClient(enforce_csrf_checks=True)
    session.force_login(users["county_officer"])
    response = session.patch(f"/api/v1/test-regions/{VILLAGE_A1}/", {"name": "x"}, format="json")
    assert_error(response, 403, "permission_denied")


# Role rights and scope on a writable resource (tests/core/urls.py).


def test_out_of_scope_objects_are_404_not_403(api, users):
    assert_error(api(users["village_team"]).get(f"/api/v1/test-regions/{TOWN_A}/"), 404, "not_found")
    assert_error(api(users["county_officer"]).get(f"/api/v1/test-regions/{OTHER_COUNTY}/"), 404, "not_found")


def test_read_only_roles_get_403_on_writes(api, users):
    response = api(users["inspector"]).patch(f"/api/v1/test-regions/{VILLAGE_A1}/", {"name": "x"}, format="json")
    assert_error(response, 403, "permission_denied")


def test_roles_without_read_rights_get_403(api, users):
    assert_error(api(users["api_client"]).get("/api/v1/test-regions/"), 403, "permission_denied")


# Concurrency: ETag and If-Match.


def test_etag_round_trip(api, users):
    client = api(users["county_officer"])
    url = f"/api/v1/test-regions/{VILLAGE_A1}/"
    etag = client.get(url)["ETag"]
    assert etag == '"1"'
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    updated = client.patch(url, {"name": "新名"}, format="json", HTTP_IF_MATCH=etag)
    assert updated.status_code == 200
    assert updated["ETag"] == '"2"'
    assert client.get(url)["ETag"] == '"2"'

    stale = client.patch(url, {"name": "又一个名"}, format="json", HTTP_IF_MATCH=etag)
    assert_error(stale, 412, "precondition_failed")
    assert client.get(url).json()["name"] == "新名"  # nothing written


def test_any_update_bumps_the_version_even_outside_the_orm(api, users):
    from django.db import connection

    client = api(users["county_officer"])
    url = f"/api/v1/test-regions/{VILLAGE_A1}/"
    etag = client.get(url)["ETag"]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE villages_region SET name = 'raw' WHERE code = %s", [VILLAGE_A1])
    assert_error(client.patch(url, {"name": "x"}, format="json", HTTP_IF_MATCH=etag), 412, "precondition_failed")


def test_stale_delete_is_412_and_deletes_nothing(api, users):
    from villages.models import Region

    client = api(users["superuser"])
    response = client.delete(f"/api/v1/test-regions/{VILLAGE_A1}/", HTTP_IF_MATCH='"7"')
    assert_error(response, 412, "precondition_failed")
    assert Region.objects.filter(code=VILLAGE_A1).exists()


# Regions endpoint.


def test_regions_list_is_scoped_and_filterable(api, users):
    client = api(users["township_reviewer"])
    codes = [r["code"] for r in client.get("/api/v1/regions/").json()["results"]]
    assert codes == [TOWN_A, VILLAGE_A1, "220821100202"]
    body = client.get(f"/api/v1/regions/?level=village&parent={TOWN_A}").json()
    assert [r["code"] for r in body["results"]] == [VILLAGE_A1, "220821100202"]
    assert body["results"][0] == {
        "code": VILLAGE_A1,
        "name": f"区划{VILLAGE_A1}",
        "level": "village",
        "parent": TOWN_A,
        "profile": None,
    }


def test_a_village_carries_its_profile(api, users):
    from villages.models import VillageProfile, VillagerGroup, VillageYear

    VillageProfile.objects.create(village_id=VILLAGE_A1, poverty_status="exited", identified_year=2014, exit_year=2016)
    VillageYear.objects.create(village_id=VILLAGE_A1, year=2016, rural_population=1200, clinic=True)
    VillagerGroup.objects.create(village_id=VILLAGE_A1, name="一组")
    profile = api(users["village_team"]).get(f"/api/v1/regions/{VILLAGE_A1}/").json()["profile"]
    assert (profile["poverty_status"], profile["identified_year"], profile["exit_year"]) == ("exited", 2014, 2016)
    assert profile["years"][0]["rural_population"] == 1200 and profile["years"][0]["clinic"] is True
    assert [g["name"] for g in profile["villager_groups"]] == ["一组"]
    assert api(users["county_officer"]).get(f"/api/v1/regions/{TOWN_A}/").json()["profile"] is None


def test_regions_ancestors_are_outside_a_township_scope(api, users):
    assert_error(api(users["township_reviewer"]).get(f"/api/v1/regions/{COUNTY}/"), 404, "not_found")


def test_api_client_reads_regions(api, users):
    response = api(users["api_client"]).get(f"/api/v1/regions/{COUNTY}/")
    assert response.status_code == 200
    assert response.json()["level"] == "county"


@pytest.mark.parametrize("role", ["county_officer", "superuser"])
def test_regions_list_query_count_is_pinned(api, users, django_assert_num_queries, role):
    client = api(users[role])
    client.get("/api/v1/regions/")  # warm the token
    # token + user, grants (not for a superuser), rows (a cursor: no count) with profiles, village years, villager groups
    with django_assert_num_queries(5 if role == "county_officer" else 4):
        response = client.get("/api/v1/regions/?page_size=500")
    assert response.status_code == 200


def test_regions_detail_query_count_is_pinned(api, users, django_assert_num_queries):
    client = api(users["county_officer"])
    with django_assert_num_queries(5):  # token + user, grants, row with profile, village years, villager groups
        assert client.get(f"/api/v1/regions/{VILLAGE_A1}/").status_code == 200


def test_cursor_pagination_walks_a_list_in_constant_pages(api, users):
    client = api(users["township_reviewer"])
    page = client.get("/api/v1/cursor-regions/").json()
    seen = [r["code"] for r in page["results"]]
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [r["code"] for r in page["results"]]
    assert seen == [TOWN_A, VILLAGE_A1, "220821100202"]


def test_a_forged_cursor_is_bad_input_naming_the_parameter(api, users):
    """A cursor the server did not hand out is a bad query parameter (400 under `cursor`), not a missing object."""
    body = assert_error(api(users["township_reviewer"]).get("/api/v1/cursor-regions/?cursor=garbage"), 400, "invalid")
    assert list(body["errors"]) == ["cursor"]


# Headers, schema, docs, health.


def test_regions_may_be_cached_privately_but_errors_and_tokens_not(api, users):
    client = api(users["county_officer"])
    assert client.get("/api/v1/regions/")["Cache-Control"] == "private, no-cache"
    assert client.get("/api/v1/nothing/")["Cache-Control"] == "no-store"
    assert client.get(f"/api/v1/regions/{OTHER_COUNTY}/")["Cache-Control"] == "no-store"


def test_api_responses_carry_a_request_id(api, users):
    response = api(users["county_officer"]).get("/api/v1/regions/", HTTP_X_REQUEST_ID="req-12345678")
    assert response["X-Request-ID"] == "req-12345678"
    assert len(api().get("/api/v1/regions/")["X-Request-ID"]) == 32


def test_schema_answers_without_credentials_and_validates(client):
    from drf_spectacular.validation import validate_schema

    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert set(schema["paths"]["/api/v1/regions/{code}/"]) == {"get"}
    assert "/api/v1/auth/token/" in schema["paths"]
    regions = schema["paths"]["/api/v1/regions/"]["get"]["responses"]
    assert {"200", "400", "401", "403"} <= set(regions)


def test_docs_page_loads_everything_from_this_server(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "http://" not in html.replace("http://testserver", "") and "https://" not in html
    asset = next(part.split('"')[0] for part in html.split('src="')[1:] if "swagger-ui" in part)
    from django.contrib.staticfiles import finders

    assert finders.find(asset.removeprefix("/static/")), asset


def test_healthz_checks_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_down():
    """A real unreachable server (nothing listens on port 1), not a mock."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; django.setup(); "
        "from django.test import Client; r = Client().get('/healthz'); print(r.status_code, r.json()['status'])"
    )
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:1/jingzhun"}
    out = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True
    )
    assert out.stdout.strip() == "503 error", out.stderr


def _schema(client):
    return client.get("/api/schema/?format=json").json()


def test_schema_enums_admit_the_blank_values_responses_send(client, db):
    """A household never identified sends `status` and `monitoring_status` "", an open objection `outcome` "":
    the schema's enums for them allow "" (a schema-driven client would otherwise reject the answer)."""
    components = _schema(client)["components"]["schemas"]

    def allows_blank(prop):
        refs = [item["$ref"].rsplit("/", 1)[1] for item in prop.get("oneOf", prop.get("allOf", []))]
        return any("" in components[ref].get("enum", []) for ref in refs)

    assert allows_blank(components["Household"]["properties"]["monitoring_status"])
    assert allows_blank(components["Household"]["properties"]["status"])
    assert allows_blank(components["Objection"]["properties"]["outcome"])


def test_schema_declares_the_errors_each_operation_can_answer(client, db):
    """404 on every operation with a path parameter and on reads naming a region; 400, 404 and 409 on every
    write; 412 on writes that honour If-Match; 409 on a read a state can refuse (a program's gaps)."""
    paths = _schema(client)["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            if "{" in path:
                assert "404" in codes, (method, path)
            if method in {"post", "put", "patch", "delete"}:
                assert {"400", "404", "409"} <= codes, (method, path)
            if any(p["name"] == "If-Match" for p in operation.get("parameters", [])):
                assert "412" in codes, (method, path)
    assert "404" in paths["/api/v1/standards/"]["get"]["responses"]
    assert "404" in paths["/api/v1/programs/figures/"]["get"]["responses"]
    assert "409" in paths["/api/v1/programs/{id}/gaps/"]["get"]["responses"]
