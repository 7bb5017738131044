"""Every write to the register (建档立卡) goes through these functions: API, admin, imports, commands.

Each service validates with the rules of households.rules (ID-1, ID-2, HH-1), runs in one
transaction, locks what it changes, and lets the database constraints back the invariants
(unique active ID number, one active head) even when two requests race.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, OuterRef, ProtectedError, RestrictedError, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from core.masking import minimised_id_number, minimised_name
from core.regions import RegionLevel
from core.roles import Capability
from core.scope import has_capability
from households import rules
from households.choices import IdType, JoinReason, LeftReason, Relation
from households.models import (
    AnnualRecord,
    Household,
    HouseholdNumberSequence,
    ImportRow,
    ImportRowKind,
    Member,
    PolicyStandard,
)
from villages.models import Region

HOUSEHOLD_FIELDS = (
    "villager_group",
    "address",
    "phone",
    "identification_standard",
    "attribute",
    "main_cause",
    "other_causes",
    "stars",
    "relocated",
    "relocation_mode",
    "relocation_placement",
    "relocation_site",
    "bank_name",
    "bank_account",
    "cultivated_land",
    "irrigated_land",
    "forest_land",
    "returned_farmland",
    "road_type",
    "main_fuel",
    "road_distance",
    "production_electricity",
    "military_family",
    "only_child_family",
    "two_daughters_family",
)
MEMBER_FIELDS = tuple(
    f.name
    for f in Member._meta.concrete_fields
    if f.editable and f.name not in {"id", "household", "created_at", "updated_at", "version"}
)
RECORD_INPUT_FIELDS = tuple(
    f.name
    for f in AnnualRecord._meta.concrete_fields
    if f.editable and f.name not in {"id", "household", "year", "created_at", "updated_at", "version"}
)
DUPLICATE_ID_CODE = "duplicate_id_number"


def _today() -> datetime.date:
    return timezone.localdate()


def _error(field: str, message, code: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


# Household numbers ---------------------------------------------------------------------------


def household_number_next(*, village) -> str:
    """The next household number of a village (户编号): village code + 4-digit sequence, race-free."""
    HouseholdNumberSequence.objects.get_or_create(village=village)
    sequence = HouseholdNumberSequence.objects.select_for_update().get(village=village)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    if sequence.last > 9999:
        raise _error("village", _("该村户编号已用尽（9999）"), "invalid")
    return f"{village.code}{sequence.last:04d}"


# Validation shared by every entry path ---------------------------------------------------------


def validate_household_fields(*, village, data: dict) -> None:
    """Household-level rules a field validator cannot see: causes, relocation, the villager group."""
    errors: dict[str, list] = {}
    if village.level != RegionLevel.VILLAGE:
        errors.setdefault("village", []).append(ValidationError(_("户必须属于行政村，而不是%(level)s") % {"level": village.get_level_display()}, code="invalid"))
    other = list(data.get("other_causes") or [])
    if len(other) > 2:
        errors.setdefault("other_causes", []).append(ValidationError(_("其他致贫原因最多两项"), code="invalid"))
    if len(set(other)) != len(other):
        errors.setdefault("other_causes", []).append(ValidationError(_("其他致贫原因不能重复"), code="invalid"))
    if data.get("main_cause") and data.get("main_cause") in other:
        errors.setdefault("other_causes", []).append(
            ValidationError(_("其他致贫原因不能与主要致贫原因相同"), code="invalid")
        )
    if not data.get("relocated"):
        for field in ("relocation_mode", "relocation_placement", "relocation_site"):
            if data.get(field):
                errors.setdefault(field, []).append(ValidationError(_("未搬迁的户不填搬迁信息"), code="invalid"))
    group = data.get("villager_group")
    if group is not None and group.village_id != village.code:
        errors.setdefault("villager_group", []).append(ValidationError(_("村民小组不属于该村"), code="invalid"))
    if errors:
        raise ValidationError(errors)


def _normalise_member(data: dict) -> dict:
    data = dict(data)
    if data.get("id_number"):
        data["id_number"] = data["id_number"].strip().upper()
    return data


def today() -> datetime.date:
    """Today in the county's time zone, as the member rules see it (an import asks once for a whole file)."""
    return _today()


