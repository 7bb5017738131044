"""Masking of personal data (个人信息脱敏): ID numbers and bank accounts, first 6 and last 4 kept."""

MASK_CHAR = "*"


def mask_middle(value: str | None, *, head: int = 6, tail: int = 4) -> str | None:
    """Keep the first `head` and last `tail` characters, star the rest.

    Values too short to keep both ends are starred except their last `tail` characters (or
    wholly, if shorter than that), so that masking never reveals a short value whole.

    >>> mask_middle("220821196203081234")
    '220821********1234'
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


def mask_id_number(value: str | None) -> str | None:
    """An ID number as roles without the right to see it read it: 220821********123X."""
    return mask_middle(value)


def mask_bank_account(value: str | None) -> str | None:
    """A bank account number, spaces dropped, masked like an ID number."""
    if value is None:
        return None
    return mask_middle(str(value).replace(" ", ""))
