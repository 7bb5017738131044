"""The jobs page (后台任务, /jobs/): my jobs — for the county office every job in its county — with their progress.

A running job's row shows a progress bar; while any job on the page is queued or running, the list asks the server
again every two seconds (htmx polling of the list alone) and stops once all are done or failed. A done job shows its
result and, for its starter, the link to its file; a failed one its error in words and, for its starter, 重试.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import jobs
from core.errors import DomainError
from core.models import Job
from core.roles import Capability
from core.scope import has_capability

SHOWN = 50  # the newest jobs on the page; the API lists them all
POLL_SECONDS = 2


def _may_use(user) -> bool:
    return has_capability(user, Capability.READ_REGISTER)


def job_row(job: Job, *, user) -> dict:
    """A job as core/jobs/list.html shows it (no query: its starter and region selected with it)."""
    mine = job.started_by_id == user.pk
    result = job.result if isinstance(job.result, dict) else {}
    return {
        "job": job,
        "label": jobs.kind_label(job.kind),
        "mine": mine,
        "active": job.state in (Job.State.QUEUED, Job.State.RUNNING),
        "percent": job.percent,
        "summary": result.get("summary", ""),
        "download": mine and jobs.job_file(job) is not None,
        "may_retry": mine and job.state == Job.State.FAILED,
        "link": jobs.job_link(job),
    }


def job_rows(*, user) -> list[dict]:
    """The newest jobs the user follows, as the page shows them (one query)."""
    return [
        job_row(job, user=user)
        for job in jobs.jobs_in_scope(user).select_related("started_by", "region").order_by("-created_at", "-id")[:SHOWN]
    ]


@login_required
def jobs_page(request):
    if not _may_use(request.user):
        raise PermissionDenied
    rows = job_rows(user=request.user)
    context = {
        "rows": rows,
        "polling": any(row["active"] for row in rows),
        "poll_seconds": POLL_SECONDS,
        "shown": SHOWN,
        "county_office": has_capability(request.user, Capability.COUNTY_ADMINISTRATION),
    }
    template = "core/jobs/list.html" if request.htmx else "core/jobs/page.html"
    return render(request, template, context)


@login_required
@require_POST
def job_retry_page(request, pk: int):
    """重试: the starter queues a failed job again (core.jobs.job_retry); back to the list."""
    if not _may_use(request.user):
        raise Http404
    job = get_object_or_404(jobs.jobs_in_scope(request.user), pk=pk)
    try:
        jobs.job_retry(job=job, user=request.user)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(str(exc)) from exc
        raise
    messages.success(request, _("任务已重新排队。"))
    return redirect("jobs")
