"""Coded lists of the cadres app (docs/programs-cadres.md, Cadres)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.TextChoices):
    """帮扶单位层级"""

    CENTRAL = "central", _("中央")
    PROVINCIAL = "provincial", _("省级")
    MUNICIPAL = "municipal", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡镇级")


class TeamRole(models.TextChoices):
    """工作队职务"""

    FIRST_SECRETARY = "first_secretary", _("第一书记")
    LEADER = "leader", _("队长")
    MEMBER = "member", _("队员")


class VisitKind(models.TextChoices):
    """走访方式"""

    HOME = "home", _("入户走访")
    PHONE = "phone", _("电话联系")
    OTHER = "other", _("其他")