def validate_member(*, data: dict, prefix: str = "", today: datetime.date | None = None) -> dict:
    """ID-1 and the member's own consistency rules; returns the data with the ID number normalised."""
    data = _normalise_member(data)
    today = today or _today()
    errors: dict[str, list] = {}

    def add(field, message, code="invalid"):
        errors.setdefault(f"{prefix}{field}", []).append(ValidationError(message, code=code))

    try:
        parsed = rules.check_identity(
            id_type=data.get("id_type") or IdType.RESIDENT_ID,
            id_number=data.get("id_number") or "",
            sex=data.get("sex"),
            birth_date=data.get("birth_date"),
            today=today,
        )
    except rules.IdNumberError as exc:
        field = {"sex": "sex", "birth_date_mismatch": "birth_date"}.get(exc.part, "id_number")
        add(field, exc.message, rules.ID_NUMBER_CODE)
    else:
        if parsed is not None:
            data["id_number"] = parsed.number if data.get("id_type") != IdType.DISABILITY_CERT else data["id_number"]
    if data.get("dropout") and not data.get("dropout_reason"):
        add("dropout_reason", _("失学辍学须填写原因"))
    if not data.get("dropout") and data.get("dropout_reason"):
        add("dropout_reason", _("未辍学时不填辍学原因"))
    if data.get("welfare_post_months") and not data.get("welfare_post"):
        add("welfare_post", _("填写公益岗位时间须先选择公益岗位类型"))
    if data.get("health") == "disabled" and not data.get("disability_category"):
        add("disability_category", _("残疾成员须填写残疾类别"))
    if data.get("health") != "disabled" and (data.get("disability_category") or data.get("disability_grade")):
        add("disability_category", _("非残疾成员不填残疾类别和等级"))
    if (data.get("migrant_work") or "none") == "none" and data.get("migrant_months"):
        add("migrant_months", _("未外出务工时务工月数应为0"))
    if bool(data.get("left_on")) != bool(data.get("left_reason")):
        add("left_reason", _("减少日期和减少原因须同时填写"))
    if data.get("left_on") and data.get("joined_on") and data["left_on"] < data["joined_on"]:
        add("left_on", _("减少日期不能早于加入日期"))
    if data.get("birth_date") and data.get("joined_on") and data["joined_on"] < data["birth_date"]:
        add("joined_on", _("加入日期不能早于出生日期"))
    if data.get("left_on") and data["left_on"] > today:
        add("left_on", _("减少日期不能晚于今天"))
    if errors:
        raise ValidationError(errors)
    data["person_number"] = rules.person_number(id_type=data.get("id_type") or IdType.RESIDENT_ID, id_number=data["id_number"])
    return data


def validate_composition(members: Iterable[rules.MemberFacts]) -> None:
    """HH-1 over the members the household will have."""
    violations = rules.composition_violations(list(members))
    if violations:
        errors: dict[str, list] = {}
        for violation in violations:
            errors.setdefault(violation.field, []).append(ValidationError(violation.message, code=violation.code))
        raise ValidationError(errors)


def _duplicate_message(*, user, other: Member):
    """Name the other household only to callers who may see it (ID-2)."""
    if has_capability(user, Capability.READ_REGISTER, other.household.village_id):
        return _("该证件号已在户 %(number)s（%(village)s）登记为在册成员") % {
            "number": other.household.number,
            "village": other.household.village.name,
        }
    return _("该证件号已在其他户登记为在册成员")


duplicate_message = _duplicate_message  # for the import's ID-2 check, which reads the register once for a whole file


def check_id_numbers_free(*, user, numbers: dict[str, str], exclude_member_ids: Iterable[int] = ()) -> None:
    """ID-2: each person ({field: person number}) is not active in any household (excluding the given members)."""
    wanted = {number: field for field, number in numbers.items() if number}
    taken = (
        Member.objects.active()
        .filter(person_number__in=list(wanted))
        .exclude(id__in=list(exclude_member_ids))
        .select_related("household__village")
    )
    errors: dict[str, list] = {}
    seen: dict[str, str] = {}
    for field, number in numbers.items():
        if number and number in seen:
            errors.setdefault(field, []).append(
                ValidationError(_("同一证件号在本次录入中出现两次（另见 %(other)s）") % {"other": seen[number]}, code=DUPLICATE_ID_CODE)
            )
        seen.setdefault(number, field)
    for other in taken:
        errors.setdefault(wanted[other.person_number], []).append(
            ValidationError(_duplicate_message(user=user, other=other), code=DUPLICATE_ID_CODE)
        )
    if errors:
        raise ValidationError(errors)


