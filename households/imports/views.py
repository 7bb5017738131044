"""The import page (导入): upload → the validation report → confirm; the writes are households.imports.services'."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from core import jobs
from core.job_views import POLL_SECONDS, SHOWN, job_row
from core.models import Job
from core.roles import Capability
from core.scope import has_capability
from households import layouts
from households.imports import selectors, services
from households.imports.forms import ImportUploadForm
from households.jobs import IMPORT_COMMIT, IMPORT_VALIDATE
from households.models import ImportState

RECENT = 20  # imports listed under the form
SHOWN_ERRORS = 200  # on the page; the error file has them all
SHOWN_CHANGES = 200


def _require_edit(user) -> None:
    if not has_capability(user, Capability.EDIT_REGISTER):
        raise PermissionDenied


def _visible_import(user, pk: int):
    """The import, 404 outside the user's regions (before 403), 403 where the user may not edit the register."""
    imported = selectors.import_visible(user=user, pk=pk)
    if imported is None:
        raise Http404
    if not has_capability(user, Capability.EDIT_REGISTER, imported.region_id):
        raise PermissionDenied
    return imported


@login_required
def import_page(request):
    """Upload a file and see the recent imports. The file is kept and validated whole by a job (nothing written to
    the register); the import's page follows the job's progress, then shows the report."""
    _require_edit(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        region = form.cleaned_data["region"]
        with transaction.atomic():
            imported = services.import_upload(
                user=request.user, region=region, filename=upload.name, content=upload.read()
            )
            jobs.job_start(kind=IMPORT_VALIDATE, user=request.user, region=region.pk, params={"import_id": imported.pk})
        return redirect("import", pk=imported.pk)
    recent = list(selectors.imports_in_scope(user=request.user)[:RECENT])
    return render(request, "households/imports/page.html", {"form": form, "recent": recent})


@login_required
def import_detail(request, pk: int):
    """The validation report of an import: what would be created and changed, every error; confirm when clean.

    While its job (validation, or the commit once confirmed) is queued or running, the page shows the job's progress
    bar (core/jobs/list.html), which asks this page again every two seconds (htmx); the answer is the bar again, or,
    once the job has ended, a reload of the whole page with the report."""
    imported = _visible_import(request.user, pk)
    job = selectors.import_job(import_id=imported.pk)
    active = job is not None and job.state in (Job.State.QUEUED, Job.State.RUNNING)
    jobs_context = {
        "rows": [{**job_row(job, user=request.user), "link": None}] if job is not None else [],  # on its page
        "polling": active,
        "poll_url": request.path,
        "poll_seconds": POLL_SECONDS,
        "shown": SHOWN,
    }
    if request.htmx and request.htmx.target == "jobs-list":  # the bar asking again
        if active:
            return render(request, "core/jobs/list.html", jobs_context)
        return HttpResponseClientRefresh()
    report = imported.report
    context = {
        **jobs_context,
        "job": job,
        "imported": imported,
        "report": report,
        "layout_label": layouts.LAYOUT_LABELS.get(report.get("layout"), ""),
        "errors": report.get("errors", [])[:SHOWN_ERRORS],
        "more_errors": max(0, report.get("error_count", 0) - SHOWN_ERRORS),
        "changes": report.get("changes", [])[:SHOWN_CHANGES],
        "warnings": report.get("warnings", []),
        "committable": imported.state == ImportState.VALIDATED and not active,
    }
    return render(request, "households/imports/detail.html", context)


@login_required
@require_POST
def import_commit(request, pk: int):
    """Confirm: a job writes the validated file to the register, all or nothing; the import's page follows it."""
    imported = _visible_import(request.user, pk)
    if imported.state != ImportState.VALIDATED:
        messages.error(
            request,
            {
                ImportState.COMMITTED: _("该导入已确认过，不能重复导入"),
                ImportState.PENDING: _("该文件还在校验中，请等校验完成后再确认"),
            }.get(imported.state, _("该文件校验有错误，不能导入；请改正后重新上传")),
        )
        return redirect("import", pk=pk)
    job = selectors.import_job(import_id=imported.pk)
    if job is None or job.kind != IMPORT_COMMIT or job.state not in (Job.State.QUEUED, Job.State.RUNNING):
        jobs.job_start(kind=IMPORT_COMMIT, user=request.user, region=imported.region_id, params={"import_id": imported.pk})
    return redirect("import", pk=pk)
