"""Job kinds for the queue's tests (core.jobs): registered when this module is imported (tests and their workers)."""

import time

from django.contrib.auth import get_user_model
from django.db import transaction

from core.jobs import JobError, job_kind

CALLS: list[tuple[int, dict]] = []  # (job id, params) of every run in this process
FAIL_ONCE: set[int] = set()  # job ids whose first run raises
WHILE_HOLDING: list = []  # a function called with the job instead of waiting (in this process)


@job_kind("test.count", label="数数")
def count(job, *, upto: int):
    """Counts to `upto`, saying how far, and returns the sum."""
    CALLS.append((job.pk, {"upto": upto}))
    for number in range(1, upto + 1):
        job.progress(number, upto, "数数")
    return {"sum": upto * (upto + 1) // 2}


@job_kind("test.raise", label="出错")
def raise_error(job, *, sentence: str = ""):
    if sentence:
        raise JobError(sentence)
    raise ValueError("bad value 42")


@job_kind("test.flaky", label="第一次失败")
def flaky(job):
    CALLS.append((job.pk, {}))
    if job.pk in FAIL_ONCE:
        FAIL_ONCE.discard(job.pk)
        raise JobError("第一次失败")
    return {"ok": True}


@job_kind("test.hold", label="写一半后等待")
def hold(job, *, username: str, seconds: float):
    """Writes a user in its transaction, says so, then waits (a worker killed here must leave nothing written)."""
    with transaction.atomic():
        get_user_model().objects.create(username=username)
        job.progress(1, 2, "已写一半")
        if WHILE_HOLDING:
            WHILE_HOLDING[0](job)
        else:
            time.sleep(seconds)
    return {"ok": True}
