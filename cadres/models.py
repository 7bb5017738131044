"""Who helps (帮扶力量): units, cadres, village work teams, pairings with households, and visits."""

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cadres import choices as c
from core.history import track_changes
from core.models import BaseModel
from core.ranges import period, same
from households.choices import Sex


@track_changes()
class Unit(BaseModel):
    """A unit that sends cadres and helps (帮扶单位): a department, an enterprise, a township office."""

    name = models.CharField(_("单位名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=c.UnitLevel.choices)
    region = models.ForeignKey(
        "villages.Region", on_delete=models.PROTECT, related_name="units", verbose_name=_("所在区划")
    )

    scope_field = "region__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("帮扶单位")
        verbose_name_plural = _("帮扶单位")
        ordering = ["region_id", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unit_unique_name_in_region")]

    def __str__(self):
        return self.name


@track_changes()
class Cadre(BaseModel):
    """A cadre (干部) who serves in a work team or is paired with households; may be linked to a login."""

    name = models.CharField(_("姓名"), max_length=50)
    sex = models.CharField(_("性别"), max_length=8, choices=Sex.choices)
    id_number = models.CharField(_("证件号码"), max_length=20)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cadres", verbose_name=_("所在单位"))
    title = models.CharField(_("职务"), max_length=50, blank=True)
    # The county (or narrower region) the cadre works in: scope of the cadre's record.
    region = models.ForeignKey(
        "villages.Region", on_delete=models.PROTECT, related_name="cadres", verbose_name=_("帮扶区划")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cadre",
        verbose_name=_("登录账号"),
    )

    scope_field = "region__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("干部")
        verbose_name_plural = _("干部")
        ordering = ["region_id", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["id_number"], name="cadre_unique_id_number")]

    def __str__(self):
        return self.name


@track_changes()
class WorkTeam(BaseModel):
    """A village work team (驻村工作队) sent by a unit for a term."""

    village = models.ForeignKey(
        "villages.Region",
        on_delete=models.PROTECT,
        related_name="work_teams",
        verbose_name=_("驻村"),
        limit_choices_to={"level": "village"},
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="work_teams", verbose_name=_("派出单位"))
    starts_on = models.DateField(_("派驻开始"))
    ends_on = models.DateField(_("派驻结束"), null=True, blank=True)

    scope_field = "village__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("工作队")
        verbose_name_plural = _("工作队")
        ordering = ["village_id", "-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")), name="work_team_period"
            ),
        ]

    def __str__(self):
        return f"{self.village_id} · {self.starts_on}"


@track_changes()
class TeamMembership(BaseModel):
    """A cadre's place in a work team (工作队成员): role, period and whether resident in the village (驻村)."""

    team = models.ForeignKey(WorkTeam, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("工作队"))
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("干部"))
    role = models.CharField(_("职务"), max_length=16, choices=c.TeamRole.choices, default=c.TeamRole.MEMBER)
    resident = models.BooleanField(_("驻村"), default=True)
    starts_on = models.DateField(_("开始"))
    ends_on = models.DateField(_("结束"), null=True, blank=True)

    scope_field = "team__village__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("工作队成员")
        verbose_name_plural = _("工作队成员")
        ordering = ["team_id", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")), name="team_membership_period"
            ),
            ExclusionConstraint(
                name="team_membership_no_overlap",
                expressions=[
                    (same("team"), RangeOperators.OVERLAPS),
                    (same("cadre"), RangeOperators.OVERLAPS),
                    (period("starts_on", "ends_on"), RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self):
        return f"{self.cadre_id} · {self.get_role_display()}"


@track_changes()
class Pairing(BaseModel):
    """A cadre paired with a household (结对帮扶/包保) from a start to an end; the cadre's portfolio."""

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="pairings", verbose_name=_("干部"))
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="pairings", verbose_name=_("户")
    )
    starts_on = models.DateField(_("开始"))
    ends_on = models.DateField(_("结束"), null=True, blank=True)

    scope_field = "household__village__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("结对帮扶")
        verbose_name_plural = _("结对帮扶")
        ordering = ["household_id", "starts_on", "id"]
        indexes = [models.Index(fields=["household", "ends_on"], name="pairing_household_end")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")), name="pairing_period"
            ),
            # One cadre is paired with one household at most once at a time.
            ExclusionConstraint(
                name="pairing_no_overlap",
                expressions=[
                    (same("cadre"), RangeOperators.OVERLAPS),
                    (same("household"), RangeOperators.OVERLAPS),
                    (period("starts_on", "ends_on"), RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self):
        return f"{self.cadre_id} ↔ {self.household_id}"


@track_changes()
class Visit(BaseModel):
    """A visit to a household by a cadre (走访记录): what was found, what was agreed, whether the household confirms."""

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="visits", verbose_name=_("干部"))
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="visits", verbose_name=_("户")
    )
    date = models.DateField(_("走访日期"))
    kind = models.CharField(_("走访方式"), max_length=8, choices=c.VisitKind.choices, default=c.VisitKind.HOME)
    found = models.TextField(_("了解情况"), blank=True)
    agreed = models.TextField(_("商定措施"), blank=True)
    confirmed = models.BooleanField(_("农户确认"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("登记人"),
    )  # fmt: skip

    scope_field = "household__village__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["household_id", "-date", "id"]
        indexes = [models.Index(fields=["household", "-date"], name="visit_household_date")]

    def __str__(self):
        return f"{self.cadre_id} → {self.household_id} ({self.date})"
