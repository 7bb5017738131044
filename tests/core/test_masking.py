"""Masking of personal data: no birth-date digit of an ID number is ever shown, never a short value whole."""

import datetime

import pytest

from core.masking import birth_year_of, mask_bank_account, mask_id_number, mask_middle, masked_value
from households.rules import make_resident_id

BORN = datetime.date(1987, 6, 29)
RESIDENT = make_resident_id(area="220821", birth_date=BORN, sequence=12, sex="male")  # 220821 19870629 01x + check
LEGACY = "220821870629012"  # 15 digits: area, YYMMDD, sequence


def test_id_number_keeps_area_sequence_and_check_and_hides_the_birth_date():
    assert mask_id_number("22082119620308123X") == "220821********123X"
    assert mask_id_number(RESIDENT) == RESIDENT[:6] + "********" + RESIDENT[14:]


def test_a_15_digit_number_hides_all_six_birth_digits():
    """Keeping the last 4 of a 15-digit number would show the last digit of the birth day."""
    assert mask_id_number(LEGACY) == "220821******012"


def test_a_disability_certificate_hides_the_birth_date_of_the_id_it_begins_with():
    """20 characters (an 18-digit ID, category and grade), 22, or a 15-digit ID with its suffix: the embedded ID
    is masked like a resident ID and the suffix starred."""
    assert mask_id_number(RESIDENT + "21") == RESIDENT[:6] + "********" + RESIDENT[14:] + "**"
    assert mask_id_number(RESIDENT + "21B1") == RESIDENT[:6] + "********" + RESIDENT[14:] + "****"
    assert mask_id_number(LEGACY + "21") == "220821******012**"


LONG_BIRTH, SHORT_BIRTH = slice(6, 14), slice(6, 12)  # YYYYMMDD of 18 digits, YYMMDD of 15


@pytest.mark.parametrize(
    ("number", "birth"),
    [
        (RESIDENT, LONG_BIRTH), (RESIDENT.lower(), LONG_BIRTH), (f" {RESIDENT} ", LONG_BIRTH), (LEGACY, SHORT_BIRTH),
        (RESIDENT + "21", LONG_BIRTH), (RESIDENT + "21B1", LONG_BIRTH), (LEGACY + "21", SHORT_BIRTH),
    ],
)  # fmt: skip
def test_no_birth_digit_survives_whatever_the_document(number, birth):
    """Whatever the shape (spaces, lower-case x, a certificate), every birth-date position is starred and the
    area still leads."""
    masked = mask_id_number(number)
    assert set(masked[birth]) == {"*"}
    assert masked.startswith("220821")


def test_other_documents_keep_the_first_six_and_last_four():
    assert mask_id_number("G12345678901") == "G12345**8901"
    assert mask_id_number("E1234567") == "****4567"


def test_bank_account_is_masked_without_spaces():
    assert mask_bank_account("6228 4801 2345 6789 012") == "622848*********9012"


def test_short_values_are_not_revealed():
    assert mask_middle("1234567890") == "******7890"
    assert mask_middle("1234") == "****"
    assert mask_middle("") == ""
    assert mask_middle(None) is None
    assert mask_id_number(None) is None


def test_a_masked_birth_date_is_its_year():
    """Dates (API, admin) and ISO text (history, exports) alike; nothing stays nothing."""
    assert birth_year_of(BORN) == 1987
    assert masked_value("birth_date", "1987-06-29") == "1987"
    assert masked_value("birth_date", BORN) == "1987"
    assert masked_value("birth_date", None) is None
    assert masked_value("bank_account", "6228480123456789012") == "622848*********9012"
    assert masked_value("person_number", LEGACY) == "220821******012"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "number", [RESIDENT, LEGACY, RESIDENT + "21", RESIDENT + "21B1", LEGACY + "21", "G12345678901", "E1234567", "12", ""]
)
def test_the_sql_mask_of_the_register_rules_is_the_same_mask(number):
    """Findings mask ID numbers in SQL (checks.register_rules): the text equals core.masking's."""
    from django.db import connection

    from checks.register_rules import _mask

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_mask('t.v')} FROM (SELECT %s::text AS v) t", [number])  # noqa: S608 - constant
        assert cursor.fetchone()[0] == mask_id_number(number)
