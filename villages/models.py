"""Regions (区划): the administrative tree every record and every permission hangs from."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.history import track_changes
from core.models import BaseModel
from villages import rules
from villages.choices import RegionLevel


class RegionQuerySet(models.QuerySet):
    def subtree(self, code: str):
        """The region and everything below it: one LIKE 'prefix%' on the indexed code."""
        return self.filter(code__startswith=rules.significant_prefix(code))


@track_changes()
class Region(BaseModel):
    """An administrative region (行政区划) identified by its 12-digit statistical code."""

    # Django adds a varchar_pattern_ops index beside the primary key ("…_like"), which serves
    # LIKE 'prefix%' whatever the collation: subtree queries and scope filters use it.
    code = models.CharField(
        _("区划代码"),
        max_length=12,
        primary_key=True,
        validators=[RegexValidator(r"^[0-9]{12}$", _("区划代码必须是12位数字"))],
    )
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("级别"), max_length=16, choices=RegionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级区划")
    )

    objects = RegionQuerySet.as_manager()

    scope_field = "code"

    class Meta(BaseModel.Meta):
        verbose_name = _("区划")
        verbose_name_plural = _("区划")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[0-9]{12}$"), name="region_code_12_digits"),
            models.CheckConstraint(
                condition=models.Q(level=RegionLevel.PROVINCE, parent__isnull=True)
                | (~models.Q(level=RegionLevel.PROVINCE) & models.Q(parent__isnull=False)),
                name="region_parent_unless_province",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def prefix(self) -> str:
        return rules.significant_prefix(self.code)
