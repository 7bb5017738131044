"""Input every entry path shares: free text, bank accounts and the range of dates the register accepts.

Free text: a name, an address or a note never holds a control character (C0, DEL, C1) or a
bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069): they are invisible, and an
override makes "1202" read as "2021" on a notice board or in a spreadsheet. Multi-line text (a
TextField: notes, objections, resolutions) may also hold line feeds and tabs; a carriage return
is accepted there too because browsers send a textarea's line breaks as CR LF.

Dates: 1900-01-01 .. 2100-12-31. The oldest people of the register were born after 1900; no
procedure, notice or program runs past 2100; and a day near 9999-12-31 overflows as soon as a
rule adds a notice period to it.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)

_BIDI = "\u202a-\u202e\u2066-\u2069"
_LINE_FORBIDDEN = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_MULTILINE_FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")
_BANK_ACCOUNT = re.compile(r"[0-9]{8,30}")


def forbidden_character(value: str, *, multiline: bool = False) -> str | None:
    """The first character free text may not hold, or None."""
    found = (_MULTILINE_FORBIDDEN if multiline else _LINE_FORBIDDEN).search(value)
    return found.group() if found else None


def forbidden_message(char: str) -> str:
    """The error a forbidden character gives, naming its code point (it is invisible)."""
    return _("不能含有控制字符或文字方向控制字符（U+%(code)04X）") % {"code": ord(char)}


def _refuse(value, *, multiline: bool) -> None:
    if not isinstance(value, str):
        return
    char = forbidden_character(value, multiline=multiline)
    if char is not None:
        raise ValidationError(forbidden_message(char), code="invalid_character")


def validate_line(value) -> None:
    """Single-line free text (names, addresses, phone numbers): no control or bidi characters."""
    _refuse(value, multiline=False)


def validate_multiline(value) -> None:
    """Multi-line free text (notes): line feeds and tabs allowed, other control and bidi characters not."""
    _refuse(value, multiline=True)


def normalise_bank_account(value: str) -> str:
    """A bank account as stored: digits only, the spaces people type between groups removed."""
    return value.replace(" ", "")


def validate_bank_account(value: str) -> None:
    """8–30 ASCII digits once spaces are removed (Chinese bank cards have 16–19; passbooks and old accounts vary)."""
    if value and not _BANK_ACCOUNT.fullmatch(normalise_bank_account(value)):
        raise ValidationError(_("银行账号须为8至30位数字（可用空格分组）"), code="invalid")


def validate_day(value) -> None:
    """A day between 1900-01-01 and 2100-12-31."""
    if isinstance(value, datetime.date) and not DATE_MIN <= value <= DATE_MAX:
        raise ValidationError(
            _("日期须在 %(min)s 至 %(max)s 之间") % {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()},
            code="invalid",
        )


def field_errors(instance, exclude=()) -> dict[str, list[ValidationError]]:
    """The free-text and day errors of a model instance's fields (choices are checked by the field itself)."""
    from django.db import models

    errors: dict[str, list[ValidationError]] = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or field.choices:
            continue
        value = getattr(instance, field.attname)
        if isinstance(field, models.TextField):
            check = validate_multiline
        elif isinstance(field, models.CharField):
            check = validate_line
        elif isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            check = validate_day
        else:
            continue
        try:
            check(value)
        except ValidationError as exc:
            errors.setdefault(field.name, []).append(exc)
    return errors
