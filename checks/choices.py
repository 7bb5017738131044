"""Coded lists of cross-checking (docs/checks.md): severities, statuses, sources, categories, discrepancies."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    """严重程度: an error blocks procedure steps, a warning does not"""

    ERROR = "error", _("错误")
    WARNING = "warning", _("提示")


class FindingStatus(models.TextChoices):
    """问题状态"""

    OPEN = "open", _("待整改")
    FIXED = "fixed", _("已整改")
    CONFIRMED_CORRECT = "confirmed_correct", _("经核实无误")


class FindingSource(models.TextChoices):
    """发现途径"""

    RULE = "rule", _("规则校验")
    COMPARISON = "comparison", _("数据比对")
    VERIFICATION = "verification", _("实地核查")


class DepartmentCategory(models.TextChoices):
    """比对数据类别 (the EXT-* rules)"""

    DECEASED = "deceased", _("死亡")
    VEHICLE = "vehicle", _("车辆")
    PROPERTY = "property", _("商品房或门市")
    BUSINESS = "business", _("工商注册")
    PUBLIC_EMPLOYEE = "public_employee", _("财政供养")
    OTHER = "other", _("其他")


class CampaignKind(models.TextChoices):
    """核查类型"""

    CROSS_CHECK = "cross_check", _("交叉互检")
    LOOK_BACK = "look_back", _("核查回头看")
    THIRD_PARTY = "third_party", _("第三方评估")


class CampaignState(models.TextChoices):
    """核查进度"""

    DRAFT = "draft", _("筹备")
    ASSIGNED = "assigned", _("已分组抽样")
    CLOSED = "closed", _("已结束")


class SampleGroup(models.TextChoices):
    """抽样类别: what the household was when the sample was drawn"""

    POOR = "poor", _("未脱贫户")
    EXITED = "exited", _("已脱贫户")
    NON_REGISTERED = "non_registered", _("非建档立卡户")


class Discrepancy(models.TextChoices):
    """核查发现的问题"""

    INCOME_MISREPORTED = "income_misreported", _("收入核算不准")
    MEMBER_MISMATCH = "member_mismatch", _("家庭成员不符")
    SHOULD_EXIT = "should_exit", _("达到退出标准未退出")
    WRONGLY_EXITED = "wrongly_exited", _("错退")
    WRONGLY_INCLUDED = "wrongly_included", _("错评")
    MISSED = "missed", _("漏评")
    ID_ERROR = "id_error", _("证件信息错误")
    OTHER = "other", _("其他")