def _raise_for_integrity(exc: IntegrityError, *, user, numbers: dict[str, str]):
    """Turn a constraint that fired under a race into the same error the checks give."""
    name = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", "") or str(exc)
    if "member_unique_active_person" in name:
        check_id_numbers_free(user=user, numbers=numbers)
        raise _error(next(iter(numbers), "id_number"), _("该证件号已在其他户登记为在册成员"), DUPLICATE_ID_CODE) from exc
    if "member_one_active_head" in name:
        raise _error("members", _("一户只能有一名在册户主"), rules.COMPOSITION_CODE) from exc
    raise exc


def _member_row(household, data: dict) -> Member:
    return Member(
        household=household,
        person_number=data["person_number"],
        **{k: v for k, v in data.items() if k in MEMBER_FIELDS},
    )


def _facts(key: str, data: dict) -> rules.MemberFacts:
    return rules.MemberFacts(key=key, relation=data["relation"], sex=data["sex"], active=not data.get("left_on"))


# Households ------------------------------------------------------------------------------------


@transaction.atomic
def household_create(*, user, village, data: dict, members: list[dict]) -> Household:
    """Register a household with its members in one transaction (新建贫困户); all or nothing."""
    if not members:
        raise _error("members", _("户至少要有一名成员"), "invalid")
    validate_household_fields(village=village, data=data)
    cleaned, errors = [], {}
    for index, member in enumerate(members):
        try:
            cleaned.append(validate_member(data=member, prefix=f"members.{index}."))
        except ValidationError as exc:
            errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    validate_composition(_facts(f"members.{i}", m) for i, m in enumerate(cleaned))
    numbers = {f"members.{i}.id_number": m["person_number"] for i, m in enumerate(cleaned) if not m.get("left_on")}
    check_id_numbers_free(user=user, numbers=numbers)

    household = Household(village=village, **{k: v for k, v in data.items() if k in HOUSEHOLD_FIELDS})
    household.number = household_number_next(village=village)
    household.full_clean()
    rows = [_member_row(household, m) for m in cleaned]
    for index, row in enumerate(rows):
        try:
            row.full_clean(exclude=["household"], validate_constraints=False)
        except ValidationError as exc:
            errors.update({f"members.{index}.{field}": messages for field, messages in exc.error_dict.items()})
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            household.save()
            for row in rows:
                row.household = household
            Member.objects.bulk_create(rows)
    except IntegrityError as exc:
        _raise_for_integrity(exc, user=user, numbers=numbers)
    return household


@transaction.atomic
def household_update(*, user, household: Household, data: dict) -> Household:
    """Change a household's facts (not its members, not its status)."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    merged = {field: getattr(household, field) for field in HOUSEHOLD_FIELDS}
    merged.update({k: v for k, v in data.items() if k in HOUSEHOLD_FIELDS})
    validate_household_fields(village=household.village, data=merged)
    for field, value in merged.items():
        setattr(household, field, value)
    household.full_clean()
    household.save()
    return household


@transaction.atomic
def household_delete(*, user, household: Household) -> None:
    """Delete a household entered by mistake; only one that never entered a procedure (never registered)."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.procedures.exists():
        raise ValidationError(_("该户已进入认定程序，不能删除；请走清退或销户程序"), code="conflict")
    try:
        with transaction.atomic():
            household.delete()
    except (ProtectedError, RestrictedError) as exc:
        # Status changes, benefits, pairings, visits, memberships … keep the household: it has a history.
        held = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
        kinds = "、".join(sorted({str(obj._meta.verbose_name) for obj in held}))
        raise ValidationError(
            _("该户已有%(kinds)s记录，不能删除；请走清退或销户程序") % {"kinds": kinds}, code="conflict"
        ) from exc


# Members ---------------------------------------------------------------------------------------


def _lock_household(household: Household) -> Household:
    return Household.objects.select_for_update().get(pk=household.pk)


