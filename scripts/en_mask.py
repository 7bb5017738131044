"""English for the personal-data fixes of issue 12 (masking by the object's region, birth year only)."""

MASK = {
    "出生年份": "Year of birth",
}
