"""Reads of the register: every one scoped to the caller, prefetched for what the response needs."""

from decimal import Decimal
from functools import reduce
from operator import or_

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import OuterRef, Prefetch, Q, Subquery
from pghistory.models import Events

from core import regions as region_rules
from core.masking import masked_finding_detail
from core.queries import count_of
from core.roles import Capability, code_in_prefixes
from core.scope import region_prefixes, restrict_to_scope
from households import hooks, rules
from households.models import AnnualRecord, Household, Member, PolicyStandard


def households_in_scope(*, user, capability: str = Capability.READ_REGISTER):
    return restrict_to_scope(Household.objects.select_related("village"), user, capability)


def head_name(household: str = "pk") -> Subquery:
    """The name of the active head (户主) of the household the outer query names by `household` (a field path)."""
    return Subquery(Member.objects.heads().filter(household=OuterRef(household)).values("name")[:1])


def active_member_count(household: str = "pk") -> Subquery:
    """The number of active members (在册人数) of the household the outer query names by `household`.

    A correlated subquery: evaluated for each row the outer query returns, through the index on the member's
    household, so a list pays for its page only (a COUNT … GROUP BY over the join would count every member of
    the region before the LIMIT; quality.md P3).
    """
    return count_of(Member.objects.filter(household=OuterRef(household), left_on__isnull=True))


def number_in_prefixes(prefixes) -> Q:
    """Households whose number lies in the subtree of one of these region prefixes (rules.number_bounds).

    The same rows as `village__code__startswith` (a household's number starts with its village's code), as a
    range on the number: the index the lists are ordered by then serves the region too.
    """

    def one(prefix: str) -> Q:
        low, high = rules.number_bounds(prefix)
        return Q(number__gte=low) if high is None else Q(number__gte=low, number__lt=high)

    return reduce(or_, (one(prefix) for prefix in prefixes))


def household_list(*, user):
    """Households for lists: the head's name and the number of active members, each a correlated subquery.

    Ordered by number (the cursor's key); the scope's regions are also given as number ranges, so that one
    index scan from the cursor on fills the page at any depth, whatever the size of the region (P3).
    """
    households = households_in_scope(user=user)
    prefixes = region_prefixes(user, Capability.READ_REGISTER)
    if prefixes and all(prefixes):  # None: everywhere; (): nothing (the scope already answers none)
        households = households.filter(number_in_prefixes(prefixes))
    return households.annotate(head_name=head_name(), member_count=active_member_count()).order_by("number")


def household_detail(*, user):
    """Households with all their members (former members too, marked inactive)."""
    return households_in_scope(user=user).prefetch_related(
        Prefetch("members", queryset=Member.objects.order_by("left_on", "relation", "birth_date", "id"))  # for `members`
    )


def members_in_scope(*, user, capability: str = Capability.READ_REGISTER):
    return restrict_to_scope(Member.objects.select_related("household"), user, capability)


def annual_records_in_scope(*, user, capability: str = Capability.READ_REGISTER):
    return restrict_to_scope(AnnualRecord.objects.select_related("household"), user, capability)


def _ancestor_codes_of_scope(user, capability: str) -> list[str] | None:
    """Codes of the regions above the user's own (None: the user sees everywhere)."""
    prefixes = region_prefixes(user, capability)
    if prefixes is None:
        return None
    return sorted({code for prefix in prefixes for code in region_rules.region_and_ancestor_codes(prefix.ljust(12, "0"))[1:]})


def standards_in_scope(*, user, capability: str = Capability.READ_FIGURES):
    """Policy standards that apply somewhere in the user's regions: those of the regions themselves and
    below them (restrict_to_scope), those of the regions above them (a province's or county's standard
    applies to its whole subtree) and the nationwide ones."""
    standards = PolicyStandard.objects.all()
    ancestors = _ancestor_codes_of_scope(user, capability)
    if ancestors is None:
        return standards
    if not region_prefixes(user, capability):
        return standards.none()
    below = restrict_to_scope(standards, user, capability)
    return standards.filter(Q(pk__in=below.values("pk")) | Q(region__isnull=True) | Q(region_id__in=ancestors))


def standard_region_visible(*, user, code: str, capability: str = Capability.READ_FIGURES) -> bool:
    """Whether the standards of this region are the user's to see: it lies in, or above, the user's regions."""
    prefixes = region_prefixes(user, capability)
    if prefixes is None:
        return True
    return code_in_prefixes(code, prefixes) or code in (_ancestor_codes_of_scope(user, capability) or ())


