"""The jobs page (/jobs/) and the jobs API: my jobs, the county office's view of its county, progress polled with
htmx, errors in words, the file for its starter only, retry; everything else 404; pinned queries."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.models import Job
from tests.conftest import OTHER_VILLAGE, VILLAGE_A1, VILLAGE_A2
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/jobs/"
State = Job.State


def signed_in(client, user):
    client.force_login(user)
    return client


def make_job(user, region, **values):
    return Job.objects.create(kind="reports.households_xlsx", started_by=user, region_id=region, **values)


@pytest.fixture
def colleague(tree):
    """Another village team of the same county (village A2)."""
    return UserFactory(username="colleague", grants=[("village_team", VILLAGE_A2)])


@pytest.fixture
def stranger(tree):
    """A village team of the other county."""
    return UserFactory(username="stranger", grants=[("village_team", OTHER_VILLAGE)])


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_url_name_is_jobs():
    assert reverse("jobs") == URL


def test_a_user_sees_their_own_jobs_only_and_the_county_office_every_job_of_its_county(
    client, users, colleague, stranger
):
    mine = make_job(users["village_team"], VILLAGE_A1)
    theirs = make_job(colleague, VILLAGE_A2)
    far = make_job(stranger, OTHER_VILLAGE)
    seen = {}
    for role in ("village_team", "county_officer", "superuser", "township_reviewer", "inspector"):
        html = signed_in(client, users[role]).get(URL).content.decode()
        seen[role] = {job.pk for job in (mine, theirs, far) if f'id="job-{job.pk}"' in html}
    assert seen == {
        "village_team": {mine.pk},
        "county_officer": {mine.pk, theirs.pk},
        "superuser": {mine.pk, theirs.pk, far.pk},
        "township_reviewer": set(),
        "inspector": set(),
    }


@pytest.mark.parametrize("role", ["api_client", "nobody"])
def test_roles_that_do_not_read_the_register_get_403_and_no_menu_item(client, users, role):
    user_client = signed_in(client, users[role])
    assert user_client.get(URL).status_code == 403
    assert f'href="{URL}"' not in user_client.get("/").content.decode()


def test_the_menu_links_the_page_for_readers_of_the_register(client, users):
    assert f'href="{URL}"' in signed_in(client, users["inspector"]).get("/").content.decode()


def test_a_running_job_shows_its_progress_and_the_list_polls_until_all_are_finished(client, users):
    running = make_job(
        users["village_team"], VILLAGE_A1, state=State.RUNNING, done=150, total=600, phase="正在写入 Excel"
    )
    team = signed_in(client, users["village_team"])
    html = team.get(URL).content.decode()
    assert 'aria-valuenow="25"' in html and "25%" in html and "正在写入 Excel 150 / 600" in html
    assert 'hx-trigger="every 2s"' in html
    assert "农户信息导出（Excel）" in html and "区划" + VILLAGE_A1 in html  # the kind and the region in words
    Job.objects.filter(pk=running.pk).update(
        state=State.DONE, finished_at=timezone.now(), result={"summary": "共 3 行"}
    )
    html = team.get(URL).content.decode()
    assert "hx-trigger" not in html
    assert 'aria-valuenow="100"' in html and "共 3 行" in html


def test_an_htmx_poll_answers_the_list_alone(client, users):
    make_job(users["village_team"], VILLAGE_A1, state=State.QUEUED)
    html = signed_in(client, users["village_team"]).get(URL, headers={"HX-Request": "true"}).content.decode()
    assert html.startswith('<div id="jobs-list"') and "<html" not in html
    assert "等待工作进程" in html


def test_a_failed_job_shows_its_error_and_only_its_starter_may_retry_it(client, users):
    failed = make_job(users["village_team"], VILLAGE_A1, state=State.FAILED, error="区划不存在或不在您的范围内")
    html = signed_in(client, users["village_team"]).get(URL).content.decode()
    assert "区划不存在或不在您的范围内" in html and "job-retry" in html
    county_html = signed_in(client, users["county_officer"]).get(URL).content.decode()
    assert "区划不存在或不在您的范围内" in county_html and "job-retry" not in county_html

    retry = reverse("jobs-retry", kwargs={"pk": failed.pk})
    assert signed_in(client, users["county_officer"]).post(retry).status_code == 403
    assert Job.objects.get(pk=failed.pk).state == State.FAILED
    response = signed_in(client, users["village_team"]).post(retry)
    assert response.status_code == 302 and response["Location"] == URL
    failed.refresh_from_db()
    assert failed.state == State.QUEUED and failed.error == ""
    assert DBTaskResult.objects.filter(id=failed.task_id, status="READY").exists()


def test_retrying_a_job_out_of_scope_is_404_and_changes_nothing(client, users, stranger):
    far = make_job(stranger, OTHER_VILLAGE, state=State.FAILED, error="x")
    response = signed_in(client, users["county_officer"]).post(reverse("jobs-retry", kwargs={"pk": far.pk}))
    assert response.status_code == 404
    assert Job.objects.get(pk=far.pk).state == State.FAILED


def test_the_download_link_is_for_the_starter_once_the_file_exists(client, users, media):
    done = make_job(
        users["village_team"], VILLAGE_A1, state=State.DONE, result={"file": "job-1.xlsx", "filename": "h.xlsx"}
    )
    link = reverse("api:job-file", kwargs={"pk": done.pk})
    assert link not in signed_in(client, users["village_team"]).get(URL).content.decode()  # no file on disk
    (media / "exports").mkdir()
    (media / "exports" / "job-1.xlsx").write_bytes(b"PK")
    assert link in signed_in(client, users["village_team"]).get(URL).content.decode()
    assert link not in signed_in(client, users["county_officer"]).get(URL).content.decode()


@pytest.mark.parametrize("how_many", [3, 30])
def test_the_page_costs_the_same_queries_for_3_and_30_jobs(client, users, how_many, django_assert_num_queries):
    for n in range(how_many):
        make_job(users["village_team"], VILLAGE_A1, state=[State.QUEUED, State.RUNNING, State.FAILED][n % 3], total=10)
    team = signed_in(client, users["village_team"])
    # session, user, role grants, the jobs (with starter and region)
    with django_assert_num_queries(4):
        response = team.get(URL)
    assert response.content.decode().count('class="list-group-item job-row') == how_many


# The API --------------------------------------------------------------------------------------------------------


def test_the_api_lists_my_jobs_and_the_county_offices_and_hides_the_rest(api, users, colleague, stranger):
    mine = make_job(users["village_team"], VILLAGE_A1, state=State.RUNNING, done=1, total=4, phase="写入")
    theirs = make_job(colleague, VILLAGE_A2)
    far = make_job(stranger, OTHER_VILLAGE)
    listed = api(users["village_team"]).get("/api/v1/jobs/").json()
    assert [row["id"] for row in listed["results"]] == [mine.pk]
    row = listed["results"][0]
    assert (row["state"], row["state_label"], row["percent"], row["phase"]) == ("running", "进行中", 25, "写入")
    assert (row["region"], row["started_by"], row["kind_label"]) == (VILLAGE_A1, "team", "农户信息导出（Excel）")
    county = api(users["county_officer"]).get("/api/v1/jobs/").json()
    assert {row["id"] for row in county["results"]} == {mine.pk, theirs.pk}
    assert api(users["county_officer"]).get(f"/api/v1/jobs/{theirs.pk}/").status_code == 200
    for user, job in ((users["county_officer"], far), (users["village_team"], theirs), (users["inspector"], mine)):
        response = api(user).get(f"/api/v1/jobs/{job.pk}/")
        assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_api_filters_by_state_and_refuses_an_unknown_one(api, users):
    make_job(users["village_team"], VILLAGE_A1, state=State.DONE)
    failed = make_job(users["village_team"], VILLAGE_A1, state=State.FAILED)
    client = api(users["village_team"])
    assert [row["id"] for row in client.get("/api/v1/jobs/?state=failed").json()["results"]] == [failed.pk]
    response = client.get("/api/v1/jobs/?state=exploded")
    assert response.status_code == 400 and "state" in response.json()["errors"]


@pytest.mark.parametrize("role", ["api_client", "nobody"])
def test_the_api_refuses_roles_that_do_not_read_the_register(api, users, role):
    assert api(users[role]).get("/api/v1/jobs/").status_code == 403


def test_the_file_is_its_starters_only(api, users, media):
    (media / "exports").mkdir()
    (media / "exports" / "job-7.xlsx").write_bytes(b"PK-file")
    job = make_job(
        users["village_team"], VILLAGE_A1, state=State.DONE,
        result={"file": "job-7.xlsx", "filename": "households.xlsx", "content_type": "application/x-test"},
    )  # fmt: skip
    url = f"/api/v1/jobs/{job.pk}/file/"
    detail = api(users["village_team"]).get(f"/api/v1/jobs/{job.pk}/").json()
    assert detail["file"].endswith(url)
    response = api(users["village_team"]).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"PK-file"
    assert response["Content-Disposition"] == 'attachment; filename="households.xlsx"'
    assert response["Cache-Control"] == "no-store"
    assert api(users["county_officer"]).get(f"/api/v1/jobs/{job.pk}/").json()["file"] is None
    assert api(users["county_officer"]).get(url).status_code == 404


def test_a_file_name_in_the_result_cannot_leave_the_exports_folder(api, users, media):
    (media / "secret.txt").write_text("secret")
    (media / "exports").mkdir()
    job = make_job(users["village_team"], VILLAGE_A1, state=State.DONE, result={"file": "../secret.txt"})
    assert api(users["village_team"]).get(f"/api/v1/jobs/{job.pk}/file/").status_code == 404


def test_the_api_retries_a_failed_job_of_its_starter(api, users):
    failed = make_job(users["village_team"], VILLAGE_A1, state=State.FAILED, error="x")
    assert api(users["county_officer"]).post(f"/api/v1/jobs/{failed.pk}/retry/").status_code == 403
    response = api(users["village_team"]).post(f"/api/v1/jobs/{failed.pk}/retry/")
    assert response.status_code == 202 and response.json()["state"] == "queued"
