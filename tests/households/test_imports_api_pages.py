"""The import's API (/api/v1/imports/…), page (/imports/) and command (import_households): scoped, explained."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from core import jobs
from core.models import Job
from households.models import Household, Import, ImportState
from tests.assertions import assert_error
from tests.conftest import COUNTY, OTHER_COUNTY, VILLAGE_A1, VILLAGE_A2
from tests.factories import UserFactory, make_region
from tests.households import builders as b
from tests.households import import_files as f
from tests.households.test_imports import national_file, national_member
from villages.models import Region

URL = "/api/v1/imports/"
POLL = {"HX-Request": "true", "HX-Target": "jobs-list"}  # what the progress bar's htmx polling sends


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def upload(content: bytes, name="households.xlsx"):
    return SimpleUploadedFile(name, content)


def run_jobs():
    """Run the queued jobs in this process, as a worker would (core.jobs.run), oldest first."""
    for pk in Job.objects.filter(state=Job.State.QUEUED).order_by("pk").values_list("pk", flat=True):
        jobs.run(pk)


def uploaded(client, content, region=COUNTY):
    """POST an upload, run its validation job, and answer the import as the API shows it then."""
    response = client.post(URL, {"file": upload(content), "region": region})
    assert response.status_code == 202, response.content
    run_jobs()
    return client.get(f"{URL}{response.json()['id']}/").json()


@pytest.mark.django_db
def test_an_upload_is_validated_and_committed_through_the_api(api, users, tree):
    officer = api(users["county_officer"])
    response = officer.post(URL, {"file": upload(national_file(national_member(b.head(5)))), "region": COUNTY})
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["state"] == "pending" and body["report"] == {}
    job = body["job"]
    assert (job["kind"], job["state"], job["params"]) == ("households.import_validate", "queued", {"import_id": body["id"]})
    assert response["Location"].endswith(f"/api/v1/jobs/{job['id']}/")
    assert_error(officer.post(f"{URL}{body['id']}/commit/"), 409, "conflict")  # still being validated
    assert Job.objects.count() == 1

    assert jobs.run(job["id"]) == "done"
    validated = officer.get(f"{URL}{body['id']}/").json()
    assert validated["state"] == "validated" and validated["report"]["households"]["create"] == 1
    followed = officer.get(response["Location"]).json()
    assert followed["percent"] == 100 and followed["result"]["state"] == "validated"
    assert Household.objects.count() == 0

    committed = officer.post(f"{URL}{body['id']}/commit/")
    assert committed.status_code == 202 and committed.json()["kind"] == "households.import_commit"
    assert committed["Location"].endswith(f"/api/v1/jobs/{committed.json()['id']}/")
    assert Household.objects.count() == 0  # not before the job runs
    assert jobs.run(committed.json()["id"]) == "done"
    assert officer.get(f"{URL}{body['id']}/").json()["state"] == "committed"
    assert Household.objects.get().village_id == VILLAGE_A2
    assert_error(officer.post(f"{URL}{body['id']}/commit/"), 409, "conflict")
    assert Household.objects.count() == 1 and Job.objects.count() == 2


@pytest.mark.django_db
def test_a_file_with_errors_is_failed_by_its_job_and_may_not_be_committed(api, users, tree):
    officer = api(users["county_officer"])
    body = uploaded(officer, national_file(national_member(b.head(5), health="很好")))
    assert body["state"] == "failed" and body["report"]["error_count"] == 1
    assert_error(officer.post(f"{URL}{body['id']}/commit/"), 409, "conflict")
    assert Job.objects.filter(kind="households.import_commit").count() == 0 and Household.objects.count() == 0


@pytest.mark.django_db
def test_two_commit_jobs_of_one_import_write_it_once(api, users, tree):
    officer = api(users["county_officer"])
    body = uploaded(officer, national_file(national_member(b.head(5))))
    first = officer.post(f"{URL}{body['id']}/commit/").json()
    second = officer.post(f"{URL}{body['id']}/commit/").json()  # a second click before the first job ran
    assert jobs.run(first["id"]) == "done" and jobs.run(second["id"]) == "failed"
    assert "已确认过" in Job.objects.get(pk=second["id"]).error
    assert Household.objects.count() == 1


@pytest.mark.django_db
def test_a_validation_whose_worker_died_is_retried_and_validates_once(api, users, tree):
    """The sweep marks a lost job failed; the import stays pending (nothing was written); a retry validates it, and a
    second delivery of the validation changes nothing."""
    from households.imports import services

    officer = api(users["county_officer"])
    body = officer.post(URL, {"file": upload(national_file(national_member(b.head(5)))), "region": COUNTY}).json()
    Job.objects.filter(pk=body["job"]["id"]).update(state=Job.State.FAILED, error="工作进程已中断")
    assert officer.get(f"{URL}{body['id']}/").json()["state"] == "pending"
    assert officer.post(f"/api/v1/jobs/{body['job']['id']}/retry/").status_code == 202
    run_jobs()
    imported = Import.objects.get()
    assert imported.state == ImportState.VALIDATED and imported.report["households"]["create"] == 1
    before = (imported.updated_at, imported.version)
    again = services.import_validate(import_=imported)
    assert (again.state, again.updated_at, again.version) == (ImportState.VALIDATED, *before)


@pytest.mark.django_db
def test_a_commit_job_whose_starter_lost_the_region_fails_in_words_and_writes_nothing(api, users, tree):
    """The job runs with its starter's rights at the time it runs, not at the time it was queued."""
    from core.models import RoleGrant

    team = api(users["village_team"])  # village A1
    body = uploaded(team, national_file(national_member(b.head(5), village=VILLAGE_A1)), region=VILLAGE_A1)
    assert body["state"] == "validated", body["report"]
    job = team.post(f"{URL}{body['id']}/commit/").json()
    RoleGrant.objects.filter(user=users["village_team"]).delete()
    assert jobs.run(job["id"]) == "failed"
    assert Job.objects.get(pk=job["id"]).error == "导入不存在或不在您的管辖范围内"
    assert Household.objects.count() == 0 and Import.objects.get().state == ImportState.VALIDATED


