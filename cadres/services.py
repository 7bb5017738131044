"""Every write of the help side (帮扶力量) goes through these functions: API, admin, commands and the demo.

Each service validates with cadres.rules (and households.rules for ID numbers), runs in one
transaction, locks what it changes, and lets the database constraints back the invariants (one
cadre per ID number and per login, no overlapping membership or pairing of the same cadre and
household) even when two requests race: an IntegrityError from a constraint becomes the same
error the checks give. `user=None` is the system (the demo generator, commands): no rights check.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres import rules
from cadres.models import Cadre, Pairing, TeamMembership, Unit, Visit, WorkTeam
from core import regions as region_rules
from core.errors import DomainError
from core.regions import RegionLevel
from core.roles import Capability
from core.scope import has_capability
from households import rules as household_rules
from households.choices import RegistryStatus
from households.models import Household

UNIT_FIELDS = ("name", "level", "region")
CADRE_FIELDS = ("name", "sex", "id_number", "phone", "unit", "title", "region", "user")
TEAM_FIELDS = ("village", "unit", "starts_on", "ends_on")
MEMBERSHIP_FIELDS = ("role", "resident", "starts_on", "ends_on")
VISIT_FIELDS = ("date", "kind", "found", "agreed", "confirmed")
DUPLICATE_ID_CODE = "duplicate_id_number"


def _today() -> datetime.date:
    return timezone.localdate()


def _error(field: str, message, code: str = "invalid") -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def _raise_violations(violations) -> None:
    if violations:
        errors: dict[str, list] = {}
        for violation in violations:
            errors.setdefault(violation.field, []).append(ValidationError(violation.message, code=violation.code))
        raise ValidationError(errors)


def _require(user, capability: str, region_code: str) -> None:
    """The caller holds the capability over the region (None: the system itself)."""
    if user is not None and not has_capability(user, capability, region_code):
        raise DomainError("permission_denied", _("您的角色不能在该区划办理此项"), status=403)


def _constraint_name(exc: IntegrityError) -> str:
    return getattr(getattr(exc.__cause__, "diag", None), "constraint_name", "") or str(exc)


def _set(instance, fields, data: dict) -> None:
    for field in fields:
        if field in data:
            setattr(instance, field, data[field])


# Units (帮扶单位) -------------------------------------------------------------------------------


def _check_unit_name(unit: Unit) -> None:
    if Unit.objects.filter(region_id=unit.region_id, name=unit.name).exclude(pk=unit.pk).exists():
        raise _error("name", _("该区划已有同名的帮扶单位"))


def _save_unit(unit: Unit) -> Unit:
    unit.full_clean(validate_unique=False, validate_constraints=False)
    _check_unit_name(unit)
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError as exc:
        if "unit_unique_name_in_region" in _constraint_name(exc):
            raise _error("name", _("该区划已有同名的帮扶单位")) from exc
        raise
    return unit


@transaction.atomic
def unit_create(*, user, data: dict) -> Unit:
    """Register a unit that helps (新增帮扶单位): name, level and region."""
    unit = Unit()
    _set(unit, UNIT_FIELDS, data)
    if unit.region_id:
        _require(user, Capability.COUNTY_ADMINISTRATION, unit.region_id)
    return _save_unit(unit)


@transaction.atomic
def unit_update(*, user, unit: Unit, data: dict) -> Unit:
    """Change a unit's name, level or region (修改帮扶单位)."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _require(user, Capability.COUNTY_ADMINISTRATION, unit.region_id)
    _set(unit, UNIT_FIELDS, data)
    _require(user, Capability.COUNTY_ADMINISTRATION, unit.region_id)
    return _save_unit(unit)


# Cadres (干部) ----------------------------------------------------------------------------------


def validate_cadre_id_number(*, id_number: str, sex: str | None) -> str:
    """ID-1 for a cadre, as for a member (居民身份证号, agreeing with the sex); the number normalised."""
    try:
        parsed = household_rules.check_identity(
            id_type="resident_id",
            id_number=id_number or "",
            sex=sex if sex in ("male", "female") else None,  # another value is the model's choice error
            birth_date=None,
            today=_today(),
        )
    except household_rules.IdNumberError as exc:
        raise _error("sex" if exc.part == "sex" else "id_number", exc.message, household_rules.ID_NUMBER_CODE) from None
    return parsed.number


