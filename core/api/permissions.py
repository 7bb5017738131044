"""Role rights on API views: which capability a read or a write needs (docs/api.md, Roles and scope)."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.roles import Capability
from core.scope import has_capability, is_unrestricted, region_code_of


class RolePermission(BasePermission):
    """Reads need the view's `read_capability` in some region, writes its `write_capability`.

    A role without the capability anywhere gets 403. Rows outside the caller's regions never
    reach this check: the view's queryset is scoped, so they answer 404. A write to a row in a
    region where the caller may read but not write is 403. `write_capability = None` (the
    default) leaves writes to superusers.
    """

    def _capability(self, request, view):
        by_action = getattr(view, "action_capabilities", {})
        if getattr(view, "action", None) in by_action:
            return by_action[view.action]
        if request.method in SAFE_METHODS:
            return getattr(view, "read_capability", Capability.READ_REGISTER)
        return getattr(view, "write_capability", None)

    def has_permission(self, request, view):
        if not hasattr(view, request.method.lower()):
            return True  # the view answers 405 Method Not Allowed, which says more than 403
        capability = self._capability(request, view)
        if capability is None:
            return is_unrestricted(request.user)
        return has_capability(request.user, capability)

    def has_object_permission(self, request, view, obj):
        capability = self._capability(request, view)
        if capability is None:
            return is_unrestricted(request.user)
        field = getattr(view, "scope_field", None) or type(obj).scope_field
        code = region_code_of(obj, field)
        if code is None:  # a nationwide row (e.g. a default policy standard): administrators only
            return request.method in SAFE_METHODS or is_unrestricted(request.user)
        return has_capability(request.user, capability, code)