@transaction.atomic
def household_members_save(
    *, user, household: Household, changed: dict[int, dict] | None = None, added: list[dict] | None = None
) -> list[Member]:
    """Change and add members of one household at once (成员变更), checked as the household will be.

    `changed` maps member ids to their new field values (a subset), `added` lists new members.
    HH-1 is checked on the final composition (so a head can hand over to another member in one
    step), ID-2 on every number that becomes active, and the writes are ordered so that the
    database's one-active-head index never sees two heads. Returns the changed and added members.
    """
    changed, added = changed or {}, added or []
    household = _lock_household(household)
    current = {m.pk: m for m in household.members.select_for_update().order_by("id")}
    unknown = set(changed) - set(current)
    if unknown:
        raise _error("members", _("成员不属于该户"), "invalid")
    errors: dict[str, list] = {}
    merged: dict[int, dict] = {}
    for pk, data in changed.items():
        member = current[pk]
        values = {field: getattr(member, field) for field in MEMBER_FIELDS}
        values.update({k: v for k, v in data.items() if k in MEMBER_FIELDS})
        try:
            merged[pk] = validate_member(data=values, prefix=f"member {pk}." if len(changed) + len(added) > 1 else "")
        except ValidationError as exc:
            errors.update(exc.error_dict)
    new_rows = []
    for index, data in enumerate(added):
        try:
            values = validate_member(
                data={"join_reason": JoinReason.OTHER, **data}, prefix=f"added.{index}." if len(added) > 1 or changed else ""
            )
        except ValidationError as exc:
            errors.update(exc.error_dict)
            continue
        if values.get("left_on"):
            errors.setdefault("left_on", []).append(ValidationError(_("新增成员不能同时减少"), code="invalid"))
        new_rows.append(values)
    if errors:
        raise ValidationError(errors)

    final = []
    for pk, member in current.items():
        values = merged.get(pk)
        if values is None and member.left_on is None:
            final.append(rules.MemberFacts(key=f"member {pk}", relation=member.relation, sex=member.sex, active=True))
        elif values is not None and not values.get("left_on"):
            final.append(_facts(f"member {pk}", values))
    final += [_facts(f"added.{i}", values) for i, values in enumerate(new_rows)]
    if final:  # a household whose last member left awaits closing (HH-10); it has no composition to check
        validate_composition(final)

    # ID-2 for every number that is (again, or newly) active after the change.
    numbers: dict[str, str] = {}
    for pk, values in merged.items():
        member = current[pk]
        becomes_active = not values.get("left_on") and (
            member.left_on is not None or values["person_number"] != member.person_number
        )
        if becomes_active:
            numbers["id_number" if len(merged) + len(new_rows) == 1 else f"member {pk}.id_number"] = values["person_number"]
    for index, values in enumerate(new_rows):
        numbers["id_number" if len(merged) + len(new_rows) == 1 else f"added.{index}.id_number"] = values["person_number"]
    check_id_numbers_free(user=user, numbers=numbers, exclude_member_ids=list(merged))

    # Members giving up the head's place go first, then the others, then the new ones.
    def gives_up_head(pk):
        return current[pk].relation == Relation.HEAD and current[pk].left_on is None and (
            merged[pk]["relation"] != Relation.HEAD or merged[pk].get("left_on")
        )

    order = sorted(merged, key=lambda pk: (not gives_up_head(pk), pk))
    saved = []
    affected: list[int] = []  # first years whose members at year end may have changed
    try:
        with transaction.atomic():
            for pk in order:
                member = current[pk]
                before = (member.joined_on, member.left_on)
                for field, value in merged[pk].items():
                    setattr(member, field, value)
                member.person_number = merged[pk]["person_number"]
                member.full_clean(exclude=["household"], validate_constraints=False)
                member.save()
                saved.append(member)
                year = _first_year_affected(before, (member.joined_on, member.left_on))
                if year is not None:
                    affected.append(year)
            for values in new_rows:
                member = _member_row(household, values)
                member.full_clean(exclude=["household"], validate_constraints=False)
                member.save()
                saved.append(member)
                affected.append(_first_year_affected(None, (member.joined_on, member.left_on)))
    except IntegrityError as exc:
        _raise_for_integrity(exc, user=user, numbers=numbers)
    if affected:
        annual_records_recompute(household=household, from_year=min(affected))
    return saved


def _first_year_affected(before, after) -> int | None:
    """The first year whose year-end membership changes when (joined_on, left_on) go from before to after.

    `before` is None for a new member. An empty joining date means a member since before the register,
    so a change there reaches back to every year (0).
    """
    if before is None:
        joined, _left = after
        return joined.year if joined else 0
    (joined_before, left_before), (joined_after, left_after) = before, after
    years = []
    if joined_before != joined_after:
        years.append(0 if joined_before is None or joined_after is None else min(joined_before, joined_after).year)
    if left_before != left_after:
        years.append(min(day for day in (left_before, left_after) if day is not None).year)
    return min(years) if years else None