def _save_cadre(cadre: Cadre) -> Cadre:
    cadre.id_number = validate_cadre_id_number(id_number=cadre.id_number, sex=cadre.sex)
    cadre.full_clean(validate_unique=False, validate_constraints=False)
    if Cadre.objects.filter(id_number=cadre.id_number).exclude(pk=cadre.pk).exists():
        raise _error("id_number", _("该证件号已登记为其他干部"), DUPLICATE_ID_CODE)
    if cadre.user_id is not None and Cadre.objects.filter(user_id=cadre.user_id).exclude(pk=cadre.pk).exists():
        raise _error("user", _("该登录账号已关联其他干部"))
    try:
        with transaction.atomic():
            cadre.save()
    except IntegrityError as exc:
        name = _constraint_name(exc)
        if "cadre_unique_id_number" in name:
            raise _error("id_number", _("该证件号已登记为其他干部"), DUPLICATE_ID_CODE) from exc
        if "user_id" in name:
            raise _error("user", _("该登录账号已关联其他干部")) from exc
        raise
    return cadre


@transaction.atomic
def cadre_create(*, user, data: dict) -> Cadre:
    """Register a cadre (新增干部); the ID number is checked like a member's and is unique; may be linked to a login."""
    cadre = Cadre()
    _set(cadre, CADRE_FIELDS, data)
    if cadre.region_id:
        _require(user, Capability.COUNTY_ADMINISTRATION, cadre.region_id)
    return _save_cadre(cadre)


@transaction.atomic
def cadre_update(*, user, cadre: Cadre, data: dict) -> Cadre:
    """Change a cadre's facts or login link (修改干部信息)."""
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    _require(user, Capability.COUNTY_ADMINISTRATION, cadre.region_id)
    _set(cadre, CADRE_FIELDS, data)
    _require(user, Capability.COUNTY_ADMINISTRATION, cadre.region_id)
    return _save_cadre(cadre)


# Work teams (驻村工作队) -------------------------------------------------------------------------


def _facts(membership: TeamMembership) -> rules.MembershipFacts:
    return rules.MembershipFacts(
        cadre_id=membership.cadre_id,
        role=membership.role,
        resident=membership.resident,
        starts_on=membership.starts_on,
        ends_on=membership.ends_on,
    )


def team_warnings(*, team: WorkTeam) -> list[dict]:
    """What is unusual about a team now (fewer than three members, a short term, two first secretaries): one query."""
    memberships = [_facts(m) for m in team.memberships.all()]
    return [
        w.as_dict()
        for w in rules.team_warnings(starts_on=team.starts_on, ends_on=team.ends_on, memberships=memberships, today=_today())
    ]


def _check_team(team: WorkTeam) -> None:
    if team.village_id and team.village.level != RegionLevel.VILLAGE:
        raise _error("village", _("工作队须派驻到行政村"))
    if team.starts_on is not None:
        _raise_violations([v for v in [rules.period_violation(team.starts_on, team.ends_on)] if v])
    team.full_clean(validate_unique=False, validate_constraints=False)


def _save_membership(membership: TeamMembership, *, team: WorkTeam, default_end: bool = False) -> TeamMembership:
    """Validate a membership against its team and the cadre's other memberships, and save it.

    A new member without an end (`default_end`) serves to the team's end. The caller holds the team's lock;
    the cadre's row is locked here so that two teams cannot take the same
    cadre as resident at once.
    """
    Cadre.objects.select_for_update().filter(pk=membership.cadre_id).first()
    if membership.starts_on is None:
        membership.starts_on = team.starts_on
    if default_end:
        membership.ends_on = team.ends_on  # a new member serves to the team's end unless told otherwise
    facts = _facts(membership)
    _raise_violations(
        rules.membership_violations(team_starts_on=team.starts_on, team_ends_on=team.ends_on, membership=facts)
    )
    membership.full_clean(exclude=["team"], validate_unique=False, validate_constraints=False)
    same_team = TeamMembership.objects.filter(team_id=team.pk, cadre_id=membership.cadre_id).exclude(pk=membership.pk)
    if any(rules.overlaps(facts.starts_on, facts.ends_on, s, e) for s, e in same_team.values_list("starts_on", "ends_on")):
        raise _error("starts_on", _("该干部在本工作队的任期与已有任期重叠"), rules.OVERLAP_CODE)
    other_resident = (
        TeamMembership.objects.filter(cadre_id=membership.cadre_id, resident=True)
        .exclude(team_id=team.pk)
        .values_list("starts_on", "ends_on")
    )
    if rules.resident_elsewhere(membership=facts, other_resident_periods=list(other_resident)):
        raise _error("resident", _("该干部同期已在其他工作队驻村，一名干部同一时间只能在一个村驻村"), rules.OVERLAP_CODE)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        if "team_membership_no_overlap" in _constraint_name(exc):
            raise _error("starts_on", _("该干部在本工作队的任期与已有任期重叠"), rules.OVERLAP_CODE) from exc
        raise
    return membership


