"""Jobs (后台任务): long work run by a worker process outside the web request, followed on /jobs/ and the API.

The transport is django-tasks' database backend (`django_tasks_db`, a table of our PostgreSQL; docs/architecture.md,
"Jobs"): starting a job writes a `core.Job` row and a queue row in the same transaction, and a worker
(`manage.py jobs_worker`, `make worker`) takes the queue row and runs `run(job_id)` here.

A job kind is a function registered with `@job_kind("name", label=…)` in an app's `jobs.py` (found by
`autodiscover_modules("jobs")` when core is ready): `fn(job, **params)`. It may call
`job.progress(done, total, phase)` as often as it likes (kept in memory; a heartbeat thread writes it about once a
second on its own connection, so progress shows even while the job's transaction is open) and returns a JSON-able
result. It raises `JobError("sentence")` to fail with words for people; any other exception fails the job with its
type and message (and its traceback in the log). A kind must be safe to run again with the same parameters (a
retry): write all or nothing in one transaction, and name files by the job's id.

A job whose worker dies (killed, machine lost) stops sending heartbeats; `sweep_stale_jobs`, run by every worker at
start and every JINGZHUN_JOB_SWEEP_SECONDS, marks it failed with that reason after JINGZHUN_JOB_STALE_SECONDS, so a
job is never left "running". Running a job is idempotent: `run` claims the row (queued → running) under a lock, and
a second delivery of the same job, or a stale worker finishing after its job was retried, changes nothing.
"""

import json
import logging
import os
import socket
import threading
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.models import Job
from core.roles import Capability
from core.scope import is_unrestricted, region_prefixes

logger = logging.getLogger(__name__)

State = Job.State


class JobError(Exception):
    """A job kind's refusal: its message, in words for people, becomes the job's error."""


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    function: object
    on_download: object = None
    link: object = None


KINDS: dict[str, JobKind] = {}


def job_kind(name: str, *, label, on_download=None, link=None):
    """Register `fn(job, **params)` as the job kind `name` (label: what /jobs/ calls it). `on_download(request, job)`
    runs when the starter downloads the job's file (GET /api/v1/jobs/{id}/file/): the personal-data log of an
    export. `link(job)` answers the page of what the job works on (an import's page), shown on /jobs/; no query."""

    def register(function):
        KINDS[name] = JobKind(name=name, label=label, function=function, on_download=on_download, link=link)
        return function

    return register


def job_link(job: Job) -> str | None:
    """The page of what the job works on, when its kind has one."""
    kind = KINDS.get(job.kind)
    return kind.link(job) if kind and kind.link else None


def kind_label(name: str) -> str:
    kind = KINDS.get(name)
    return str(kind.label) if kind else name


# Starting and retrying ------------------------------------------------------------------------------------------


def job_start(*, kind: str, user, region: str | None = None, params: dict | None = None) -> Job:
    """Queue a job of a registered kind for `user` over `region`: the Job row and its queue row in one transaction,
    so a worker sees the job exactly when the caller's transaction commits. The caller has checked the rights."""
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    params = dict(params or {})
    json.dumps(params)  # a TypeError here, not in the worker
    with transaction.atomic():
        job = Job.objects.create(kind=kind, started_by=user, region_id=region or None, params=params)
        _enqueue(job)
    return job


def _enqueue(job: Job) -> None:
    from core.tasks import run_job

    job.task_id = str(run_job.enqueue(job.pk).id)
    Job.objects.filter(pk=job.pk).update(task_id=job.task_id)