def member_add(*, user, household: Household, data: dict) -> Member:
    """Add a person to a household (birth, marriage, moving in)."""
    return household_members_save(user=user, household=household, added=[data])[0]


@transaction.atomic
def member_update(*, user, member: Member, data: dict, new_head: Member | None = None) -> Member:
    """Change a member; leaving (left_on and left_reason) keeps the record. A head who leaves names a new head."""
    changed = {member.pk: data}
    if new_head is not None:
        leaving_head = member.relation == Relation.HEAD and member.left_on is None and data.get("left_on")
        if new_head.pk == member.pk or new_head.household_id != member.household_id or new_head.left_on is not None:
            raise _error("new_head", _("新户主须是本户另一名在册成员"), "invalid")
        if not leaving_head:
            raise _error("new_head", _("只有户主减少时才指定新户主"), "invalid")
        changed[new_head.pk] = {"relation": Relation.HEAD}
    saved = household_members_save(user=user, household=member.household, changed=changed)
    return next(m for m in saved if m.pk == member.pk)


@transaction.atomic
def member_move(*, user, member: Member, to_household: Household, relation: str, on: datetime.date) -> Member:
    """Move a person to another household in one step (成员迁移): the old membership ends, the new one starts."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.left_on is not None:
        raise _error("member", _("该成员已不在册，不能迁移"), "invalid")
    if to_household.pk == member.household_id:
        raise _error("household", _("目标户与原户相同"), "invalid")
    if member.relation == Relation.HEAD and member.household.members.active().exclude(pk=member.pk).exists():
        raise _error("member", _("户主迁出前须先为原户指定新户主"), rules.COMPOSITION_CODE)
    if on > _today() or (member.joined_on and on < member.joined_on):
        raise _error("date", _("迁移日期须在加入日期之后且不晚于今天"), "invalid")
    # Lock both households in a stable order, so two moves in opposite directions cannot deadlock.
    for pk in sorted([member.household_id, to_household.pk]):
        Household.objects.select_for_update().get(pk=pk)
    person = {field: getattr(member, field) for field in MEMBER_FIELDS}
    person.update(relation=relation, joined_on=on, join_reason=JoinReason.MOVED_IN, left_on=None, left_reason="")
    household_members_save(
        user=user, household=member.household, changed={member.pk: {"left_on": on, "left_reason": LeftReason.MOVED_OUT}}
    )
    return household_members_save(user=user, household=to_household, added=[person])[0]


# Annual records --------------------------------------------------------------------------------


def _members_at_year_end(household: Household, year: int) -> int:
    return household.members.active_on(datetime.date(year, 12, 31)).count()


def _derive(record: AnnualRecord) -> None:
    facts = rules.IncomeFacts(
        wages=record.wages,
        business_income=record.business_income,
        business_cost=record.business_cost,
        property_income=record.property_income,
        dibao=record.dibao,
        tekun=record.tekun,
        pension=record.pension,
        eco_compensation=record.eco_compensation,
        family_planning=record.family_planning,
        other_transfer=record.other_transfer,
    )
    record.transfer_income = rules.transfer_income(facts)
    record.net_income = rules.net_income(facts)
    record.members_counted = _members_at_year_end(record.household, record.year)
    record.per_capita_income = rules.per_capita_income(net=record.net_income, members=record.members_counted)


def validate_record(data: dict, *, year: int) -> None:
    """Rules of an annual record a field cannot check alone. Business cost without income is allowed
    (a bad year; the HH-6 warning reports it), and a renovated house may since be graded A or B."""
    if data.get("housing_grade") in ("C", "D") and data.get("renovation_year") and data["renovation_year"] > year + 1:
        raise _error("renovation_year", _("危房改造年度不能晚于下一年度"), "invalid")


@transaction.atomic
def annual_record_upsert(*, user, household: Household, year: int, data: dict) -> tuple[AnnualRecord, bool]:
    """Create or update the household's record for a year (年度信息); derived incomes are computed here."""
    household = _lock_household(household)
    record = AnnualRecord.objects.select_for_update().filter(household=household, year=year).first()
    created = record is None
    if created:
        record = AnnualRecord(household=household, year=year)
    merged = {field: getattr(record, field) for field in RECORD_INPUT_FIELDS}
    merged.update({k: v for k, v in data.items() if k in RECORD_INPUT_FIELDS})
    validate_record(merged, year=year)
    for field, value in merged.items():
        setattr(record, field, value)
    _derive(record)
    record.full_clean(exclude=["household"])
    record.save()
    return record, created