@pytest.mark.django_db
def test_a_region_outside_the_importer_s_scope_is_404_and_nothing_is_kept(api, users, tree):
    make_region(OTHER_COUNTY)
    team = api(users["village_team"])  # village A1 only
    content = national_file(national_member(b.head(5)))
    assert_error(team.post(URL, {"file": upload(content), "region": VILLAGE_A2}), 404, "not_found")
    assert_error(team.post(URL, {"file": upload(content), "region": COUNTY}), 404, "not_found")
    assert Import.objects.count() == 0


@pytest.mark.django_db
def test_an_upload_over_the_limit_is_refused_and_not_kept(api, users, tree, monkeypatch):
    from households.api import imports as api_module

    monkeypatch.setattr(api_module, "MAX_BYTES", 100)
    response = api(users["county_officer"]).post(URL, {"file": upload(b"x" * 200, "a.csv"), "region": COUNTY})
    body = assert_error(response, 400, "invalid")
    assert "文件太大" in str(body)
    assert Import.objects.count() == 0


@pytest.mark.django_db
def test_another_county_s_import_is_404(api, users, tree):
    officer = api(users["county_officer"])
    created = officer.post(URL, {"file": upload(national_file(national_member(b.head(5)))), "region": VILLAGE_A1})
    run_jobs()
    pk = created.json()["id"]
    team = api(users["village_team"])  # A1: sees it
    assert team.get(f"{URL}{pk}/").status_code == 200
    stranger = api(UserFactory(username="other", grants=[("county_officer", OTHER_COUNTY)]))
    assert_error(stranger.get(f"{URL}{pk}/"), 404, "not_found")
    assert_error(stranger.post(f"{URL}{pk}/commit/"), 404, "not_found")
    assert stranger.get(f"{URL}{pk}/errors.xlsx").status_code == 404


