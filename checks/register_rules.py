"""The register rules ID-1 … HH-10 (docs/checks.md, Register rules) as set-based SQL, and the engine that runs them.

Each rule finds its targets over a region in one statement (HH-9 in a few reads and the pure exit
evaluation), one row per target: `key` (text, "member:<id>" or "household:<id>"), `village_id`,
`household_id`, `member_id` and `detail` (jsonb: the facts the message shows, see checks.catalog;
codes, names, numbers and dates, never a full ID number). Households are aliased `h` and the rule
puts the literal text `{scope}` in its WHERE clause; the engine replaces it with the region and, for
a one-household run, the household, and `{in_register}` with the statuses the rules look at. Shared
fragments are put in when the module loads: `_REF_JOIN` (a lateral join giving `d.ref`, the day a
household's ages are counted on) and `_AGE` (a member `m`'s age on it). Values are bound as
%(name)s parameters, so a literal percent sign in a rule is written %%. A rule may instead be a
Python callable that takes the run's `Scope` and returns the hit rows as dicts; the engine loads
them into the same temporary table (HH-9, which must use lifecycle.eligibility rather than repeat
it in SQL).

The engine puts every rule's hits into one temporary table (one INSERT per rule), then syncs them
with the findings in two statements for all the run's rules: new hits inserted as open findings
(never a second open one for the same rule and target, never one a user confirmed correct; an open
one's facts updated), and open findings of the run's rules in the region that are no longer hit
closed as fixed by this run. The comparisons with the hits are NOT IN over a subquery, which
PostgreSQL hashes whatever its row estimates say (a nested loop over thousands of findings and
hits takes seconds).
"""

import json
import time
from collections import defaultdict, namedtuple
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pghistory
from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone, translation

from checks import catalog
from checks.models import RuleRun
from core.regions import significant_prefix
from households import rules as household_rules
from households.choices import IN_SCHOOL, SCHOOL_GRADES
from households.models import AnnualRecord, Member, PolicyStandard
from lifecycle import eligibility
from lifecycle.models import Procedure, StatusChange
from villages.models import Region

# Households the rules look at (`{in_register}` in a rule): in the register or on their way into it
# (not removed, closed or rejected).
IN_REGISTER = "h.status IN ('', 'candidate', 'poor', 'exited')"

# What Python's str.strip() strips (households.rules strips ID numbers so), for SQL's btrim.
WHITESPACE = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())

# The day a household's ages are counted on (`d.ref`): Dec 31 of its latest annual record's year,
# the year its facts describe, or today when it has none (never later than today).
_REF_JOIN = """
    CROSS JOIN LATERAL (
        SELECT LEAST(%(today)s::date, COALESCE(make_date(max(r.year)::int, 12, 31), %(today)s::date)) AS ref
        FROM households_annualrecord r WHERE r.household_id = h.id
    ) d
"""
_AGE = "date_part('year', age(d.ref, m.birth_date))::int"



def _sql_codes(codes) -> str:
    """A set of our own codes (constants, never input) as an SQL list literal: ('03', '06')."""
    return "(" + ", ".join(f"'{code}'" for code in sorted(codes)) + ")"


# The sex-bound relations and the head are households.rules' (HH-1), written into the SQL from there.
_MALE_RELATIONS = _sql_codes(household_rules.MALE_RELATIONS)
_FEMALE_RELATIONS = _sql_codes(household_rules.FEMALE_RELATIONS)
_HEAD, _SPOUSE = f"'{household_rules.HEAD}'", f"'{household_rules.SPOUSE}'"
_IN_SCHOOL = _sql_codes(IN_SCHOOL)
# HH-7: the ages (on d.ref, inclusive) at which each school level (its every grade) is plausible; children of
# compulsory-school age (households.rules.COMPULSORY_SCHOOL_AGES, 6–15, the exit check's range) not in
# school must be recorded as dropouts.
SCHOOL_AGES = {
    "preschool": (2, 7),
    "primary": (5, 16),
    "junior": (10, 19),
    "senior": (13, 24),
    "secondary_vocational": (13, 24),
    "higher_vocational": (16, 40),
    "college": (16, 40),
}
COMPULSORY_AGES = household_rules.COMPULSORY_SCHOOL_AGES
# HH-6: the plausible range of per-capita net income (yuan).
INCOME_CEILING = 100000

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _check_character(expr: str) -> str:
    """SQL for the GB 11643 check character of the first 17 digits of `expr` (as households.rules)."""
    total = " + ".join(f"substr({expr}, {i}, 1)::int * {w}" for i, w in enumerate(_WEIGHTS, start=1))
    return f"substr('10X98765432', (({total}) %% 11) + 1, 1)"


def _mask(expr: str) -> str:
    """SQL for core.masking.mask_id_number: no birth-date digit shown (220821********123X, 220821******123).

    A resident ID of 18 or 15 digits, alone or leading a disability certificate, keeps its area and its
    sequence with the check; a certificate's suffix is starred; anything else keeps its first 6 and last 4.
    """
    number = f"upper(btrim({expr}))"
    resident = f"substring({number} from '^([0-9]{{17}}[0-9X]|[0-9]{{15}})(?:[0-9A-Z]{{2}}|[0-9A-Z]{{4}})?$')"
    return (
        f"CASE WHEN {resident} IS NOT NULL THEN left({resident}, 6)"
        f" || CASE WHEN length({resident}) = 18 THEN '********' || right({resident}, 4)"
        f" ELSE '******' || right({resident}, 3) END"
        f" || repeat('*', length({number}) - length({resident}))"
        f" WHEN length({expr}) > 10 THEN left({expr}, 6) || repeat('*', length({expr}) - 10) || right({expr}, 4)"
        f" WHEN length({expr}) > 4 THEN repeat('*', length({expr}) - 4) || right({expr}, 4)"
        f" ELSE repeat('*', length({expr})) END"
    )


