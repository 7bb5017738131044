from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    """Administrative level 行政级别 of a region."""

    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县")
    TOWNSHIP = "township", _("乡镇")
    VILLAGE = "village", _("行政村")


class PovertyVillageStatus(models.TextChoices):
    """贫困村状态"""

    NON_POVERTY = "non_poverty", _("非贫困村")
    POVERTY = "poverty", _("贫困村")
    EXITED = "exited", _("已出列")
