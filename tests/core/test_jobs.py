"""The job queue (core.jobs) through its effects: jobs run by django-tasks' database worker, in this process, against
the real database; a raising job and a killed worker's job marked failed with words; retries that change nothing
twice; progress that shows while the job's own transaction is open."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import jobs
from core.models import Job
from tests.conftest import VILLAGE_A1
from tests.core import job_kinds
from tests.factories import UserFactory, make_region

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def work_one():
    """The worker's loop, for one job (or until the queue is empty)."""
    jobs.make_worker(batch=True, max_tasks=1, interval=0).run()


@pytest.fixture
def starter():
    return UserFactory(username="starter")


def test_a_queued_job_is_run_by_the_worker_with_its_progress_and_result(starter):
    """Started in a request, run by the worker: done, its result kept, progress at its total, the queue row closed."""
    job = jobs.job_start(kind="test.count", user=starter, region=make_region(VILLAGE_A1).code, params={"upto": 30})
    assert Job.objects.get(pk=job.pk).state == Job.State.QUEUED
    work_one()
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert job.result == {"sum": 465}
    assert (job.done, job.total, job.phase, job.percent) == (30, 30, "数数", 100)
    assert job.attempts == 1 and job.started_at and job.finished_at and job.worker
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"


def test_a_raising_job_is_failed_with_its_error_in_words(starter):
    """A kind's JobError is the sentence people read; any other exception names its type and message."""
    refused = jobs.job_start(kind="test.raise", user=starter, params={"sentence": "区划不存在"})
    broken = jobs.job_start(kind="test.raise", user=starter)
    jobs.make_worker(batch=True, interval=0).run()
    refused.refresh_from_db()
    broken.refresh_from_db()
    assert (refused.state, refused.error) == (Job.State.FAILED, "区划不存在")
    assert broken.state == Job.State.FAILED
    assert "ValueError: bad value 42" in broken.error
    assert broken.finished_at is not None


def test_a_job_of_an_unknown_kind_fails_with_its_name(starter):
    job = Job.objects.create(kind="gone.kind", started_by=starter)
    assert jobs.run(job.pk) == Job.State.FAILED
    job.refresh_from_db()
    assert "gone.kind" in job.error


def test_running_a_job_twice_runs_it_once(starter):
    """A second delivery of a job (done, or taken by another worker) changes nothing."""
    job = jobs.job_start(kind="test.count", user=starter, params={"upto": 3})
    job_kinds.CALLS.clear()
    assert jobs.run(job.pk) == Job.State.DONE
    assert jobs.run(job.pk) == Job.State.DONE
    assert [pk for pk, _params in job_kinds.CALLS] == [job.pk]
    assert Job.objects.get(pk=job.pk).attempts == 1


def test_a_failed_job_retried_runs_again_and_a_second_retry_changes_nothing(starter):
    job = jobs.job_start(kind="test.flaky", user=starter)
    job_kinds.FAIL_ONCE.add(job.pk)
    work_one()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    jobs.job_retry(job=job, user=starter)
    again = jobs.job_retry(job=job, user=starter)  # a second click
    assert again.state == Job.State.QUEUED
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    work_one()
    job.refresh_from_db()
    assert (job.state, job.result, job.attempts, job.error) == (Job.State.DONE, {"ok": True}, 2, "")
    done_tasks = DBTaskResult.objects.count()
    jobs.job_retry(job=job, user=starter)  # done: nothing queued
    assert DBTaskResult.objects.count() == done_tasks
    assert Job.objects.get(pk=job.pk).state == Job.State.DONE


def test_only_the_starter_retries(starter):
    job = Job.objects.create(kind="test.flaky", started_by=starter, state=Job.State.FAILED)
    with pytest.raises(jobs.DomainError):
        jobs.job_retry(job=job, user=UserFactory(username="other"))
    assert Job.objects.get(pk=job.pk).state == Job.State.FAILED


def test_progress_shows_while_the_jobs_transaction_is_open(starter, settings):
    """The heartbeat writes progress on its own connection: another session reads it before the job commits."""
    settings.JINGZHUN_JOB_HEARTBEAT_SECONDS = 0.05
    seen = {}

    def look(job_id):
        try:
            for _ in range(100):
                row = Job.objects.filter(pk=job_id).values("done", "total", "phase").get()
                if row["done"] == 1:
                    seen.update(row)
                    return
                time.sleep(0.05)
        finally:
            connections.close_all()

    job = jobs.job_start(kind="test.hold", user=starter, params={"username": "half_written", "seconds": 0})

    def while_holding(held):
        watcher = threading.Thread(target=look, args=[held.pk])
        watcher.start()
        watcher.join()

    job_kinds.WHILE_HOLDING.append(while_holding)
    try:
        work_one()
    finally:
        job_kinds.WHILE_HOLDING.clear()
    assert seen == {"done": 1, "total": 2, "phase": "已写一半"}
    assert Job.objects.get(pk=job.pk).state == Job.State.DONE


def test_a_running_job_without_heartbeat_is_marked_failed_by_the_sweep(starter):
    now = timezone.now()
    stale = Job.objects.create(
        kind="test.count", started_by=starter, state=Job.State.RUNNING, heartbeat_at=now - timedelta(seconds=120)
    )
    alive = Job.objects.create(
        kind="test.count", started_by=starter, state=Job.State.RUNNING, heartbeat_at=now - timedelta(seconds=5)
    )
    assert jobs.sweep_stale_jobs(now=now, stale_after=60) == 1
    stale.refresh_from_db()
    alive.refresh_from_db()
    assert stale.state == Job.State.FAILED and "中断" in stale.error and stale.finished_at == now
    assert alive.state == Job.State.RUNNING


def _worker_process(job_kinds_module: str):
    """A worker in its own process on the test database, knowing the test kinds."""
    settings_dict = connection.settings_dict
    url = f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    code = (
        "import django; django.setup(); import " + job_kinds_module + "; "
        "from django.core.management import call_command; "
        "call_command('jobs_worker', '--batch', '--no-startup-delay', '--interval', '0', '--max-tasks', '1')"
    )
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env)  # noqa: S603 - our own interpreter


def test_a_worker_killed_mid_job_leaves_it_failed_and_nothing_half_written(starter):
    """kill -9 while the job's transaction is open: the database rolls it back; the sweep marks the job failed."""
    job = jobs.job_start(kind="test.hold", user=starter, params={"username": "half_written", "seconds": 60})
    process = _worker_process("tests.core.job_kinds")
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            row = Job.objects.filter(pk=job.pk).values("state", "done").get()
            if row["state"] == Job.State.RUNNING and row["done"] == 1:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the worker never ran the job")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    job.refresh_from_db()
    assert job.state == Job.State.RUNNING  # nobody said otherwise yet
    assert jobs.sweep_stale_jobs(now=timezone.now() + timedelta(seconds=61), stale_after=60) == 1
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "工作进程已中断" in job.error
    assert not get_user_model().objects.filter(username="half_written").exists()
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"
