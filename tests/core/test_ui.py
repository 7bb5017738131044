"""Figures as people write them, and forms that put each error beside its field (no database)."""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from core.errors import DomainError
from core.templatetags.jz import count, day, money, percent
from core.ui import PageForm, add_service_errors


def test_dates_in_chinese_and_english():
    with translation.override("zh-hans"):
        assert day(datetime.date(2017, 12, 31)) == "2017年12月31日"
        assert day("2017-12-31") == "2017年12月31日"
        assert day(None) == "—"
    with translation.override("en"):
        assert "2017" in day(datetime.date(2017, 12, 31)) and "年" not in day(datetime.date(2017, 12, 31))


def test_rates_are_percentages_and_money_has_separators():
    with translation.override("zh-hans"):
        assert percent(0.7798) == "77.98%"
        assert percent(Decimal("0.0215"), 1) == "2.2%"
        assert percent(None) == "—"
        assert percent(1) == "100.00%"
        assert money(Decimal("1234567.5")) == "1,234,567.50"
        assert money("") == "—"
        assert count(19402) == "19,402"
        assert count(0) == "0"


class _Sample(PageForm):
    name = forms.CharField(label="姓名")
    kind = forms.ChoiceField(label="类别", choices=[("a", "甲"), ("b", "乙")])
    agreed = forms.BooleanField(label="同意", required=False)


def test_a_refused_field_is_marked_and_linked_to_its_message():
    form = _Sample(data={"name": "", "kind": "a"})
    assert not form.is_valid()
    html = form.render()
    assert 'class="form-control is-invalid"' in html
    assert 'aria-describedby="id_name_error"' in html and 'id="id_name_error"' in html
    assert 'href="#id_name"' in html  # the summary at the top links to the field
    assert 'class="form-select"' in html and 'class="form-check-input"' in html


def test_a_valid_form_has_no_summary():
    form = _Sample(data={"name": "张三", "kind": "b"})
    assert form.is_valid()
    assert "error-summary" not in form.render()


def test_a_services_refusal_lands_beside_the_field_it_names_and_the_rest_above_the_form():
    class HandoverForm(forms.Form):
        on = forms.DateField()

    form = HandoverForm(data={"on": "2017-05-01"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"on": ["交接日期早于结对开始"], "household": ["该户已退出"]}))
    add_service_errors(form, DomainError("handed_over", "该结对已交接"))
    add_service_errors(form, ValidationError("请先结束原结对"))
    assert form.errors["on"] == ["交接日期早于结对开始"]
    assert form.non_field_errors() == ["该户已退出", "该结对已交接", "请先结束原结对"]
