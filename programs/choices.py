"""Coded lists of the programs app (docs/programs-cadres.md, Programs): stable English slugs, Chinese labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """帮扶措施类别 (the measures on a household's 明白卡)"""

    INDUSTRY = "industry", _("产业扶贫")
    EMPLOYMENT = "employment", _("就业扶贫")
    RELOCATION = "relocation", _("易地扶贫搬迁")
    EDUCATION = "education", _("教育扶贫")
    HEALTH = "health", _("健康扶贫")
    HOUSING = "housing", _("危房改造")
    WATER = "water", _("安全饮水")
    FINANCE = "finance", _("小额信贷")
    SOCIAL_SECURITY = "social_security", _("兜底保障")
    ASSET_INCOME = "asset_income", _("资产收益")
    SOCIAL_AID = "social_aid", _("社会帮扶")
    TRAINING = "training", _("技能培训")
    OTHER = "other", _("其他")


class Subtype(models.TextChoices):
    """帮扶措施子类 (each belongs to one category: SUBTYPE_CATEGORY)"""

    PHOTOVOLTAIC = "photovoltaic", _("光伏")
    GREENHOUSE = "greenhouse", _("棚膜")
    COURTYARD = "courtyard", _("庭院经济")
    LIVESTOCK = "livestock", _("特色养殖")
    CATTLE_BASE = "cattle_base", _("肉牛养殖基地")
    PUBLIC_WELFARE_JOB = "public_welfare_job", _("公益岗位")
    YULU_PLAN = "yulu_plan", _("雨露计划")
    STUDENT_GRANT = "student_grant", _("助学金")
    TUITION_WAIVER = "tuition_waiver", _("免学费")
    TREATMENT_FIRST = "treatment_first", _("先诊疗后付费")
    PREMIUM_SUBSIDY = "premium_subsidy", _("参保补贴")
    REIMBURSEMENT = "reimbursement", _("医疗报销")
    DONATION = "donation", _("捐赠")
    LOVE_SHOP = "love_shop", _("爱心扶贫小屋")


SUBTYPE_CATEGORY: dict[str, str] = {
    Subtype.PHOTOVOLTAIC: Category.INDUSTRY,
    Subtype.GREENHOUSE: Category.INDUSTRY,
    Subtype.COURTYARD: Category.INDUSTRY,
    Subtype.LIVESTOCK: Category.INDUSTRY,
    Subtype.CATTLE_BASE: Category.INDUSTRY,
    Subtype.PUBLIC_WELFARE_JOB: Category.EMPLOYMENT,
    Subtype.YULU_PLAN: Category.EDUCATION,
    Subtype.STUDENT_GRANT: Category.EDUCATION,
    Subtype.TUITION_WAIVER: Category.EDUCATION,
    Subtype.TREATMENT_FIRST: Category.HEALTH,
    Subtype.PREMIUM_SUBSIDY: Category.HEALTH,
    Subtype.REIMBURSEMENT: Category.HEALTH,
    Subtype.DONATION: Category.SOCIAL_AID,
    Subtype.LOVE_SHOP: Category.SOCIAL_AID,
}


class FundingSource(models.TextChoices):
    """资金来源"""

    CENTRAL = "central", _("中央")
    PROVINCIAL = "provincial", _("省级")
    MUNICIPAL = "municipal", _("市级")
    COUNTY = "county", _("县级")
    PAIRING_UNIT = "pairing_unit", _("帮扶单位")
    SOCIAL = "social", _("社会帮扶")


class CountUnit(models.TextChoices):
    """计量单位: what one benefit's quantity counts"""

    YUAN = "yuan", _("元")
    ITEM = "item", _("件")
    PERSON_TIME = "person_time", _("人次")


class PeopleBasis(models.TextChoices):
    """受益人口口径: who a program's benefits reach"""

    MEMBER = "member", _("按受益成员计")
    HOUSEHOLD = "household", _("按受益户人口计")


class TargetingRule(models.TextChoices):
    """对象规则: the named predicates of programs.targeting (the registry has one function per value)"""

    HOUSING_CD_NOT_RENOVATED = "housing_cd_not_renovated", _("C/D级危房未改造")
    VOCATIONAL_STUDENTS = "vocational_students", _("有中职或高职在校生")
    COLLEGE_STUDENTS = "college_students", _("有大专及以上在校生")
    SERIOUS_ILLNESS = "serious_illness", _("有大病患者")
    NO_INDUSTRY_COVERAGE = "no_industry_coverage", _("未覆盖产业项目的未脱贫户")


class CooperativeKind(models.TextChoices):
    """合作社类型"""

    PLANTING = "planting", _("种植")
    BREEDING = "breeding", _("养殖")
    PROCESSING = "processing", _("加工")
    SERVICE = "service", _("服务")
    MIXED = "mixed", _("综合")
