"""The register (建档立卡): households, their members, annual records, and the policy standards."""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.history import track_changes
from core.models import BaseModel
from core.validators import normalise_bank_account, validate_bank_account
from households import choices as c

MONEY = {"max_digits": 14, "decimal_places": 2}


def money(label, **kwargs):
    return models.DecimalField(label, default=Decimal("0.00"), validators=[MinValueValidator(0)], **MONEY, **kwargs)


def optional_amount(label, *, max_digits=10):
    """An optional non-negative quantity (land in mu, a distance in km, a cost in yuan): null = not entered."""
    return models.DecimalField(
        label, max_digits=max_digits, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )


def flag(label):
    """A yes/no fact that may not be entered yet: null is unknown, never read as no."""
    return models.BooleanField(label, null=True, blank=True, default=None)


class HouseholdNumberSequence(models.Model):
    """The last household sequence number used in a village (户编号序列); locked while a number is drawn."""

    village = models.OneToOneField("villages.Region", on_delete=models.CASCADE, primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.village_id}: {self.last}"


@track_changes()
class Household(BaseModel):
    """A household in the register (贫困户), with its facts; its registry status lives in the lifecycle."""

    number = models.CharField(_("户编号"), max_length=20, unique=True, editable=False)
    village = models.ForeignKey(
        "villages.Region",
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("行政村"),
        limit_choices_to={"level": "village"},
    )
    villager_group = models.ForeignKey(
        "villages.VillagerGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        verbose_name=_("村民小组"),
    )
    address = models.CharField(_("住址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    identification_standard = models.CharField(
        _("识别标准"), max_length=16, choices=c.IdentificationStandard.choices, default=c.IdentificationStandard.NATIONAL
    )
    # Blank for a rural household never registered (一般农户: a 漏评 sample, a monitoring object); required
    # once the household is registered (household_registered_has_attribute_and_cause).
    attribute = models.CharField(_("贫困户属性"), max_length=16, choices=c.HouseholdAttribute.choices, blank=True)
    main_cause = models.CharField(_("主要致贫原因"), max_length=20, choices=c.PovertyCause.choices, blank=True)
    other_causes = ArrayField(
        models.CharField(max_length=20, choices=c.PovertyCause.choices),
        verbose_name=_("其他致贫原因"),
        default=list,
        blank=True,
        size=2,
    )
    stars = models.PositiveSmallIntegerField(_("星级"), choices=c.Stars.choices, null=True, blank=True)
    relocated = models.BooleanField(_("易地扶贫搬迁"), default=False)
    relocation_mode = models.CharField(_("搬迁方式"), max_length=24, choices=c.RelocationMode.choices, blank=True)
    relocation_placement = models.CharField(
        _("安置方式"), max_length=16, choices=c.RelocationPlacement.choices, blank=True
    )
    relocation_site = models.CharField(_("安置地点"), max_length=16, choices=c.RelocationSite.choices, blank=True)
    bank_name = models.CharField(_("开户银行"), max_length=60, blank=True)
    bank_account = models.CharField(_("银行账号"), max_length=32, blank=True)
    # Land and living conditions of the county's form (all optional; null = not entered).
    cultivated_land = optional_amount(_("耕地面积（亩）"))
    irrigated_land = optional_amount(_("有效灌溉面积（亩）"))
    forest_land = optional_amount(_("林地面积（亩）"))
    returned_farmland = optional_amount(_("退耕还林面积（亩）"))
    road_type = models.CharField(_("入户路类型"), max_length=16, choices=c.RoadType.choices, blank=True)
    main_fuel = models.CharField(_("主要燃料类型"), max_length=16, choices=c.Fuel.choices, blank=True)
    road_distance = optional_amount(_("距村主干路距离（公里）"), max_digits=6)
    production_electricity = flag(_("通生产用电"))
    military_family = flag(_("军烈属"))
    only_child_family = flag(_("独生子女户"))
    two_daughters_family = flag(_("双女户"))
    # The current registry status, kept by the lifecycle services from the status changes (the
    # episodes are the truth; this copy serves filters and lists). Never edited by hand.
    status = models.CharField(
        _("登记状态"), max_length=16, choices=c.RegistryStatus.choices, blank=True, editable=False, db_index=True
    )
    returned = models.BooleanField(_("返贫"), default=False, editable=False)
    monitoring_status = models.CharField(
        _("监测状态"), max_length=16, choices=c.MonitoringStatus.choices, blank=True, editable=False
    )

    scope_field = "village__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("贫困户")
        verbose_name_plural = _("贫困户")
        ordering = ["number"]
        indexes = [
            models.Index(fields=["village", "number"], name="household_village_number"),
            models.Index(fields=["main_cause"], name="household_main_cause"),
            models.Index(fields=["attribute"], name="household_attribute"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(other_causes__contains=[models.F("main_cause")]), name="household_other_causes_not_main"
            ),
            models.CheckConstraint(condition=Q(other_causes__len__lte=2), name="household_at_most_two_other_causes"),
            models.CheckConstraint(condition=Q(stars__isnull=True) | Q(stars__in=[1, 2, 3]), name="household_stars"),
            # 户编号 = the village's code + a 4-digit sequence (services.household_number_next), and a household never
            # changes village: the lists read a region's households as a range of numbers (selectors.number_in_prefixes).
            models.CheckConstraint(
                condition=Q(number__startswith=models.F("village_id")), name="household_number_in_village"
            ),
            models.CheckConstraint(
                condition=Q(relocated=True)
                | Q(relocation_mode="", relocation_placement="", relocation_site=""),
                name="household_relocation_only_when_relocated",
            ),
            # A registered household (poor, exited or closed) has its poverty attribute and main cause.
            models.CheckConstraint(
                condition=~Q(status__in=sorted(c.REGISTERED_STATUSES)) | (~Q(attribute="") & ~Q(main_cause="")),
                name="household_registered_has_attribute_and_cause",
                violation_error_code="attribute_required",
                violation_error_message=_("已建档立卡的户须填写贫困户属性和主要致贫原因"),
            ),
        ]

    def __str__(self):
        return self.number

    def clean(self):
        """The bank account as digits: spaces people type between groups are dropped, anything else refused."""
        super().clean()
        if self.bank_account:
            try:
                validate_bank_account(self.bank_account)
            except ValidationError as exc:
                raise ValidationError({"bank_account": [exc]}) from exc
            self.bank_account = normalise_bank_account(self.bank_account)


class MemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(left_on__isnull=True)

    def heads(self):
        """The active heads of household (户主): one per household at most (member_one_active_head)."""
        return self.active().filter(relation=c.Relation.HEAD)

    def active_on(self, day):
        """Members of their household on that day (joined on or before it, not yet left)."""
        return self.filter(Q(joined_on__isnull=True) | Q(joined_on__lte=day)).filter(
            Q(left_on__isnull=True) | Q(left_on__gt=day)
        )


@track_changes()
class Member(BaseModel):
    """A person in a household (家庭成员); kept for ever once registered, leaving is a date and a reason."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members", verbose_name=_("户"))
    name = models.CharField(_("姓名"), max_length=50)
    id_type = models.CharField(_("证件类型"), max_length=16, choices=c.IdType.choices, default=c.IdType.RESIDENT_ID)
    id_number = models.CharField(_("证件号码"), max_length=20)
    # The person behind the document: a resident ID number, also for a disability certificate (its
    # first 18 characters), so that one person cannot be registered twice under two documents.
    person_number = models.CharField(_("身份号码"), max_length=20, editable=False)
    sex = models.CharField(_("性别"), max_length=8, choices=c.Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    relation = models.CharField(_("与户主关系"), max_length=2, choices=c.Relation.choices)
    ethnicity = models.CharField(_("民族"), max_length=16, choices=c.Ethnicity.choices, default=c.Ethnicity.HAN)
    education = models.CharField(_("文化程度"), max_length=16, choices=c.Education.choices, blank=True)
    school_status = models.CharField(
        _("在校生状况"), max_length=24, choices=c.SchoolStatus.choices, default=c.SchoolStatus.NOT_IN_SCHOOL
    )
    dropout = flag(_("失学辍学"))
    dropout_reason = models.CharField(_("辍学原因"), max_length=24, choices=c.DropoutReason.choices, blank=True)
    health = models.CharField(_("健康状况"), max_length=16, choices=c.Health.choices, default=c.Health.HEALTHY)
    disability_category = models.CharField(
        _("残疾类别"), max_length=16, choices=c.DisabilityCategory.choices, blank=True
    )
    disability_grade = models.PositiveSmallIntegerField(
        _("残疾等级"), choices=c.DisabilityGrade.choices, null=True, blank=True
    )
    labour = models.CharField(_("劳动能力"), max_length=16, choices=c.Labour.choices)
    migrant_work = models.CharField(_("务工状况"), max_length=16, choices=c.MigrantWork.choices, default=c.MigrantWork.NONE)
    migrant_months = models.PositiveSmallIntegerField(
        _("务工时间（月）"), default=0, validators=[MaxValueValidator(12)]
    )
    # Insurance flags: null = not entered yet (the evaluation says missing, not fail).
    medical_insurance = flag(_("参加城乡居民基本医疗保险"))
    employee_medical_insurance = flag(_("参加城镇职工基本医疗保险"))
    serious_illness_insurance = flag(_("参加大病保险"))
    pension_insurance = flag(_("参加城乡居民基本养老保险"))
    employee_pension_insurance = flag(_("参加城镇职工基本养老保险"))
    commercial_insurance = flag(_("参加商业补充保险"))
    serious_illness_assistance = flag(_("享受大病医疗救助"))
    active_service = flag(_("现役军人"))
    workplace = models.CharField(_("务工地点或企业"), max_length=100, blank=True)
    welfare_post = models.CharField(_("公益岗位类型"), max_length=16, choices=c.WelfarePost.choices, blank=True)
    welfare_post_months = models.PositiveSmallIntegerField(
        _("公益岗位时间（月）"), null=True, blank=True, validators=[MaxValueValidator(12)]
    )
    receives_dibao = models.BooleanField(_("享受低保"), default=False)
    receives_tekun = models.BooleanField(_("享受特困供养"), default=False)
    joined_on = models.DateField(_("加入日期"), null=True, blank=True)
    join_reason = models.CharField(
        _("加入原因"), max_length=16, choices=c.JoinReason.choices, default=c.JoinReason.REGISTRATION
    )
    left_on = models.DateField(_("减少日期"), null=True, blank=True)
    left_reason = models.CharField(_("减少原因"), max_length=16, choices=c.LeftReason.choices, blank=True)
    # Set when the retention period after leaving ran out (保存期限): name, ID number and workplace minimised, in the
    # history too; everything the figures count (sex, birth date, relation, dates, statuses) kept.
    minimised_on = models.DateField(_("个人信息最小化日期"), null=True, blank=True, editable=False)

    objects = MemberQuerySet.as_manager()

    scope_field = "household__village__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        ordering = ["household_id", "relation", "birth_date", "id"]
        constraints = [
            # ID-2: one person is an active member of at most one household in the whole register.
            models.UniqueConstraint(
                fields=["person_number"], condition=Q(left_on__isnull=True), name="member_unique_active_person"
            ),
            # HH-1 (the part a constraint can hold): at most one active head per household.
            models.UniqueConstraint(
                fields=["household"], condition=Q(relation=c.Relation.HEAD, left_on__isnull=True), name="member_one_active_head"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True, left_reason="") | (Q(left_on__isnull=False) & ~Q(left_reason="")),
                name="member_left_on_with_reason",
            ),
            models.CheckConstraint(condition=Q(migrant_months__lte=12), name="member_migrant_months_0_12"),
            models.CheckConstraint(
                condition=Q(welfare_post_months__isnull=True) | Q(welfare_post_months__lte=12),
                name="member_welfare_post_months_0_12",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="member_left_after_joined",
            ),
        ]
        indexes = [models.Index(fields=["person_number"], name="member_person_number")]

    def __str__(self):
        return f"{self.name} ({self.get_relation_display()})"

    @property
    def active(self) -> bool:
        return self.left_on is None


@track_changes()
class AnnualRecord(BaseModel):
    """A household's income and living conditions for one year (年度信息); the eligibility checks read it.

    Net and per-capita income are derived by the code (households.rules) whenever the record or
    the household's members change; nobody types them in.
    """

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="annual_records", verbose_name=_("户")
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2013), MaxValueValidator(2100)])
    wages = money(_("工资性收入"))
    business_income = money(_("生产经营性收入"))
    business_cost = money(_("生产经营性支出"))
    property_income = money(_("财产性收入"))
    dibao = money(_("低保金"))
    tekun = money(_("特困供养金"))
    pension = money(_("养老金"))
    eco_compensation = money(_("生态补偿金"))
    family_planning = money(_("计划生育金"))
    other_transfer = money(_("其他转移性收入"))
    uncounted_income = money(
        _("不计入稳定收入的收入"), help_text=_("一次性救助、捐赠、借贷、医疗报销等，不计入脱贫收入")
    )
    # Derived (read-only).
    transfer_income = models.DecimalField(_("转移性收入"), default=Decimal("0.00"), editable=False, **MONEY)
    net_income = models.DecimalField(_("纯收入"), default=Decimal("0.00"), editable=False, **MONEY)
    members_counted = models.PositiveSmallIntegerField(_("年末人口"), default=0, editable=False)
    per_capita_income = models.DecimalField(_("人均纯收入"), null=True, editable=False, **MONEY)
    # Living conditions (两不愁三保障); None means not recorded yet.
    food_secure = models.BooleanField(_("不愁吃"), null=True, blank=True)
    clothing_secure = models.BooleanField(_("不愁穿"), null=True, blank=True)
    housing_grade = models.CharField(_("住房安全等级"), max_length=1, choices=c.HousingGrade.choices, blank=True)
    renovation_year = models.PositiveSmallIntegerField(_("危房改造年度"), null=True, blank=True)
    relocation_done = models.BooleanField(_("已搬迁入住"), default=False)
    water_safe = models.BooleanField(_("饮水安全"), null=True, blank=True)
    water_access_ok = models.BooleanField(_("取水方便"), null=True, blank=True)
    electricity = models.BooleanField(_("通生活用电"), null=True, blank=True)
    sanitary_toilet = models.BooleanField(_("卫生厕所"), null=True, blank=True)
    house_area = models.DecimalField(
        _("住房面积（平方米）"), max_digits=8, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    # Rigid expenses 刚性支出 of the year (yuan, after reimbursement); the monitoring inclusion test reads them.
    medical_expense = optional_amount(_("自付医疗费用"), max_digits=14)
    schooling_expense = optional_amount(_("自付教育费用"), max_digits=14)

    scope_field = "household__village__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("年度信息")
        verbose_name_plural = _("年度信息")
        ordering = ["household_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="annual_record_one_per_year"),
            models.CheckConstraint(condition=Q(year__gte=2013, year__lte=2100), name="annual_record_year"),
        ]

    def __str__(self):
        return f"{self.household_id} · {self.year}"


@track_changes()
class PolicyStandard(BaseModel):
    """Yearly policy parameters for a region (政策标准); the most specific region wins, no region = nationwide."""

    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2013), MaxValueValidator(2100)])
    region = models.ForeignKey(
        "villages.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policy_standards",
        verbose_name=_("适用区划"),
        help_text=_("留空表示全国默认"),
    )
    poverty_line = models.DecimalField(
        _("贫困线（元/人·年）"), null=True, blank=True, validators=[MinValueValidator(0)], **MONEY
    )
    monitoring_line = models.DecimalField(
        _("监测线（元/人·年）"), null=True, blank=True, validators=[MinValueValidator(0)], **MONEY
    )
    village_exit_threshold = models.DecimalField(
        _("贫困村出列贫困发生率上限"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.0200"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    # 村集体经济收入 minimum for village exit (贫困村出列): the village's collective income must be above it.
    village_collective_income_min = models.DecimalField(
        _("贫困村出列村集体经济收入下限（元）"), default=Decimal("0"), validators=[MinValueValidator(0)], **MONEY
    )
    notice_days = models.PositiveSmallIntegerField(_("公示天数"), default=7, validators=[MinValueValidator(1)])
    objection_days = models.PositiveSmallIntegerField(_("异议处理天数"), default=7, validators=[MinValueValidator(1)])
    # Which identification standard (识别标准) the row's lines belong to: a household identified under a provincial
    # standard is measured against a provincial row of its province where one exists, else the national one.
    kind = models.CharField(
        _("标准类别"), max_length=16, choices=c.IdentificationStandard.choices, default=c.IdentificationStandard.NATIONAL
    )

    scope_field = "region__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("政策标准")
        verbose_name_plural = _("政策标准")
        ordering = ["year", "region_id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "region", "kind"], name="standard_one_per_year_region_kind"),
            models.UniqueConstraint(
                fields=["year"], condition=Q(region__isnull=True), name="standard_one_national_per_year"
            ),
            # The nationwide row is the national standard; provincial and municipal rows belong to a region.
            models.CheckConstraint(
                condition=Q(region__isnull=False) | Q(kind="national"), name="standard_nationwide_is_national"
            ),
        ]

    def __str__(self):
        return f"{self.year} · {self.region_id or _('全国')} · {self.get_kind_display()}"


class ImportState(models.TextChoices):
    """导入状态"""

    PENDING = "pending", _("校验中")
    VALIDATED = "validated", _("已校验，待确认")
    FAILED = "failed", _("有错误，未导入")
    COMMITTED = "committed", _("已导入")


class Import(BaseModel):
    """A spreadsheet brought into the register (导入): the file as uploaded, its validation report, and whether it
    was written. Only a file validated without errors is committed, once, all or nothing."""

    region = models.ForeignKey(
        "villages.Region", on_delete=models.PROTECT, related_name="imports", verbose_name=_("导入区划")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="imports", verbose_name=_("导入人")
    )
    filename = models.CharField(_("文件名"), max_length=200)
    # The file itself, kept for the error download and the commit (a few MB; the upload limit bounds it).
    content = models.BinaryField(_("文件内容"), editable=False)
    state = models.CharField(_("状态"), max_length=16, choices=ImportState.choices, db_index=True)
    report = models.JSONField(_("校验报告"), default=dict, editable=False)
    # The register's households the file matched (by number), locked first when the import is committed.
    households = ArrayField(models.CharField(max_length=20), verbose_name=_("涉及的户"), default=list, editable=False)
    committed_at = models.DateTimeField(_("导入时间"), null=True, blank=True, editable=False)
    # When the validation whose plan is kept in ImportRow (暂存) began: the commit writes that plan without reading
    # the file again, refusing a household changed since (null: no plan kept, the commit validates the file again).
    staged_at = models.DateTimeField(_("暂存时间"), null=True, blank=True, editable=False)

    scope_field = "region__code"

    class Meta(BaseModel.Meta):
        verbose_name = _("导入")
        verbose_name_plural = _("导入")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="committed", committed_at__isnull=False) | (~Q(state="committed") & Q(committed_at__isnull=True)),
                name="import_committed_at_when_committed",
            )
        ]

    def __str__(self):
        return f"{self.filename} ({self.get_state_display()})"


class ImportRowKind(models.TextChoices):
    """暂存行的种类"""

    HOUSEHOLD = "household", _("户")
    MEMBER = "member", _("成员")


class ImportRow(models.Model):
    """One write of a validated import's plan (导入暂存): a household or a member to create (no register id) or to
    change (its id), with its fields as they will be. Written by COPY when a file validates without errors, read
    by the commit, deleted with it; the register's own tables are written only at commit."""

    import_record = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="rows", verbose_name=_("导入"))
    kind = models.CharField(_("种类"), max_length=16, choices=ImportRowKind.choices)
    key = models.CharField(_("户"), max_length=40)  # the household's number, or "(新户n)" for a new one
    row = models.PositiveIntegerField(_("行号"))  # the file's row (the household's first row for a household)
    village = models.CharField(_("行政村"), max_length=12)
    household_id = models.BigIntegerField(_("户"), null=True)  # the register's household changed, or null: created
    member_id = models.BigIntegerField(_("成员"), null=True)  # the register's member changed, or null: created
    changed = models.BooleanField(_("有变更"), default=True)  # a household row: its own fields change
    data = models.JSONField(_("字段"), encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("导入暂存行")
        verbose_name_plural = _("导入暂存行")
        indexes = [models.Index(fields=["import_record", "kind", "row"], name="importrow_import_kind_row")]

    def __str__(self):
        return f"{self.import_record_id} · {self.kind} · {self.row}"
