"""Imports (导入): validate a file and keep it with its report; commit a validated file, all or nothing.

Plain synchronous functions that a job can run: each takes `progress(done, total, phase)` (phases "read",
"validate", "commit", "rules"). The validation streams the file and keeps the plan of a file without errors in
ImportRow (暂存, by COPY); the commit locks the households the file matched, refuses the import if one changed since
the validation, and writes the kept plan set-based through households.services.households_write_staged, in one
transaction under a history context naming the import and the importing user (the audit and ledger triggers record
every row); then the register rules run over the villages the import changed (through households.hooks.after_import,
which the checks register).
"""

import csv
import datetime
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
from households.imports.validation import HouseholdPlan, noop_progress, validate_file
from households.models import Household, Import, ImportRow, ImportRowKind, ImportState, Member

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
    job changes nothing). The plan of a validated file is kept (ImportRow) for the commit."""
    with transaction.atomic():
        locked = Import.objects.select_for_update().get(pk=import_.pk)
        if locked.state != ImportState.PENDING:
            return locked
        _validate_and_stage(locked, content=bytes(locked.content), user=locked.user, progress=progress)
    return locked


def import_create(*, user, region, filename: str, content: bytes, progress: Callable = noop_progress) -> Import:
    """Validate an uploaded file (dry run, always) and keep it with its report (导入校验), in this process (the
    command); nothing is written to the register. The import is `validated` when the report has no errors, `failed`
    otherwise."""
    with transaction.atomic():
        imported = Import.objects.create(
            region=region, user=user, filename=(filename or "upload")[:200], content=content, state=ImportState.PENDING
        )
        _validate_and_stage(imported, content=content, user=user, progress=progress)
    return imported


def _validate_and_stage(imported: Import, *, content: bytes, user, progress: Callable) -> None:
    """Validate the file, its plan streamed into ImportRow as the households are checked (kept only when the file
    has no error), and record the report."""
    began = timezone.now()
    stager = _Stager(imported.pk)
    plan = validate_file(content, filename=imported.filename, user=user, region=imported.region, progress=progress, sink=stager)
    if plan.ok:
        stager.flush()
    else:
        stager.discard()
    imported.state = ImportState.VALIDATED if plan.ok else ImportState.FAILED
    imported.report = plan.report
    imported.households = sorted(plan.matched)
    imported.staged_at = began if plan.ok else None
    imported.save(update_fields=["state", "report", "households", "staged_at", "updated_at", "version"])


# The validated plan, kept (暂存) ---------------------------------------------------------------------------


def import_staging_prune(*, days: int, now=None) -> int:
    """Drop the staged plans (暂存行, ImportRow) of imports validated more than `days` days ago and still not
    committed, and any staged row left by an import that is no longer validated; returns how many imports lost
    theirs. The import keeps its file and report and stays validated: `staged_at` cleared, a later commit validates
    the file again under its locks (as for an import validated before plans were kept). An import being committed
    right now (locked) is skipped."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    with transaction.atomic():
        expired = list(
            Import.objects.select_for_update(skip_locked=True)
            .filter(state=ImportState.VALIDATED, staged_at__lt=cutoff)
            .values_list("pk", flat=True)
        )
        Import.objects.filter(pk__in=expired).update(staged_at=None)
        ImportRow.objects.filter(import_record_id__in=expired).delete()
        ImportRow.objects.exclude(import_record__state=ImportState.VALIDATED).delete()
    return len(expired)


# The version (core.models: a trigger moves it on every UPDATE) of the register's row as the validation read it,
# kept beside the fields (the commit's jsonb_populate_record reads only the table's columns): the commit compares it
# (_MOVED_SINCE_READ names the key too).
SEEN_VERSION = "_seen_version"


def _stage_json(data: dict, *, seen: models.Model | None = None) -> str:
    fields = {k: v.pk if isinstance(v, models.Model) else v for k, v in data.items()}
    if seen is not None:
        fields[SEEN_VERSION] = seen.version
    return json.dumps(fields, cls=DjangoJSONEncoder, ensure_ascii=False)


_MOVED_SINCE_READ = """
SELECT r.key FROM households_importrow r JOIN households_household h ON h.id = r.household_id
WHERE r.import_record_id = %(import)s AND r.kind = 'household' AND r.changed
  AND (r.data ->> '_seen_version')::bigint <> h.version
UNION
SELECT r.key FROM households_importrow r JOIN households_member m ON m.id = r.member_id
WHERE r.import_record_id = %(import)s AND r.kind = 'member' AND (r.data ->> '_seen_version')::bigint <> m.version
"""


def _moved_since_read(import_id: int) -> list[str]:
    """The households whose staged rows (a household or member the file changes) were written by someone else after
    the validation read them: their version moved. Exact where the clock is not: a writer that saved before the
    upload but committed after the validation read the row left an older `updated_at`, but a new version."""
    with connection.cursor() as cursor:
        cursor.execute(_MOVED_SINCE_READ, {"import": import_id})
        return sorted(key for (key,) in cursor.fetchall())


