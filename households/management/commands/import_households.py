"""`manage.py import_households FILE --region CODE --user NAME [--dry-run]`: a spreadsheet into the register (导入).

The same services as the page and the API (households.imports.services): the file is validated whole first; with
`--dry-run` nothing more happens (no import is recorded); otherwise a clean file is committed, all or nothing, as
the user named (whose scope must hold the region). Errors are printed one a line (row, column, value, reason) and
the command fails; progress goes to stderr.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from households.imports import selectors, services
from households.imports.reading import MAX_BYTES
from households.imports.validation import validate_file
from households.models import ImportState

PHASES = {"read": "读取", "validate": "校验", "commit": "写入", "rules": "核查规则"}


class Command(BaseCommand):
    help = "Import households from an XLSX or CSV file (export or national filing layout), validated whole first."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the XLSX or CSV file")
        parser.add_argument("--region", required=True, help="12-digit code of the region the file's households lie in")
        parser.add_argument("--user", required=True, help="the importing user's name (their scope must hold the region)")
        parser.add_argument("--dry-run", action="store_true", help="validate and report; write nothing")

    def progress(self, done: int, total: int, phase: str) -> None:
        width = 30
        filled = width * done // total if total else width
        self.stderr.write(f"\r{PHASES.get(phase, phase)} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        if done >= total:
            self.stderr.write("")

    def handle(self, *args, file, region, user, dry_run, **options):
        try:
            account = get_user_model().objects.get(username=user, is_active=True)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"没有这个用户：{user}") from exc
        target = selectors.import_region(user=account, code=region)
        if target is None:
            raise CommandError(f"区划 {region} 不存在或不在 {user} 的管辖范围内")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"没有这个文件：{file}")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(f"文件太大，上限 {MAX_BYTES // 1024 // 1024} MB；请按乡镇或村分开导入")
        content = path.read_bytes()
        if dry_run:
            report = validate_file(content, filename=path.name, user=account, region=target, progress=self.progress).report
            self.summarise(report)
            if report["error_count"]:
                raise CommandError(f"{report['error_count']} 处错误（试运行，未写入）")
            self.stdout.write("校验通过（试运行，未写入）。")
            return
        imported = services.import_create(
            user=account, region=target, filename=path.name, content=content, progress=self.progress
        )
        self.summarise(imported.report)
        if imported.state != ImportState.VALIDATED:
            raise CommandError(f"{imported.report['error_count']} 处错误，未写入（导入 {imported.pk}）")
        imported = services.import_commit(user=account, import_=imported, progress=self.progress)
        if imported.state != ImportState.COMMITTED:
            self.summarise(imported.report)
            raise CommandError(f"再次校验未通过，未写入（导入 {imported.pk}）")
        self.stdout.write(f"已导入（导入 {imported.pk}）。")

    def summarise(self, report: dict) -> None:
        households, members = report["households"], report["members"]
        self.stdout.write(
            f"户：新建 {households['create']} 户，修改 {households['update']} 户，不变 {households['unchanged']} 户；"
            f"成员：新增 {members['create']} 人，修改 {members['update']} 人，不变 {members['unchanged']} 人"
        )
        for error in report["errors"]:
            where = f"第 {error['row']} 行" if error["row"] else "文件"
            column = f" {error['column']}列（{error['header']}）" if error["column"] else ""
            value = f" “{error['value']}”" if error["value"] else ""
            self.stderr.write(f"{where}{column}{value}：{error['reason']}")
        if report["error_count"] > len(report["errors"]):
            self.stderr.write(f"……另有 {report['error_count'] - len(report['errors'])} 处错误")
