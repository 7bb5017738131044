"""Imports (导入): validate a file and keep it with its report; commit a validated file, all or nothing.

Plain synchronous functions that a job can run: each takes `progress(done, total, phase)` (phases "read",
"validate", "commit", "rules"). The writes go through households.services, the same functions as every other
entry path (household_create, household_update, household_members_save), in one transaction under a history
context naming the import and the importing user; then the register rules run over the villages the import
changed (through households.hooks.after_import, which the checks register).
"""

import csv
import io
import json
from collections.abc import Callable

import pghistory
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from core.roles import Capability
from core.scope import has_capability
from households import hooks, services
from households.imports.validation import HouseholdPlan, MemberPlan, Plan, Row, noop_progress, validate_file
from households.models import Household, Import, ImportRow, ImportRowKind, ImportState, Member
from villages.models import Region, VillagerGroup

STATE_NOT_COMMITTABLE = "import_not_committable"


class ImportRefused(Exception):
    """The import cannot be committed (not validated, or already committed); `message` says why in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def import_upload(*, user, region, filename: str, content: bytes) -> Import:
    """Keep an uploaded file as an import waiting for its validation (校验中): the job of the upload
    (households.jobs) then validates it by the import's id. Nothing is written to the register."""
    return Import.objects.create(
        region=region, user=user, filename=(filename or "upload")[:200], content=content, state=ImportState.PENDING
    )


def import_validate(*, import_: Import, progress: Callable = noop_progress) -> Import:
    """Validate a kept file (dry run, always) and record its report (导入校验): `validated` when the report has no
    errors, `failed` otherwise. Only a `pending` import is validated; any other is answered as it is (a retry of the
    job changes nothing)."""
    with transaction.atomic():
        locked = Import.objects.select_for_update().get(pk=import_.pk)
        if locked.state != ImportState.PENDING:
            return locked
        began = timezone.now()
        plan = validate_file(
            bytes(locked.content), filename=locked.filename, user=locked.user, region=locked.region, progress=progress
        )
        locked.state = ImportState.VALIDATED if plan.ok else ImportState.FAILED
        locked.report = plan.report
        locked.households = sorted(p.household.number for p in plan.households if p.household is not None)
        if plan.ok:
            _stage(locked, plan)
            locked.staged_at = began
        locked.save(update_fields=["state", "report", "households", "staged_at", "updated_at", "version"])
    return locked


def import_create(*, user, region, filename: str, content: bytes, progress: Callable = noop_progress) -> Import:
    """Validate an uploaded file (dry run, always) and keep it with its report (导入校验), in this process (the
    command); nothing is written to the register. The import is `validated` when the report has no errors, `failed`
    otherwise."""
    began = timezone.now()
    plan = validate_file(content, filename=filename, user=user, region=region, progress=progress)
    with transaction.atomic():
        imported = Import.objects.create(
            region=region,
            user=user,
            filename=(filename or "upload")[:200],
            content=content,
            state=ImportState.VALIDATED if plan.ok else ImportState.FAILED,
            report=plan.report,
            households=sorted(p.household.number for p in plan.households if p.household is not None),
            staged_at=began if plan.ok else None,
        )
        if plan.ok:
            _stage(imported, plan)
    return imported


# The validated plan, kept (暂存) ---------------------------------------------------------------------------


def _stage_json(data: dict) -> str:
    return json.dumps({k: v.pk if isinstance(v, models.Model) else v for k, v in data.items()}, cls=DjangoJSONEncoder, ensure_ascii=False)


def _stage(imported: Import, plan: Plan) -> None:
    """Keep what a validated plan writes — new and changed households, new and changed members, with their fields
    as they will be — in ImportRow, with one COPY; households left as they are keep nothing."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for household in plan.households:
        if household.village is None or household.action == "unchanged":
            continue
        household_id = household.household.pk if household.household is not None else None
        common = (household.key, household.village.code, household_id)
        writer.writerow(
            (imported.pk, ImportRowKind.HOUSEHOLD, *common, None, "t" if household.changed else "f", household.rows[0].number,
             _stage_json(household.data))
        )  # fmt: skip
        for member in household.members:
            if member.member is None or member.changed:
                writer.writerow((imported.pk, ImportRowKind.MEMBER, *common, member.member.pk if member.member else None, "t",
                                 member.row.number, _stage_json(member.data)))  # fmt: skip
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            "COPY households_importrow (import_record_id, kind, key, village, household_id, member_id, changed, row, data)"
            " FROM STDIN WITH (FORMAT csv)",
            buffer,
        )


def _decode(model, data: dict) -> dict:
    """A staged row's fields as Python values (dates, decimals, lists), as the plan held them."""
    fields = {f.name: f for f in model._meta.concrete_fields}
    return {name: fields[name].to_python(value) if name in fields and value is not None else value for name, value in data.items()}


