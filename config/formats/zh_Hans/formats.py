"""Chinese figures as county reports write them: 1,234,567.00 (Django's zh_Hans groups by none)."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