def standard_for(*, year: int, region_code: str, kind: str = "national") -> PolicyStandard | None:
    """The policy standard that applies to a region in a year: the most specific region wins, then nationwide; a
    household's identification standard (`kind`) picks a row of its kind where one applies (rules.most_specific_standard)."""
    candidates = list(
        PolicyStandard.objects.filter(year=year).filter(
            Q(region__isnull=True) | Q(region_id__in=region_rules.region_and_ancestor_codes(region_code))
        )
    )
    return rules.most_specific_standard(candidates, region_code, kind)


OBJECT_TYPES = {
    "households.Household": "household",
    "households.Member": "member",
    "households.AnnualRecord": "annual_record",
    "lifecycle.Procedure": "procedure",
    "cadres.Pairing": "pairing",
    "cadres.Visit": "visit",
    "programs.Benefit": "benefit",
    "programs.CooperativeMembership": "cooperative_membership",
    "checks.Finding": "finding",
    "checks.Verification": "verification",
}
# Rows of other apps that refer to the household appear in its timeline under their own kind (their
# history is recorded by the same triggers, so edits and closings are there too); the household's own
# rows are "edit".
TIMELINE_KINDS = {
    "pairing": "pairing",
    "visit": "visit",
    "benefit": "benefit",
    "cooperative_membership": "benefit",
    "finding": "finding",
    "verification": "finding",
}
PERSONAL_FIELDS = {"id_number", "person_number", "bank_account", "birth_date"}  # birth_date: its year when masked
HIDDEN_FIELDS = {"id", "version", "updated_at", "created_at"}
MONEY_FIELDS = {
    label: {f.attname for f in apps.get_model(label)._meta.concrete_fields if isinstance(f, models.DecimalField)}
    for label in OBJECT_TYPES
}


class _EventObject:
    """Stands for the tracked row of a history event when a read of its personal data is logged."""

    class _Meta:
        def __init__(self, label):
            self.label_lower = label.lower()

    def __init__(self, label, pk):
        self._meta = self._Meta(label)
        self.pk = int(pk)


def _money(value):
    """History keeps numbers as JSON numbers; money is shown as the API shows it, a decimal string."""
    return None if value is None else f"{Decimal(str(value)):.2f}"


def household_timeline(*, household: Household, policy) -> list[dict]:
    """Every recorded change of the household and of the rows that refer to it, oldest first.

    Members, annual records and procedures show as edits; pairings, visits, benefits and findings
    under their own kind.
    Two queries: the events (database-trigger history, so bulk and raw-SQL changes are there too)
    and the names of the users who made them. Personal data in the changes goes through the
    caller's PersonalDataPolicy (masked, or revealed and logged).
    """
    events = list(Events.objects.references(household).order_by("pgh_created_at", "pgh_id"))
    user_ids = {e.pgh_context.get("user") for e in events if e.pgh_context and e.pgh_context.get("user")}
    names = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "username")) if user_ids else {}
    entries = []
    for event in events:
        if event.pgh_label == "update":
            changes = event.pgh_diff or {}
        elif event.pgh_label == "delete":
            changes = {k: [v, None] for k, v in event.pgh_data.items()}
        else:
            changes = {k: [None, v] for k, v in event.pgh_data.items()}
        shown = {}
        for field, (old, new) in sorted(changes.items()):
            if field in HIDDEN_FIELDS:
                continue
            if field in MONEY_FIELDS.get(event.pgh_obj_model, ()):
                old, new = _money(old), _money(new)
            if field in PERSONAL_FIELDS:
                obj = _EventObject(event.pgh_obj_model, event.pgh_obj_id)
                old = policy.reveal(obj, household.village_id, field, old)
                new = policy.reveal(obj, household.village_id, field, new)
            elif field == "detail" and event.pgh_obj_model == "checks.Finding" and not policy.may_see(household.village_id):
                old, new = masked_finding_detail(old), masked_finding_detail(new)  # an ID-1 finding quotes birth dates
            shown[field] = [old, new]
        context = event.pgh_context or {}
        object_type = OBJECT_TYPES.get(event.pgh_obj_model, event.pgh_obj_model)
        entries.append(
            {
                "at": event.pgh_created_at,
                "kind": TIMELINE_KINDS.get(object_type, "edit"),
                "action": event.pgh_label,
                "object_type": object_type,
                "object_id": event.pgh_obj_id,
                "user": names.get(context.get("user")),
                "request_id": context.get("request_id"),
                "changes": shown,
            }
        )
    for source in hooks.timeline_sources():
        entries.extend(source(household=household, names=names))
    entries.sort(key=lambda entry: entry["at"])
    return entries
