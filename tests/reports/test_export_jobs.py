"""The XLSX export of more than a village as a job (issue 17 point 6): 202 with the job, written by the worker to a
file with the starter's rights, downloaded by the starter only, logged as a read of personal data when downloaded;
a village still answers the file at once and CSV always streams."""

import io
from datetime import date

import pytest
from django.utils import translation
from openpyxl import load_workbook

from core import jobs
from core.models import Job, PersonalDataAccess
from lifecycle import services as lifecycle
from tests.conftest import COUNTY, OTHER_VILLAGE, TOWN_A, VILLAGE_A1, VILLAGE_B1
from tests.households import builders as b
from tests.reports.test_exports import CSV_URL, XLSX_URL, read_csv

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def chinese_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def register(tree, users):
    """Two households in village A1, one in B1 (town B): three members each."""
    for n, village in enumerate((VILLAGE_A1, VILLAGE_A1, VILLAGE_B1)):
        household = b.make_household(village=tree[village], user=users["superuser"], members=b.family(30 + n))
        lifecycle.status_record(user=users["superuser"], household=household, status="poor", on=date(2014, 4, 1))


def work_all():
    jobs.make_worker(batch=True, interval=0).run()


def read_file(response) -> list[dict]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header, *rows = workbook.active.iter_rows(values_only=True)
    return [{name: "" if value is None else value for name, value in zip(header, row, strict=True)} for row in rows]


def test_a_county_xlsx_is_a_job_whose_file_has_the_rows_of_the_csv(api, users, register):
    client = api(users["county_officer"])
    response = client.get(f"{XLSX_URL}?region={COUNTY}&as_of=2017-12-31")
    assert response.status_code == 202
    body = response.json()
    assert (body["state"], body["kind"], body["region"], body["file"]) == (
        "queued",
        "reports.households_xlsx",
        COUNTY,
        None,
    )
    assert response["Location"].endswith(f"/api/v1/jobs/{body['id']}/")
    assert not PersonalDataAccess.objects.exists()  # nothing is read yet

    work_all()
    job = client.get(f"/api/v1/jobs/{body['id']}/").json()
    assert (job["state"], job["percent"], job["done"], job["total"]) == ("done", 100, 9, 9)
    assert job["result"]["rows"] == 9 and job["result"]["summary"] == "共 9 行，可以下载"
    download = client.get(job["file"])
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="households-{COUNTY}-2017-12-31.xlsx"'
    rows = read_file(download)
    assert rows == read_csv(client.get(f"{CSV_URL}?region={COUNTY}&as_of=2017-12-31"))
    assert any(len(str(row["id_number"])) == 18 and "*" not in str(row["id_number"]) for row in rows)
    # The download is logged like the export (and the CSV beside it): against the county, the personal columns.
    logged = PersonalDataAccess.objects.filter(path=f"/api/v1/jobs/{body['id']}/file/").get()
    assert (logged.user, logged.region, logged.object_ids, logged.records) == (
        users["county_officer"], COUNTY, [int(COUNTY)], 0
    )  # fmt: skip


def test_a_masked_readers_export_job_masks_and_logs_nothing(api, users, register):
    client = api(users["inspector"])
    job_id = client.get(f"{XLSX_URL}?region={COUNTY}").json()["id"]
    work_all()
    job = client.get(f"/api/v1/jobs/{job_id}/").json()
    rows = read_file(client.get(job["file"]))
    assert len(rows) == 9 and all("*" in row["id_number"] for row in rows)
    assert job["result"]["full_personal_data"] is False
    assert not PersonalDataAccess.objects.exists()


