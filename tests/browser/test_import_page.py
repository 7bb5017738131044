"""The import page (/imports/) in a real browser: an uploaded file is validated by a job on a worker, its progress bar
climbs to 100 % without a reload (htmx polling), the report shows; confirming runs the commit job, and the household
is in the register."""

import threading

import pytest
from django.db import connections
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from core import jobs
from core.models import Job
from households.jobs import IMPORT_VALIDATE
from households.models import Household, Import, ImportState
from tests.browser.helpers import next_page, screenshots, sign_in, wait_for
from tests.conftest import COUNTY, VILLAGE_A2
from tests.households import builders as b
from tests.households.test_imports import national_file, national_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    """A worker of the queue in a thread of the test (its own connections), stopped at the end; the validation waits
    until the test lets it go, so the page shows the job waiting first."""
    held = threading.Event()
    loop = jobs.make_worker(interval=0.2)
    original = jobs.KINDS[IMPORT_VALIDATE]

    def slowed(job, **params):
        held.wait(timeout=30)
        return original.function(job, **params)

    jobs.KINDS[IMPORT_VALIDATE] = jobs.JobKind(name=original.name, label=original.label, function=slowed)

    def run():
        try:
            loop.run()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield held
    held.set()
    loop.running = False
    thread.join(timeout=10)
    jobs.KINDS[IMPORT_VALIDATE] = original


def test_an_upload_is_validated_on_a_worker_with_a_progress_bar_then_confirmed(page, users, tree, worker, tmp_path):
    path = tmp_path / "households.xlsx"
    path.write_bytes(national_file(national_member(b.head(5))))
    browser = sign_in(page, "county")
    page("/imports/")
    Select(browser.find_element(By.ID, "id_region")).select_by_value(COUNTY)
    browser.find_element(By.ID, "id_file").send_keys(str(path))
    with next_page(browser):
        browser.find_element(By.CSS_SELECTOR, "#import-form button[type=submit]").click()
    imported = Import.objects.get()
    assert browser.current_url.endswith(f"/imports/{imported.pk}/")
    job = Job.objects.get()
    row = browser.find_element(By.ID, f"job-{job.pk}")
    assert "导入：校验文件" in row.text and row.get_attribute("data-state") in ("queued", "running")
    assert browser.find_element(By.ID, "import-pending").is_displayed()
    assert not browser.find_elements(By.ID, "commit-form")
    screenshots(browser, "import-validating")

    worker.set()  # let the worker validate the file: the page reloads itself with the report
    wait_for(browser, lambda b: b.find_elements(By.ID, "import-counts"), 30)
    bar = browser.find_element(By.CSS_SELECTOR, f"#job-{job.pk} .progress")
    assert bar.get_attribute("aria-valuenow") == "100"
    assert browser.find_element(By.CSS_SELECTOR, f"#job-{job.pk} .job-progress").text == "100%"
    assert "新建 1 · 修改 0 · 不变 0" in browser.find_element(By.ID, "import-counts").text
    assert browser.find_element(By.ID, "import-state").text == "已校验，待确认"
    screenshots(browser, "import-validated")

    with next_page(browser):
        browser.find_element(By.CSS_SELECTOR, "#commit-form button").click()
    wait_for(browser, lambda b: b.find_element(By.ID, "import-state").text == "已导入", 30)
    imported.refresh_from_db()
    assert imported.state == ImportState.COMMITTED
    assert Household.objects.get().village_id == VILLAGE_A2
    commit = Job.objects.exclude(pk=job.pk).get()
    assert browser.find_element(By.CSS_SELECTOR, f"#job-{commit.pk} .job-progress").text == "100%"
    screenshots(browser, "import-committed")