def _person(number: str, id_type: str | None) -> str:
    """SQL for the resident ID number a document stands for (ID-2, ID-3).

    Upper case, Python-stripped; a disability certificate stands for its first 18 characters (its
    first 15 when it is a 15-digit legacy number and the two digits of category and grade); a
    15-digit legacy number stands for its 18-digit upgrade (households.rules.upgrade_legacy_id).
    A clean 18-character resident ID, nearly every row, takes the short way.
    """
    document = (
        f"CASE WHEN {id_type} = 'disability_cert' THEN CASE WHEN t.raw ~ '^[0-9]{{17}}$' "
        "THEN left(t.raw, 15) ELSE left(t.raw, 18) END ELSE t.raw END"
        if id_type
        else "t.raw"
    )
    clean = f"{id_type} IS DISTINCT FROM 'disability_cert' AND " if id_type else ""
    return f"""CASE WHEN {clean}{number} ~ '^[0-9]{{17}}[0-9X]$' THEN {number}::text ELSE (
        SELECT CASE WHEN u.first17 IS NULL THEN u.doc ELSE u.first17 || {_check_character("u.first17")} END
        FROM (
            SELECT d.doc, CASE WHEN d.doc ~ '^[0-9]{{15}}$'
                               THEN left(d.doc, 6) || '19' || substr(d.doc, 7, 9) END AS first17
            FROM (SELECT {document} AS doc
                  FROM (SELECT upper(btrim({number}, %(ws)s)) AS raw OFFSET 0) t OFFSET 0) d
            OFFSET 0
        ) u) END"""  # noqa: S608 - constant fragments


def _household_hit(detail: str) -> str:
    return f"'household:' || h.id AS key, h.village_id, h.id AS household_id, NULL::bigint AS member_id, {detail} AS detail"


def _member_hit(detail: str) -> str:
    return f"'member:' || m.id AS key, h.village_id, h.id AS household_id, m.id AS member_id, {detail} AS detail"


_MASKED_NUMBER = _mask("btrim(m.id_number)")
_ID_2_DETAIL = f"""jsonb_build_object(
    'name', m.name, 'id_number', {_MASKED_NUMBER}, 'level', l.level, 'other_number', oh.number,
    'other_village', oh.village_id, 'others', count(*) OVER (PARTITION BY m.id))"""
_ID_3_DETAIL = f"""jsonb_build_object(
    'cadre', cadre.name, 'name', m.name, 'id_number', {_MASKED_NUMBER}, 'pairings', cadre.pairings,
    'paired_number', cadre.paired_number)"""
_ID_1_DETAIL = f"jsonb_build_object('name', m.name, 'id_type', m.id_type, 'id_number', {_mask('t.raw')}) || v.facts"
_HH_7_DETAIL = f"""jsonb_build_object('name', m.name, 'age', {_AGE}, 'school_status', m.school_status,
    'compulsory', s.status IS NULL)"""

# ID-1: the first thing wrong with a member's document, in the order of households.rules.check_identity.
_ID_1 = f"""
    SELECT {_member_hit(_ID_1_DETAIL)}
    FROM households_member m
    JOIN households_household h ON h.id = m.household_id
    CROSS JOIN LATERAL (SELECT btrim(m.id_number, %(ws)s) AS raw OFFSET 0) t
    CROSS JOIN LATERAL (
        SELECT CASE WHEN m.id_type = 'disability_cert' THEN btrim(left(t.raw, 18), %(ws)s) ELSE t.raw END AS n OFFSET 0
    ) u
    CROSS JOIN LATERAL (SELECT u.n ~ '^[0-9]{{17}}[0-9Xx]$' AS ok OFFSET 0) c
    CROSS JOIN LATERAL (
        SELECT CASE WHEN c.ok THEN substr(u.n, 7, 4)::int END AS y,
               CASE WHEN c.ok THEN substr(u.n, 11, 2)::int END AS mo,
               CASE WHEN c.ok THEN substr(u.n, 13, 2)::int END AS dd,
               CASE WHEN c.ok THEN {_check_character("u.n")} END AS expected
        OFFSET 0
    ) b
    CROSS JOIN LATERAL (
        SELECT CASE WHEN b.y >= 1 AND b.mo BETWEEN 1 AND 12 AND b.dd >= 1
                     AND b.dd <= date_part('day', make_date(b.y, b.mo, 1) + interval '1 month - 1 day')
                    THEN make_date(b.y, b.mo, b.dd) END AS born
        OFFSET 0
    ) bd
    CROSS JOIN LATERAL (
        SELECT CASE
            WHEN m.id_type = 'other' THEN
                CASE WHEN t.raw = '' THEN jsonb_build_object('part', 'length', 'length', 0) END
            WHEN m.id_type = 'disability_cert' AND length(t.raw) <> 20 THEN
                jsonb_build_object('part', 'length', 'length', length(t.raw))
            WHEN u.n ~ '^[0-9]{{15}}$' THEN jsonb_build_object('part', 'legacy')
            WHEN length(u.n) <> 18 THEN jsonb_build_object('part', 'length', 'length', length(u.n))
            WHEN NOT c.ok THEN (
                SELECT jsonb_build_object('part', 'characters', 'position', p, 'character', substr(u.n, p, 1))
                FROM (SELECT CASE WHEN u.n ~ '^[0-9]{{17}}' THEN 18
                                  ELSE length(substring(u.n FROM '^[0-9]*')) + 1 END AS p) pos
            )
            WHEN bd.born IS NULL OR bd.born < DATE '1900-01-01' THEN
                jsonb_build_object('part', 'birth_date', 'date', substr(u.n, 7, 8), 'early', bd.born IS NOT NULL)
            WHEN bd.born > %(today)s::date THEN
                jsonb_build_object('part', 'future_birth_date', 'date', substr(u.n, 7, 8), 'today', %(today)s::date)
            WHEN upper(substr(u.n, 18, 1)) <> b.expected THEN
                jsonb_build_object('part', 'check_digit', 'expected', b.expected, 'actual', upper(substr(u.n, 18, 1)))
            WHEN m.id_type = 'disability_cert' AND substr(t.raw, 19, 2) !~ '^[1-7][1-4]$' THEN
                jsonb_build_object('part', 'disability_suffix', 'suffix', substr(t.raw, 19, 2))
            WHEN m.sex IN ('male', 'female') AND (substr(u.n, 17, 1)::int %% 2 = 1) <> (m.sex = 'male') THEN
                jsonb_build_object('part', 'sex', 'id_sex', CASE WHEN substr(u.n, 17, 1)::int %% 2 = 1
                                                               THEN 'male' ELSE 'female' END)
            WHEN m.birth_date <> bd.born THEN jsonb_build_object('part', 'birth_date_mismatch', 'id_birth_date', bd.born)
        END AS facts
    ) v
    WHERE {{scope}} AND {{in_register}} AND m.left_on IS NULL
      AND m.id_type IN ('resident_id', 'disability_cert', 'other') AND v.facts IS NOT NULL
"""  # noqa: S608 - constant fragments; values are bound parameters