def test_the_job_exports_with_its_starters_scope_and_the_file_is_theirs_alone(api, users, register):
    """A township reviewer's export of its township holds its villages only; the county office sees the job in its
    county but does not get the file."""
    reviewer = api(users["township_reviewer"])
    job_id = reviewer.get(f"{XLSX_URL}?region={TOWN_A}").json()["id"]
    work_all()
    rows = read_file(reviewer.get(f"/api/v1/jobs/{job_id}/file/"))
    assert {row["village"] for row in rows} == {VILLAGE_A1} and len(rows) == 6
    assert api(users["county_officer"]).get(f"/api/v1/jobs/{job_id}/").json()["state"] == "done"
    assert api(users["county_officer"]).get(f"/api/v1/jobs/{job_id}/file/").status_code == 404
    assert api(users["village_team"]).get(f"/api/v1/jobs/{job_id}/").status_code == 404


def test_a_village_still_answers_the_file_at_once_and_starts_no_job(api, users, register):
    response = api(users["county_officer"]).get(f"{XLSX_URL}?region={VILLAGE_A1}")
    assert response.status_code == 200 and len(read_file(response)) == 6
    assert not Job.objects.exists()


@pytest.mark.parametrize("region", [VILLAGE_B1[:9] + "000", COUNTY, OTHER_VILLAGE[:6] + "000000"])
def test_a_region_outside_the_scope_starts_no_job(api, users, register, region):
    response = api(users["township_reviewer"]).get(f"{XLSX_URL}?region={region}")
    assert response.status_code == 404
    assert not Job.objects.exists()


def test_a_job_whose_starter_lost_the_region_fails_in_words_and_writes_no_file(api, users, register, settings):
    client = api(users["county_officer"])
    job_id = client.get(f"{XLSX_URL}?region={COUNTY}").json()["id"]
    users["county_officer"].role_grants.all().delete()
    work_all()
    job = Job.objects.get(pk=job_id)
    assert (job.state, job.error) == (Job.State.FAILED, "区划不存在或不在您的范围内")
    assert not (settings.MEDIA_ROOT / "exports" / f"job-{job_id}.xlsx").exists()


def test_a_retried_export_rewrites_its_file_whole(api, users, register, settings):
    """A retry writes the same file again under the same name: never a half file, never two."""
    client = api(users["county_officer"])
    job_id = client.get(f"{XLSX_URL}?region={COUNTY}").json()["id"]
    work_all()
    path = settings.MEDIA_ROOT / "exports" / f"job-{job_id}.xlsx"
    first = path.read_bytes()
    Job.objects.filter(pk=job_id).update(state=Job.State.FAILED)
    jobs.job_retry(job=Job.objects.get(pk=job_id), user=users["county_officer"])
    work_all()
    assert Job.objects.get(pk=job_id).state == Job.State.DONE
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    rows = [list(row) for row in load_workbook(path).active.iter_rows(values_only=True)]
    assert rows == [list(row) for row in load_workbook(io.BytesIO(first)).active.iter_rows(values_only=True)]
    assert len(rows) == 10  # the header and 9 members: the same file again, whole


# The page: the dashboard's button ---------------------------------------------------------------------------------


def test_the_dashboard_button_queues_the_export_and_opens_the_jobs_page(client, users, register):
    client.force_login(users["county_officer"])
    dashboard = client.get(f"/regions/{COUNTY}/dashboard/?as_of=2017-12-31").content.decode()
    assert 'id="export-households-xlsx-form"' in dashboard and f'value="{COUNTY}"' in dashboard
    response = client.post("/exports/households/", {"region": COUNTY, "as_of": "2017-12-31"})
    assert response.status_code == 302 and response["Location"] == "/jobs/"
    job = Job.objects.get()
    assert (job.kind, job.region_id, job.started_by, job.params["as_of"]) == (
        "reports.households_xlsx", COUNTY, users["county_officer"], "2017-12-31"
    )  # fmt: skip
    assert "导出已开始" in client.get("/jobs/").content.decode()


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({}, 400),
        ({"region": "2208"}, 400),
        ({"region": COUNTY, "as_of": "2017-13-01"}, 400),
        ({"region": VILLAGE_B1[:9] + "000"}, 404),
    ],
)
def test_bad_or_out_of_scope_input_starts_no_job(client, users, register, data, status):
    client.force_login(users["township_reviewer"])
    assert client.post("/exports/households/", data).status_code == status
    assert not Job.objects.exists()
