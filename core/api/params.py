"""Query parameters shared by the API's read endpoints."""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(value: str) -> datetime.date:
    """A YYYY-MM-DD day; ValueError for anything else (fromisoformat alone would also take 20171231 and week dates
    such as 2017-W52-7)."""
    if not _DAY.fullmatch(value):
        raise ValueError(value)
    return datetime.date.fromisoformat(value)


def date_param(request, name: str = "as_of", default: datetime.date | None = None) -> datetime.date:
    """A YYYY-MM-DD query parameter (today, or `default`, when absent); 400 `invalid` naming it when malformed."""
    value = request.query_params.get(name)
    if not value:
        return default or timezone.localdate()
    try:
        return parse_day(value)
    except ValueError as exc:
        raise ValidationError({name: [_("日期格式应为 YYYY-MM-DD")]}) from exc
