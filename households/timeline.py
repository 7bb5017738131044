"""The household's timeline in words (变更记录): "2017年11月3日 张三 将 人均纯收入 由 2,800.00 改为 3,650.00".

`selectors.household_timeline` gives the recorded changes as data (field names and stored codes, personal data
already masked by the reader's policy); this turns each into a sentence with the fields' labels (verbose_name)
and the codes' labels, never a field name, a code or a database id. Models of the apps above (procedures,
pairings, visits…) are found through the app registry, so nothing above the register is imported.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from households.selectors import OBJECT_TYPES

MODELS = {object_type: label for label, object_type in OBJECT_TYPES.items()}
EMPTY = "—"


def _model(object_type: str):
    label = MODELS.get(object_type)
    return apps.get_model(label) if label else None


def _field(model, name: str):
    if model is None:
        return None
    for candidate in (name, name[:-3] if name.endswith("_id") else None):
        if not candidate:
            continue
        try:
            return model._meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
    return None


def _day(value) -> str:
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return date_format(value, "DATE_FORMAT")


def shown_value(field, value) -> str:
    """A stored value as a reader writes it: a code's label, 是/否, a date, an amount with separators."""
    if value is None or value == "" or value == []:
        return _("空")
    if isinstance(field, ArrayField):
        return _("、").join(shown_value(field.base_field, item) for item in value)
    if field is not None and field.choices:
        choices = {str(key): label for key, label in field.flatchoices}
        return str(choices.get(str(value), value))
    if isinstance(field, models.BooleanField) or isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(field, models.DateField):
        return _day(value)
    if isinstance(field, models.DecimalField):
        try:
            return number_format(Decimal(str(value)).quantize(Decimal("0.01")), 2, force_grouping=True)
        except InvalidOperation:
            return str(value)
    return str(value)


def _changes(model, changes: dict) -> list[str]:
    parts = []
    for name, (old, new) in changes.items():
        field = _field(model, name)
        if field is None:
            continue
        label = field.verbose_name
        if field.is_relation:
            parts.append(_("更改了%(field)s") % {"field": label})
            continue
        parts.append(
            _("将%(field)s由“%(old)s”改为“%(new)s”")
            % {"field": label, "old": shown_value(field, old), "new": shown_value(field, new)}
        )
    return parts


def _choice_label(label: str, field_name: str, value) -> str:
    try:
        field = apps.get_model(label)._meta.get_field(field_name)
    except (LookupError, FieldDoesNotExist):
        return str(value)
    return shown_value(field, value)


def _procedure_step(entry: dict) -> str:
    changes = entry["changes"]
    kind = _choice_label("lifecycle.Procedure", "kind", changes.get("kind", [None, ""])[1])
    step = _choice_label("lifecycle.ProcedureStep", "step", changes.get("step", [None, ""])[1])
    decision = _choice_label("lifecycle.ProcedureStep", "decision", entry["action"])
    day = changes.get("date", [None, None])[1]
    return _("%(kind)s：%(step)s，%(decision)s（%(day)s）") % {
        "kind": kind, "step": step, "decision": decision, "day": _day(day) if day else EMPTY,
    }


def _status_change(entry: dict) -> str:
    changes = entry["changes"]
    status = _choice_label("households.Household", "status", changes.get("status", [None, ""])[1])
    day = changes.get("effective_on", [None, None])[1]
    text = _("登记状态变为“%(status)s”，自%(day)s起") % {"status": status, "day": _day(day) if day else EMPTY}
    if changes.get("returned", [None, False])[1]:
        text += _("（返贫）")
    return text


def _title(model, changes: dict) -> str:
    """What the row is, in words: its kind and, where it has one, its name or year."""
    kind = str(model._meta.verbose_name) if model is not None else _("记录")
    for name in ("name", "year", "date"):
        if name in changes and changes[name][1] is not None:
            return f"{kind}（{shown_value(_field(model, name), changes[name][1])}）"
    return kind


def sentence(entry: dict) -> str:
    """One timeline entry as a sentence in the active language."""
    if entry["kind"] == "procedure_step":
        return _procedure_step(entry)
    if entry["kind"] == "status_change":
        return _status_change(entry)
    model = _model(entry["object_type"])
    changes = entry["changes"]
    if entry["action"] == "insert":
        return _("新增%(what)s") % {"what": _title(model, changes)}
    if entry["action"] == "delete":
        return _("删除%(what)s") % {"what": _title(model, changes)}
    parts = _changes(model, changes)
    what = str(model._meta.verbose_name) if model is not None else _("记录")
    if not parts:
        return _("修改%(what)s") % {"what": what}
    return _("修改%(what)s：%(changes)s") % {"what": what, "changes": _("；").join(parts)}


def timeline_lines(entries: list[dict]) -> list[dict]:
    """The timeline, newest first, as {at, user, text} lines."""
    return [
        {"at": entry["at"], "user": entry["user"] or _("系统"), "text": sentence(entry)}
        for entry in reversed(entries)
    ]
