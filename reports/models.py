"""Summaries kept for reuse (汇总缓存), exact by construction: a kept summary is served only while no write that its
database snapshot could not see has committed since.

Every statement that writes a table the summaries read (SOURCE_TABLES) marks its transaction in `WriteMark`
(a statement-level trigger, so bulk writes and raw SQL are marked too). The ledger's own tables are marked per
village instead (`RegionMark`, written by the flush that moves them; only a DELETE or TRUNCATE, rebuild_ledger,
marks them whole): a change in one township sets aside the kept copies of the regions containing it, not every copy.
A `KeptSummary` holds the summary of a region as of a day together with the snapshot (pg_snapshot) it was computed
in; it is valid while every marked transaction, and every transaction that marked a village inside the region, is
visible in that snapshot. Marks below `MarkHorizon.pruned_below` may be deleted; a kept summary whose snapshot
reaches below the horizon is treated as invalid, so pruning never makes a stale one look valid.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The tables a computed summary reads (reports.selectors.region_summary and the cadres and programs figures): the
# households' figures come from the ledger (LedgerKey, LedgerRow), which moves in the transaction of every register
# write that changes a figure, so a register write that changes none (a member's name) leaves kept copies valid.
SOURCE_TABLES = (
    "villages_region",
    "villages_villageprofile",
    "villages_villageyear",
    "cadres_workteam",
    "cadres_teammembership",
    "programs_cooperative",
    "reports_ledgerkey",
    "reports_ledgerrow",
    "reports_cadrerow",
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


class RegionMark(models.Model):
    """A transaction that moved the ledger's figures of a village (its id and the village's code), written by the
    ledger's flush at commit: a kept summary of a region is set aside only by the marks of villages inside it."""

    pk = models.CompositePrimaryKey("txid", "region")
    txid = models.BigIntegerField(_("事务号"))
    region = models.CharField(_("村代码"), max_length=12, db_collation="C")
    marked_at = models.DateTimeField(_("标记时间"))

    class Meta:
        verbose_name = _("村写入标记")
        verbose_name_plural = _("村写入标记")

    def __str__(self):
        return f"{self.txid} {self.region}"


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


# The ledger of dated aggregates (台账, docs/reports.md, The ledger) -------------------------------------------------------
#
# A household's figures as of a day (registry status, people, paired, industry coverage, cooperative, monitoring,
# benefits of the year) change only on the days its rows name. `HouseholdStep` keeps, per household, each day its
# figures change and the figures from that day on; `LedgerRow` keeps, per group of households (`LedgerKey`: the
# villages under a code prefix at one depth, registry status, main cause, attribute), the running totals of those
# figures from each day on. A summary of a region as of a day reads the latest row on or before the day of each
# key under the region at its children's depth: a number of rows that grows with keys, not with households.
# Database triggers keep both in the transaction of every write (migration 0004_ledger_sql); `manage.py
# rebuild_ledger` rebuilds them from the register, and reports.selectors.region_summary(source="register") still
# computes every figure from the register (the oracle the tests hold the ledger to).

LEDGER_DEPTHS = (4, 6, 9, 12)  # the children's prefix lengths: cities, counties, townships, villages
CADRE_DEPTHS = (2, 4, 6, 9, 12)  # a region's own prefix length: pairing cadres are counted for the region itself


class LedgerKey(models.Model):
    """A group of households counted together: those of the villages whose code starts with `region` (a prefix of
    `depth` digits) with this registry status (blank: no county decision yet), main cause and attribute."""

    region = models.CharField(_("区划代码前缀"), max_length=12, db_collation="C")
    depth = models.PositiveSmallIntegerField(_("层级位数"))
    status = models.CharField(_("贫困户状态"), max_length=16, blank=True)
    cause = models.CharField(_("主要致贫原因"), max_length=20, blank=True)
    attribute = models.CharField(_("贫困户属性"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("台账分组")
        verbose_name_plural = _("台账分组")
        constraints = [
            models.UniqueConstraint(fields=["depth", "region", "status", "cause", "attribute"], name="ledger_key_once")
        ]

    def __str__(self):
        return f"{self.region} {self.status or '-'} {self.cause or '-'} {self.attribute or '-'}"


class LedgerFigures(models.Model):
    """The figures a household contributes on a day, or a group's totals (abstract)."""

    people = models.BigIntegerField(_("人数"), default=0)
    paired = models.BigIntegerField(_("结对户"), default=0)
    covered = models.BigIntegerField(_("产业覆盖户"), default=0)
    cooperative = models.BigIntegerField(_("合作社户"), default=0)
    cooperative_people = models.BigIntegerField(_("合作社人数"), default=0)
    monitored = models.BigIntegerField(_("监测户"), default=0)
    monitored_people = models.BigIntegerField(_("监测人数"), default=0)
    benefited = models.BigIntegerField(_("受益户"), default=0)
    amount = models.DecimalField(_("帮扶金额"), max_digits=18, decimal_places=2, default=0)

    class Meta:
        abstract = True


class LedgerRow(LedgerFigures):
    """A group's totals from `day` on (until its next row)."""

    pk = models.CompositePrimaryKey("key_id", "day")
    # No constraint in the database: keys are never deleted but by a rebuild, and a checked key would queue a deferred
    # check for every row the ledger writes.
    key = models.ForeignKey(
        LedgerKey, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name=_("分组")
    )
    day = models.DateField(_("日期"))
    households = models.BigIntegerField(_("户数"), default=0)

    class Meta:
        verbose_name = _("台账行")
        verbose_name_plural = _("台账行")

    def __str__(self):
        return f"{self.key_id} @ {self.day}"


class CadreRow(models.Model):
    """How many cadres pair with households of the villages under `region` (a prefix of 2 to 12 digits) from `day` on
    (pairing cadres 结对帮扶干部: a cadre paired with several of them counts once)."""

    pk = models.CompositePrimaryKey("region", "day")
    region = models.CharField(_("区划代码前缀"), max_length=12, db_collation="C")
    day = models.DateField(_("日期"))
    cadres = models.BigIntegerField(_("结对干部"), default=0)

    class Meta:
        verbose_name = _("结对干部台账行")
        verbose_name_plural = _("结对干部台账行")

    def __str__(self):
        return f"{self.region} @ {self.day}: {self.cadres}"


class CadreStep(models.Model):
    """Whether a cadre pairs with a household under `region` from `day` on (until its next step)."""

    pk = models.CompositePrimaryKey("cadre", "region", "day")
    cadre = models.BigIntegerField(_("干部"))  # no foreign key, as HouseholdStep
    region = models.CharField(_("区划代码前缀"), max_length=12, db_collation="C")
    day = models.DateField(_("日期"))
    active = models.BooleanField(_("结对中"))

    class Meta:
        verbose_name = _("干部台账步")
        verbose_name_plural = _("干部台账步")

    def __str__(self):
        return f"{self.cadre} {self.region} @ {self.day}"


class HouseholdStep(LedgerFigures):
    """A household's figures from `day` on (until its next step), with the group it counts in."""

    pk = models.CompositePrimaryKey("household", "day")
    household = models.BigIntegerField(_("户"))  # no foreign key: a deleted household's steps are taken back first
    day = models.DateField(_("日期"))
    village = models.CharField(_("村"), max_length=12)
    status = models.CharField(_("贫困户状态"), max_length=16, blank=True)
    cause = models.CharField(_("主要致贫原因"), max_length=20, blank=True)
    attribute = models.CharField(_("贫困户属性"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("户台账步")
        verbose_name_plural = _("户台账步")

    def __str__(self):
        return f"{self.household} @ {self.day}"
