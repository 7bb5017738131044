"""The API's JSON parser: refuses what would otherwise reach the code as a 500.

- JSON nested thousands deep makes the decoder raise RecursionError: 400 `invalid`.
- A string holding a control character (other than tab, line feed and carriage return, which
  multi-line notes need) or a bidirectional override/isolate is refused wherever it is, naming
  the field (`members.0.name`): PostgreSQL cannot store NUL at all, and no field of the API
  takes the others. Whether a field may span lines is the model's question (core.validators).
"""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

from core.validators import forbidden_character, forbidden_message


def _bad_strings(value, path: str = ""):
    """(path, character) of every string, key or value, holding a forbidden character."""
    if isinstance(value, str):
        char = forbidden_character(value, multiline=True)
        if char is not None:
            yield path or "non_field_errors", char
    elif isinstance(value, dict):
        for key, item in value.items():
            key = str(key)
            char = forbidden_character(key, multiline=False)
            if char is not None:
                yield path or "non_field_errors", char
            yield from _bad_strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _bad_strings(item, f"{path}.{index}" if path else str(index))


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("JSON 嵌套层数过多。")) from exc
        errors: dict[str, list[str]] = {}
        try:
            for path, char in _bad_strings(data):
                errors.setdefault(path, []).append(forbidden_message(char))
        except RecursionError as exc:  # a depth the decoder took but a walk cannot
            raise ParseError(_("JSON 嵌套层数过多。")) from exc
        if errors:
            raise ValidationError(errors, code="invalid_character")
        return data
