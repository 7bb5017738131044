"""Masking of personal data: first 6 and last 4 kept, never a short value whole."""

from core.masking import mask_bank_account, mask_id_number, mask_middle


def test_id_number_keeps_first_six_and_last_four():
    assert mask_id_number("22082119620308123X") == "220821********123X"


def test_bank_account_is_masked_without_spaces():
    assert mask_bank_account("6228 4801 2345 6789 012") == "622848*********9012"


def test_short_values_are_not_revealed():
    assert mask_middle("1234567890") == "******7890"
    assert mask_middle("1234") == "****"
    assert mask_middle("") == ""
    assert mask_middle(None) is None