# ID-2: the same person active in another household anywhere in the register (the unique index on
# person_number cannot see a legacy number and its upgrade, nor a stale person_number); the nearest
# conflict is reported (same village, then same county, then another county). The other households
# are found through the person_number index for members whose stored person_number is their clean
# number, and among the few others ("odd": legacy numbers, certificates, stray characters, stale
# person numbers) by the person each stands for; so a one-household run reads no more than it needs.
# A member whose person number is their ID number as stored (so already stripped and upper case, the way
# households.rules.person_number makes it), not a 15-digit one: the person they stand for is that number.
_CLEAN = "o.id_type <> 'disability_cert' AND o.person_number = o.id_number AND length(o.id_number) <> 15"
_ID_2 = f"""
    WITH mine AS MATERIALIZED (
        SELECT m.id, m.household_id, {_person("m.id_number", "m.id_type")} AS person
        FROM households_member m
        JOIN households_household h ON h.id = m.household_id
        WHERE {{scope}} AND {{in_register}} AND m.left_on IS NULL
    ),
    odd AS MATERIALIZED (
        SELECT o.household_id, {_person("o.id_number", "o.id_type")} AS person
        FROM households_member o
        WHERE o.left_on IS NULL AND NOT ({_CLEAN})
    ),
    other AS (
        SELECT mine.id, o.household_id
        FROM mine JOIN households_member o ON o.person_number = mine.person AND o.left_on IS NULL
        WHERE o.household_id <> mine.household_id
        UNION
        SELECT mine.id, odd.household_id
        FROM mine JOIN odd ON odd.person = mine.person
        WHERE odd.household_id <> mine.household_id
    )
    SELECT DISTINCT ON (m.id) {_member_hit(_ID_2_DETAIL)}
    FROM other
    JOIN households_member m ON m.id = other.id
    JOIN households_household h ON h.id = m.household_id
    JOIN households_household oh ON oh.id = other.household_id
    CROSS JOIN LATERAL (
        SELECT CASE WHEN oh.village_id = h.village_id THEN 'same_village'
                    WHEN left(oh.village_id, 6) = left(h.village_id, 6) THEN 'same_county'
                    ELSE 'other_county' END AS level
    ) l
    ORDER BY m.id, CASE l.level WHEN 'same_village' THEN 0 WHEN 'same_county' THEN 1 ELSE 2 END, oh.number
"""  # noqa: S608 - constant fragments; values are bound parameters

