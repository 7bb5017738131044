"""Personal data (个人信息) in responses: masked by role and region, and every full read logged.

A view that serializes personal data builds a `PersonalDataPolicy` for the request and passes it
in the serializer context. Serializers ask `policy.reveal(obj, region_code, field, value)`: the
full value when the user may see personal data in that region (the read is then remembered), the
masked value otherwise. After the response is built the view calls `policy.log()`, which writes
one PersonalDataAccess row for everything revealed in the request.
"""

from collections import defaultdict

from core.masking import mask_middle
from core.roles import Capability, code_in_prefixes
from core.scope import region_prefixes


def log_personal_read(request, *, model_label: str, object_ids, fields) -> None:
    """Record that the request's user saw full personal data of these records."""
    from core.models import PersonalDataAccess

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
        return self.prefixes is None or code_in_prefixes(region_code, self.prefixes)

    def reveal(self, obj, region_code: str, field: str, value):
        """The value as this user may read it; full reads are remembered for the log."""
        if value in (None, ""):
            return value
        if not self.may_see(region_code):
            return mask_middle(value)
        label = obj._meta.label_lower
        self._revealed[label].add(obj.pk)
        self._fields[label].add(field)
        return value

    def log(self) -> None:
        """One row per kind of record revealed in this request (a single INSERT)."""
        if not self._revealed or not self.user.is_authenticated:
            return
        from core.models import PersonalDataAccess

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
