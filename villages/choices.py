from django.db import models
from django.utils.translation import gettext_lazy as _


class PovertyVillageStatus(models.TextChoices):
    """贫困村状态"""

    NON_POVERTY = "non_poverty", _("非贫困村")
    POVERTY = "poverty", _("贫困村")
    EXITED = "exited", _("已出列")
