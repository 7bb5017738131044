"""The import page (导入): upload → the validation report → confirm; the writes are households.imports.services'."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.roles import Capability
from core.scope import has_capability
from households import layouts
from households.imports import selectors, services
from households.imports.forms import ImportUploadForm
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
    """Upload a file (validated whole, nothing written) and see the recent imports."""
    _require_edit(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        imported = services.import_create(
            user=request.user, region=form.cleaned_data["region"], filename=upload.name, content=upload.read()
        )
        return redirect("import", pk=imported.pk)
    recent = list(selectors.imports_in_scope(user=request.user)[:RECENT])
    return render(request, "households/imports/page.html", {"form": form, "recent": recent})


@login_required
def import_detail(request, pk: int):
    """The validation report of an import: what would be created and changed, every error; confirm when clean."""
    imported = _visible_import(request.user, pk)
    report = imported.report
    context = {
        "imported": imported,
        "report": report,
        "layout_label": layouts.LAYOUT_LABELS.get(report.get("layout"), ""),
        "errors": report.get("errors", [])[:SHOWN_ERRORS],
        "more_errors": max(0, report.get("error_count", 0) - SHOWN_ERRORS),
        "changes": report.get("changes", [])[:SHOWN_CHANGES],
        "warnings": report.get("warnings", []),
        "committable": imported.state == ImportState.VALIDATED,
    }
    return render(request, "households/imports/detail.html", context)


@login_required
@require_POST
def import_commit(request, pk: int):
    """Confirm: write the validated file to the register, all or nothing."""
    imported = _visible_import(request.user, pk)
    try:
        imported = services.import_commit(user=request.user, import_=imported)
    except services.ImportRefused as exc:
        messages.error(request, exc.message)
        return redirect("import", pk=pk)
    if imported.state == ImportState.COMMITTED:
        messages.success(request, _("已导入：新建 %(create)s 户，修改 %(update)s 户。") % imported.report["households"])
    else:
        messages.error(request, _("登记信息在校验后已有变化，文件未通过再次校验，未导入任何内容；请查看下方错误。"))
    return redirect("import", pk=pk)
