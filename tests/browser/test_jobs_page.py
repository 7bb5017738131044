"""The jobs page (/jobs/) in a real browser: the county's XLSX export started from the dashboard runs on a worker,
its progress bar climbs to 100 % without a reload (htmx polling), and the file is offered for download."""

import datetime
import threading

import pytest
from django.db import connections
from selenium.webdriver.common.by import By

from core import jobs
from core.models import Job
from lifecycle import services as lifecycle
from tests.browser.helpers import next_page, screenshots, sign_in, wait_for
from tests.conftest import COUNTY, VILLAGE_A1, VILLAGE_B1
from tests.households import builders as b

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def registered(tree, users):
    for n, village in enumerate((VILLAGE_A1, VILLAGE_A1, VILLAGE_B1)):
        household = b.make_household(village=tree[village], user=users["superuser"], members=b.family(40 + n))
        lifecycle.status_record(
            user=users["superuser"], household=household, status="poor", on=datetime.date(2014, 5, 1)
        )


@pytest.fixture
def worker(settings, tmp_path):
    """A worker of the queue in a thread of the test (its own connections), stopped at the end."""
    settings.MEDIA_ROOT = tmp_path
    held = threading.Event()
    loop = jobs.make_worker(interval=0.2)
    original = jobs.KINDS["reports.households_xlsx"]

    def slowed(job, **params):
        held.wait(timeout=30)  # the page shows the job waiting or running first
        return original.function(job, **params)

    jobs.KINDS["reports.households_xlsx"] = jobs.JobKind(
        name=original.name, label=original.label, function=slowed, on_download=original.on_download
    )

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
    jobs.KINDS["reports.households_xlsx"] = original


def test_the_export_progress_reaches_100_percent_and_offers_the_file(page, users, registered, worker):
    browser = sign_in(page, "county")
    page(f"/regions/{COUNTY}/dashboard/?as_of=2017-12-31")
    with next_page(browser):
        browser.find_element(By.ID, "export-households-xlsx").click()
    assert browser.current_url.endswith("/jobs/")
    job = Job.objects.get()
    row = browser.find_element(By.ID, f"job-{job.pk}")
    assert "农户信息导出（Excel）" in row.text and row.get_attribute("data-state") in ("queued", "running")
    screenshots(browser, "jobs-running")
    worker.set()  # let the worker write the file
    wait_for(browser, lambda b: b.find_element(By.ID, f"job-{job.pk}").get_attribute("data-state") == "done", 30)
    bar = browser.find_element(By.CSS_SELECTOR, f"#job-{job.pk} .progress")
    assert bar.get_attribute("aria-valuenow") == "100"
    assert browser.find_element(By.CSS_SELECTOR, f"#job-{job.pk} .job-progress").text == "100%"
    assert "共 9 行" in browser.find_element(By.ID, f"job-{job.pk}").text
    link = browser.find_element(By.CSS_SELECTOR, f"#job-{job.pk} a.job-download")
    assert link.get_attribute("href").endswith(f"/api/v1/jobs/{job.pk}/file/")
    screenshots(browser, "jobs-done")