# ID-3: a cadre with a pairing active today who is an active member of a household in the register;
# the finding is the member's (their household's village team checks who the person is). Cadres'
# numbers are stored as the cadres service validates them, and members' person numbers as the
# households service makes them: three equality joins (the same number, or one side's 15-digit
# legacy form of the other's) that PostgreSQL drives from whichever side is smaller.
_LEGACY_FORM = "left({0}, 6) || substr({0}, 9, 9)"
_ID_3_MATCH = "SELECT mine.id AS member_id, c.id AS cadre_id, c.name FROM mine JOIN cadres_cadre c ON {on}"
_ID_3 = f"""
    WITH mine AS MATERIALIZED (
        SELECT m.id, m.person_number
        FROM households_member m
        JOIN households_household h ON h.id = m.household_id
        WHERE {{scope}} AND {{in_register}} AND m.left_on IS NULL
    ),
    matched AS MATERIALIZED (
        {_ID_3_MATCH.format(on="c.id_number = mine.person_number")}
        UNION
        {_ID_3_MATCH.format(on="length(c.id_number) = 18 AND " + _LEGACY_FORM.format("c.id_number") + " = mine.person_number")}
        UNION
        {_ID_3_MATCH.format(on="length(mine.person_number) = 18 AND c.id_number = " + _LEGACY_FORM.format("mine.person_number"))}
    )
    SELECT DISTINCT ON (m.id) {_member_hit(_ID_3_DETAIL)}
    FROM matched
    CROSS JOIN LATERAL (
        SELECT matched.name, count(*) AS pairings, min(ph.number) AS paired_number
        FROM cadres_pairing pr JOIN households_household ph ON ph.id = pr.household_id
        WHERE pr.cadre_id = matched.cadre_id AND pr.starts_on <= %(today)s::date
          AND (pr.ends_on IS NULL OR pr.ends_on > %(today)s::date)
    ) cadre
    JOIN households_member m ON m.id = matched.member_id
    JOIN households_household h ON h.id = m.household_id
    WHERE cadre.pairings > 0
    ORDER BY m.id, matched.cadre_id
"""  # noqa: S608 - constant fragments; values are bound parameters

# HH-1: one active head, at most one spouse, the spouse's sex not the head's, relations that name a
# sex agree with it (households.rules.composition_violations). Households with no active member are
# HH-10's.
_HH_1 = f"""
    WITH agg AS (
        SELECT m.household_id,
               count(*) FILTER (WHERE m.relation = {_HEAD}) AS heads,
               count(*) FILTER (WHERE m.relation = {_SPOUSE}) AS spouses,
               max(m.sex) FILTER (WHERE m.relation = {_HEAD}) AS head_sex,
               COALESCE(jsonb_agg(jsonb_build_object('code', 'relation_sex', 'name', m.name,
                                                     'relation', m.relation, 'sex', m.sex) ORDER BY m.id)
                        FILTER (WHERE (m.relation IN {_MALE_RELATIONS} AND m.sex = 'female')
                                   OR (m.relation IN {_FEMALE_RELATIONS} AND m.sex = 'male')), '[]') AS wrong,
               COALESCE(jsonb_agg(jsonb_build_object('code', 'spouse_sex', 'name', m.name, 'sex', m.sex)
                                  ORDER BY m.id) FILTER (WHERE m.relation = {_SPOUSE}), '[]') AS spouse_rows
        FROM households_member m
        JOIN households_household h ON h.id = m.household_id
        WHERE {{scope}} AND {{in_register}} AND m.left_on IS NULL
        GROUP BY m.household_id
    ),
    problems AS (
        SELECT agg.household_id,
               CASE WHEN agg.heads = 0 THEN '[{{"code": "no_head"}}]'::jsonb ELSE '[]' END
               || CASE WHEN agg.heads > 1 THEN jsonb_build_array(jsonb_build_object('code', 'heads', 'count', agg.heads))
                       ELSE '[]' END
               || CASE WHEN agg.spouses > 1
                       THEN jsonb_build_array(jsonb_build_object('code', 'spouses', 'count', agg.spouses)) ELSE '[]' END
               || agg.wrong
               || CASE WHEN agg.heads = 1 AND agg.head_sex IN ('male', 'female') THEN COALESCE(
                      (SELECT jsonb_agg(s) FROM jsonb_array_elements(agg.spouse_rows) s
                       WHERE s ->> 'sex' = agg.head_sex), '[]') ELSE '[]' END AS items
        FROM agg
    )
    SELECT {_household_hit("jsonb_build_object('problems', p.items)")}
    FROM problems p JOIN households_household h ON h.id = p.household_id
    WHERE jsonb_array_length(p.items) > 0
"""  # noqa: S608 - constant fragments; values are bound parameters

# HH-2: the main cause names a condition no active member has.
_HH_2 = f"""
    SELECT {_household_hit("jsonb_build_object('cause', h.main_cause)")}
    FROM households_household h
    WHERE {{scope}} AND {{in_register}} AND h.main_cause IN ('illness', 'disability', 'schooling')
      AND EXISTS (SELECT 1 FROM households_member m WHERE m.household_id = h.id AND m.left_on IS NULL)
      AND NOT EXISTS (
          SELECT 1 FROM households_member m
          WHERE m.household_id = h.id AND m.left_on IS NULL AND CASE h.main_cause
              WHEN 'illness' THEN m.health IN ('chronic', 'serious_illness')
              WHEN 'disability' THEN m.health = 'disabled'
              ELSE m.school_status IN {_IN_SCHOOL} END
      )
"""  # noqa: S608 - constant fragments; values are bound parameters

