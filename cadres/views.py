"""Pages of the help side: my paired households and the visit recorded in one tap (走访)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from cadres import selectors, services
from cadres.forms import VisitForm
from core.errors import DomainError
from core.roles import Capability
from core.scope import has_capability
from core.ui import add_service_errors

FORM_FIELDS = ("date", "kind", "agreed", "found")


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return None


def _record(request, form: VisitForm):
    """Record the visit through the service; the pairing must be one the user may see (404) and act in (403)."""
    pairing = selectors.pairings_in_scope(user=request.user).filter(pk=form.cleaned_data["pairing"]).first()
    if pairing is None:
        raise Http404
    if not has_capability(request.user, Capability.RECORD_ACTIVITY, pairing.household.village_id):
        raise PermissionDenied
    data = {name: form.cleaned_data[name] for name in FORM_FIELDS}
    try:
        visit = services.visit_create(user=request.user, cadre=pairing.cadre, household=pairing.household, data=data)
    except (DomainError, ValidationError) as exc:
        add_service_errors(form, exc)
        return None, pairing
    return visit, pairing


@login_required
def visits(request):
    """走访: my paired households with their last visit, and a visit recorded in one tap (today, 入户走访)."""
    if not has_capability(request.user, Capability.RECORD_ACTIVITY):
        raise PermissionDenied
    failed = None
    if request.method == "POST":
        form = VisitForm(request.POST)
        if form.is_valid():
            visit, pairing = _record(request, form)
            if visit is not None:
                messages.success(
                    request,
                    _("已记录走访：%(head)s户，%(day)s") % {
                        "head": pairing.household.members.heads().values_list("name", flat=True).first() or pairing.household.number,
                        "day": date_format(visit.date, "DATE_FORMAT"),
                    },
                )
                return redirect(_safe_next(request) or "visits")
        failed = form
    cadre = selectors.cadre_of_user(request.user)
    pairings = list(selectors.pairings_to_visit(user=request.user, cadre=cadre))
    rows = []
    for pairing in pairings:
        refused = failed is not None and str(failed.data.get("pairing")) == str(pairing.pk)
        rows.append({"pairing": pairing, "form": failed if refused else VisitForm(pairing=pairing), "refused": refused})
    # A refused form whose row is not on the page (an ended pairing) shows its errors at the top.
    rows_error = failed if failed is not None and not any(row["refused"] for row in rows) else None
    status = 400 if failed is not None else 200
    return render(
        request,
        "cadres/visits.html",
        {"rows": rows, "cadre": cadre, "refused_form": rows_error, "next": request.get_full_path()},
        status=status,
    )
