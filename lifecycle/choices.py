"""Coded lists of the lifecycle (workflows.md): procedures, steps, decisions, objections, monitoring."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcedureKind(models.TextChoices):
    """程序类型"""

    IDENTIFICATION = "identification", _("贫困识别")
    EXIT = "exit", _("脱贫退出")
    RETURN = "return", _("返贫")
    REMOVAL = "removal", _("清退")
    MONITORING = "monitoring", _("纳入监测")
    RISK_ELIMINATION = "risk_elimination", _("风险消除")
    CLOSING = "closing", _("自然销户")


class ProcedureState(models.TextChoices):
    """程序状态"""

    OPEN = "open", _("办理中")
    APPROVED = "approved", _("已审定")
    REJECTED = "rejected", _("未通过")


class Step(models.TextChoices):
    """程序步骤"""

    APPLICATION = "application", _("农户申请")
    ALERT = "alert", _("监测预警")
    PROPOSAL = "proposal", _("提出")
    APPRAISAL = "appraisal", _("民主评议")
    VERIFICATION = "verification", _("入户核实")
    CONSENT = "consent", _("农户认可签字")
    FIRST_NOTICE = "first_notice", _("村级公示")
    NOTICE = "notice", _("公示")
    TOWNSHIP_REVIEW = "township_review", _("乡镇审核")
    SECOND_NOTICE = "second_notice", _("乡镇公示")
    COUNTY_APPROVAL = "county_approval", _("县级审定公告")


class Decision(models.TextChoices):
    APPROVE = "approve", _("通过")
    REJECT = "reject", _("不通过")


class ObjectionOutcome(models.TextChoices):
    """异议处理结果"""

    UPHELD = "upheld", _("异议成立，退回核实")
    DISMISSED = "dismissed", _("异议不成立")


class MonitoringType(models.TextChoices):
    """防返贫监测对象类型"""

    UNSTABLE_EXITED = "unstable_exited", _("脱贫不稳定户")
    MARGINAL = "marginal", _("边缘易致贫户")
    SUDDEN_HARDSHIP = "sudden_hardship", _("突发严重困难户")


class AlertSource(models.TextChoices):
    """预警来源"""

    SELF_REPORT = "self_report", _("农户自主申报")
    CADRE_SCREENING = "cadre_screening", _("干部排查")
    DEPARTMENT_ALERT = "department_alert", _("部门筛查预警")


class RemovalReason(models.TextChoices):
    """清退原因 (crosscheck.md categories)"""

    WRONGLY_INCLUDED = "wrongly_included", _("不符合识别标准（错评）")
    VEHICLE = "vehicle", _("拥有车辆")
    PROPERTY = "property", _("拥有商品房或门市")
    BUSINESS = "business", _("经营工商企业")
    PUBLIC_EMPLOYEE = "public_employee", _("财政供养人员")
    DUPLICATE = "duplicate", _("重复登记")
    OTHER = "other", _("其他")


class VillageStep(models.TextChoices):
    """贫困村出列程序步骤 (厅字〔2016〕16号): the township proposes, the county reviews, the village gives notice, the county
    announces."""

    PROPOSAL = "proposal", _("乡镇提出")
    COUNTY_REVIEW = "county_review", _("县级审核")
    NOTICE = "notice", _("村内公示")
    ANNOUNCEMENT = "announcement", _("县级公告")