# HH-3, both ways between the attribute and the guarantees: a 低保 household without a member receiving 低保, and a
# general household (一般贫困户) with one; a 特困 household without a member receiving 特困供养, or with a member of
# working age (16–60) and ordinary or skilled labour; 低保金 in the latest annual record with no member receiving 低保.
_HH_3 = f"""
    WITH facts AS (
        SELECT h.id,
               bool_or(m.receives_dibao) AS dibao,
               bool_or(m.receives_tekun) AS tekun,
               jsonb_agg(m.name ORDER BY m.id) FILTER (WHERE m.receives_dibao) AS dibao_names,
               jsonb_agg(m.name ORDER BY m.id) FILTER (
                   WHERE {_AGE} BETWEEN 16 AND 60 AND m.labour IN ('ordinary', 'skilled')) AS working
        FROM households_household h
        {_REF_JOIN}
        JOIN households_member m ON m.household_id = h.id AND m.left_on IS NULL
        WHERE {{scope}} AND {{in_register}} AND h.attribute IN ('general', 'dibao', 'tekun')
        GROUP BY h.id
    ),
    problems AS (
        SELECT facts.id, h.attribute,
               CASE WHEN h.attribute = 'dibao' AND NOT facts.dibao THEN '[{{"code": "no_dibao"}}]'::jsonb ELSE '[]' END
               || CASE WHEN h.attribute = 'general' AND facts.dibao
                       THEN jsonb_build_array(jsonb_build_object('code', 'general_dibao', 'names', facts.dibao_names))
                       ELSE '[]' END
               || CASE WHEN h.attribute = 'tekun' AND NOT facts.tekun THEN '[{{"code": "no_tekun"}}]'::jsonb ELSE '[]' END
               || CASE WHEN h.attribute = 'tekun' AND facts.working IS NOT NULL
                       THEN jsonb_build_array(jsonb_build_object('code', 'working', 'names', facts.working))
                       ELSE '[]' END
               || CASE WHEN r.dibao > 0 AND NOT facts.dibao
                       THEN jsonb_build_array(jsonb_build_object('code', 'dibao_income', 'year', r.year,
                                                                 'dibao', r.dibao::text))
                       ELSE '[]' END AS items
        FROM facts JOIN households_household h ON h.id = facts.id
        LEFT JOIN LATERAL (
            SELECT r0.year, r0.dibao FROM households_annualrecord r0 WHERE r0.household_id = h.id
            ORDER BY r0.year DESC LIMIT 1
        ) r ON true
    )
    SELECT {_household_hit("jsonb_build_object('attribute', p.attribute, 'problems', p.items)")}
    FROM problems p JOIN households_household h ON h.id = p.id
    WHERE jsonb_array_length(p.items) > 0
"""  # noqa: S608 - constant fragments; values are bound parameters

# HH-4: a healthy member of working age (16–60) recorded as having lost labour capacity.
_HH_4 = f"""
    SELECT {_member_hit(f"jsonb_build_object('name', m.name, 'age', {_AGE})")}
    FROM households_household h
    {_REF_JOIN}
    JOIN households_member m ON m.household_id = h.id AND m.left_on IS NULL
    WHERE {{scope}} AND {{in_register}} AND m.health = 'healthy' AND m.labour = 'lost'
      AND {_AGE} BETWEEN 16 AND 60
"""  # noqa: S608 - constant fragments; values are bound parameters

# The household's latest annual record (`r`) and its members on Dec 31 of that year (`m`).
_LATEST_RECORD = """
    CROSS JOIN LATERAL (
        SELECT * FROM households_annualrecord r0 WHERE r0.household_id = h.id ORDER BY r0.year DESC LIMIT 1
    ) r
"""
_ON_YEAR_END = (
    "m.household_id = h.id AND (m.joined_on IS NULL OR m.joined_on <= make_date(r.year::int, 12, 31))"
    " AND (m.left_on IS NULL OR m.left_on > make_date(r.year::int, 12, 31))"
)

# HH-5: wages without migrant work or migrant work without wages in the latest year; months worked
# outside 0–12.
_HH_5 = f"""
    WITH facts AS (
        SELECT h.id, r.year, r.wages,
               jsonb_agg(m.name ORDER BY m.id) FILTER (WHERE m.migrant_work <> 'none') AS migrants,
               jsonb_agg(m.name ORDER BY m.id) FILTER (WHERE m.migrant_months NOT BETWEEN 0 AND 12) AS months
        FROM households_household h
        {_LATEST_RECORD}
        JOIN households_member m ON {_ON_YEAR_END}
        WHERE {{scope}} AND {{in_register}}
        GROUP BY h.id, r.year, r.wages
    ),
    problems AS (
        SELECT facts.id, facts.year,
               CASE WHEN facts.wages > 0 AND facts.migrants IS NULL THEN jsonb_build_array(
                   jsonb_build_object('code', 'wages_without_migrant', 'wages', facts.wages::text)) ELSE '[]' END
               || CASE WHEN facts.wages = 0 AND facts.migrants IS NOT NULL THEN jsonb_build_array(
                   jsonb_build_object('code', 'migrant_without_wages', 'names', facts.migrants)) ELSE '[]' END
               || CASE WHEN facts.months IS NOT NULL THEN jsonb_build_array(
                   jsonb_build_object('code', 'months', 'names', facts.months)) ELSE '[]' END AS items
        FROM facts
    )
    SELECT {_household_hit("jsonb_build_object('year', p.year, 'problems', p.items)")}
    FROM problems p JOIN households_household h ON h.id = p.id
    WHERE jsonb_array_length(p.items) > 0
"""  # noqa: S608 - constant fragments; values are bound parameters

