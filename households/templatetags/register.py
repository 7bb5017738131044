"""The register's status badges: the same words and colours everywhere (spec pages.md, "Status words and colours")."""

from django import template

from households.badges import STATUS_BADGES, status_badges

register = template.Library()

@register.inclusion_tag("households/_status_badge.html")
def status_badge(household):
    return {
        "badges": status_badges(
            status=household.status, monitoring_status=household.monitoring_status, returned=household.returned
        )
    }


@register.simple_tag
def status_words(status: str) -> str:
    """The words of a registry status (for the episodes of the card)."""
    return STATUS_BADGES.get(status or "", (status, ""))[0]
