"""Serializer fields shared by the API."""

from rest_framework import serializers

from core.validators import validate_day


class DayField(serializers.DateField):
    """A date between 1900-01-01 and 2100-12-31 (core.validators): a day near 9999-12-31 overflows the
    first rule that adds a period to it."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(validate_day)


def bound_model_dates() -> None:
    """Every ModelSerializer builds its date fields as DayField, so no serializer can forget the range."""
    from django.db import models

    serializers.ModelSerializer.serializer_field_mapping[models.DateField] = DayField