@transaction.atomic
def work_team_create(*, user, data: dict, members: list[dict] = ()) -> tuple[WorkTeam, list[dict]]:
    """Send a work team to a village (派驻工作队), with its first members; returns the team and its warnings.

    Each member is {"cadre", "role", "resident", "starts_on" (default: the team's start), "ends_on"}.
    """
    team = WorkTeam()
    _set(team, TEAM_FIELDS, data)
    if team.village_id:
        _require(user, Capability.COUNTY_ADMINISTRATION, team.village_id)
    _check_team(team)
    team.save()
    errors: dict[str, list] = {}
    for index, member in enumerate(members):
        membership = TeamMembership(team=team, cadre=member["cadre"])
        _set(membership, MEMBERSHIP_FIELDS, member)
        try:
            with transaction.atomic():
                _save_membership(membership, team=team, default_end="ends_on" not in member)
        except ValidationError as exc:
            for field, messages in exc.error_dict.items():
                errors.setdefault(f"members.{index}.{field}", []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return team, team_warnings(team=team)


@transaction.atomic
def work_team_update(*, user, team: WorkTeam, data: dict) -> tuple[WorkTeam, list[dict]]:
    """Change a team's unit or term (调整工作队); the village stays. Returns the team and its warnings.

    Members who serve from the team's start or to its end move with it; a member whose own period would then be
    empty, or who served beyond the new term, refuses the change.
    """
    team = WorkTeam.objects.select_for_update().select_related("village").get(pk=team.pk)
    _require(user, Capability.COUNTY_ADMINISTRATION, team.village_id)
    if "village" in data and data["village"].pk != team.village_id:
        raise _error("village", _("工作队的驻村不能修改；请派驻新的工作队"))
    old_start, old_end = team.starts_on, team.ends_on
    _set(team, ("unit", "starts_on", "ends_on"), data)
    _raise_violations([v for v in [rules.period_violation(team.starts_on, team.ends_on)] if v])
    # Members who serve with the team from its start or to its end follow the new term; the others keep theirs.
    followers = []
    memberships = list(team.memberships.select_for_update().order_by("id"))
    for membership in memberships:
        moved = False
        if membership.starts_on == old_start and membership.starts_on != team.starts_on:
            membership.starts_on, moved = team.starts_on, True
        if membership.ends_on == old_end and membership.ends_on != team.ends_on:
            membership.ends_on, moved = team.ends_on, True
        if moved:
            followers.append(membership)
    facts = [_facts(m) for m in memberships]
    _raise_violations(rules.team_term_violations(starts_on=team.starts_on, ends_on=team.ends_on, memberships=facts))
    _check_team(team)
    team.save()
    for membership in followers:
        _save_membership(membership, team=team)
    return team, team_warnings(team=team)


@transaction.atomic
def team_member_add(*, user, team: WorkTeam, cadre: Cadre, data: dict) -> tuple[TeamMembership, list[dict]]:
    """Add a cadre to a work team (工作队成员加入) with a role, a period and whether resident; returns the warnings."""
    team = WorkTeam.objects.select_for_update().get(pk=team.pk)
    _require(user, Capability.COUNTY_ADMINISTRATION, team.village_id)
    membership = TeamMembership(team=team, cadre=cadre)
    _set(membership, MEMBERSHIP_FIELDS, data)
    _save_membership(membership, team=team, default_end="ends_on" not in data)
    return membership, team_warnings(team=team)


@transaction.atomic
def team_member_update(*, user, membership: TeamMembership, data: dict) -> tuple[TeamMembership, list[dict]]:
    """End a membership (ends_on: 离队) or change its role or residence; returns the team's warnings."""
    team = WorkTeam.objects.select_for_update().get(pk=membership.team_id)
    _require(user, Capability.COUNTY_ADMINISTRATION, team.village_id)
    membership = TeamMembership.objects.select_for_update().get(pk=membership.pk)
    _set(membership, MEMBERSHIP_FIELDS, data)
    _save_membership(membership, team=team)
    return membership, team_warnings(team=team)


# Pairings (结对帮扶) ------------------------------------------------------------------------------


def _lock_household(household: Household) -> Household:
    """The household's row locked: every pairing change and visit of one household waits for the one before."""
    return Household.objects.select_for_update(no_key=True).get(pk=household.pk)


def _pairing_facts(queryset) -> list[rules.PairingFacts]:
    return [rules.PairingFacts(*row) for row in queryset.values_list("id", "cadre_id", "starts_on", "ends_on")]


def _check_pairable(household: Household) -> None:
    if not rules.may_pair(status=household.status, monitoring_status=household.monitoring_status):
        label = RegistryStatus(household.status).label if household.status else _("未识别")
        raise ValidationError(
            _("该户登记状态为“%(status)s”，不在册，不能结对帮扶；可结对的是未脱贫户、已脱贫户和监测对象")
            % {"status": label},
            code="conflict",
        )


def _check_cadre_region(cadre: Cadre, household: Household) -> None:
    if not household.village_id.startswith(region_rules.significant_prefix(cadre.region_id)):
        raise _error("household", _("该户不在干部的帮扶区划（%(region)s）内") % {"region": cadre.region_id})


def _overlap_error(field: str = "starts_on") -> ValidationError:
    return _error(field, _("该干部与该户的结对期与已有结对重叠"), rules.OVERLAP_CODE)


def _check_overlap(*, household: Household, cadre_id: int, starts_on, ends_on, exclude_id=None) -> None:
    existing = _pairing_facts(Pairing.objects.filter(household=household, cadre_id=cadre_id).exclude(pk=exclude_id))
    if rules.pairing_overlap(cadre_id=cadre_id, starts_on=starts_on, ends_on=ends_on, existing=existing):
        raise _overlap_error()


def _visits_left_outside(pairing: Pairing, ends_on: datetime.date) -> bool:
    """Whether ending the pairing on `ends_on` would leave a visit of its cadre outside every pairing."""
    days = Visit.objects.filter(
        cadre_id=pairing.cadre_id, household_id=pairing.household_id, date__gte=ends_on
    ).values_list("date", flat=True)
    others = _pairing_facts(
        Pairing.objects.filter(household_id=pairing.household_id, cadre_id=pairing.cadre_id).exclude(pk=pairing.pk)
    )
    return any(not any(rules.active_on(p.starts_on, p.ends_on, day) for p in others) for day in days)


def _save_pairing(pairing: Pairing) -> Pairing:
    try:
        with transaction.atomic():
            pairing.save()
    except IntegrityError as exc:
        if "pairing_no_overlap" in _constraint_name(exc):
            raise _overlap_error() from exc
        raise
    return pairing


@transaction.atomic
def pairing_create(
    *, user, cadre: Cadre, household: Household, starts_on: datetime.date, ends_on: datetime.date | None = None
) -> Pairing:
    """Pair a cadre with a household (结对帮扶) from a day; the household must be in the register and in the
    cadre's region, and the same cadre may not be paired with it twice at once."""
    household = _lock_household(household)
    _require(user, Capability.COUNTY_ADMINISTRATION, household.village_id)
    if starts_on > _today():
        raise _error("starts_on", _("结对开始日期不能晚于今天"))
    _raise_violations([v for v in [rules.period_violation(starts_on, ends_on)] if v])
    _check_pairable(household)
    _check_cadre_region(cadre, household)
    _check_overlap(household=household, cadre_id=cadre.pk, starts_on=starts_on, ends_on=ends_on)
    pairing = Pairing(cadre=cadre, household=household, starts_on=starts_on, ends_on=ends_on)
    pairing.full_clean(validate_unique=False, validate_constraints=False)
    return _save_pairing(pairing)


@transaction.atomic
def pairing_update(*, user, pairing: Pairing, ends_on: datetime.date | None) -> Pairing:
    """End a pairing on a day (结束结对), move its end, or reopen it (ends_on None); visits must stay inside it."""
    household = _lock_household(pairing.household)
    _require(user, Capability.COUNTY_ADMINISTRATION, household.village_id)
    pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)
    _raise_violations([v for v in [rules.period_violation(pairing.starts_on, ends_on)] if v])
    _check_overlap(
        household=household, cadre_id=pairing.cadre_id, starts_on=pairing.starts_on, ends_on=ends_on, exclude_id=pairing.pk
    )
    if ends_on is not None and _visits_left_outside(pairing, ends_on):
        raise _error("ends_on", _("该干部在此日期之后还有走访记录，结对不能在走访之前结束"))
    pairing.ends_on = ends_on
    pairing.full_clean(validate_unique=False, validate_constraints=False)
    return _save_pairing(pairing)


