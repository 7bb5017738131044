"""Masking of personal data (个人信息脱敏): ID numbers, bank accounts and birth dates.

An ID number's mask hides every birth-date digit, whatever the document: the 8 digits YYYYMMDD of an
18-digit resident ID (220821********123X: area and sequence kept), the 6 digits YYMMDD of a 15-digit
legacy number (220821******123) and the birth date of the resident ID a disability certificate
(残疾人证, the ID followed by category and grade) begins with. A birth date shown next to a masked
number is cut to its year (`birth_year_of`), or the number could be rebuilt from the two.
"""

import datetime
import re

MASK_CHAR = "*"
# The API schema's words for a masked ID number field.
MASKED_ID_NUMBER_HELP = (
    "Masked for roles that may not see personal data in the object's region: every birth-date digit starred "
    "(220821********123X; a 15-digit number 220821******123; a disability certificate's embedded ID likewise)."
)

_RESIDENT_18 = re.compile(r"\d{17}[\dX]")
_LEGACY_15 = re.compile(r"\d{15}")
# A disability certificate: a resident ID (18, or a legacy 15) then its category, grade and, in some
# issues, two more characters.
_CERTIFICATE = re.compile(r"(\d{17}[\dX]|\d{15})([0-9A-Z]{2}|[0-9A-Z]{4})")


def mask_middle(value: str | None, *, head: int = 6, tail: int = 4) -> str | None:
    """Keep the first `head` and last `tail` characters, star the rest.

    Values too short to keep both ends are starred except their last `tail` characters (or
    wholly, if shorter than that), so that masking never reveals a short value whole.

    >>> mask_middle("6228480123456789012")
    '622848*********9012'
    """
    if value is None:
        return None
    value = str(value)
    if value == "":
        return ""
    if len(value) > head + tail:
        return value[:head] + MASK_CHAR * (len(value) - head - tail) + value[-tail:]
    if len(value) > tail:
        return MASK_CHAR * (len(value) - tail) + value[-tail:]
    return MASK_CHAR * len(value)


def _mask_resident_id(number: str) -> str:
    """An 18- or 15-digit resident ID: the area (6) and the sequence with the check kept, the birth date starred."""
    if len(number) == 18:
        return number[:6] + MASK_CHAR * 8 + number[14:]
    return number[:6] + MASK_CHAR * 6 + number[12:]


def mask_id_number(value: str | None) -> str | None:
    """An ID number as roles without the right to see it read it, never a birth-date digit shown.

    >>> mask_id_number("22082119620308123X")
    '220821********123X'
    >>> mask_id_number("220821620308123")
    '220821******123'
    >>> mask_id_number("22082119620308123X21")
    '220821********123X**'

    A certificate's category and grade are starred too (health data, shown only as the member's own
    fields). Any other document keeps the first 6 and last 4 (`mask_middle`).
    """
    if value is None:
        return None
    text = str(value)
    number = text.strip().upper()
    if _RESIDENT_18.fullmatch(number) or _LEGACY_15.fullmatch(number):
        return _mask_resident_id(number)
    certificate = _CERTIFICATE.fullmatch(number)
    if certificate:
        resident, suffix = certificate.groups()
        return _mask_resident_id(resident) + MASK_CHAR * len(suffix)
    return mask_middle(text)


def mask_bank_account(value: str | None) -> str | None:
    """A bank account number, spaces dropped, first 6 and last 4 kept."""
    if value is None:
        return None
    return mask_middle(str(value).replace(" ", ""))


def birth_year_of(value) -> int | None:
    """The year of a birth date (a date or an ISO text as the history keeps it); None when there is none."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value.year
    text = str(value)
    return int(text[:4]) if text[:4].isascii() and text[:4].isdigit() else None  # isdigit alone takes '²'


BANK_ACCOUNT_FIELDS = frozenset({"bank_account"})
BIRTH_DATE_FIELDS = frozenset({"birth_date"})


def masked_value(field: str, value):
    """A personal value as a user who may not see it reads it, by its field name.

    Bank accounts keep their ends; a birth date becomes its year as text ("1962", the value in a history
    entry or an export cell); every other personal field is an ID number (id_number, person_number).
    """
    if value in (None, ""):
        return value
    if field in BANK_ACCOUNT_FIELDS:
        return mask_bank_account(value)
    if field in BIRTH_DATE_FIELDS:
        year = birth_year_of(value)
        return None if year is None else str(year)
    return mask_id_number(value)


# An ID-1 finding (checks.register_rules) on a number whose birth date is wrong quotes that date under these
# facts; beside the finding's masked number it would give the hidden digits back.
FINDING_BIRTH_PARTS = frozenset({"birth_date", "future_birth_date", "birth_date_mismatch"})
FINDING_BIRTH_FACTS = frozenset({"date", "id_birth_date"})


def masked_finding_detail(detail):
    """A finding's facts as a user who may not see personal data reads them: a quoted birth date cut to its year."""
    if not isinstance(detail, dict) or detail.get("part") not in FINDING_BIRTH_PARTS:
        return detail
    return {key: str(value)[:4] if key in FINDING_BIRTH_FACTS and value else value for key, value in detail.items()}


def minimised_id_number(value: str) -> str:
    """An ID number kept after its retention period (保存期限): the area code only, every other character starred.

    >>> minimised_id_number("22082119620308123X")
    '220821************'
    """
    return value[:6] + MASK_CHAR * max(0, len(value) - 6)


def minimised_name(value: str) -> str:
    """A name kept after its retention period: the surname's first character and 某 (王小军 → 王某).

    >>> minimised_name("王小军")
    '王某'
    """
    return (value[:1] + "某") if value else value
