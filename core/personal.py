"""Personal data (个人信息) in responses: masked by role and region, and every full read logged.

`may_see_personal_data(user, region_code)` is the one decision, by the object's region: the API
(through `PersonalDataPolicy`), the admin (core.admin_base) and the exports all ask it. Who may not
see an object's personal data reads its ID numbers and bank accounts masked (core.masking, never a
birth-date digit) and its people's birth dates as the year only.

A view that serializes personal data builds a `PersonalDataPolicy` for the request and passes it
in the serializer context. Serializers ask `policy.reveal(obj, region_code, field, value)`: the
full value when the user may see personal data in that region (the read is then remembered), the
masked value otherwise. After the response is built the view calls `policy.log()`, which writes
one PersonalDataAccess row for everything revealed in the request.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.masking import BIRTH_DATE_FIELDS, masked_value
from core.models import PersonalDataAccess, PersonalDataAlert, PersonalDataDay
from core.regions import smallest_common_region
from core.roles import Capability
from core.scope import has_capability, region_prefixes, restrict_to_scope

EXPORT_MODEL = "villages.region"  # an export's log row names the exported region (reports.exports)
ALERT_WINDOW_DAYS = 31  # alerts are raised from this many days of the log


def may_see_personal_data(user, region_code: str | None) -> bool:
    """Whether the user sees full personal data of an object in this region (SEE_PERSONAL_DATA over it).

    None (an object not yet in a region, such as an add form) asks whether the user sees it anywhere.
    """
    return has_capability(user, Capability.SEE_PERSONAL_DATA, region_code)


def log_personal_read(request, *, model_label: str, object_ids, fields, region: str = "", export: bool = False) -> None:
    """Record that the request's user saw full personal data of these records, in `region` (the smallest region
    holding them). An export names its region in `object_ids` and counts no records."""
    ids = sorted(object_ids)
    PersonalDataAccess.objects.create(
        user=request.user,
        request_id=getattr(request, "request_id", ""),
        path=request.path[:300],
        model=model_label,
        object_ids=ids,
        fields=sorted(fields),
        region=region,
        records=0 if export else len(ids),
    )


def raise_due_alerts(*, days: int = ALERT_WINDOW_DAYS) -> None:
    """Raise the county office's alerts (PersonalDataAlert) that the reads of the last `days` days call for, each
    once (a closed alert stays closed).

    - a user read more full records in a day than `JINGZHUN_PERSONAL_READS_PER_DAY`;
    - a user exported full personal data of a whole township or more (a village code never ends in 000).

    Read from each user's day totals (PersonalDataDay, kept by a trigger on the log in the transaction that writes
    it) when the county office looks (the work queue, the page) or by the command `personal_data_alerts`: one
    SELECT of the window's days that call for an alert (no sum over the month's log), and one INSERT when something
    is due.
    """
    since = timezone.localdate(timezone.now() - timedelta(days=days))
    due = PersonalDataDay.objects.filter(
        Q(records__gt=settings.JINGZHUN_PERSONAL_READS_PER_DAY) | Q(wide_exports__len__gt=0), day__gte=since
    ).values_list("user_id", "day", "records", "first_region", "last_region", "wide_exports")
    alerts = []
    for user_id, day, records, first, last, wide in due:
        if records > settings.JINGZHUN_PERSONAL_READS_PER_DAY:
            alerts.append(
                PersonalDataAlert(
                    user_id=user_id, day=day, kind=PersonalDataAlert.Kind.MANY_READS, records=records,
                    region=smallest_common_region([first, last]),
                )  # fmt: skip
            )
        alerts += [
            PersonalDataAlert(user_id=user_id, day=day, kind=PersonalDataAlert.Kind.WIDE_EXPORT, region=region)
            for region in sorted(wide)
        ]
    if alerts:  # those already raised (open or closed) are left as they are
        PersonalDataAlert.objects.bulk_create(alerts, ignore_conflicts=True)


class PersonalDataPolicy:
    def __init__(self, request):
        self.request = request
        self.user = request.user
        self.prefixes = region_prefixes(self.user, Capability.SEE_PERSONAL_DATA)
        self._revealed: dict[str, set[int]] = defaultdict(set)
        self._fields: dict[str, set[str]] = defaultdict(set)
        self._regions: dict[str, set[str]] = defaultdict(set)

    def may_see(self, region_code: str) -> bool:
        return may_see_personal_data(self.user, region_code)

    def reveal(self, obj, region_code: str, field: str, value):
        """The value as this user may read it; full reads are remembered for the log.

        `field` names the kind of value (core.masking.masked_value): an ID number, a bank account, or a
        birth date (its year when masked; a birth date alone is not logged).
        """
        if value in (None, ""):
            return value
        if not self.may_see(region_code):
            return masked_value(field, value)
        if field in BIRTH_DATE_FIELDS:
            return value
        label = obj._meta.label_lower
        self._revealed[label].add(obj.pk)
        self._fields[label].add(field)
        self._regions[label].add(region_code)
        return value

    def log(self) -> None:
        """One row per kind of record revealed in this request (a single INSERT)."""
        if not self._revealed or not self.user.is_authenticated:
            return
        PersonalDataAccess.objects.bulk_create(
            [
                PersonalDataAccess(
                    user=self.user,
                    request_id=getattr(self.request, "request_id", ""),
                    path=self.request.path[:300],
                    model=label,
                    object_ids=sorted(ids),
                    fields=sorted(self._fields[label]),
                    region=smallest_common_region(self._regions[label]),
                    records=len(ids),
                )
                for label, ids in sorted(self._revealed.items())
            ]
        )
        self._revealed.clear()
        self._fields.clear()
        self._regions.clear()


class PersonalDataViewMixin:
    """For API views whose responses carry personal data: a policy in the serializer context,
    the log written once the response is rendered into data, and `Cache-Control: no-store`."""

    def get_personal_data_policy(self) -> PersonalDataPolicy:
        if not hasattr(self, "_personal_policy"):
            self._personal_policy = PersonalDataPolicy(self.request)
        return self._personal_policy

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["personal"] = self.get_personal_data_policy()
        return context

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if hasattr(self, "_personal_policy") and response.status_code < 400:
            self._personal_policy.log()
        response["Cache-Control"] = "no-store"
        return response


# The county office's review of the log (个人信息查阅记录) --------------------------------------------------------


def accesses_in_scope(*, user):
    """The reads of full personal data in the regions the user administers (COUNTY_ADMINISTRATION), newest first.

    A row written before reads named their region (blank) is seen by superusers only."""
    return restrict_to_scope(
        PersonalDataAccess.objects.select_related("user"), user, Capability.COUNTY_ADMINISTRATION, field="region"
    ).order_by("-at", "-id")


def alerts_in_scope(*, user):
    """The alerts about reads in the regions the user administers; open ones first, newest first."""
    return restrict_to_scope(
        PersonalDataAlert.objects.select_related("user", "closed_by"), user, Capability.COUNTY_ADMINISTRATION,
        field="region",
    ).order_by(F("closed_at").desc(nulls_first=True), "-day", "-id")  # fmt: skip


@transaction.atomic
def personal_alert_close(*, user, alert: PersonalDataAlert, note: str) -> PersonalDataAlert:
    """Close an alert with what was found (处理说明): the county office of its region, a note required, once."""
    if not has_capability(user, Capability.COUNTY_ADMINISTRATION, alert.region or None):
        raise DomainError("permission_denied", _("只有县扶贫办可以处理此提醒。"), status=403)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("请写明核实情况和处理结果。")]})
    alert = PersonalDataAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.closed_at is not None:
        raise DomainError("already_closed", _("此提醒已经处理过了。"))
    alert.closed_at = timezone.now()
    alert.closed_by = user
    alert.note = note
    alert.save(update_fields=["closed_at", "closed_by", "note"])
    return alert
