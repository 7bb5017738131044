"""The procedures of docs/workflows.md as data and pure functions: which steps, in what order, by whom.

No database here: the lifecycle services (lifecycle.services) ask these functions and write.
"""

from core.roles import Capability
from households.choices import MonitoringStatus, RegistryStatus
from lifecycle.choices import ProcedureKind, Step

K, S = ProcedureKind, Step

STEPS: dict[str, tuple[str, ...]] = {
    K.IDENTIFICATION: (
        S.APPLICATION, S.APPRAISAL, S.VERIFICATION, S.FIRST_NOTICE, S.TOWNSHIP_REVIEW, S.SECOND_NOTICE, S.COUNTY_APPROVAL,
    ),
    K.EXIT: (S.PROPOSAL, S.APPRAISAL, S.VERIFICATION, S.CONSENT, S.NOTICE, S.TOWNSHIP_REVIEW, S.COUNTY_APPROVAL),
    K.RETURN: (S.PROPOSAL, S.VERIFICATION, S.APPRAISAL, S.NOTICE, S.TOWNSHIP_REVIEW, S.COUNTY_APPROVAL),
    K.REMOVAL: (S.PROPOSAL, S.VERIFICATION, S.NOTICE, S.TOWNSHIP_REVIEW, S.COUNTY_APPROVAL),
    K.MONITORING: (S.ALERT, S.VERIFICATION, S.CONSENT, S.APPRAISAL, S.NOTICE, S.TOWNSHIP_REVIEW, S.COUNTY_APPROVAL),
    K.RISK_ELIMINATION: (S.PROPOSAL, S.VERIFICATION, S.APPRAISAL, S.NOTICE, S.TOWNSHIP_REVIEW, S.COUNTY_APPROVAL),
    # 自然销户: nobody is left to appraise or to give notice to; the township reviews, the county approves.
    K.CLOSING: (S.PROPOSAL, S.VERIFICATION, S.TOWNSHIP_REVIEW, S.COUNTY_APPROVAL),
}  # fmt: skip

NOTICE_STEPS = frozenset({S.FIRST_NOTICE, S.SECOND_NOTICE, S.NOTICE})
# Steps whose actors may not approve the same procedure at township or county level (maker-checker).
MAKER_STEPS = frozenset({S.APPLICATION, S.ALERT, S.PROPOSAL, S.VERIFICATION})
CHECKER_STEPS = frozenset({S.TOWNSHIP_REVIEW, S.COUNTY_APPROVAL})


def step_capabilities(step: str) -> tuple[str, ...]:
    """Who may take a step (any one of these capabilities): township review by a township reviewer; the
    township's second notice 乡镇公示 by a township reviewer or the county office; county approval by the
    county office; every village step by the village team (or the county office)."""
    if step == S.TOWNSHIP_REVIEW:
        return (Capability.TOWNSHIP_REVIEW,)
    if step == S.SECOND_NOTICE:
        return (Capability.TOWNSHIP_REVIEW, Capability.COUNTY_ADMINISTRATION)
    if step == S.COUNTY_APPROVAL:
        return (Capability.COUNTY_ADMINISTRATION,)
    return (Capability.VILLAGE_STEPS,)


# The registry status a household must have for a procedure to start ("" = never decided).
ALLOWED_START: dict[str, frozenset[str]] = {
    K.IDENTIFICATION: frozenset({"", RegistryStatus.REJECTED}),
    K.EXIT: frozenset({RegistryStatus.POOR}),
    K.RETURN: frozenset({RegistryStatus.EXITED}),
    K.REMOVAL: frozenset({RegistryStatus.POOR, RegistryStatus.EXITED}),
    K.MONITORING: frozenset({"", RegistryStatus.EXITED, RegistryStatus.REJECTED}),
    K.RISK_ELIMINATION: frozenset(),  # decided by the monitoring status, see may_start
    # Only a registered household is closed: `closed` counts as registered (households.choices).
    K.CLOSING: frozenset({RegistryStatus.POOR, RegistryStatus.EXITED}),
}


def may_start(*, kind: str, status: str, monitoring_status: str) -> bool:
    """Whether a household with these statuses may enter a procedure of this kind."""
    if kind == K.RISK_ELIMINATION:
        return monitoring_status == MonitoringStatus.MONITORED
    if kind == K.MONITORING and monitoring_status == MonitoringStatus.MONITORED:
        return False
    return status in ALLOWED_START[kind]


def outcome(kind: str) -> tuple[str, str, bool]:
    """What an approved procedure writes: ("registry" | "monitoring", the new status, returned)."""
    return {
        K.IDENTIFICATION: ("registry", RegistryStatus.POOR, False),
        K.EXIT: ("registry", RegistryStatus.EXITED, False),
        K.RETURN: ("registry", RegistryStatus.POOR, True),
        K.REMOVAL: ("registry", RegistryStatus.REMOVED, False),
        K.MONITORING: ("monitoring", MonitoringStatus.MONITORED, False),
        K.RISK_ELIMINATION: ("monitoring", MonitoringStatus.RISK_ELIMINATED, False),
        K.CLOSING: ("registry", RegistryStatus.CLOSED, False),
    }[kind]


def next_step(kind: str, position: int) -> str | None:
    steps = STEPS[kind]
    return steps[position] if position < len(steps) else None


def proposal_needs_no_members(kind: str) -> bool:
    """Whether the procedure is taken only for a household none of whose members is left (自然销户)."""
    return kind == K.CLOSING


def names_plan_year(kind: str) -> bool:
    """Whether the county approval names the plan year the decision counts in (an exit: 脱贫计划年度)."""
    return kind == K.EXIT


def needs_eligibility(kind: str) -> str | None:
    """The line the proposal's eligibility evaluation uses, or None when the kind needs none."""
    return {K.EXIT: "poverty", K.RISK_ELIMINATION: "monitoring"}.get(kind)