def annual_records_recompute(*, household: Household, from_year: int) -> int:
    """Recompute members counted and per-capita income of the household's records from a year on."""
    count = 0
    for record in household.annual_records.filter(year__gte=from_year).select_for_update():
        record.household = household
        _derive(record)
        record.save(update_fields=["members_counted", "per_capita_income", "updated_at", "version"])
        count += 1
    return count


# Policy standards ------------------------------------------------------------------------------


STANDARD_FIELDS = (
    "poverty_line",
    "monitoring_line",
    "village_exit_threshold",
    "village_collective_income_min",
    "notice_days",
    "objection_days",
)


@transaction.atomic
def policy_standard_save(*, user, standard: PolicyStandard | None = None, year=None, region=None, data: dict) -> PolicyStandard:
    """Create or change a year's standard for a region (政策标准); county office in its region, nationwide rows by administrators."""
    if standard is None:
        if PolicyStandard.objects.filter(year=year, region=region).exists():
            raise _error("year", _("该区划该年度的标准已存在，请修改原标准"), "duplicate_standard")
        standard = PolicyStandard(year=year, region=region)
    else:
        standard = PolicyStandard.objects.select_for_update().get(pk=standard.pk)
    for field in STANDARD_FIELDS:
        if field in data:
            setattr(standard, field, data[field])
    standard.full_clean()
    standard.save()
    return standard


# Retention (保存期限) ---------------------------------------------------------------------------------------------


def departed_to_minimise(*, today: datetime.date, years: int):
    """Members who left their household more than `years` years before `today` and are not minimised yet."""
    try:
        cutoff = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - years, day=28)
    return Member.objects.filter(left_on__isnull=False, left_on__lt=cutoff, minimised_on__isnull=True)


@transaction.atomic
def members_minimise_departed(*, today: datetime.date, years: int) -> int:
    """Minimise the personal fields of people who left more than `years` years ago (PIPL: kept no longer than
    needed): the name becomes the surname and 某, the ID number keeps its area code only, the workplace is cleared —
    in the member row and in every history row of it (the triggers' event table), so the old values are gone from
    the database. The figures do not change: sex, birth date, relation, joining and leaving dates, and every status
    stay. Returns how many people were minimised; running it again changes nothing."""
    members = list(departed_to_minimise(today=today, years=years).select_for_update().only("id", "name", "id_number"))
    if not members:
        return 0
    for member in members:
        member.name = minimised_name(member.name)
        member.id_number = member.person_number = minimised_id_number(member.id_number)
        member.workplace = ""
        member.minimised_on = today
    Member.objects.bulk_update(members, ["name", "id_number", "person_number", "workplace", "minimised_on"])
    # The history rows (the minimising update's own row included), from the member rows just written: one UPDATE.
    now = Member.objects.filter(pk=OuterRef("pgh_obj_id"))
    Member.pgh_event_model.objects.filter(pgh_obj_id__in=[member.pk for member in members]).update(
        **{field: Subquery(now.values(field)[:1]) for field in ("name", "id_number", "person_number", "workplace")}
    )
    return len(members)


# An import's plan, written set-based -------------------------------------------------------------


def _staged_columns(model, data_fields: Iterable[str], given: dict[str, str]) -> tuple[list[str], list[str], list]:
    """Columns and SELECT expressions writing `model` from a staged row `s` and its record `r`
    (jsonb_populate_record of the staged fields): `data_fields` from `r`, `given` as written, every other column its
    model default as a parameter."""
    columns, expressions, params = [], [], []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        columns.append(connection.ops.quote_name(f.column))
        if f.name in given:
            expressions.append(given[f.name])
        elif f.name in data_fields:
            expressions.append(f"r.{connection.ops.quote_name(f.column)}")
        else:
            expressions.append("%s")
            params.append(f.get_db_prep_save(f.get_default(), connection))
    return columns, expressions, params


