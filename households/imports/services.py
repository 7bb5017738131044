"""Imports (导入): validate a file and keep it with its report; commit a validated file, all or nothing.

Plain synchronous functions that a job can run: each takes `progress(done, total, phase)` (phases "read",
"validate", "commit", "rules"). The writes go through households.services, the same functions as every other
entry path (household_create, household_update, household_members_save), in one transaction under a history
context naming the import and the importing user; then the register rules run over the villages the import
changed (through households.hooks.after_import, which the checks register).
"""

from collections.abc import Callable

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from households import hooks, services
from households.imports.validation import Plan, noop_progress, validate_file
from households.models import Household, Import, ImportState, Member

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
        plan = validate_file(
            bytes(locked.content), filename=locked.filename, user=locked.user, region=locked.region, progress=progress
        )
        locked.state = ImportState.VALIDATED if plan.ok else ImportState.FAILED
        locked.report = plan.report
        locked.households = sorted(p.household.number for p in plan.households if p.household is not None)
        locked.save(update_fields=["state", "report", "households", "updated_at", "version"])
    return locked


def import_create(*, user, region, filename: str, content: bytes, progress: Callable = noop_progress) -> Import:
    """Validate an uploaded file (dry run, always) and keep it with its report (导入校验), in this process (the
    command); nothing is written to the register. The import is `validated` when the report has no errors, `failed`
    otherwise."""
    plan = validate_file(content, filename=filename, user=user, region=region, progress=progress)
    return Import.objects.create(
        region=region,
        user=user,
        filename=(filename or "upload")[:200],
        content=content,
        state=ImportState.VALIDATED if plan.ok else ImportState.FAILED,
        report=plan.report,
        households=sorted(p.household.number for p in plan.households if p.household is not None),
    )


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
            stale = _changed_since(locked.households, locked.created_at)
            if stale:
                failed_report = _stale_report(locked.report, stale)
                raise _Rollback
            plan = validate_file(bytes(locked.content), filename=locked.filename, user=user, region=locked.region, progress=progress)
            if not plan.ok:
                failed_report = plan.report
                raise _Rollback
            villages = _apply(plan, user=user, progress=progress)
            locked.state = ImportState.COMMITTED
            locked.committed_at = timezone.now()
            locked.report = {**plan.report, "committed_by": user.get_username()}
            locked.save(update_fields=["state", "committed_at", "report", "updated_at", "version"])
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