def pairing_end(*, user, pairing: Pairing, on: datetime.date) -> Pairing:
    """End a pairing on a day (结束结对): the cadre is no longer paired from that day on."""
    return pairing_update(user=user, pairing=pairing, ends_on=on)


@transaction.atomic
def pairing_handover(
    *, user, household: Household, to_cadre: Cadre, on: datetime.date, from_cadre: Cadre | None = None
) -> tuple[Pairing, Pairing]:
    """Hand a household over to another cadre (包保交接) in one action: the active pairing (with from_cadre if
    given) ends on `on` and the new one starts on `on`, so there is neither a gap nor an overlap.

    Returns (ended, started); on any error nothing is written.
    """
    household = _lock_household(household)
    _require(user, Capability.COUNTY_ADMINISTRATION, household.village_id)
    if on > _today():
        raise _error("on", _("交接日期不能晚于今天"))
    pairings = _pairing_facts(Pairing.objects.filter(household=household))
    try:
        current = rules.handover_plan(
            pairings=pairings, on=on, to_cadre_id=to_cadre.pk, from_cadre_id=from_cadre.pk if from_cadre else None
        )
    except rules.HandoverRefused as refused:
        violation = refused.violation
        if violation.code == "conflict":
            raise ValidationError(violation.message, code="conflict") from None
        raise _error(violation.field, violation.message, violation.code) from None
    _check_cadre_region(to_cadre, household)
    ended = Pairing.objects.select_for_update().get(pk=current.id)
    # The new pairing takes over the old one's planned end (usually none).
    if rules.pairing_overlap(cadre_id=to_cadre.pk, starts_on=on, ends_on=ended.ends_on, existing=pairings):
        raise _error("to_cadre", _("接手干部在交接日期已与该户结对"), rules.OVERLAP_CODE)
    if _visits_left_outside(ended, on):
        raise _error("on", _("交出干部在交接日期之后还有走访记录，请核对交接日期"))
    started = Pairing(cadre=to_cadre, household=household, starts_on=on, ends_on=ended.ends_on)
    started.full_clean(validate_unique=False, validate_constraints=False)
    ended.ends_on = on
    ended = _save_pairing(ended)
    return ended, _save_pairing(started)


