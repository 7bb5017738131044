"""Services of department comparisons (数据比对): keep an uploaded list, match it, raise EXT-* findings.

An upload is read whole (checks.uploads) and refused whole on one bad row. A good one is kept: the
Comparison row and its rows, written with COPY. Matching is one SQL statement: the list's ID
numbers joined to the active members of households in or on their way into the register
(registered or candidate) inside the comparison's region, by person number; a member registered
under a 15-digit legacy number matches the 18-digit number it upgrades to. Each match opens an
EXT-* finding unless one is open for the same code and member (or a user confirmed it correct).
A match is an error when the county marks its category veto (一票否决) or the member is recorded
dead, a warning otherwise. A veto match on a poor or exited household opens a removal proposal
(清退) unless the household already has a procedure under way, which the error finding then holds.
"""

import hashlib
import io
import os
from dataclasses import dataclass, field

import pghistory
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from checks import catalog
from checks.choices import DepartmentCategory
from checks.models import CategorySetting, Comparison
from checks.uploads import UploadInvalid, UploadRow, read_upload
from core import regions as region_rules
from core.errors import DomainError
from core.roles import Capability
from core.scope import has_capability
from households.choices import ENTITLED_STATUSES
from households.models import Household
from lifecycle import services as lifecycle
from lifecycle.choices import ProcedureKind, RemovalReason

# Households a comparison looks at: registered (poor, exited) or candidates (identification under way
# or not yet decided); removed, closed and rejected households are not matched.
MATCHED_STATUSES = ("", "candidate", "poor", "exited")

_MATCH = """
WITH setting (prefix, category, veto) AS (
    SELECT * FROM unnest(%(setting_prefixes)s::text[], %(setting_categories)s::text[], %(setting_vetoes)s::boolean[])
),
code (category, rule) AS (
    SELECT * FROM unnest(%(code_categories)s::text[], %(code_rules)s::text[])
),
listed AS (
    -- Each row under its number and, for a 19xx birth year, under the 15-digit legacy form a member may still
    -- be registered under (no LATERAL: a plain UNION keeps every join a hash join, see comparison_match).
    SELECT r.line, r.category, r.detail, r.id_number AS number
    FROM checks_comparisonrow r
    WHERE r.comparison_id = %(comparison)s
    UNION ALL
    SELECT r.line, r.category, r.detail, substr(r.id_number, 1, 6) || substr(r.id_number, 9, 9)
    FROM checks_comparisonrow r
    WHERE r.comparison_id = %(comparison)s AND substr(r.id_number, 7, 2) = '19'
),
hit AS (
    SELECT DISTINCT ON (m.id, l.category)
           m.id AS member_id, m.name, h.id AS household_id, h.village_id, h.status, l.category, l.line, l.detail
    FROM listed l
    JOIN households_member m ON m.person_number = l.number AND m.left_on IS NULL
    JOIN households_household h ON h.id = m.household_id
    WHERE h.village_id LIKE %(prefix)s AND h.status = ANY(%(statuses)s)
    ORDER BY m.id, l.category, l.line
),
judged AS (
    SELECT hit.*, code.rule,
           hit.category <> 'deceased' AND COALESCE(
               (SELECT s.veto FROM setting s
                WHERE s.category = hit.category AND hit.village_id LIKE s.prefix || '%%'
                ORDER BY length(s.prefix) DESC LIMIT 1), false) AS veto
    FROM hit JOIN code USING (category)
),
opened AS (
    INSERT INTO checks_finding (rule, severity, source, key, village_id, household_id, member_id, detail, found_at,
                                status, resolution, comparison_id, created_at, updated_at, version)
    SELECT j.rule, CASE WHEN j.veto OR j.category = 'deceased' THEN 'error' ELSE 'warning' END, 'comparison',
           'member:' || j.member_id, j.village_id, j.household_id, j.member_id,
           jsonb_strip_nulls(jsonb_build_object(
               'name', j.name, 'department', %(department)s::text, 'category', j.category,
               'detail', NULLIF(j.detail, ''), 'line', j.line, 'comparison', %(comparison)s::bigint, 'veto', j.veto)),
           %(now)s, 'open', '', %(comparison)s, %(now)s, %(now)s, 1
    FROM judged j
    WHERE NOT EXISTS (SELECT 1 FROM checks_finding f
                      WHERE f.rule = j.rule AND f.key = 'member:' || j.member_id AND f.status = 'confirmed_correct')
    ORDER BY j.member_id, j.rule
    ON CONFLICT (rule, key) WHERE status = 'open' DO NOTHING
    RETURNING 1
)
SELECT (SELECT count(DISTINCT member_id) FROM judged),
       (SELECT count(*) FROM opened),
       (SELECT coalesce(json_agg(json_build_array(v.household_id, v.categories) ORDER BY v.household_id), '[]'::json)
        FROM (SELECT household_id, array_agg(DISTINCT category ORDER BY category) AS categories
              FROM judged
              WHERE veto AND status = ANY(%(removable)s)
                AND NOT EXISTS (SELECT 1 FROM households_procedure p
                                WHERE p.household_id = judged.household_id AND p.state = 'open')
              GROUP BY household_id) v)
"""


