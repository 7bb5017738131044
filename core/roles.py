"""Roles (角色) and what each may do: the table of docs/api.md (Roles and scope), as data and pure functions.

A user holds grants, each a (role, region) pair covering the region's whole subtree. Every
permission question is "which regions does this user hold a role with capability C in?"; the
answer is a set of region-code prefixes, and scope filters use those prefixes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VILLAGE_TEAM = "village_team", _("驻村工作队")
    TOWNSHIP_REVIEWER = "township_reviewer", _("乡镇审核员")
    COUNTY_OFFICER = "county_officer", _("县扶贫办")
    INSPECTOR = "inspector", _("督查评估")
    API_CLIENT = "api_client", _("接口客户端")


class Capability(models.TextChoices):
    READ_REGISTER = "read_register", _("查看户、成员与程序")
    READ_FIGURES = "read_figures", _("查看区划、汇总、报表与项目数据")
    EDIT_REGISTER = "edit_register", _("录入与修改户、成员、年度信息")
    VILLAGE_STEPS = "village_steps", _("村级程序步骤")
    TOWNSHIP_REVIEW = "township_review", _("乡镇审核")
    COUNTY_ADMINISTRATION = "county_administration", _("县级审定、标准、核查、项目与干部管理")
    RECORD_ACTIVITY = "record_activity", _("登记帮扶、走访与核查")
    SEE_PERSONAL_DATA = "see_personal_data", _("查看完整证件号与银行账号")


C = Capability
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.VILLAGE_TEAM: frozenset(
        {C.READ_REGISTER, C.READ_FIGURES, C.EDIT_REGISTER, C.VILLAGE_STEPS, C.RECORD_ACTIVITY, C.SEE_PERSONAL_DATA}
    ),
    Role.TOWNSHIP_REVIEWER: frozenset(
        {C.READ_REGISTER, C.READ_FIGURES, C.TOWNSHIP_REVIEW, C.RECORD_ACTIVITY, C.SEE_PERSONAL_DATA}
    ),
    Role.COUNTY_OFFICER: frozenset(
        {
            C.READ_REGISTER,
            C.READ_FIGURES,
            C.EDIT_REGISTER,
            C.VILLAGE_STEPS,
            C.COUNTY_ADMINISTRATION,
            C.RECORD_ACTIVITY,
            C.SEE_PERSONAL_DATA,
        }
    ),
    Role.INSPECTOR: frozenset({C.READ_REGISTER, C.READ_FIGURES}),
    Role.API_CLIENT: frozenset({C.READ_FIGURES}),
}

# Roles whose holders work in the web admin (an api_client is a machine and only uses tokens).
ADMIN_ROLES = frozenset({Role.VILLAGE_TEAM, Role.TOWNSHIP_REVIEWER, Role.COUNTY_OFFICER, Role.INSPECTOR})


def role_has(role: str, capability: str) -> bool:
    return capability in ROLE_CAPABILITIES.get(role, frozenset())


def minimal_prefixes(prefixes) -> tuple[str, ...]:
    """The prefixes with every one already covered by a shorter one dropped, sorted.

    >>> minimal_prefixes(["220821100", "220821", "2208211012"])
    ('220821',)
    """
    result: list[str] = []
    for prefix in sorted(set(prefixes), key=lambda p: (len(p), p)):
        if not any(prefix.startswith(kept) for kept in result):
            result.append(prefix)
    return tuple(sorted(result))


def prefixes_for(grants, capability: str) -> tuple[str, ...]:
    """Region-code prefixes covered by the grants ((role, region prefix) pairs) that carry the capability."""
    return minimal_prefixes(prefix for role, prefix in grants if role_has(role, capability))


def code_in_prefixes(code: str, prefixes) -> bool:
    return any(code.startswith(prefix) for prefix in prefixes)