# Visits (走访记录) --------------------------------------------------------------------------------


def _check_visit(*, cadre_id: int, household: Household, day: datetime.date) -> None:
    pairings = _pairing_facts(Pairing.objects.filter(household=household, cadre_id=cadre_id))
    violation = rules.visit_violation(day=day, today=_today(), pairings=pairings)
    if violation is not None:
        raise _error(violation.field, violation.message, violation.code)


@transaction.atomic
def visit_create(*, user, cadre: Cadre, household: Household, data: dict) -> Visit:
    """Record a visit to a household (走访记录) by a cadre paired with it on the visit's date, not in the future."""
    household = _lock_household(household)
    _require(user, Capability.RECORD_ACTIVITY, household.village_id)
    visit = Visit(cadre=cadre, household=household, recorded_by=user if getattr(user, "pk", None) else None)
    _set(visit, VISIT_FIELDS, data)
    if visit.date is None:
        raise _error("date", _("请填写走访日期"), "required")
    _check_visit(cadre_id=cadre.pk, household=household, day=visit.date)
    visit.full_clean(validate_unique=False, validate_constraints=False)
    visit.save()
    return visit


@transaction.atomic
def visit_update(*, user, visit: Visit, data: dict) -> Visit:
    """Correct a visit's date, kind, findings, agreements or confirmation (修改走访记录); cadre and household stay."""
    household = _lock_household(visit.household)
    _require(user, Capability.RECORD_ACTIVITY, household.village_id)
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    _set(visit, VISIT_FIELDS, data)
    _check_visit(cadre_id=visit.cadre_id, household=household, day=visit.date)
    visit.full_clean(validate_unique=False, validate_constraints=False)
    visit.save()
    return visit