@dataclass
class Match:
    """What matching a comparison found: people matched, findings opened, households to propose for removal."""

    matched: int
    opened: int
    # [(household id, [veto categories])] of poor or exited households without an open procedure.
    vetoed: list[tuple[int, list[str]]]


@dataclass
class UploadResult:
    """An upload's outcome: the kept comparison, findings opened, removal proposals opened or refused."""

    comparison: Comparison
    opened: int
    removals: list[int] = field(default_factory=list)  # procedure ids
    removals_refused: list[dict] = field(default_factory=list)  # {"household", "code", "detail"}


def _invalid(field_name: str, message) -> ValidationError:
    return ValidationError({field_name: [ValidationError(message, code="invalid")]})


def _require_county(user, region) -> None:
    if not has_capability(user, Capability.COUNTY_ADMINISTRATION, region.code):
        raise DomainError("permission_denied", _("只有县扶贫办可以上传比对数据和设置一票否决"), status=403)


def _clean_file_name(name: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    if len(base) > 200:
        stem, dot, extension = base.rpartition(".")
        base = (stem[: 199 - len(extension)] + dot + extension) if dot else base[:200]
    return base


def settings_for(region_code: str) -> list[CategorySetting]:
    """The veto settings that can apply inside a region: its own, its ancestors' and those of regions below it."""
    ancestors = [region_code]
    while (parent := region_rules.parent_code(ancestors[-1])) is not None:
        ancestors.append(parent)
    prefix = region_rules.significant_prefix(region_code)
    return list(CategorySetting.objects.filter(Q(region_id__in=ancestors) | Q(region__code__startswith=prefix)))


# Storing --------------------------------------------------------------------------------------------


def _copy_text(value: str) -> str:
    """A value in COPY's text format (backslash, tab and line breaks escaped)."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def comparison_rows_store(*, comparison: Comparison, rows: list[UploadRow]) -> None:
    """Write the list's rows with one COPY (100,000 rows in well under a second)."""
    buffer = io.StringIO()
    prefix = f"{comparison.pk}\t"
    buffer.writelines(
        f"{prefix}{row.line}\t{row.id_number}\t{row.category}\t{_copy_text(row.detail)}\n" for row in rows
    )
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            "COPY checks_comparisonrow (comparison_id, line, id_number, category, detail) FROM STDIN", buffer
        )


# Matching -------------------------------------------------------------------------------------------


def comparison_match(*, comparison: Comparison) -> Match:
    """Match a kept list against the register in one statement, open the EXT-* findings and record `matched`."""
    settings = settings_for(comparison.region_id)
    codes = catalog.COMPARISON_CODES
    params = {
        "setting_prefixes": [region_rules.significant_prefix(s.region_id) for s in settings],
        "setting_categories": [s.category for s in settings],
        "setting_vetoes": [s.veto for s in settings],
        "code_categories": [str(category) for category in codes],
        "code_rules": [code.code for code in codes.values()],
        "comparison": comparison.pk,
        "prefix": region_rules.significant_prefix(comparison.region_id) + "%",
        "statuses": list(MATCHED_STATUSES),
        "removable": sorted(ENTITLED_STATUSES),
        "department": comparison.department,
        "now": timezone.now(),
    }
    with transaction.atomic(), pghistory.context(comparison=comparison.pk), connection.cursor() as cursor:
        # A list is joined to a county's members wholesale: hash joins, never a nested loop per row. Without
        # fresh statistics (a new database, autovacuum off) the planner may otherwise loop over every
        # household and take minutes. Disabling nested loops inflates the plan's cost, which would then
        # trigger JIT compilation (seconds, for a statement that runs in a fraction of one): JIT off too.
        # Both settings are local to the transaction and restored right after.
        cursor.execute(
            "SELECT current_setting('enable_nestloop'), current_setting('jit'), "
            "set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true)"
        )
        nestloop, jit, *_set = cursor.fetchone()
        cursor.execute(_MATCH, params)
        matched, opened, vetoed = cursor.fetchone()
        cursor.execute("SELECT set_config('enable_nestloop', %s, true), set_config('jit', %s, true)", [nestloop, jit])
    comparison.matched = matched
    comparison.save(update_fields=["matched"])
    return Match(matched=matched, opened=opened, vetoed=[(household, categories) for household, categories in vetoed])