def _staged_plan(imported: Import) -> Plan:
    """The plan kept at validation, read back from ImportRow: the households and members to write."""
    rows = list(ImportRow.objects.filter(import_record=imported).order_by("row", "kind").values_list(
        "kind", "key", "row", "village", "household_id", "member_id", "changed", "data"))  # fmt: skip
    villages = {r.code: r for r in Region.objects.filter(code__in={row[3] for row in rows})}
    found = Household.objects.in_bulk({row[4] for row in rows if row[4] is not None})
    groups = VillagerGroup.objects.in_bulk({row[7].get("villager_group") for row in rows if row[0] == ImportRowKind.HOUSEHOLD} - {None})
    plans: dict[str, HouseholdPlan] = {}
    for kind, key, number, village, household_id, _member_id, changed, data in rows:
        if kind == ImportRowKind.HOUSEHOLD:
            data = _decode(Household, data)
            data["villager_group"] = groups.get(data.get("villager_group"))
            plans[key] = HouseholdPlan(
                key=key, rows=[Row(number, {}, {})], village=villages[village], household=found.get(household_id), data=data, changed=changed
            )
    for kind, key, number, _village, _household_id, member_id, _changed, data in rows:
        if kind == ImportRowKind.MEMBER:
            member = Member(pk=member_id) if member_id is not None else None
            plans[key].members.append(MemberPlan(row=Row(number, {}, {}), data=_decode(Member, data), member=member, changed=True))
    return Plan(report=imported.report, households=list(plans.values()))


def _out_of_scope(user, imported: Import, plan: Plan) -> list[str]:
    """Villages of the import the committing user may not change (scope is checked again: it may have changed, and
    the one who commits may not be the one who uploaded)."""
    codes = {p.village.code for p in plan.households}
    codes |= set(Household.objects.filter(number__in=imported.households).values_list("village_id", flat=True))
    return sorted(code for code in codes if not has_capability(user, Capability.EDIT_REGISTER, code))


def _lock(numbers: list[str]) -> None:
    """Lock the register's households by number, in id order (two imports of one household: one waits)."""
    if numbers:
        list(Household.objects.select_for_update().filter(number__in=numbers).order_by("pk").values_list("pk", flat=True))


def _changed_since(numbers: list[str], moment) -> list[str]:
    """The households among `numbers` changed (they or a member) after `moment`: the file would undo that change."""
    if not numbers:
        return []
    changed = set(Household.objects.filter(number__in=numbers, updated_at__gt=moment).values_list("number", flat=True))
    changed |= set(
        Member.objects.filter(household__number__in=numbers, updated_at__gt=moment).values_list("household__number", flat=True)
    )
    return sorted(changed)


def _stale_report(report: dict, numbers: list[str]) -> dict:
    errors = [
        {"sheet": report.get("sheet", ""), "row": 0, "column": "", "header": "", "value": number,
         "reason": "该户在上传后已被修改，导入会覆盖这些修改；请重新导出该户后再导入"}
        for number in numbers
    ]  # fmt: skip
    return {**report, "errors": errors, "error_count": len(errors)}


def _scope_report(report: dict, codes: list[str]) -> dict:
    errors = [
        {"sheet": report.get("sheet", ""), "row": 0, "column": "", "header": "", "value": code, "reason": "您无权修改该村的户信息"}
        for code in codes
    ]
    return {**report, "errors": errors, "error_count": len(errors)}