class _Stager:
    """The validation's sink: what a checked household writes — new and changed households, new and changed members,
    with their fields as they will be — into ImportRow by COPY, a few thousand rows at a time (memory stays flat);
    households left as they are keep nothing."""

    FLUSH_EVERY = 5000

    def __init__(self, import_id: int):
        self.import_id = import_id
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\n")
        self.pending = 0
        self.written = 0

    def __call__(self, household: HouseholdPlan) -> None:
        if household.action == "unchanged":
            return
        household_id = household.household.pk if household.household is not None else None
        common = (household.key, household.village.code, household_id)
        self.writer.writerow(
            (self.import_id, ImportRowKind.HOUSEHOLD, *common, None, "t" if household.changed else "f", household.rows[0].number,
             _stage_json(household.data, seen=household.household))
        )  # fmt: skip
        self.pending += 1
        for member in household.members:
            if member.member is None or member.changed:
                self.writer.writerow((self.import_id, ImportRowKind.MEMBER, *common, member.member.pk if member.member else None, "t",
                                      member.row.number, _stage_json(member.data, seen=member.member)))  # fmt: skip
                self.pending += 1
        if self.pending >= self.FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        self.buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_expert(
                "COPY households_importrow (import_record_id, kind, key, village, household_id, member_id, changed, row, data)"
                " FROM STDIN WITH (FORMAT csv)",
                self.buffer,
            )
        self.written += self.pending
        self.pending = 0
        self.buffer.seek(0)
        self.buffer.truncate()

    def discard(self) -> None:
        """The file has errors: nothing of its plan is kept."""
        if self.written:
            ImportRow.objects.filter(import_record_id=self.import_id).delete()
        self.pending = self.written = 0


def _out_of_scope(user, imported: Import) -> list[str]:
    """Villages of the import the committing user may not change (scope is checked again: it may have changed, and
    the one who commits may not be the one who uploaded)."""
    codes = set(ImportRow.objects.filter(import_record=imported).values_list("village", flat=True).distinct())
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


def _taken_since(user, imported: Import) -> list[dict]:
    """ID-2 again, in one query: the people the plan makes active who are active in another household of the register
    now (registered there since the validation), each on the file's row."""
    table, member_table = ImportRow._meta.db_table, Member._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")  # just filled: without statistics the planner joins it row by row
        cursor.execute(
            f"SELECT s.row, s.data->>'id_number', m.id FROM {table} s "  # noqa: S608 - table names from the models
            f"JOIN {member_table} m ON m.person_number = s.data->>'person_number' AND m.left_on IS NULL "
            "WHERE s.import_record_id = %s AND s.kind = 'member' AND s.data->>'left_on' IS NULL "
            "AND m.id IS DISTINCT FROM s.member_id "
            f"AND NOT EXISTS (SELECT 1 FROM {table} l WHERE l.import_record_id = s.import_record_id AND l.member_id = m.id "
            "  AND l.data->>'left_on' IS NOT NULL) "
            "ORDER BY s.row",
            [imported.pk],
        )
        found = cursor.fetchall()
    others = Member.objects.select_related("household__village").in_bulk([member_id for _row, _number, member_id in found])
    sheet = imported.report.get("sheet", "")
    return [
        {"sheet": sheet, "row": row, "column": "", "header": "", "value": id_number,
         "reason": str(services.duplicate_message(user=user, other=others[member_id]))}
        for row, id_number, member_id in found
    ]  # fmt: skip


def _scope_report(report: dict, codes: list[str]) -> dict:
    errors = [
        {"sheet": report.get("sheet", ""), "row": 0, "column": "", "header": "", "value": code, "reason": "您无权修改该村的户信息"}
        for code in codes
    ]
    return {**report, "errors": errors, "error_count": len(errors)}


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
            if locked.staged_at is not None:  # exact: a row the file writes that someone wrote since it was read
                stale = _moved_since_read(locked.pk)
            else:  # validated before plans were kept: anything of its households changed since the upload
                stale = _changed_since(locked.households, locked.created_at)
            if stale:
                failed_report = _stale_report(locked.report, stale)
                raise _Rollback
            if locked.staged_at is not None:
                # The plan validated at upload, kept in ImportRow: the households it matched are locked and unchanged
                # since (above), so what the validation proved of them holds; the database's constraints stand
                # behind ID-2 and HH-1 as it is written.
                refused = _out_of_scope(user, locked)
                if refused:
                    failed_report = _scope_report(locked.report, refused)
                    raise _Rollback
                taken = _taken_since(user, locked)
                if taken:
                    failed_report = {**locked.report, "errors": taken, "error_count": len(taken)}
                    raise _Rollback
                report = locked.report
            else:  # validated before plans were kept: read and validate the file again, keeping its plan
                stager = _Stager(locked.pk)
                plan = validate_file(
                    bytes(locked.content), filename=locked.filename, user=user, region=locked.region, progress=progress, sink=stager
                )
                if not plan.ok:
                    failed_report = plan.report
                    raise _Rollback
                stager.flush()
                report = plan.report
            progress(0, 1, "commit")
            villages = services.households_write_staged(user=user, import_id=locked.pk)
            progress(1, 1, "commit")
            locked.state = ImportState.COMMITTED
            locked.committed_at = timezone.now()
            locked.report = {**report, "committed_by": user.get_username()}
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