def job_retry(*, job: Job, user) -> Job:
    """Queue a failed job again, with the same parameters, for its starter. Idempotent: a job already queued,
    running or done is left as it is (two clicks on 重试 run it once)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.started_by_id != user.pk and not is_unrestricted(user):
            raise DomainError("permission_denied", _("只有发起人可以重试这个任务。"), status=403)
        if job.state != State.FAILED:
            return job
        job.state = State.QUEUED
        job.error = ""
        job.done = 0
        job.phase = ""
        job.result = None
        job.started_at = job.finished_at = job.heartbeat_at = None
        job.save(
            update_fields=["state", "error", "done", "phase", "result", "started_at", "finished_at", "heartbeat_at"]
        )
        _enqueue(job)
    return job


# Reading --------------------------------------------------------------------------------------------------------


def jobs_in_scope(user):
    """The jobs a user follows: those they started, and for the county office (county_administration) every job in
    its regions; a superuser sees all. Anything else does not exist for the caller (404)."""
    jobs = Job.objects.all()
    if is_unrestricted(user):
        return jobs
    if user is None or not user.is_authenticated or not user.is_active:
        return jobs.none()
    condition = Q(started_by=user)
    for prefix in region_prefixes(user, Capability.COUNTY_ADMINISTRATION) or ():
        condition |= Q(region__code__startswith=prefix)
    return jobs.filter(condition)


def job_file_path(job: Job, extension: str):
    """Where a job writes its file: MEDIA_ROOT/exports/job-<id>.<extension> (the folder made if missing)."""
    folder = settings.MEDIA_ROOT / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"job-{job.pk}.{extension}"


def job_file(job: Job):
    """The path of a done job's file, or None (no file, or gone). Only its starter downloads it (the file was written
    with the starter's rights: masking, scope)."""
    if job.state != State.DONE or not isinstance(job.result, dict) or not job.result.get("file"):
        return None
    path = settings.MEDIA_ROOT / "exports" / os.path.basename(job.result["file"])
    return path if path.is_file() else None


# Running --------------------------------------------------------------------------------------------------------


