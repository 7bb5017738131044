"""The register's status badges: the same words and colours on every page (docs/pages: status words and colours).

One table for the list, the card (households.templatetags.register) and the lifecycle's pages (lifecycle.pages).
"""

from django.utils.translation import gettext_lazy as _

from households.choices import MonitoringStatus, RegistryStatus

# status → (words, Bootstrap classes). Colour never carries meaning alone: the words are always written.
STATUS_BADGES = {
    "": (_("一般农户"), "text-bg-secondary"),
    RegistryStatus.CANDIDATE: (_("识别中"), "bg-white text-primary border border-primary"),
    RegistryStatus.POOR: (_("贫困户（未脱贫）"), "text-bg-danger"),
    RegistryStatus.EXITED: (_("已脱贫"), "text-bg-success"),
    RegistryStatus.REMOVED: (_("已清退"), "text-bg-secondary text-decoration-line-through"),
    RegistryStatus.CLOSED: (_("已销户"), "text-bg-secondary text-decoration-line-through"),
    RegistryStatus.REJECTED: (_("未通过识别"), "bg-white text-secondary border border-secondary"),
}
MONITORING_BADGES = {
    MonitoringStatus.MONITORED: (_("监测对象"), "text-bg-warning"),
    MonitoringStatus.RISK_ELIMINATED: (_("风险已消除"), "bg-white text-success border border-success"),
}
RETURNED_BADGE = (_("返贫"), "text-bg-danger")


def status_badges(*, status: str, monitoring_status: str = "", returned: bool = False) -> list[tuple]:
    """The badges of a household's status, as (words, classes)."""
    badges = [STATUS_BADGES.get(status or "", (status, "text-bg-light border"))]
    if returned:
        badges.append(RETURNED_BADGE)
    if monitoring_status in MONITORING_BADGES:
        badges.append(MONITORING_BADGES[monitoring_status])
    return badges
