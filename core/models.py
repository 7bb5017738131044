"""Shared plumbing models: the base model, role grants, sign-in lock-out, personal-data reads."""

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.history import track_changes
from core.roles import Role
from core.validators import field_errors


class BaseModel(models.Model):
    """Every registry row: when it was made and changed, and a version that every UPDATE bumps.

    The version is the ETag of the row's detail response; a database trigger increments it, so
    bulk and raw-SQL updates make stale ETags too.
    """

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        abstract = True
        triggers = [
            pgtrigger.Trigger(
                name="bump_version",
                operation=pgtrigger.Update,
                when=pgtrigger.Before,
                func="NEW.version := OLD.version + 1; RETURN NEW;",
            )
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            # Mirror the trigger so the instance carries the version now in the database.
            self.version += 1
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        """Django's field checks, then free text and days (core.validators) for every entry path that
        cleans: services, the admin's forms, commands. Kept here rather than as field validators so no
        migration carries them and no field can be forgotten."""
        exclude = set(exclude or ())
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for name, messages in field_errors(self, exclude | set(errors)).items():
            errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)


@track_changes()
class RoleGrant(BaseModel):
    """A role held over a region's whole subtree (角色授权)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("用户")
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        "villages.Region", on_delete=models.PROTECT, related_name="role_grants", verbose_name=_("区划")
    )

    scope_field = "region__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        ordering = ["user_id", "role", "region_id"]
        constraints = [models.UniqueConstraint(fields=["user", "role", "region"], name="unique_role_grant")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.region_id}"


class SignInLock(models.Model):
    """Failed sign-ins for one user name from one client address (登录失败锁定).

    Enough of them lock the name for that address only; the row whose address is ALL_ADDRESSES
    counts the name's failures from everywhere and holds the name back briefly when too many come.
    Rows are kept for names that do not exist too, so a locked name never tells whether it exists.
    """

    ALL_ADDRESSES = "*"

    username = models.CharField(_("用户名"), max_length=150)
    address = models.CharField(_("客户端地址"), max_length=100)
    failures = models.PositiveIntegerField(_("失败次数"), default=0)
    window_started_at = models.DateTimeField(_("计数开始"), null=True)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录锁定")
        verbose_name_plural = _("登录锁定")
        constraints = [models.UniqueConstraint(fields=["username", "address"], name="unique_sign_in_lock")]

    def __str__(self):
        return f"{self.username} · {self.address}"


class ApiToken(models.Model):
    """An API token (接口令牌): only its SHA-256 is stored; the token itself is shown once, when made.

    It expires, its owner can delete it (log out), and every token of a user goes when the user's
    password changes (a database trigger on auth_user, see migration 0004).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("用户")
    )
    digest = models.CharField(_("摘要"), max_length=64, unique=True, editable=False)
    name = models.CharField(_("名称"), max_length=100, blank=True)
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"), db_index=True)
    # Requests per window (JINGZHUN_API_RATE_WINDOW seconds) for this token; empty: JINGZHUN_API_RATE_LIMIT.
    rate_limit = models.PositiveIntegerField(_("访问频率上限"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.user} · {self.name or self.digest[:8]}"


class ApiRateCounter(models.Model):
    """Requests of a token in its current window (访问计数): one row per token, counted by core_rate_hit() in the very
    query that authenticates the token (core.api.authentication), so counting costs no query of its own."""

    token = models.OneToOneField(ApiToken, on_delete=models.CASCADE, primary_key=True, related_name="+")
    window_start = models.BigIntegerField(_("窗口起点"))  # seconds since the epoch, a multiple of the window
    hits = models.PositiveIntegerField(_("请求数"), default=0)

    class Meta:
        verbose_name = _("访问计数")
        verbose_name_plural = _("访问计数")

    def __str__(self):
        return f"{self.token_id}: {self.hits}"


class PersonalDataAccess(models.Model):
    """A read of full personal data (查看完整个人信息): who saw which records' ID numbers or accounts, when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("用户")
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    path = models.CharField(_("路径"), max_length=300, blank=True)
    model = models.CharField(_("数据类型"), max_length=64)
    object_ids = ArrayField(models.BigIntegerField(), verbose_name=_("记录"))
    fields = ArrayField(models.CharField(max_length=64), verbose_name=_("字段"))
    # The smallest region holding every record read (a village, or a township or county for a wider read or an
    # export): the county office reviews and filters the reads by it. Blank for rows written before it existed.
    region = models.CharField(_("区划代码"), max_length=12, blank=True, db_index=True)
    # How many records were read in full: len(object_ids) for records, 0 for an export (its rows are not counted).
    records = models.PositiveIntegerField(_("记录数"), default=0)

    class Meta:
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        ordering = ["-at"]
        indexes = [
            GinIndex(fields=["object_ids"], name="personal_access_objects"),
            models.Index(fields=["user", "at"], name="personal_access_user_at"),
        ]

    def __str__(self):
        return f"{self.user_id} · {self.model} · {self.at:%Y-%m-%d %H:%M}"


class PersonalDataDay(models.Model):
    """One user's full reads of one day (个人信息日查阅量): the records read in full, the lowest and highest region
    code they were read in, and the township-or-wider regions exported that day. Kept by a database trigger on
    PersonalDataAccess (migration core 0010: every insert, update and delete of the log, whoever writes it), so that
    raising the alerts reads a few rows per user and day instead of summing the month's log."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("用户")
    )
    day = models.DateField(_("日期"))  # in settings.TIME_ZONE, as the trigger computes it
    records = models.PositiveIntegerField(_("记录数"), default=0)
    # The lowest and highest region code of the day's reads of records: their common prefix is the smallest region
    # holding every read (core.regions.smallest_common_region). NULL, not "", when the day has exports only: a
    # blank region is a read logged before reads named theirs, and LEAST/GREATEST in the trigger skip NULLs only.
    first_region = models.CharField(_("最小区划代码"), max_length=12, null=True, blank=True)  # noqa: DJ001
    last_region = models.CharField(_("最大区划代码"), max_length=12, null=True, blank=True)  # noqa: DJ001
    wide_exports = ArrayField(
        models.CharField(max_length=12), default=list, blank=True, verbose_name=_("导出的乡镇或更大范围")
    )

    class Meta:
        verbose_name = _("个人信息日查阅量")
        verbose_name_plural = _("个人信息日查阅量")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="personal_day_once")]
        indexes = [models.Index(fields=["day"], name="personal_day_day")]

    def __str__(self):
        return f"{self.user_id} · {self.day} · {self.records}"


