"""Taking a procedure's steps in tests, each by its role, through the services."""

import datetime

from lifecycle import services as lifecycle
from lifecycle import workflow


def advance(users, procedure, *, until=None, start=None):
    """Take the procedure's steps through the services, each by its role, stopping before `until`; the last day."""
    team, town, county = users["village_team"], users["township_reviewer"], users["county_officer"]
    procedure.refresh_from_db()
    day = start or procedure.opened_on + datetime.timedelta(days=1)
    for step in workflow.STEPS[procedure.kind][procedure.position :]:
        if step == until:
            break
        actor = {"township_review": town, "second_notice": town, "county_approval": county}.get(step, team)
        data = {}
        if step in workflow.NOTICE_STEPS:
            data = {"start": day, "end": day + datetime.timedelta(days=7)}
        if step == "appraisal":
            data = {"votes_for": 20, "votes_against": 1}
        lifecycle.procedure_step(user=actor, procedure=procedure, step=step, decision="approve", on=day, data=data)
        day = day + datetime.timedelta(days=8 if data.get("end") else 1)
    procedure.refresh_from_db()
    return day
