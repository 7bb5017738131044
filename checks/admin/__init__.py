"""Admin of cross-checking: findings, department comparisons and campaigns, one module each."""

from checks.admin import campaigns, comparisons, findings  # noqa: F401 - registers the model admins