@transaction.atomic
def households_write_staged(*, user, import_id: int) -> set[str]:
    """Write an import's validated plan (ImportRow) to the register set-based (导入确认): new households numbered in
    their villages, with their members; changed households; changed members (a giving-up head first) and members
    added to registered households; a few statements, whatever the size. The plan passed the same rules as every
    other entry path at validation (validate_member, validate_household_fields, HH-1, ID-2, the models' field
    checks) and the caller has locked the matched households and refused the import if one changed since; the
    database constraints stand behind ID-2 and HH-1 here (a race is refused whole: nothing written). Triggers record
    the history and the ledger as for any write. Returns the codes of the villages changed."""
    staged = ImportRow.objects.filter(import_record_id=import_id)
    new = dict(
        staged.filter(kind=ImportRowKind.HOUSEHOLD, household_id__isnull=True)
        .values_list("village")
        .annotate(count=Count("id"))
        .values_list("village", "count")
    )
    villages = set(staged.values_list("village", flat=True).distinct())
    # The registered households the plan changes (the new ones learn their ids below and have no annual records).
    registered = set(staged.filter(kind=ImportRowKind.HOUSEHOLD, household_id__isnull=False).values_list("household_id", flat=True))
    table, quote = ImportRow._meta.db_table, connection.ops.quote_name
    with connection.cursor() as cursor:
        # Fresh statistics, or the planner takes a just-filled staging table for a small one and joins it row by row.
        cursor.execute(f"ANALYZE {table}")
        try:
            with transaction.atomic():
                if new:
                    _number_and_create(cursor, import_id=import_id, per_village=new, table=table)
                _update_households(cursor, import_id=import_id, table=table)
                affected = _update_members(cursor, import_id=import_id, table=table)
                columns, expressions, params = _staged_columns(
                    Member, MEMBER_FIELDS, {"household": "h.household_id", "person_number": "r.person_number", "created_at": "now()", "updated_at": "now()", "version": "1"}
                )
                cursor.execute(
                    f"INSERT INTO {quote(Member._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608 - names from the models, values bound
                    f"SELECT {', '.join(expressions)} FROM {table} s "
                    f"JOIN {table} h ON h.import_record_id = s.import_record_id AND h.kind = 'household' AND h.key = s.key "
                    f"CROSS JOIN LATERAL jsonb_populate_record(NULL::{quote(Member._meta.db_table)}, s.data) r "
                    "WHERE s.import_record_id = %s AND s.kind = 'member' AND s.member_id IS NULL "
                    "RETURNING household_id, joined_on",
                    [*params, import_id],
                )
                added = cursor.fetchall()
        except IntegrityError as exc:
            _raise_for_integrity_staged(exc, user=user, import_id=import_id)
    # Members added to registered households and changed joining or leaving dates change the year-end counts.
    for household_id, joined_on in added:
        if household_id in registered:
            year = _first_year_affected(None, (joined_on, None))
            affected[household_id] = min(year, affected.get(household_id, year))
    for household in Household.objects.filter(pk__in=list(affected)):
        annual_records_recompute(household=household, from_year=affected[household.pk])
    return villages


def _number_and_create(cursor, *, import_id: int, per_village: dict[str, int], table: str) -> None:
    """Number the new households (the villages' sequences locked once and advanced by the count, numbers in the
    file's order) and insert them; each staged household row learns its new id."""
    quote = connection.ops.quote_name
    HouseholdNumberSequence.objects.bulk_create(
        [HouseholdNumberSequence(village_id=code) for code in sorted(per_village)], ignore_conflicts=True
    )
    sequences = {
        s.village_id: s
        for s in HouseholdNumberSequence.objects.select_for_update().filter(village_id__in=sorted(per_village)).order_by("village_id")
    }
    for code, count in per_village.items():
        if sequences[code].last + count > 9999:
            village = Region.objects.get(pk=code)
            raise _error("village", _("%(village)s户编号已用尽（9999）") % {"village": village.name}, "invalid")
    first = [(code, sequences[code].last) for code in sorted(per_village)]
    for code, count in per_village.items():
        sequences[code].last += count
    HouseholdNumberSequence.objects.bulk_update(list(sequences.values()), ["last"])
    columns, expressions, params = _staged_columns(
        Household,
        HOUSEHOLD_FIELDS,
        {
            "number": "n.number", "village": "s.village", "villager_group": "(s.data->>'villager_group')::bigint",
            "bank_account": "replace(r.bank_account, ' ', '')", "created_at": "now()", "updated_at": "now()", "version": "1",
        },
    )  # fmt: skip
    values = ", ".join(["(%s, %s)"] * len(first))
    household_table = quote(Household._meta.db_table)
    cursor.execute(
        f"WITH base (village, last) AS (VALUES {values}), "  # noqa: S608 - names from the models, values bound
        f"numbered AS (SELECT s.id, s.village || lpad((base.last + row_number() OVER (PARTITION BY s.village ORDER BY s.row))::text, 4, '0') AS number "
        f"  FROM {table} s JOIN base ON base.village = s.village "
        "  WHERE s.import_record_id = %s AND s.kind = 'household' AND s.household_id IS NULL), "
        f"created AS (INSERT INTO {household_table} ({', '.join(columns)}) "
        f"  SELECT {', '.join(expressions)} FROM numbered n JOIN {table} s ON s.id = n.id "
        f"  CROSS JOIN LATERAL jsonb_populate_record(NULL::{household_table}, s.data) r ORDER BY s.row "
        "  RETURNING id, number) "
        f"UPDATE {table} s SET household_id = created.id FROM numbered n JOIN created ON created.number = n.number WHERE s.id = n.id",
        [value for pair in first for value in pair] + [import_id, *params],
    )  # fmt: skip