class _Heartbeat:
    """Writes the running job's progress and heartbeat every JINGZHUN_JOB_HEARTBEAT_SECONDS from its own thread (and
    so its own database connection, in autocommit), until stopped."""

    def __init__(self, job: Job):
        self.job = job
        self.interval = settings.JINGZHUN_JOB_HEARTBEAT_SECONDS
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"job-{job.pk}-heartbeat", daemon=True)

    def changed(self) -> None:
        """Called by Job.progress; the next beat writes the values."""

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _loop(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                self.beat()
        finally:
            connections.close_all()  # this thread's connection only

    def beat(self) -> None:
        job = self.job
        try:
            Job.objects.filter(pk=job.pk, attempts=job.attempts, state=State.RUNNING).update(
                done=job.done, total=job.total, phase=job.phase, heartbeat_at=timezone.now()
            )
        except DatabaseError:
            logger.warning("job %s: heartbeat not written", job.pk, exc_info=True)


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def run(job_id: int, *, worker: str = "") -> str:
    """Run one job in this process: claim it (queued → running), call its kind, record done or failed. Returns the
    state the job ended in, or the state that made this call do nothing (a job not queued is not run again)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return "missing"
        if job.state != State.QUEUED:
            return job.state
        now = timezone.now()
        job.state = State.RUNNING
        job.started_at = job.heartbeat_at = now
        job.finished_at = None
        job.attempts += 1
        job.worker = worker or this_worker()
        job.done, job.error, job.result = 0, "", None
        job.save(
            update_fields=["state", "started_at", "heartbeat_at", "finished_at", "attempts", "worker", "done", "error",
                           "result"]
        )  # fmt: skip
    heartbeat = _Heartbeat(job)
    job._tracker = heartbeat
    heartbeat.start()
    try:
        kind = KINDS.get(job.kind)
        if kind is None:
            raise JobError(_("未知的任务类型：%(kind)s") % {"kind": job.kind})
        result = kind.function(job, **job.params)
        result = json.loads(json.dumps(result, cls=DjangoJSONEncoder))
    except BaseException as exc:
        heartbeat.stop()
        if isinstance(exc, JobError | DomainError | ValidationError):
            logger.info("job %s (%s) refused: %s", job.pk, job.kind, exc)
        else:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, state=State.FAILED, error=describe(exc))
        if not isinstance(exc, Exception):
            raise  # KeyboardInterrupt, SystemExit: the worker stops, the job is already marked
        return State.FAILED
    heartbeat.stop()
    _finish(job, state=State.DONE, result=result)
    return State.DONE


def describe(exc: BaseException) -> str:
    """The error of a failed job in words for people."""
    if isinstance(exc, JobError | DomainError):
        return str(exc)
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    if isinstance(exc, KeyboardInterrupt | SystemExit):
        return _("工作进程被停止，任务没有完成。可以重试。")
    return _("任务运行出错：%(error)s") % {"error": f"{type(exc).__name__}: {exc}"[:500]}


def _finish(job: Job, *, state: str, result=None, error: str = "") -> None:
    now = timezone.now()
    values = {
        "state": state, "result": result, "error": error[:2000], "finished_at": now, "heartbeat_at": now,
        "done": job.total if state == State.DONE and job.total is not None else job.done, "total": job.total,
        "phase": job.phase,
    }  # fmt: skip
    # Only this attempt's row: a worker that was given up on (swept, then retried) does not overwrite the retry.
    rows = Job.objects.filter(pk=job.pk, attempts=job.attempts)
    try:
        rows.update(**values)
    except DatabaseError:
        connection.close()  # a broken connection (the job's own error): the next query opens a new one
        rows.update(**values)
    for name, value in values.items():
        setattr(job, name, value)


# Dead workers ---------------------------------------------------------------------------------------------------


def sweep_stale_jobs(*, now=None, stale_after: int | None = None) -> int:
    """Mark failed, with the reason, every job whose worker died: running without a heartbeat for `stale_after`
    seconds, or queued while its queue row was taken that long ago by a worker that never started it. Their queue
    rows are marked failed too. Returns how many jobs were marked."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    seconds = stale_after if stale_after is not None else settings.JINGZHUN_JOB_STALE_SECONDS
    cutoff = now - timedelta(seconds=seconds)
    taken = DBTaskResult.objects.filter(status="RUNNING", started_at__lt=cutoff).annotate(key=Cast("id", CharField()))
    with transaction.atomic():
        running = list(
            Job.objects.select_for_update(skip_locked=True)
            .filter(state=State.RUNNING, heartbeat_at__lt=cutoff)
            .values_list("pk", "task_id")
        )
        lost = list(
            Job.objects.select_for_update(skip_locked=True)
            .filter(state=State.QUEUED, task_id__in=taken.values("key"))
            .values_list("pk", "task_id")
        )
        Job.objects.filter(pk__in=[pk for pk, _task in running]).update(
            state=State.FAILED, finished_at=now,
            error=_("工作进程已中断（超过 %(seconds)s 秒没有消息），任务没有完成。可以重试。") % {"seconds": seconds},
        )  # fmt: skip
        Job.objects.filter(pk__in=[pk for pk, _task in lost]).update(
            state=State.FAILED, finished_at=now, error=_("工作进程在任务开始前中断，任务没有运行。可以重试。")
        )
        tasks = [task for _pk, task in running + lost if task]
        if tasks:
            DBTaskResult.objects.filter(id__in=tasks, status="RUNNING").update(
                status="FAILED", finished_at=now, exception_class_path="core.jobs.WorkerLost", traceback=""
            )
    for pk, _task in running + lost:
        logger.warning("job %s marked failed: its worker stopped answering", pk)
    return len(running) + len(lost)


def make_worker(*, batch: bool = False, max_tasks: int | None = None, interval: float = 1.0, worker_id: str = ""):
    """django-tasks' database worker over our queue (the loop `manage.py jobs_worker` runs); `batch` stops it when the
    queue is empty (tests, one-off runs)."""
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["default"], interval=interval, batch=batch, backend_name="default", startup_delay=False,
        max_tasks=max_tasks, worker_id=worker_id or this_worker()[:64], excluded_queue_names=[],
    )  # fmt: skip