@pytest.mark.django_db
def test_the_error_file_is_the_upload_with_an_error_column(api, users, tree):
    officer = api(users["county_officer"])
    content = national_file(national_member(b.head(5)), national_member(b.spouse(5), health="很好"))
    pk = uploaded(officer, content)["id"]
    response = officer.get(f"{URL}{pk}/errors.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, first, second = list(sheet.iter_rows(values_only=True))
    assert header[-1] == "错误" and header[:-1] == tuple(f.layouts.NATIONAL_HEADER)
    assert first[-1] is None
    assert "健康状况" in second[-1] and "不是可选的值" in second[-1]


@pytest.mark.django_db
def test_the_template_lists_allowed_values_and_reads_back_as_the_national_layout(api, users, tree):
    response = api(users["county_officer"]).get(f"{URL}template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert [cell.value for cell in book["户信息"][1]] == list(f.layouts.NATIONAL_HEADER)
    values = {column[0].value: [c.value for c in column[1:] if c.value] for column in book["可选值"].iter_cols()}
    assert "之外祖母" in values["与户主关系"] and values["失学辍学"] == ["是", "否"]
    # A template filled in with a household is a valid import.
    sheet = book["户信息"]
    row = f.national_rows([national_member(b.head(5))])[1]
    sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    body = uploaded(api(users["county_officer"]), out.getvalue())
    assert body["report"]["errors"] == [] and body["state"] == "validated"


# The page ----------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_uploads_reports_and_confirms(client, users, tree):
    client.force_login(users["county_officer"])
    page = client.get("/imports/")
    assert page.status_code == 200 and "下载模板" in page.content.decode()
    county = Region.objects.get(pk=COUNTY)
    response = client.post("/imports/", {"region": county.pk, "file": upload(national_file(national_member(b.head(5))))})
    imported = Import.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{imported.pk}/"
    waiting = client.get(f"/imports/{imported.pk}/").content.decode()
    assert 'id="import-pending"' in waiting and "等待工作进程" in waiting and "确认导入" not in waiting
    assert f'hx-get="/imports/{imported.pk}/"' in waiting  # the bar asks the page again
    listed = client.get("/jobs/").content.decode()  # /jobs/ lists the validation with a link to the import's page
    assert "导入：校验文件" in listed and f'class="btn btn-sm btn-outline-secondary job-link" href="/imports/{imported.pk}/"' in listed
    assert "job-link" not in waiting  # not on the import's own page
    polled = client.get(f"/imports/{imported.pk}/", headers=POLL)
    assert 'class="progress-bar job-progress' in polled.content.decode() and "<html" not in polled.content.decode()
    run_jobs()
    assert client.get(f"/imports/{imported.pk}/", headers=POLL)["HX-Refresh"] == "true"
    report = client.get(f"/imports/{imported.pk}/").content.decode()
    assert "新建 1 · 修改 0 · 不变 0" in report and "确认导入" in report and "100%" in report and "hx-get" not in report

    client.post(f"/imports/{imported.pk}/commit/")
    client.post(f"/imports/{imported.pk}/commit/")  # a second click while the first job waits: one job
    assert Job.objects.filter(kind="households.import_commit").count() == 1
    assert Household.objects.count() == 0 and "commit-form" not in client.get(f"/imports/{imported.pk}/").content.decode()
    run_jobs()
    imported.refresh_from_db()
    assert imported.state == ImportState.COMMITTED and Household.objects.count() == 1
    page = client.get(f"/imports/{imported.pk}/").content.decode()
    assert "已导入" in page and "新建 1 户，修改 0 户" in page
    client.post(f"/imports/{imported.pk}/commit/")  # committed: refused in words, no job
    assert Job.objects.filter(kind="households.import_commit").count() == 1


@pytest.mark.django_db
def test_a_page_upload_without_a_file_shows_the_error_beside_the_field(client, users, tree):
    client.force_login(users["county_officer"])
    response = client.post("/imports/", {"region": COUNTY})
    assert response.status_code == 200 and 'id="id_file_error"' in response.content.decode()
    assert Import.objects.count() == 0


@pytest.mark.django_db
def test_a_failed_import_shows_each_error_and_no_confirm_button(client, users, tree):
    client.force_login(users["county_officer"])
    client.post("/imports/", {"region": COUNTY, "file": upload(national_file(national_member(b.head(5), health="很好")))})
    run_jobs()
    imported = Import.objects.get()
    assert Region.objects.filter(pk=COUNTY).exists()
    page = client.get(f"/imports/{imported.pk}/").content.decode()
    assert "不是可选的值" in page and "健康状况" in page and "确认导入" not in page and "errors.xlsx" in page


@pytest.mark.django_db
@pytest.mark.parametrize("how_many", [3, 30])
def test_the_pages_cost_the_same_queries_for_3_and_30_rows(client, users, tree, how_many, django_assert_num_queries):
    from households.imports import services

    officer = users["county_officer"]
    county = Region.objects.get(pk=COUNTY)
    rows = [national_member(b.head(100 + n), health="很好") for n in range(how_many)]
    for _ in range(how_many):
        last = services.import_create(user=officer, region=county, filename="a.xlsx", content=national_file(*rows[:3]))
    big = services.import_create(user=officer, region=county, filename="b.xlsx", content=national_file(*rows))
    client.force_login(officer)
    with django_assert_num_queries(PAGE_QUERIES):
        client.get("/imports/")
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(f"/imports/{big.pk}/")
    assert response.content.decode().count('class="import-error"') == how_many
    assert last.pk

    # Uploaded on the page: its job's progress bar costs one more query, polled (htmx) or not, whatever the rows.
    client.post("/imports/", {"region": COUNTY, "file": upload(national_file(*rows))})
    queued = Import.objects.get(state=ImportState.PENDING)
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(f"/imports/{queued.pk}/", headers=POLL)
    run_jobs()
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(f"/imports/{queued.pk}/")
    assert response.content.decode().count('class="import-error"') == how_many and "100%" in response.content.decode()


PAGE_QUERIES = 6
DETAIL_QUERIES = 5


# The command -------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_dry_runs_then_imports(users, tree, tmp_path, capsys):
    path = tmp_path / "households.xlsx"
    path.write_bytes(national_file(national_member(b.head(5)), national_member(b.spouse(5))))
    call_command("import_households", str(path), region=COUNTY, user="county", dry_run=True)
    assert "新建 1 户" in capsys.readouterr().out
    assert Household.objects.count() == 0
    call_command("import_households", str(path), region=COUNTY, user="county")
    assert Household.objects.get().members.count() == 2


@pytest.mark.django_db
def test_the_command_prints_each_error_and_writes_nothing(users, tree, tmp_path, capsys):
    path = tmp_path / "households.csv"
    path.write_bytes(f.csv_bytes(f.national_rows([national_member(b.head(5), health="很好")])))
    with pytest.raises(CommandError):
        call_command("import_households", str(path), region=COUNTY, user="county")
    assert "第 2 行" in capsys.readouterr().err
    assert Household.objects.count() == 0


@pytest.mark.django_db
def test_the_command_refuses_a_region_outside_the_user_s_scope(users, tree, tmp_path):
    path = tmp_path / "households.csv"
    path.write_bytes(b"x")
    with pytest.raises(CommandError, match="区划"):
        call_command("import_households", str(path), region=COUNTY, user="team")


@pytest.mark.django_db
def test_the_national_export_through_the_api_imports_back_unchanged(api, users, tree):
    """GET exports/households.xlsx?layout=national: Chinese headers and labels; uploaded again, nothing changes."""
    b.make_household(village=tree[VILLAGE_A1], user=users["county_officer"], members=b.family(1))
    officer = api(users["county_officer"])
    response = officer.get("/api/v1/exports/households.xlsx", {"region": VILLAGE_A1, "layout": "national"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    header, first, *_rest = load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
    assert header == tuple(f.layouts.NATIONAL_HEADER)
    row = dict(zip(header, first, strict=True))
    assert (row["与户主关系"], row["性别"], row["主要致贫原因"]) == ("户主", "男", "因病")
    body = uploaded(officer, content, region=VILLAGE_A1)
    assert body["report"]["errors"] == []
    assert body["report"]["households"] == {"create": 0, "update": 0, "unchanged": 1}