# HH-6: business income without business cost; per-capita net income ≤ 0 or above the ceiling (latest year).
_HH_6 = f"""
    SELECT {_household_hit("jsonb_build_object('year', r.year, 'problems', p.items)")}
    FROM households_household h
    {_LATEST_RECORD}
    CROSS JOIN LATERAL (
        SELECT CASE WHEN r.business_income > 0 AND r.business_cost = 0 THEN jsonb_build_array(
                   jsonb_build_object('code', 'no_cost', 'business_income', r.business_income::text)) ELSE '[]' END
               || CASE WHEN r.per_capita_income <= 0 THEN jsonb_build_array(
                   jsonb_build_object('code', 'income_low', 'per_capita_income', r.per_capita_income::text))
                       WHEN r.per_capita_income > {INCOME_CEILING} THEN jsonb_build_array(
                   jsonb_build_object('code', 'income_high', 'per_capita_income', r.per_capita_income::text,
                                      'ceiling', {INCOME_CEILING}))
                       ELSE '[]' END AS items
    ) p
    WHERE {{scope}} AND {{in_register}} AND jsonb_array_length(p.items) > 0
"""  # noqa: S608 - constant fragments; values are bound parameters

_SCHOOL_AGES_VALUES = ", ".join(
    f"('{status}', {low}, {high})" for level, (low, high) in SCHOOL_AGES.items() for status in SCHOOL_GRADES[level]
)

# HH-7: a school status implausible at the member's age, or a child of compulsory-school age out of
# school without a recorded dropout.
_HH_7 = f"""
    SELECT {_member_hit(_HH_7_DETAIL)}
    FROM households_household h
    {_REF_JOIN}
    JOIN households_member m ON m.household_id = h.id AND m.left_on IS NULL
    LEFT JOIN (VALUES {_SCHOOL_AGES_VALUES}) AS s(status, low, high) ON s.status = m.school_status
    WHERE {{scope}} AND {{in_register}} AND (
        (s.status IS NOT NULL AND {_AGE} NOT BETWEEN s.low AND s.high)
        OR (m.school_status = 'not_in_school' AND m.dropout IS NOT TRUE
            AND {_AGE} BETWEEN {COMPULSORY_AGES[0]} AND {COMPULSORY_AGES[1]}))
"""  # noqa: S608 - constant fragments; values are bound parameters

# HH-8: a poor household without a pairing active today.
_HH_8 = f"""
    SELECT {_household_hit("'{}'::jsonb")}
    FROM households_household h
    WHERE {{scope}} AND h.status = 'poor'
      AND NOT EXISTS (
          SELECT 1 FROM cadres_pairing p
          WHERE p.household_id = h.id AND p.starts_on <= %(today)s::date
            AND (p.ends_on IS NULL OR p.ends_on > %(today)s::date)
      )
"""  # noqa: S608 - constant fragments; values are bound parameters

_HH_10 = f"""
    SELECT {_household_hit("'{}'::jsonb")}
    FROM households_household h
    WHERE {{scope}} AND {{in_register}}
      AND NOT EXISTS (SELECT 1 FROM households_member m WHERE m.household_id = h.id AND m.left_on IS NULL)
"""  # noqa: S608 - constant fragments; values are bound parameters


@dataclass(frozen=True)
class Scope:
    """What a run looks at: a region's subtree (its code prefix), maybe only some households, and the day."""

    prefix: str
    household_ids: tuple[int, ...] | None
    today: date


# HH-9 ------------------------------------------------------------------------------------------------------

_RecordRow = namedtuple(
    "_RecordRow",
    "household_id village_id year per_capita_income members_counted food_secure clothing_secure housing_grade "
    "renovation_year relocation_done water_safe water_access_ok",
)
_MemberRow = namedtuple(
    "_MemberRow",
    "household_id name birth_date dropout dropout_reason medical_insurance employee_medical_insurance "
    "serious_illness_insurance joined_on left_on",
)


def _standards_by_year(years) -> dict[int, list]:
    found = defaultdict(list)
    for standard in PolicyStandard.objects.filter(year__in=sorted(years)):
        found[standard.year].append(standard)
    return found


class _Standards:
    """The standard facts that apply to a village in a year, looked up once per (year, village)."""

    def __init__(self, years):
        self._rows = _standards_by_year(years)
        self._facts = eligibility.standard_facts_of
        self._found: dict[tuple[int, str], object] = {}

    def __call__(self, year: int, village_code: str):
        key = (year, village_code)
        if key not in self._found:
            standard = household_rules.most_specific_standard(self._rows.get(year, []), village_code)
            self._found[key] = None if standard is None else self._facts(standard=standard)
        return self._found[key]


# The annual record of each exited household's exit year. The exit is the household's latest status change (it
# is `exited`); its year is the one its exit procedure evaluated (the plan year: an approval in January may close
# the previous year's plan), else the year the change took effect. A later year's record that falls short is a
# relapse (返贫, for monitoring), not evidence that the exit was wrong.
_EXIT_YEAR_RECORDS = f"""
    SELECT r.id
    FROM (
        SELECT DISTINCT ON (c.household_id) c.household_id, c.status,
               COALESCE((p.evaluation ->> 'year')::int, extract(year FROM c.effective_on)::int) AS year
        FROM {StatusChange._meta.db_table} c
        JOIN households_household h ON h.id = c.household_id
        LEFT JOIN {Procedure._meta.db_table} p ON p.id = c.procedure_id
        WHERE h.status = 'exited' AND h.village_id LIKE %s AND (%s OR h.id = ANY(%s::bigint[]))
        ORDER BY c.household_id, c.effective_on DESC, c.id DESC
    ) exit
    JOIN households_annualrecord r ON r.household_id = exit.household_id AND r.year = exit.year
    WHERE exit.status = 'exited'
"""  # noqa: S608 - our own table names; values are bound parameters


