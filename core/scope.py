"""Scope (数据范围): the one place that decides which rows a user may see or change.

Every registry queryset, in the API, the admin, exports and summaries, goes through
`restrict_to_scope`; views never filter by region themselves. A row outside the scope does not
exist for the caller (404), it is never "forbidden" (403).
"""

from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q, QuerySet

from core.models import RoleGrant
from core.regions import significant_prefix
from core.roles import Capability, code_in_prefixes, prefixes_for

_CACHE_ATTR = "_jingzhun_grants"


def user_grants(user) -> tuple[tuple[str, str], ...]:
    """The user's (role, region prefix) pairs, read once per user object."""
    if user is None or not user.is_authenticated:
        return ()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = tuple(
            (role, significant_prefix(code)) for role, code in RoleGrant.objects.filter(user=user).values_list("role", "region_id")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_grants(user) -> None:
    """Drop the cached grants (after granting or revoking a role)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_unrestricted(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def region_prefixes(user, capability: str) -> tuple[str, ...] | None:
    """The region-code prefixes where the user holds the capability; None means everywhere."""
    if is_unrestricted(user):
        return None
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    return prefixes_for(user_grants(user), capability)


def has_capability(user, capability: str, region_code: str | None = None) -> bool:
    """Whether the user holds the capability over this region (or anywhere, without one)."""
    prefixes = region_prefixes(user, capability)
    if prefixes is None:
        return True
    if region_code is None:
        return bool(prefixes)
    return code_in_prefixes(region_code, prefixes)


def restrict_to_scope(queryset: QuerySet, user, capability: str = Capability.READ_REGISTER, *, field: str | None = None):
    """The queryset narrowed to the rows in regions where the user holds the capability.

    `field` is the lookup path of the row's region code; by default the model's `scope_field`
    (for example "code" on Region, "village__code" on a household).
    """
    field = field or queryset.model.scope_field
    prefixes = region_prefixes(user, capability)
    if prefixes is None:
        return queryset
    if not prefixes:
        return queryset.none()
    return queryset.filter(reduce(or_, (Q(**{f"{field}__startswith": prefix}) for prefix in prefixes)))


def region_code_of(obj, field: str) -> str:
    """Follow a scope path such as "code", "village__code" or "household__village__code" to a code.

    The last hop reads the foreign key's column ("village_id"), so no extra query is made.
    """
    *hops, last = field.split("__")
    if hops and last == "code":
        last = f"{hops.pop()}_id"
    value = obj
    for hop in hops:
        value = getattr(value, hop)
    return getattr(value, last)


def users_in_scope(user, capability: str = Capability.COUNTY_ADMINISTRATION) -> QuerySet:
    """The users a role manager may name (a grant's holder): those holding some grant inside their regions.

    A county officer administers people through the regions they work in, so a user with a grant in the
    county is theirs, and one whose every grant lies elsewhere is another county's (whose name and
    existence are not theirs to learn). A user without any grant belongs to no county: only a superuser
    sees and grants them their first role (or `create_user --role --region`), else every county would
    list every new account of the system.
    """
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.all()
    if is_unrestricted(user):
        return users
    # EXISTS per user, not `pk IN (the scope's grants)`: an IN may be planned by first making every grant's user id
    # of the region unique (a HashAggregate over the region), which a page of accounts must not pay.
    grants = restrict_to_scope(RoleGrant.objects.filter(user_id=OuterRef("pk")), user, capability)
    return users.filter(Exists(grants))
