"""Summaries kept for reuse (汇总缓存), exact by construction: a kept summary is served only while no write that its
database snapshot could not see has committed since.

Every statement that writes a table the summaries read (SOURCE_TABLES) marks its transaction in `WriteMark`
(a statement-level trigger, so bulk writes and raw SQL are marked too). A `KeptSummary` holds the summary of a
region as of a day together with the snapshot (pg_snapshot) it was computed in; it is valid while every marked
transaction is visible in that snapshot. Marks below `MarkHorizon.pruned_below` may be deleted; a kept summary
whose snapshot reaches below the horizon is treated as invalid, so pruning never makes a stale one look valid.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The tables whose rows the summaries count (reports.selectors.region_summary and the cadres and programs figures).
SOURCE_TABLES = (
    "villages_region",
    "villages_villageprofile",
    "villages_villageyear",
    "households_household",
    "households_member",
    "households_statuschange",
    "households_monitoringchange",
    "cadres_workteam",
    "cadres_teammembership",
    "cadres_pairing",
    "programs_program",
    "programs_benefit",
    "programs_cooperative",
    "programs_cooperativemembership",
)


class KeptSummary(models.Model):
    """The summary of a region as of a day, with the database snapshot it was read in."""

    code = models.CharField(_("区划代码"), max_length=12)
    as_of = models.DateField(_("统计日期"))
    payload = models.TextField(_("汇总"))  # JSON text: json keeps the order of the keys, jsonb would not
    snapshot = models.TextField(_("数据库快照"))  # pg_snapshot as text: xmin:xmax:xip,…
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    class Meta:
        verbose_name = _("汇总缓存")
        verbose_name_plural = _("汇总缓存")
        constraints = [models.UniqueConstraint(fields=["code", "as_of"], name="kept_summary_once")]

    def __str__(self):
        return f"{self.code} @ {self.as_of}"


class WriteMark(models.Model):
    """A transaction that wrote a source table (its id, pg_current_xact_id), written by the trigger."""

    txid = models.BigIntegerField(_("事务号"), primary_key=True)
    marked_at = models.DateTimeField(_("标记时间"))

    class Meta:
        verbose_name = _("写入标记")
        verbose_name_plural = _("写入标记")

    def __str__(self):
        return str(self.txid)


class MarkHorizon(models.Model):
    """The one row saying below which transaction id marks may have been deleted."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    pruned_below = models.BigIntegerField(_("已清理至"), default=0)

    class Meta:
        verbose_name = _("标记清理位置")
        verbose_name_plural = _("标记清理位置")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="mark_horizon_one_row")]

    def __str__(self):
        return str(self.pruned_below)


class ChangeKind(models.TextChoices):
    STATUS_CHANGE = "status_change", _("状态变更")
    MEMBERS_JOINED = "members_joined", _("成员增加")
    MEMBERS_LEFT = "members_left", _("成员减少")
    VILLAGE_EXIT = "village_exit", _("贫困村出列")
    BENEFIT = "benefit", _("帮扶")


class ChangeEvent(models.Model):
    """A de-identified event of the change feed (变动流, GET /api/v1/changes/), written by database triggers in the
    transaction that made the change (migration 0002), so bulk writes, the admin and imports are in it too.

    `txid` is that transaction's id. The feed hands out only events of transactions older than every transaction
    still running (txid below the reading snapshot's xmin), in (txid, id) order: once handed out, nothing can
    appear before a position, so a cursor never skips an event committed late by a long transaction (docs/api.md,
    Change feed). No names, ID numbers or people: household numbers, village codes, counts and amounts.
    """

    txid = models.BigIntegerField(_("事务号"))
    kind = models.CharField(_("类型"), max_length=16, choices=ChangeKind.choices)
    village = models.CharField(_("村"), max_length=12)  # a village code; scope by prefix
    household = models.CharField(_("户编号"), max_length=20, blank=True)
    data = models.JSONField(_("内容"), default=dict)
    recorded_at = models.DateTimeField(_("记录时间"))

    scope_field = "village"

    class Meta:
        verbose_name = _("变动事件")
        verbose_name_plural = _("变动事件")
        indexes = [models.Index(fields=["txid", "id"], name="change_event_position")]

    def __str__(self):
        return f"{self.kind} {self.village} ({self.txid}.{self.pk})"