def _removal_reason(categories: list[str]) -> str:
    for category in DepartmentCategory.values:  # the list's order decides when several categories are veto
        if category in categories and category in RemovalReason.values:
            return category
    return RemovalReason.OTHER


def _propose_removals(*, user, comparison: Comparison, vetoed, on) -> tuple[list[int], list[dict]]:
    """Open a removal proposal (清退) for each vetoed household, through the lifecycle service."""
    opened, refused = [], []
    households = Household.objects.in_bulk([household_id for household_id, _categories in vetoed])
    for household_id, categories in vetoed:
        labels = "、".join(str(DepartmentCategory(c).label) for c in categories)
        note = _("数据比对一票否决：%(department)s数据（%(file)s，%(date)s）显示%(categories)s") % {
            "department": comparison.department, "file": comparison.file_name,
            "date": date_format(timezone.localtime(comparison.uploaded_at), "Y-m-d"), "categories": labels,
        }  # fmt: skip
        try:
            procedure = lifecycle.procedure_open(
                user=user, household=households[household_id], kind=ProcedureKind.REMOVAL,
                reason=_removal_reason(categories), on=on, note=note,
            )  # fmt: skip
        except (DomainError, ValidationError) as exc:
            detail = exc.detail if isinstance(exc, DomainError) else "; ".join(exc.messages)
            refused.append({"household": household_id, "code": getattr(exc, "code", "invalid"), "detail": str(detail)})
            continue
        opened.append(procedure.pk)
    return opened, refused


# Services -------------------------------------------------------------------------------------------


def comparison_upload(
    *, user, region, department: str, file_name: str, content: bytes, today=None
) -> UploadResult:
    """Keep a department's list (数据比对), match it against the register and act on the matches.

    Refused whole, writing nothing: a role other than the county office over the region (403), a bad
    department or file (400, `invalid_upload` with the problems by line) or the same file already
    uploaded for the region (409).
    """
    _require_county(user, region)
    department = (department or "").strip()
    if not department:
        raise _invalid("department", _("须填写数据来源部门"))
    if len(department) > 100:
        raise _invalid("department", _("数据来源部门不能超过100个字符"))
    file_name = _clean_file_name(file_name)
    today = today or timezone.localdate()
    digest = hashlib.sha256(content or b"").hexdigest()
    with transaction.atomic():
        # Two uploads of the same file at once: the second waits here, then finds the first.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"comparison:{region.code}:{digest}"])
        earlier = Comparison.objects.filter(region=region, digest=digest).order_by("id").first()
        if earlier is not None:
            raise DomainError(
                "conflict",
                _("该文件已于 %(date)s 上传到本区划（数据比对 %(id)s），不再重复比对") % {
                    "date": date_format(timezone.localtime(earlier.uploaded_at), "Y-m-d H:i"), "id": earlier.pk},
            )  # fmt: skip
        try:
            rows = read_upload(name=file_name, content=content or b"", today=today)
        except UploadInvalid as exc:
            raise DomainError("invalid_upload", exc.sentence(), status=400, errors=exc.errors) from None
        comparison = Comparison(
            region=region, department=department, file_name=file_name or "-", digest=digest, rows=len(rows),
            uploaded_by=user,
        )  # fmt: skip
        comparison.full_clean()
        comparison.save()
        comparison_rows_store(comparison=comparison, rows=rows)
        match = comparison_match(comparison=comparison)
        removals, refused = _propose_removals(user=user, comparison=comparison, vetoed=match.vetoed, on=today)
    return UploadResult(comparison=comparison, opened=match.opened, removals=removals, removals_refused=refused)


def validate_category_setting(*, category: str, veto: bool) -> None:
    """A known category; deceased is never a veto (a death is always an error, and never a removal)."""
    if category not in DepartmentCategory.values:
        raise ValidationError(
            {"category": [ValidationError(_("类别无效：%(value)s") % {"value": category}, code="invalid_choice")]}
        )
    if category == DepartmentCategory.DECEASED and veto:
        raise _invalid("category", _("死亡数据总是错误级别，且不作清退，不能设为一票否决"))


@transaction.atomic
def category_setting_save(*, user, region, category: str, veto: bool) -> tuple[CategorySetting, bool]:
    """Mark a department category as veto (一票否决) in a region, or not; returns (setting, created).

    One setting per region and category: saving again changes it. The nearest region up the tree decides.
    """
    _require_county(user, region)
    validate_category_setting(category=category, veto=veto)
    setting = CategorySetting.objects.select_for_update().filter(region=region, category=category).first()
    created = setting is None
    if created:
        setting = CategorySetting(region=region, category=category)
    setting.veto = bool(veto)
    setting.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            setting.save()
    except IntegrityError:  # the same setting created a moment ago by another request
        setting = CategorySetting.objects.select_for_update().get(region=region, category=category)
        created = False
        setting.veto = bool(veto)
        setting.save()
    return setting, created
