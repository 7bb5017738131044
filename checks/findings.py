"""Services of findings (核查问题): raise one, close one, and the gate that refuses procedure steps.

Every write to findings goes through here or through the rule engine's set-based sync
(checks.register_rules); both keep the invariant "at most one open finding per (rule, key)".
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from checks import catalog
from checks.choices import FindingStatus, Severity
from checks.models import Finding
from checks.register_rules import run_rules
from checks.selectors import findings_in_scope
from core.errors import DomainError
from core.masking import masked_finding_detail
from core.personal import may_see_personal_data
from core.roles import Capability
from core.scope import has_capability


class _Coded(str):
    """A sentence with a stable code: the error format lists it as {"code", "detail"} (core.api.errors)."""

    def __new__(cls, text: str, code: str):
        coded = super().__new__(cls, text)
        coded.code = code
        return coded


def member_key(member_id: int) -> str:
    return f"member:{member_id}"


def household_key(household_id: int) -> str:
    return f"household:{household_id}"


def finding_detail_for(finding: Finding, *, user) -> dict:
    """The finding's facts as the user may read them: where they may not see personal data in the finding's
    village (core.personal), a birth date quoted from an ID number is cut to its year."""
    if may_see_personal_data(user, finding.village_id):
        return finding.detail
    return masked_finding_detail(finding.detail)


def finding_message(finding: Finding, *, user=None) -> str:
    """The finding's message in the active language, rendered from its detail (checks.catalog); for a reader, from
    the facts as that user may read them (`finding_detail_for`). Without one (the gate's answer to a user who acts
    in the village), from the facts as stored."""
    detail = finding.detail if user is None else finding_detail_for(finding, user=user)
    return catalog.message(finding.rule, detail)


def finding_raise(
    *,
    rule: str,
    key: str,
    village_id: str,
    detail: dict,
    severity: str | None = None,
    household_id: int | None = None,
    member_id: int | None = None,
    comparison=None,
    verification=None,
) -> tuple[Finding, bool]:
    """Open a finding unless one is open for the same rule and target; returns (finding, created).

    Closed findings do not stop a new one: a new department list or field verification is new
    evidence. (The register rules, which re-run on the same data, skip a target a user confirmed
    correct; see checks.register_rules.)
    """
    code = catalog.CODES[rule]
    existing = Finding.objects.filter(rule=rule, key=key, status=FindingStatus.OPEN).first()
    if existing is not None:
        return existing, False
    now = timezone.now()
    finding = Finding(
        rule=rule, severity=severity or code.severity, source=code.source, key=key, village_id=village_id,
        household_id=household_id, member_id=member_id, detail=detail, found_at=now,
        comparison=comparison, verification=verification,
    )  # fmt: skip
    try:
        with transaction.atomic():
            finding.save()
    except IntegrityError:  # raised a moment ago by another process
        return Finding.objects.get(rule=rule, key=key, status=FindingStatus.OPEN), False
    return finding, True


@transaction.atomic
def finding_resolve(*, user, finding: Finding, status: str, resolution: str) -> Finding:
    """Close a finding (整改): `fixed` or `confirmed_correct`, with a note and the user who closed it.

    A rule finding closed as fixed is raised again by the next run if it still holds; one confirmed
    correct (经核实无误) is not raised again for the same target.
    """
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if not has_capability(user, Capability.EDIT_REGISTER, finding.village_id):
        raise DomainError("permission_denied", _("您的角色不能关闭该村的核查问题"), status=403)
    errors = {}
    if status not in (FindingStatus.FIXED, FindingStatus.CONFIRMED_CORRECT):
        errors["status"] = [ValidationError(_("状态须为 fixed 或 confirmed_correct"), code="invalid")]
    if not isinstance(resolution, str) or not resolution.strip():
        errors["resolution"] = [ValidationError(_("须填写整改说明"), code="invalid")]
    if errors:
        raise ValidationError(errors)
    if finding.status != FindingStatus.OPEN:
        raise DomainError("transition_not_allowed", _("该问题已关闭（%(status)s）") % {"status": finding.get_status_display()})
    finding.status, finding.resolution = status, resolution.strip()
    finding.resolved_at, finding.resolved_by = timezone.now(), user
    finding.full_clean(validate_constraints=False)  # the partial unique index and the checks are the database's
    finding.save()
    return finding


def blocking_findings(*, household_id: int, kind: str) -> list[Finding]:
    """Open error-level findings on the household (or its members) that refuse a step of this kind."""
    findings = Finding.objects.filter(household_id=household_id, status=FindingStatus.OPEN, severity=Severity.ERROR)
    return [f for f in findings.order_by("id") if catalog.blocks(f.rule, f.severity, kind)]


def refuse_if_blocked(*, household, kind: str, user=None) -> None:
    """Run the register rules for the household, then refuse (409 finding_open) while an error is open.

    The run commits its findings in its own savepoint before the refusal, so the village team
    sees what stands in the way in the findings list.
    """
    run_rules(region_code=household.village_id, household_ids=[household.pk], user=user, trigger="step")
    blocking = blocking_findings(household_id=household.pk, kind=kind)
    if blocking:
        lines = [f"{f.rule} {finding_message(f)}" for f in blocking]
        raise DomainError(
            "finding_open",
            _("该户有未整改的错误，须先整改：%(findings)s") % {"findings": "；".join(lines)},
            # One entry per finding, keyed by its id: {"findings.<id>": [{"code": "<rule>", "detail": message}]}.
            errors={f"findings.{f.pk}": [_Coded(finding_message(f), f.rule)] for f in blocking},
        )


def open_findings_for_review(*, kinds: dict[int, str], user) -> dict[int, list[dict]]:
    """The open findings of these households as the review queues show them (lifecycle.hooks), in one query.

    `kinds` maps each household id to the kind of its procedure under review; a finding "blocks" when it refuses
    that kind's steps (the gate above). Only findings of villages the user may read are given.
    """

    found: dict[int, list[dict]] = {}
    findings = findings_in_scope(user=user).filter(household_id__in=list(kinds), status=FindingStatus.OPEN)
    for finding in findings.order_by("household_id", "id"):
        found.setdefault(finding.household_id, []).append(
            {
                "rule": finding.rule,
                "severity": finding.severity,
                "severity_label": finding.get_severity_display(),
                "sentence": finding_message(finding, user=user),
                "blocks": catalog.blocks(finding.rule, finding.severity, kinds[finding.household_id]),
            }
        )
    return found