def wrong_exits(scope: Scope) -> list[dict]:
    """HH-9 (疑似错退): exited households whose exit evaluation of their exit year's annual record fails now.

    Three reads (the exit years' records, the members, the standards) and the pure lifecycle.eligibility
    evaluation per household. A check that fails makes a hit; a check that cannot be judged for lack
    of data (missing) does not by itself, since it is no evidence of a wrong exit, but is named beside.
    A household without a record of its exit year is not judged.
    """
    members = Member.objects.filter(household__status="exited", household__village__code__startswith=scope.prefix)
    if scope.household_ids is not None:
        members = members.filter(household_id__in=scope.household_ids)
    every = scope.household_ids is None
    ids = [] if every else list(scope.household_ids)
    chosen = RawSQL(_EXIT_YEAR_RECORDS, (f"{scope.prefix}%", every, ids))  # noqa: S611 - constant SQL, bound values
    latest = [
        _RecordRow(*row)
        for row in AnnualRecord.objects.filter(id__in=chosen).order_by("household_id").values_list(
            "household_id", "household__village_id", *_RecordRow._fields[2:]
        )
    ]
    if not latest:
        return []
    people = defaultdict(list)
    for row in members.order_by("id").values_list(*_MemberRow._fields):
        people[row[0]].append(_MemberRow(*row))
    standard_for = _Standards({row.year for row in latest})
    hits = []
    # Sentences in the source language (Chinese), the same whoever runs the rules; without a
    # translation catalogue to consult, the evaluation of a county's exited households is quick.
    with translation.override(None):
        for row in latest:
            evaluation = eligibility.evaluate_exit(
                year=row.year,
                line="poverty",
                record=eligibility.record_facts_of(record=row),
                members=eligibility.members_at_year_end(members=people[row.household_id], year=row.year),
                standard=standard_for(row.year, row.village_id),
            )
            failing = [check for check in evaluation.checks if check.result == eligibility.FAIL]
            if not failing:
                continue
            hits.append(
                {
                    "key": f"household:{row.household_id}",
                    "village_id": row.village_id,
                    "household_id": row.household_id,
                    "member_id": None,
                    "detail": {
                        "year": row.year,
                        "failing": [check.name for check in failing],
                        "missing": [check.name for check in evaluation.checks if check.result == eligibility.MISSING],
                        "checks": [
                            {"name": check.name, "result": check.result, "sentence": check.sentence}
                            for check in evaluation.checks
                            if check.result != eligibility.PASS
                        ],
                        "standard": evaluation.standard.id if evaluation.standard else None,
                    },
                }
            )
    return hits


RULES: dict[str, str | Callable[[Scope], list[dict]]] = {
    "ID-1": _ID_1,
    "ID-2": _ID_2,
    "ID-3": _ID_3,
    "HH-1": _HH_1,
    "HH-2": _HH_2,
    "HH-3": _HH_3,
    "HH-4": _HH_4,
    "HH-5": _HH_5,
    "HH-6": _HH_6,
    "HH-7": _HH_7,
    "HH-8": _HH_8,
    "HH-9": wrong_exits,
    "HH-10": _HH_10,
}

# The engine ------------------------------------------------------------------------------------------------

_SCOPE = "h.village_id LIKE %(prefix)s AND (%(all)s OR h.id = ANY(%(ids)s))"

_CREATE_HITS = """
    CREATE TEMP TABLE checks_hits (
        rule text, key text, village_id varchar(12), household_id bigint, member_id bigint, detail jsonb
    )
"""

_LOAD = """
    INSERT INTO checks_hits
    SELECT %(rule)s, x.key, x.village_id, x.household_id, x.member_id, x.detail
    FROM jsonb_to_recordset(%(hits)s::jsonb)
         AS x(key text, village_id varchar(12), household_id bigint, member_id bigint, detail jsonb)
"""

_INSERT = """
    INSERT INTO checks_finding (rule, severity, source, key, village_id, household_id, member_id, detail, found_at,
                                status, resolution, run_id, created_at, updated_at, version)
    SELECT DISTINCT ON (hit.rule, hit.key) hit.rule, %(severities)s::jsonb ->> hit.rule, 'rule', hit.key,
           hit.village_id, hit.household_id, hit.member_id, hit.detail, %(now)s, 'open', '', %(run)s, %(now)s,
           %(now)s, 1
    FROM checks_hits hit
    WHERE (hit.rule, hit.key) NOT IN (
        SELECT f.rule, f.key FROM checks_finding f WHERE f.rule = ANY(%(rules)s) AND f.status = 'confirmed_correct'
    )
    ORDER BY hit.rule, hit.key
    ON CONFLICT (rule, key) WHERE status = 'open'
    DO UPDATE SET detail = EXCLUDED.detail, updated_at = EXCLUDED.updated_at
              WHERE checks_finding.detail IS DISTINCT FROM EXCLUDED.detail
    RETURNING rule, (xmax = 0) AS inserted
"""

_CLOSE = """
    UPDATE checks_finding f
    SET status = 'fixed', resolved_at = %(now)s, closed_by_run_id = %(run)s, updated_at = %(now)s
    WHERE f.rule = ANY(%(rules)s) AND f.source = 'rule' AND f.status = 'open'
      AND f.village_id LIKE %(prefix)s AND (%(all)s OR f.household_id = ANY(%(ids)s))
      AND (f.rule, f.key) NOT IN (SELECT hit.rule, hit.key FROM checks_hits hit)
    RETURNING f.rule
"""


