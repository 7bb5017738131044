"""The year-end adjustment report as a pure function: every flow, and start + changes = end, on tricky days."""

import datetime

import pytest

from reports.rules import Change, Membership, annual_adjustment

D = datetime.date


def member(household, joined=None, left=None, join_reason="registration", left_reason=""):
    return Membership(household, joined, join_reason, left, left_reason)


def test_identification_exit_and_natural_changes():
    """Two households poor at the start; one exits with 2 people, one gains a baby and loses a grandfather."""
    changes = [
        Change(1, D(2014, 4, 1), "poor", False),
        Change(2, D(2014, 4, 1), "poor", False),
        Change(1, D(2016, 11, 20), "exited", False),
        Change(3, D(2016, 5, 1), "poor", False),  # newly identified in the year
    ]
    members = [
        member(1), member(1),
        member(2), member(2, left=D(2016, 3, 3), left_reason="deceased"), member(2, joined=D(2016, 7, 9), join_reason="birth"),
        member(3), member(3), member(3),
    ]  # fmt: skip
    report = annual_adjustment(year=2016, changes=changes, members=members)
    h, p = report["households"], report["people"]
    assert (h["start"], h["identified"], h["exited"], h["end"]) == (2, 1, 1, 2)
    assert (p["start"], p["identified"], p["exited"], p["births"], p["deaths"], p["end"]) == (4, 3, 2, 1, 1, 5)
    assert report["balanced"] is True


def test_a_birth_on_the_exit_day_leaves_with_the_household():
    """Joining on the day of a decision: counted as a birth (poor the day before) and then as exited."""
    changes = [Change(1, D(2014, 4, 1), "poor", False), Change(1, D(2016, 6, 1), "exited", False)]
    members = [member(1), member(1, joined=D(2016, 6, 1), join_reason="birth")]
    p = annual_adjustment(year=2016, changes=changes, members=members)["people"]
    assert (p["start"], p["births"], p["exited"], p["end"]) == (1, 1, 2, 0)


def test_a_death_on_the_exit_day_is_a_death_not_an_exit():
    changes = [Change(1, D(2014, 4, 1), "poor", False), Change(1, D(2016, 6, 1), "exited", False)]
    members = [member(1), member(1, left=D(2016, 6, 1), left_reason="deceased")]
    p = annual_adjustment(year=2016, changes=changes, members=members)["people"]
    assert (p["start"], p["deaths"], p["exited"], p["end"]) == (2, 1, 1, 0)


def test_returned_removed_and_closed():
    changes = [
        Change(1, D(2014, 4, 1), "poor", False), Change(1, D(2016, 11, 1), "exited", False),
        Change(1, D(2017, 8, 1), "poor", True),
        Change(2, D(2014, 4, 1), "poor", False), Change(2, D(2017, 9, 1), "removed", False),
        Change(3, D(2014, 4, 1), "poor", False), Change(3, D(2017, 10, 1), "closed", False),
    ]  # fmt: skip
    members = [member(1), member(2), member(2), member(3, left=D(2017, 9, 30), left_reason="deceased")]
    report = annual_adjustment(year=2017, changes=changes, members=members)
    h, p = report["households"], report["people"]
    assert (h["start"], h["returned"], h["removed"], h["closed"], h["end"]) == (2, 1, 1, 1, 1)
    assert (p["start"], p["returned"], p["removed"], p["deaths"], p["closed"], p["end"]) == (3, 1, 2, 1, 0, 1)


def test_the_same_data_gives_the_same_report_for_a_past_year_later():
    """Later changes do not alter an earlier year's report (read from dated episodes)."""
    changes = [Change(1, D(2014, 4, 1), "poor", False)]
    members = [member(1)]
    before = annual_adjustment(year=2015, changes=changes, members=members)
    later = annual_adjustment(
        year=2015, changes=[*changes, Change(1, D(2016, 11, 1), "exited", False)],
        members=[*members, member(1, joined=D(2017, 2, 1), join_reason="birth")],
    )  # fmt: skip
    assert before == later


