"""The procedures of docs/workflows.md as data and pure functions: which steps, in what order, by whom.

No database here: the lifecycle services (lifecycle.services) ask these functions and write.
"""

from core.roles import Capability
from households.choices import MonitoringStatus, RegistryStatus
from lifecycle.choices import MonitoringType, ProcedureKind, Step, VillageStep

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
    # A removed household (清退) may be identified again when its circumstances change, with a recorded reason.
    K.IDENTIFICATION: frozenset({"", RegistryStatus.REJECTED, RegistryStatus.REMOVED}),
    K.EXIT: frozenset({RegistryStatus.POOR}),
    K.RETURN: frozenset({RegistryStatus.EXITED}),
    K.REMOVAL: frozenset({RegistryStatus.POOR, RegistryStatus.EXITED}),
    K.MONITORING: frozenset({"", RegistryStatus.EXITED, RegistryStatus.REJECTED, RegistryStatus.REMOVED}),
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


# The registry statuses each monitoring object type is for (workflows.md, corrected): 脱贫不稳定户 only an exited
# household; 边缘易致贫户 a rural household never registered ("", identification refused) or removed (清退);
# 突发严重困难户 any rural household the monitoring reaches (every status ALLOWED_START[monitoring] admits).
MONITORING_TYPE_STATUSES: dict[str, frozenset[str]] = {
    MonitoringType.UNSTABLE_EXITED: frozenset({RegistryStatus.EXITED}),
    MonitoringType.MARGINAL: frozenset({"", RegistryStatus.REJECTED, RegistryStatus.REMOVED}),
    MonitoringType.SUDDEN_HARDSHIP: ALLOWED_START[K.MONITORING],
}


def monitoring_type_allowed(*, monitoring_type: str, status: str) -> bool:
    """Whether a household with this registry status may become a monitoring object of this type."""
    return status in MONITORING_TYPE_STATUSES.get(monitoring_type, frozenset())


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


# Identification and return close with 2020: since 2021 monitoring (防返贫监测) is the work.
LAST_ENTRY_YEAR = 2020
ENTRY_KINDS = frozenset({K.IDENTIFICATION, K.RETURN})
# The decisions at which the eligibility evaluation runs again (besides the opening and after an upheld objection).
DECISION_STEPS = frozenset({S.TOWNSHIP_REVIEW, S.COUNTY_APPROVAL})


def open_in_year(kind: str, year: int) -> bool:
    """Whether a procedure of this kind may be opened in a year: identification and return only up to 2020."""
    return kind not in ENTRY_KINDS or year <= LAST_ENTRY_YEAR


def reidentifies(kind: str, status: str) -> bool:
    """Whether this is the identification of a removed household (清退户再次识别), which needs a recorded reason."""
    return kind == K.IDENTIFICATION and status == RegistryStatus.REMOVED


def appraisal_approves(*, votes_for: int, votes_against: int, participants: int) -> bool:
    """An appraisal (民主评议) approves with a majority of the votes cast: more for than against, and more than half
    of those taking part."""
    return votes_for > votes_against and 2 * votes_for > participants


# Village exit (贫困村出列, workflows.md): a procedure of the village, not of a household ----------------------------

V = VillageStep
VILLAGE_EXIT_STEPS: tuple[str, ...] = (V.PROPOSAL, V.COUNTY_REVIEW, V.NOTICE, V.ANNOUNCEMENT)
# The decisions at which the village exit evaluation must pass (the proposal's is taken when it is opened).
VILLAGE_DECISION_STEPS = frozenset({V.PROPOSAL, V.COUNTY_REVIEW, V.ANNOUNCEMENT})


def village_step_capabilities(step: str) -> tuple[str, ...]:
    """Who may take a village exit step: the township proposes 乡镇提出, the county office reviews 县级审核 and announces
    公告, the village team (or the county office) runs the village notice 村内公示 and records its objections."""
    if step == V.PROPOSAL:
        return (Capability.TOWNSHIP_REVIEW,)
    if step == V.NOTICE:
        return (Capability.VILLAGE_STEPS,)
    return (Capability.COUNTY_ADMINISTRATION,)


def next_village_step(position: int) -> str | None:
    return VILLAGE_EXIT_STEPS[position] if position < len(VILLAGE_EXIT_STEPS) else None