class PersonalDataAlert(models.Model):
    """An unusual read of personal data for the county office to look at (个人信息查阅提醒): one user read more full
    records in a day than the threshold, or exported a whole township or more. Closed with a note, never deleted."""

    class Kind(models.TextChoices):
        MANY_READS = "many_reads", _("单日查阅完整个人信息超过阈值")
        WIDE_EXPORT = "wide_export", _("导出整个乡镇或更大范围的完整个人信息")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("用户")
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    day = models.DateField(_("日期"))
    region = models.CharField(_("区划代码"), max_length=12, db_index=True)
    records = models.PositiveIntegerField(_("记录数"), default=0)
    raised_at = models.DateTimeField(_("提醒时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("处理人"),
    )  # fmt: skip
    note = models.TextField(_("处理说明"), blank=True)

    class Meta:
        verbose_name = _("个人信息查阅提醒")
        verbose_name_plural = _("个人信息查阅提醒")
        ordering = ["-raised_at"]
        constraints = [
            # One alert per user, day, kind and region: a second export of the same township that day adds nothing.
            models.UniqueConstraint(fields=["user", "day", "kind", "region"], name="personal_alert_once"),
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True, closed_by__isnull=True)
                | models.Q(closed_at__isnull=False, closed_by__isnull=False),
                name="personal_alert_closed_by_someone",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} · {self.kind} · {self.day}"


@track_changes()
class AccountState(BaseModel):
    """What the county office set on an account (账号状态): a password to change at the next sign-in, a disabling.

    Django's user row holds the password and `is_active`; this row, recorded by the history triggers with the acting
    user, says who reset or disabled the account and when (the user row itself is not tracked: it holds the hash).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_state", verbose_name=_("用户")
    )
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)
    disabled = models.BooleanField(_("已停用"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("操作人"),
    )  # fmt: skip
    last_change = models.CharField(_("最近操作"), max_length=32, blank=True)

    class Meta(BaseModel.Meta):
        verbose_name = _("账号状态")
        verbose_name_plural = _("账号状态")

    def __str__(self):
        return str(self.user)


class Job(models.Model):
    """A piece of long work run by a worker outside the request (后台任务): an import, a large export, a rules run.

    The queue's transport is django-tasks' database backend (docs/architecture.md, "Jobs"); this row is what people
    follow: who started it, in which region, how far it is (done of total, the phase), its result or its error in
    words. Written by core.jobs only.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("任务类型"), max_length=64)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("发起人")
    )
    # The region the job works on: the county office follows every job of its county. None: no region.
    region = models.ForeignKey(
        "villages.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("区划")
    )
    params = models.JSONField(_("参数"), default=dict, blank=True)
    state = models.CharField(_("状态"), max_length=8, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总数"), null=True, blank=True)
    phase = models.CharField(_("阶段"), max_length=100, blank=True)
    result = models.JSONField(_("结果"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("运行次数"), default=0)
    task_id = models.CharField(_("队列编号"), max_length=64, blank=True)  # django-tasks' result id
    worker = models.CharField(_("工作进程"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("心跳时间"), null=True, blank=True)

    scope_field = "region__code"

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["started_by", "-created_at"], name="job_starter_created"),
            models.Index(fields=["state", "heartbeat_at"], name="job_state_heartbeat"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["queued", "running", "done", "failed"]), name="job_state_known"
            ),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk} · {self.state}"

    def progress(self, done: int, total: int | None = None, phase: str | None = None) -> None:
        """Say how far the job is: `done` of `total` (None: unknown or unchanged), in `phase` (a few words shown on
        /jobs/). Cheap: kept in memory and written by the runner's heartbeat (core.jobs) about once a second, on
        its own connection, so it shows even while the job's own transaction is open."""
        self.done = max(int(done), 0)
        if total is not None:
            self.total = max(int(total), 0)
        if phase is not None:
            self.phase = str(phase)[:100]
        tracker = getattr(self, "_tracker", None)
        if tracker is not None:
            tracker.changed()

    @property
    def percent(self) -> int | None:
        """How far, as a whole percentage (None while the total is unknown); 100 once done."""
        if self.state == self.State.DONE:
            return 100
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)