def rule_sql(rule: str) -> str:
    """The rule's SELECT with its placeholders filled (for reading, EXPLAIN and the tests)."""
    return RULES[rule].replace("{scope}", _SCOPE).replace("{in_register}", IN_REGISTER)


def _load_hits(cursor, *, rule: str, params: dict, scope: Scope) -> int:
    """Add the rule's hits to the run's temporary table; returns how many."""
    body = RULES[rule]
    if callable(body):
        hits = body(scope)
        cursor.execute(_LOAD, {"rule": rule, "hits": json.dumps(hits, ensure_ascii=False, default=str)})
        return len(hits)
    sql = f"INSERT INTO checks_hits SELECT %(rule)s, hit.* FROM ({rule_sql(rule)}) hit"  # noqa: S608 - the rule's constant SQL
    cursor.execute(sql, {**params, "rule": rule})
    return cursor.rowcount


def _sync(cursor, *, rules: list[str], params: dict, found: int) -> dict[str, dict]:
    """Open the new hits of all the run's rules, update the facts of open ones, close those no longer hit."""
    if params["all"] or found > 100:  # the few hits of a step's run plan well without statistics
        cursor.execute("ANALYZE pg_temp.checks_hits")
    severities = json.dumps({rule: catalog.CODES[rule].severity for rule in rules})
    synced = {rule: {"opened": 0, "closed": 0} for rule in rules}
    cursor.execute(_INSERT, {**params, "rules": rules, "severities": severities})
    for rule, inserted in cursor.fetchall():
        synced[rule]["opened"] += bool(inserted)
    cursor.execute(_CLOSE, {**params, "rules": rules})
    for (rule,) in cursor.fetchall():
        synced[rule]["closed"] += 1
    return synced


# The tables the rules read. Without statistics (a register bulk-loaded into a database where autovacuum is
# off, as the demo county is) PostgreSQL plans the rules' joins as nested loops over "empty" tables and a
# county's run takes minutes instead of seconds; with them, seconds.
_READ_TABLES = [
    "households_household", "households_member", "households_annualrecord", "households_policystandard",
    "cadres_cadre", "cadres_pairing", "checks_finding",
]  # fmt: skip
_STALE_STATISTICS = """
    SELECT c.relname
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
    LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
    WHERE c.relname = ANY(%(tables)s)
      AND (c.reltuples < 0 OR COALESCE(s.n_mod_since_analyze, 0) > GREATEST(c.reltuples, 1000))
    ORDER BY c.relname
"""


def _ensure_statistics(cursor) -> list[str]:
    """ANALYZE the tables the rules read whose statistics are missing or far behind their rows (more rows changed
    since the last analysis than the table had then); returns their names."""
    cursor.execute(_STALE_STATISTICS, {"tables": _READ_TABLES})
    stale = [name for (name,) in cursor.fetchall()]
    for name in stale:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")
    return stale


def unknown_rules(rules) -> list[str]:
    """The codes among `rules` that are not register rules."""
    return [rule for rule in rules if rule not in RULES]


def run_rules(
    *, region_code: str, household_ids=None, rules=None, user=None, trigger: str = "command"
) -> RuleRun:
    """Run the register rules over a region (or some of its households) and sync the findings (规则校验)."""
    rules = list(dict.fromkeys(rules)) if rules else list(RULES)
    unknown = unknown_rules(rules)
    if unknown:
        raise ValueError(f"unknown rules: {', '.join(unknown)}")
    rules = [rule for rule in RULES if rule in rules]  # the catalogue's order
    region = Region.objects.get(pk=region_code)
    ids = [int(i) for i in household_ids] if household_ids is not None else []
    started = timezone.now()
    today = timezone.localdate()
    prefix = significant_prefix(region.code)
    scope = Scope(prefix=prefix, household_ids=tuple(ids) if household_ids is not None else None, today=today)
    with transaction.atomic(), pghistory.context(rule_run=trigger), connection.cursor() as cursor:
        # The rules are short statements with long expressions: compiling them costs more than it saves.
        cursor.execute("SET LOCAL jit = off")
        # Their lateral subqueries run once per row with different values: a cache of them never hits.
        cursor.execute("SET LOCAL enable_memoize = off")
        _ensure_statistics(cursor)
        run = RuleRun.objects.create(
            region=region, household_id=ids[0] if len(ids) == 1 else None, rules=rules, trigger=trigger,
            started_at=started, started_by=user if getattr(user, "pk", None) else None,
        )  # fmt: skip
        params = {
            "prefix": prefix + "%",
            "all": household_ids is None,
            "ids": ids,
            "now": started,
            "run": run.pk,
            "today": today,
            "ws": WHITESPACE,
        }
        # Every rule's hits into one temporary table (timed per rule), then one sync for them all.
        cursor.execute("DROP TABLE IF EXISTS pg_temp.checks_hits")
        cursor.execute(_CREATE_HITS)
        found, took = {}, {}
        for rule in rules:
            began = time.perf_counter()
            found[rule] = _load_hits(cursor, rule=rule, params=params, scope=scope)
            took[rule] = round((time.perf_counter() - began) * 1000)
        synced = _sync(cursor, rules=rules, params=params, found=sum(found.values()))
        cursor.execute("DROP TABLE pg_temp.checks_hits")
        run.counts = {rule: {"found": found[rule], **synced[rule], "ms": took[rule]} for rule in rules}
        run.finished_at = timezone.now()
        run.save(update_fields=["counts", "finished_at"])
    return run