def _apply(plan: Plan, *, user, progress: Callable) -> set[str]:
    """Write the plan through the register's services; returns the codes of the villages changed."""
    new = [p for p in plan.households if p.household is None]
    services.households_create_many(
        user=user, households=[(p.village, dict(p.data), [dict(m.data) for m in p.members]) for p in new]
    )
    villages: set[str] = {p.village.code for p in new}
    progress(len(new), len(plan.households), "commit")
    changing = [p for p in plan.households if p.household is not None and p.action != "unchanged"]
    total = len(changing)
    for done, household_plan in enumerate(changing, start=1):
        if household_plan.changed:
            services.household_update(user=user, household=household_plan.household, data=dict(household_plan.data))
        changed = {m.member.pk: dict(m.data) for m in household_plan.members if m.member is not None and m.changed}
        added = [dict(m.data) for m in household_plan.members if m.member is None]
        if changed or added:
            services.household_members_save(user=user, household=household_plan.household, changed=changed, added=added)
        villages.add(household_plan.village.code)
        if done % 200 == 0 or done == total:
            progress(done, total, "commit")
    return villages


def import_commit(*, user, import_: Import, progress: Callable = noop_progress) -> Import:
    """Write a validated import to the register (确认导入), in one transaction: all or nothing.

    The households the file matched are locked first (a concurrent commit of one of them waits); if one of them
    or its members changed since the upload the import is refused (the file would silently undo that change: export
    again). The file is then validated again inside the transaction, so that what is written is what the register
    allows now; if anything fails, nothing is written and the import becomes `failed` with the reasons.
    """
    with transaction.atomic():
        locked = Import.objects.select_for_update().get(pk=import_.pk)
        if locked.state != ImportState.VALIDATED:
            raise ImportRefused(
                "该导入已确认过，不能重复导入" if locked.state == ImportState.COMMITTED else "该文件校验有错误，不能导入；请改正后重新上传"
            )
    failed_report = None
    villages: set[str] = set()
    try:
        with transaction.atomic(), pghistory.context(user=user.pk, import_id=import_.pk, command="import"):
            locked = Import.objects.select_for_update().get(pk=import_.pk)
            if locked.state != ImportState.VALIDATED:
                raise ImportRefused("该导入已确认过，不能重复导入")
            # The households the file matched at upload, locked before the file is read again: a concurrent import
            # of one of them waits here, and this one then validates against what the other wrote.
            _lock(locked.households)
            # Changed since the upload, or since the validation began when it came first (import_create).
            stale = _changed_since(locked.households, min(locked.created_at, locked.staged_at or locked.created_at))
            if stale:
                failed_report = _stale_report(locked.report, stale)
                raise _Rollback
            if locked.staged_at is not None:
                # The plan validated at upload, kept in ImportRow: the households it matched are locked and unchanged
                # since (above), so what the validation proved of them holds; ID-2 and HH-1 are held again by the
                # services' checks and the database's constraints as the rows are written.
                progress(0, 1, "read")
                plan = _staged_plan(locked)
                refused = _out_of_scope(user, locked, plan)
                if refused:
                    failed_report = _scope_report(locked.report, refused)
                    raise _Rollback
            else:  # validated before plans were kept: read and validate the file again
                plan = validate_file(bytes(locked.content), filename=locked.filename, user=user, region=locked.region, progress=progress)
                if not plan.ok:
                    failed_report = plan.report
                    raise _Rollback
            villages = _apply(plan, user=user, progress=progress)
            locked.state = ImportState.COMMITTED
            locked.committed_at = timezone.now()
            locked.report = {**plan.report, "committed_by": user.get_username()}
            locked.save(update_fields=["state", "committed_at", "report", "updated_at", "version"])
            ImportRow.objects.filter(import_record=locked).delete()
    except _Rollback:
        pass
    except ValidationError as exc:
        # A service refused a row the validation let through (a race, or a rule only the service knows).
        failed_report = {**import_.report, "error_count": 1, "errors": [{
            "sheet": import_.report.get("sheet", ""), "row": 0, "column": "", "header": "", "value": "",
            "reason": "；".join(exc.messages),
        }]}  # fmt: skip
    if failed_report is not None:
        Import.objects.filter(pk=import_.pk).update(state=ImportState.FAILED, report=failed_report)
        ImportRow.objects.filter(import_record=import_).delete()
        import_.refresh_from_db()
        return import_
    if villages:
        progress(0, len(villages), "rules")
        hooks.after_import(village_codes=villages, user=user)
        progress(len(villages), len(villages), "rules")
    import_.refresh_from_db()
    return import_


class _Rollback(Exception):
    """Leaves the commit's transaction without writing (the validation found errors)."""
