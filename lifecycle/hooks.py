"""Guards the apps above the lifecycle put before its steps, without the lifecycle importing them.

A guard is `guard(*, household, kind, user)`: it returns to let the procedure go on and raises a
DomainError to refuse. The checks register their finding gate (checks.findings.refuse_if_blocked)
in ChecksConfig.ready(); the lifecycle calls every guard before a procedure is opened and before
a step is taken in an open one.
"""

_step_guards = []


def register_step_guard(guard) -> None:
    """Run `guard` before every procedure opening and step (registered once, however often called)."""
    if guard not in _step_guards:
        _step_guards.append(guard)


def run_step_guards(*, household, kind: str, user) -> None:
    for guard in tuple(_step_guards):
        guard(household=household, kind=kind, user=user)


# Open findings beside a review queue's rows -----------------------------------------------------------------------
#
# A source is `source(*, kinds: dict[int, str], user) -> dict[int, list[dict]]`: for each household id (with the
# kind of its procedure under review) the open findings the user may read, each {"rule", "severity", "sentence",
# "blocks"} (blocks: whether it refuses a step of that kind). One query whatever the households. The checks register
# theirs in ChecksConfig.ready(); without one the queue shows no findings.

_finding_sources = []


def register_finding_source(source) -> None:
    """Let `source` tell the review queues which findings are open on their households (registered once)."""
    if source not in _finding_sources:
        _finding_sources.append(source)


def open_findings(*, kinds: dict[int, str], user) -> dict[int, list[dict]]:
    """The open findings of these households from every registered source, merged per household."""
    merged: dict[int, list[dict]] = {}
    if not kinds:
        return merged
    for source in tuple(_finding_sources):
        for household_id, findings in source(kinds=kinds, user=user).items():
            merged.setdefault(household_id, []).extend(findings)
    return merged
