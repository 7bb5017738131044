"""What the help side adds to the household card (core.panels): the paired cadre and the visits."""

from django.utils import timezone

from cadres import selectors
from cadres.forms import VisitForm
from core.roles import Capability
from core.scope import has_capability

VISITS_SHOWN = 10


def pairing_panel(request, *, household, **context):
    """帮扶责任人与走访记录: pairings (cadre, unit, phone, since when), the latest visits, and a visit in one tap for
    the active pairings when the user records activity in the village (two queries)."""
    today = timezone.localdate()
    pairings = list(
        selectors.pairings_in_scope(user=request.user)
        .filter(household=household)
        .select_related("cadre__unit")  # the cadre's unit
        .order_by("-starts_on", "id")
    )
    visits = list(selectors.visits_in_scope(user=request.user).filter(household=household).order_by("-date", "-id")[:VISITS_SHOWN])
    may_record = has_capability(request.user, Capability.RECORD_ACTIVITY, household.village_id)
    rows = []
    for pairing in pairings:
        active = pairing.starts_on <= today and (pairing.ends_on is None or pairing.ends_on > today)
        rows.append({"pairing": pairing, "active": active, "form": VisitForm(pairing=pairing) if active and may_record else None})
    return {
        "template": "cadres/panels/pairing.html",
        "order": 40,
        "household": household,
        "rows": rows,
        "visits": visits,
        "next": request.get_full_path(),
    }
