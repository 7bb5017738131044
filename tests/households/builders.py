"""Builders for register tests: valid members, households and API payloads, explicit and deterministic.

Every ID number is made with `households.rules.make_resident_id`, so it passes ID-1; a household built with
`family(n)` uses sequence `n` for all its members, so households with different `n` never share an ID number.
"""

from datetime import date

from households import services
from households.models import AnnualRecord, Household, HouseholdNumberSequence, Member
from households.rules import make_resident_id

AREA = "220821"  # 镇赉县

HEAD_BIRTH = date(1962, 3, 8)
SPOUSE_BIRTH = date(1964, 5, 20)
SON_BIRTH = date(1988, 9, 1)
DAUGHTER_BIRTH = date(1991, 2, 14)


def resident_id(*, birth_date: date, sex: str, sequence: int = 0, area: str = AREA) -> str:
    """A valid resident ID number for this birth date and sex."""
    return make_resident_id(area=area, birth_date=birth_date, sequence=sequence, sex=sex)


def member(*, name: str, sex: str, birth_date: date, relation: str, sequence: int = 0, **overrides) -> dict:
    """A member as the services take it (dates are `date`s), with a valid ID number for this sex and birth date.

    The overrides apply after the ID number is made: `son(birth_date=…)` keeps the son's number and so disagrees
    with it, `daughter(relation="02")` is the same person recorded as a spouse.
    """
    data = {
        "name": name,
        "id_type": "resident_id",
        "id_number": resident_id(birth_date=birth_date, sex=sex, sequence=sequence),
        "sex": sex,
        "birth_date": birth_date,
        "relation": relation,
        "health": "healthy",
        "labour": "ordinary",
        "education": "primary",
        "school_status": "not_in_school",
    }
    data.update(overrides)
    return data


def head(sequence: int = 0, **overrides) -> dict:
    """户主: a man born 1962-03-08."""
    return {**member(name="王建国", sex="male", birth_date=HEAD_BIRTH, relation="01", sequence=sequence), **overrides}


def spouse(sequence: int = 0, **overrides) -> dict:
    """配偶: a woman born 1964-05-20."""
    return {
        **member(name="李秀兰", sex="female", birth_date=SPOUSE_BIRTH, relation="02", sequence=sequence),
        **overrides,
    }


def son(sequence: int = 0, **overrides) -> dict:
    """之子: a man born 1988-09-01."""
    return {**member(name="王小军", sex="male", birth_date=SON_BIRTH, relation="03", sequence=sequence), **overrides}


def daughter(sequence: int = 0, **overrides) -> dict:
    """之女: a woman born 1991-02-14."""
    return {
        **member(name="王小红", sex="female", birth_date=DAUGHTER_BIRTH, relation="04", sequence=sequence),
        **overrides,
    }


def family(sequence: int = 0) -> list[dict]:
    """Head, spouse and son, all with ID sequence `sequence`."""
    return [head(sequence), spouse(sequence), son(sequence)]


def household_fields(**overrides) -> dict:
    """Household facts as the services take them (the village is passed apart)."""
    data = {
        "address": "一组12号",
        "identification_standard": "national",
        "attribute": "general",
        "main_cause": "illness",
        "other_causes": ["lack_funds"],
        "stars": 2,
    }
    data.update(overrides)
    return data


def make_household(*, village, user, members: list[dict] | None = None, **fields) -> Household:
    """A household registered through the service (the only way in), with `family(0)` by default."""
    return services.household_create(
        user=user, village=village, data=household_fields(**fields), members=family() if members is None else members
    )


def as_json(data: dict) -> dict:
    """A member or household dict with dates as ISO strings, ready for the API."""
    return {key: value.isoformat() if isinstance(value, date) else value for key, value in data.items()}


def household_payload(village_code: str, members: list[dict] | None = None, **overrides) -> dict:
    """The body of POST /api/v1/households/."""
    members = family() if members is None else members
    return {"village": village_code, **household_fields(**overrides), "members": [as_json(m) for m in members]}


def counts() -> dict:
    """What a refused write must leave unchanged: rows of the register and the household number sequences."""
    return {
        "households": Household.objects.count(),
        "members": Member.objects.count(),
        "annual_records": AnnualRecord.objects.count(),
        "sequences": {s.village_id: s.last for s in HouseholdNumberSequence.objects.all()},
    }
