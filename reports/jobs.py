"""Exports as jobs (issue 17 point 6): the XLSX export of more than a village, written by a worker to a file.

`GET /api/v1/exports/households.xlsx` of a village answers the file at once, as always; of a township, a county or
more it answers 202 with a job of this kind (reports.api.exports), which writes the same file (reports.exports: the
layout, the masking, formula-safe cells) to MEDIA_ROOT/exports/job-<id>.xlsx through openpyxl's write-only workbook
while reading the rows through a server-side cursor: memory stays flat whatever the region. The starter downloads it
at `GET /api/v1/jobs/{id}/file/` (or from /jobs/); each download of a file with full personal data is logged like
the synchronous export (reports.exports.log_household_export). CSV is never a job: it streams in the request.
"""

import datetime
import os

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import regions as region_rules
from core.jobs import JobError, job_file_path, job_kind
from core.personal import may_see_personal_data
from core.roles import Capability
from core.scope import region_prefixes
from reports import exports

HOUSEHOLDS_XLSX = "reports.households_xlsx"
PROGRESS_EVERY = 200  # rows between two progress reports (they cost nothing: the heartbeat writes them)


def log_export_download(request, job) -> None:
    """A download of an export job's file: logged as a read of full personal data when the file holds some."""
    if isinstance(job.result, dict) and job.result.get("full_personal_data") and job.region_id:
        exports.log_household_export(request, region_code=job.region_id, see_prefixes=None)


@job_kind(HOUSEHOLDS_XLSX, label=gettext_lazy("农户信息导出（Excel）"), on_download=log_export_download)
def households_xlsx(job, *, region: str, as_of: str, codes: str = "slugs"):
    """The household export of `region` as of the day, as an XLSX file of the job, with the starter's rights."""
    user = job.started_by
    if not exports.region_exportable(user=user, region_code=region):
        raise JobError(_("区划不存在或不在您的范围内"))
    day = datetime.date.fromisoformat(as_of)
    total = exports.household_export_count(user=user, region_code=region)
    job.progress(0, total, _("正在写入 Excel"))

    def counted(raw):
        for number, values in enumerate(raw, start=1):
            if number % PROGRESS_EVERY == 0:
                job.progress(number)
            yield values

    raw = exports.household_export_rows(user=user, region_code=region, day=day).iterator(chunk_size=exports.CHUNK_SIZE)
    rows = exports.export_rows(counted(raw), may_see=lambda village: may_see_personal_data(user, village), codes=codes)
    path = job_file_path(job, "xlsx")
    partial = path.with_name(path.name + ".part")  # a retry or a crash never leaves half a file under the real name
    with partial.open("wb") as out:
        exports.write_xlsx(rows, out)
    os.replace(partial, path)
    job.progress(total, total, _("已完成"))
    full = exports.reveals_in_region(
        region_prefixes(user, Capability.SEE_PERSONAL_DATA), region_rules.significant_prefix(region)
    )
    return {
        "file": path.name,
        "filename": exports.export_filename(region_code=region, day=day, extension="xlsx"),
        "content_type": exports.XLSX_CONTENT_TYPE,
        "rows": total,
        "size": path.stat().st_size,
        "full_personal_data": full,
        "summary": _("共 %(rows)s 行，可以下载") % {"rows": total},
    }