def test_the_households_on_the_register_follow_removals_and_closings_of_exited_households():
    """Exited households leave no trace in the poor stock when removed or closed; on the register (poor + exited)
    the removal and the closing appear, exits and returns move inside it, and both stocks balance."""
    changes = [
        Change(1, D(2014, 4, 1), "poor", False), Change(1, D(2015, 11, 1), "exited", False),
        Change(1, D(2017, 3, 1), "removed", False),  # an exited household found never to have qualified
        Change(2, D(2014, 4, 1), "poor", False), Change(2, D(2015, 11, 1), "exited", False),
        Change(2, D(2017, 6, 1), "closed", False),  # its last member died in May
        Change(3, D(2014, 4, 1), "poor", False), Change(3, D(2017, 11, 1), "exited", False),
        Change(4, D(2014, 4, 1), "poor", False), Change(4, D(2015, 11, 1), "exited", False),
        Change(4, D(2017, 8, 1), "poor", True),
        Change(5, D(2017, 5, 1), "poor", False),
    ]  # fmt: skip
    members = [
        member(1), member(1), member(1),
        member(2, left=D(2017, 5, 20), left_reason="deceased"),
        member(3), member(3, joined=D(2017, 2, 1), join_reason="birth"),
        member(4), member(4),
        member(5),
    ]  # fmt: skip
    report = annual_adjustment(year=2017, changes=changes, members=members)
    poor_h, poor_p = report["households"], report["people"]
    assert (poor_h["start"], poor_h["identified"], poor_h["returned"], poor_h["exited"], poor_h["end"]) == (1, 1, 1, 1, 2)
    assert (poor_h["removed"], poor_h["closed"]) == (0, 0)
    assert (poor_p["start"], poor_p["births"], poor_p["exited"], poor_p["end"]) == (1, 1, 2, 3)
    h, p = report["on_register"]["households"], report["on_register"]["people"]
    assert (h["start"], h["identified"], h["removed"], h["closed"], h["end"]) == (4, 1, 1, 1, 3)
    assert (h["exited"], h["returned"]) == (1, 1)  # moves inside the stock, outside its balance
    assert (p["start"], p["identified"], p["births"], p["deaths"], p["removed"], p["closed"], p["end"]) == (
        7, 1, 1, 1, 3, 0, 5,
    )  # fmt: skip
    assert h["start"] + h["identified"] + h["other_in"] - h["removed"] - h["closed"] - h["other_out"] == h["end"]


def test_a_removed_household_identified_again_enters_the_register_as_other_in():
    changes = [
        Change(1, D(2014, 4, 1), "poor", False), Change(1, D(2015, 3, 1), "removed", False),
        Change(1, D(2016, 9, 1), "poor", False),
    ]  # fmt: skip
    report = annual_adjustment(year=2016, changes=changes, members=[member(1)])
    assert report["households"]["other_in"] == 1 and report["on_register"]["households"]["other_in"] == 1
    assert report["on_register"]["households"]["identified"] == 0
    assert report["on_register"]["people"]["end"] == 1


def test_an_unbalanced_register_is_never_reported(monkeypatch):
    """A flow the balance does not weigh (a bug) raises instead of giving a report."""
    from reports import rules

    monkeypatch.setitem(rules._OUT, "on_register", ("removed", "other_out"))  # forget the closings
    changes = [Change(1, D(2014, 4, 1), "poor", False), Change(1, D(2016, 2, 1), "closed", False)]
    with pytest.raises(rules.UnbalancedReport, match="on_register households"):
        annual_adjustment(year=2016, changes=changes, members=[])


def test_the_households_behind_each_figure_are_as_many_as_the_figure_says():
    """households_counted names, for every household figure of both stocks, exactly as many households as the
    report counts there, and the right ones: an exit, a return, a removal of an exited household, a new one."""
    from reports.rules import HOUSEHOLD_KEYS, households_counted

    changes = [
        Change(1, D(2014, 4, 1), "poor", False),
        Change(2, D(2014, 4, 1), "poor", False),
        Change(3, D(2014, 4, 1), "poor", False),
        Change(3, D(2015, 10, 1), "exited", False),
        Change(1, D(2016, 11, 20), "exited", False),
        Change(3, D(2016, 2, 1), "poor", True),  # returned 返贫
        Change(4, D(2014, 4, 1), "poor", False),
        Change(4, D(2015, 10, 1), "exited", False),
        Change(4, D(2016, 8, 1), "removed", False),  # an exited household removed 清退
        Change(5, D(2016, 5, 1), "poor", False),  # newly identified
    ]
    report = annual_adjustment(year=2016, changes=changes, members=[])
    for stock, figures in (("poor", report["households"]), ("on_register", report["on_register"]["households"])):
        for key in HOUSEHOLD_KEYS:
            found = households_counted(year=2016, changes=changes, stock=stock, key=key)
            assert len(found) == figures[key], (stock, key)
    assert households_counted(year=2016, changes=changes, stock="poor", key="exited") == {1}
    assert households_counted(year=2016, changes=changes, stock="poor", key="returned") == {3}
    assert households_counted(year=2016, changes=changes, stock="poor", key="identified") == {5}
    assert households_counted(year=2016, changes=changes, stock="poor", key="end") == {2, 3, 5}
    assert households_counted(year=2016, changes=changes, stock="on_register", key="removed") == {4}
    assert households_counted(year=2016, changes=changes, stock="on_register", key="end") == {1, 2, 3, 5}
