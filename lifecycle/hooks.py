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