def _update_households(cursor, *, import_id: int, table: str) -> None:
    """The changed registered households' facts (the version trigger bumps each)."""
    quote = connection.ops.quote_name
    household_table = quote(Household._meta.db_table)
    sets = []
    for name in HOUSEHOLD_FIELDS:
        column = quote(Household._meta.get_field(name).column)
        if name == "villager_group":
            sets.append(f"{column} = (s.data->>'villager_group')::bigint")
        elif name == "bank_account":
            sets.append(f"{column} = replace(r.{column}, ' ', '')")
        else:
            sets.append(f"{column} = r.{column}")
    cursor.execute(
        f"UPDATE {household_table} h SET {', '.join(sets)}, updated_at = now() FROM {table} s "  # noqa: S608 - names from the models, values bound
        f"CROSS JOIN LATERAL jsonb_populate_record(NULL::{household_table}, s.data) r "
        "WHERE s.import_record_id = %s AND s.kind = 'household' AND s.household_id IS NOT NULL AND s.changed AND h.id = s.household_id",
        [import_id],
    )


def _update_members(cursor, *, import_id: int, table: str) -> dict[int, int]:
    """The changed registered members, those giving up the head's place first (one active head at every moment);
    returns {household id: first year whose year-end membership changed}."""
    quote = connection.ops.quote_name
    member_table = quote(Member._meta.db_table)
    cursor.execute(
        f"SELECT m.household_id, m.joined_on, m.left_on, r.joined_on, r.left_on FROM {member_table} m JOIN {table} s ON s.member_id = m.id "  # noqa: S608 - names from the models, values bound
        f"CROSS JOIN LATERAL jsonb_populate_record(NULL::{member_table}, s.data) r "
        "WHERE s.import_record_id = %s AND s.kind = 'member' AND (m.joined_on IS DISTINCT FROM r.joined_on OR m.left_on IS DISTINCT FROM r.left_on)",
        [import_id],
    )  # fmt: skip
    affected: dict[int, int] = {}
    for household_id, joined_before, left_before, joined_after, left_after in cursor.fetchall():
        year = _first_year_affected((joined_before, left_before), (joined_after, left_after))
        if year is not None:
            affected[household_id] = min(year, affected.get(household_id, year))
    sets = ", ".join(
        f"{quote(Member._meta.get_field(name).column)} = r.{quote(Member._meta.get_field(name).column)}"
        for name in (*MEMBER_FIELDS, "person_number")
    )
    gives_up_head = "(m.relation = 'head' AND m.left_on IS NULL AND (r.relation <> 'head' OR r.left_on IS NOT NULL))"
    for which in (gives_up_head, f"NOT {gives_up_head}"):
        cursor.execute(
            f"UPDATE {member_table} m SET {sets}, updated_at = now() FROM {table} s "  # noqa: S608 - names from the models, values bound
            f"CROSS JOIN LATERAL jsonb_populate_record(NULL::{member_table}, s.data) r "
            f"WHERE s.import_record_id = %s AND s.kind = 'member' AND s.member_id = m.id AND {which}",
            [import_id],
        )
    return affected


def _raise_for_integrity_staged(exc: IntegrityError, *, user, import_id: int):
    """A constraint that fired while writing a plan (a race since the validation): the same sentence as the checks."""
    name = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", "") or str(exc)
    if "member_unique_active_person" in name:
        people = ImportRow.objects.filter(import_record_id=import_id, kind=ImportRowKind.MEMBER).values_list("row", "data")
        numbers = {f"第 {row} 行": data["person_number"] for row, data in people if not data.get("left_on")}
        check_id_numbers_free(user=user, numbers=numbers)
    _raise_for_integrity(exc, user=user, numbers={})
