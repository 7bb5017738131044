"""The import's job kinds (导入, issue 17): validating an uploaded file and committing it run on the job queue
(core.jobs), so the page and the API answer at once and show the job's progress.

The file is kept by the Import (households.imports.services.import_upload); a job's params carry only the import's id
(params are shown to users). Both kinds call the same services as the command (households.imports.services) with the
job's progress, and both are safe to run again: validating a validated import, or committing a committed one,
changes nothing.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.jobs import JobError, job_kind
from households.imports import selectors, services
from households.models import Import

IMPORT_VALIDATE = "households.import_validate"
IMPORT_COMMIT = "households.import_commit"
IMPORT_KINDS = (IMPORT_VALIDATE, IMPORT_COMMIT)

PHASES = {
    "read": gettext_lazy("正在读取文件"),
    "validate": gettext_lazy("正在校验"),
    "commit": gettext_lazy("正在写入登记"),
    "rules": gettext_lazy("正在运行核查规则"),
}


def _progress(job):
    """The services' `progress(done, total, phase)` with the phase in words for /jobs/."""

    def progress(done, total=None, phase=None):
        job.progress(done, total, str(PHASES.get(phase, phase)) if phase is not None else None)

    return progress


def _import(job, import_id) -> Import:
    """The job's import, where its starter may still edit the register (else the job is refused in words)."""
    imported = Import.objects.select_related("region", "user").filter(pk=import_id).first()
    if imported is None or selectors.import_region(user=job.started_by, code=imported.region_id) is None:
        raise JobError(_("导入不存在或不在您的管辖范围内"))
    return imported


def _page(job) -> str | None:
    """/jobs/ links an import's job to the import's page."""
    import_id = job.params.get("import_id") if isinstance(job.params, dict) else None
    return reverse("import", kwargs={"pk": import_id}) if isinstance(import_id, int) else None


def _result(imported: Import) -> dict:
    households = imported.report.get("households") or {}
    if imported.state == "failed":
        summary = _("%(count)s 处错误，未导入") % {"count": imported.report.get("error_count", 0)}
    else:
        summary = _("新建 %(create)s 户，修改 %(update)s 户") % {
            "create": households.get("create", 0), "update": households.get("update", 0)
        }  # fmt: skip
    return {"import": imported.pk, "state": imported.state, "summary": summary}


@job_kind(IMPORT_VALIDATE, label=gettext_lazy("导入：校验文件"), link=_page)
def import_validate(job, *, import_id: int):
    """Validate the uploaded file of import `import_id` (nothing written to the register)."""
    imported = services.import_validate(import_=_import(job, import_id), progress=_progress(job))
    return _result(imported)


@job_kind(IMPORT_COMMIT, label=gettext_lazy("导入：写入登记"), link=_page)
def import_commit(job, *, import_id: int):
    """Write the validated import `import_id` to the register, all or nothing, as the job's starter."""
    try:
        imported = services.import_commit(user=job.started_by, import_=_import(job, import_id), progress=_progress(job))
    except services.ImportRefused as exc:
        raise JobError(exc.message) from exc
    return _result(imported)
