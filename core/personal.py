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

from core.masking import BIRTH_DATE_FIELDS, masked_value
from core.models import PersonalDataAccess
from core.roles import Capability
from core.scope import has_capability, region_prefixes


def may_see_personal_data(user, region_code: str | None) -> bool:
    """Whether the user sees full personal data of an object in this region (SEE_PERSONAL_DATA over it).

    None (an object not yet in a region, such as an add form) asks whether the user sees it anywhere.
    """
    return has_capability(user, Capability.SEE_PERSONAL_DATA, region_code)


def log_personal_read(request, *, model_label: str, object_ids, fields) -> None:
    """Record that the request's user saw full personal data of these records."""
    PersonalDataAccess.objects.create(
        user=request.user,
        request_id=getattr(request, "request_id", ""),
        path=request.path[:300],
        model=model_label,
        object_ids=sorted(object_ids),
        fields=sorted(fields),
    )


class PersonalDataPolicy:
    def __init__(self, request):
        self.request = request
        self.user = request.user
        self.prefixes = region_prefixes(self.user, Capability.SEE_PERSONAL_DATA)
        self._revealed: dict[str, set[int]] = defaultdict(set)
        self._fields: dict[str, set[str]] = defaultdict(set)

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
                )
                for label, ids in sorted(self._revealed.items())
            ]
        )
        self._revealed.clear()
        self._fields.clear()


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
