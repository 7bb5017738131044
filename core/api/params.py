"""Query parameters of the API: every view reads its parameters through these, and each bad one is 400 `invalid`
naming the parameter (never a 500 from a value the database or `int()` cannot take).

- Every parameter, key and value, of every request is refused when it holds a control character or a
  bidirectional override (`refuse_control_characters`, run by core.middleware before any view, so the
  FilterSets' free-text filters never hand PostgreSQL a NUL).
- Numbers are ASCII digits only: `str.isdigit()` also takes '２０１７' and '²'.
- Days are YYYY-MM-DD between 1900-01-01 and 2100-12-31 (core.validators).
"""

import datetime
import re

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from core import regions as region_rules
from core.validators import DATE_MAX, DATE_MIN, forbidden_character, forbidden_message

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER = re.compile(r"[0-9]{1,9}")
YEAR_MIN, YEAR_MAX = 2013, 2100  # 精准扶贫 began in 2013; no plan runs past 2100


def _refuse(name: str, message) -> ValidationError:
    return ValidationError({name: [message]})


def control_character_errors(query) -> dict[str, list[str]]:
    """{parameter: [message]} for every query parameter (a QueryDict) whose name or a value holds a control
    or bidi character."""
    errors: dict[str, list[str]] = {}
    for name, values in query.lists():
        for text in (name, *values):
            char = forbidden_character(text)
            if char is not None:
                key = name if forbidden_character(name) is None else repr(name)[1:-1]
                errors.setdefault(key, []).append(forbidden_message(char))
                break
    return errors


def parse_day(value: str) -> datetime.date:
    """A YYYY-MM-DD day between 1900-01-01 and 2100-12-31; ValueError for anything else (fromisoformat alone
    would also take 20171231 and week dates such as 2017-W52-7)."""
    if not _DAY.fullmatch(value):
        raise ValueError(value)
    day = datetime.date.fromisoformat(value)
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValueError(value)
    return day


def date_param(request, name: str = "as_of", default: datetime.date | None = None) -> datetime.date:
    """A YYYY-MM-DD query parameter (today, or `default`, when absent); 400 `invalid` naming it when malformed."""
    value = request.query_params.get(name)
    if not value:
        return default or timezone.localdate()
    try:
        return parse_day(value)
    except ValueError as exc:
        raise _refuse(
            name, _("日期格式应为 YYYY-MM-DD，在 %(min)s 至 %(max)s 之间") % {"min": DATE_MIN, "max": DATE_MAX}
        ) from exc


def page_day_param(request, name: str) -> datetime.date:
    """A page's YYYY-MM-DD query parameter (today when absent); a malformed day is a page that does not exist
    (404: a page has no JSON error to carry the message)."""
    value = request.GET.get(name)
    if not value:
        return timezone.localdate()
    try:
        return parse_day(value)
    except ValueError as exc:
        raise Http404 from exc


def optional_date_param(request, name: str) -> datetime.date | None:
    """A YYYY-MM-DD query parameter, or None when absent."""
    return date_param(request, name) if request.query_params.get(name) else None


def parse_int(value, name: str, *, low: int = 0, high: int = 10**9 - 1, message=None) -> int:
    """An integer of ASCII digits (or an int, from a JSON body) between low and high; 400 naming `name`."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _NUMBER.fullmatch(value) or not low <= int(value) <= high:
        raise _refuse(name, message or _("须为 %(low)s 至 %(high)s 之间的整数") % {"low": low, "high": high})
    return int(value)


def int_param(request, name: str, *, low: int = 0, high: int = 10**9 - 1, required: bool = False, message=None) -> int | None:
    """An integer query parameter of ASCII digits between low and high (None when absent and not required)."""
    value = request.query_params.get(name, "")
    if not value and not required:
        return None
    return parse_int(value, name, low=low, high=high, message=message)


def year_message(name: str = "year", *, low: int = YEAR_MIN, high: int = YEAR_MAX) -> str:
    return _("须给出 %(low)s 至 %(high)s 之间的年度，如 ?%(name)s=2017") % {"low": low, "high": high, "name": name}


def year_param(request, name: str = "year", *, required: bool = False, low: int = YEAR_MIN, high: int = YEAR_MAX):
    """A year (ASCII digits, 2013–2100 unless narrowed); with `required`, absent is 400 too."""
    return int_param(request, name, low=low, high=high, required=required, message=year_message(name, low=low, high=high))


def region_param(request, name: str = "region", *, required: bool = False) -> str | None:
    """A 12-digit region code (statistical division code, villages.rules); None when absent and not required."""
    value = request.query_params.get(name, "")
    if not value and not required:
        return None
    try:
        region_rules.level_of(value)
    except region_rules.RegionCodeError as exc:
        raise _refuse(name, _("须为12位区划代码，如 ?%(name)s=220821000000") % {"name": name}) from exc
    return value


def region_prefix_param(request, name: str = "region") -> str | None:
    """The significant prefix of a region code parameter (its subtree), None when absent."""
    code = region_param(request, name)
    return region_rules.significant_prefix(code) if code else None


def choice_param(request, name: str, choices, *, default: str | None = None, message=None) -> str | None:
    """One of `choices` (compared exactly: no case folding, no look-alike characters), `default` when absent."""
    value = request.query_params.get(name, "")
    if not value:
        return default
    if value not in choices:
        raise _refuse(name, message or _("须为以下之一：%(choices)s") % {"choices": ", ".join(choices)})
    return value


def region_param_or(request, word: str, name: str = "region") -> str | None:
    """A 12-digit region code, or `word` itself (such as 'none' for the nationwide rows); None when absent."""
    if request.query_params.get(name) == word:
        return word
    return region_param(request, name)
