"""Pages of the lifecycle: start a procedure, take its steps, objections, the notice boards (公示栏).

Reads go through the selectors (scope as the API: out of scope is 404), writes through the services (a role
that may not take a step gets 403; any other refusal is shown as a sentence that says what to do).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.api.params import page_day_param
from core.errors import DomainError
from core.scope import has_capability
from core.ui import ordered_page
from households.selectors import head_name, households_in_scope, standard_for
from lifecycle import pages, services, workflow
from lifecycle.choices import ProcedureKind, ProcedureState
from lifecycle.forms import ObjectionForm, ObjectionResolveForm, ProcedureOpenForm, StepForm
from lifecycle.models import Notice, Objection, Procedure, ProcedureStep
from lifecycle.selectors import exit_evaluation, notices_in_scope, procedures_in_scope
from villages.selectors import regions_in_scope

# Form fields a service's field error may name under another name on the page.
FIELD_ALIASES = {"reason": ("reason", "removal_reason")}


def may_take(user, step: str | None, village_code: str) -> bool:
    """Whether the user's roles allow this step in this village (the service's first check)."""
    if step is None:
        return False
    return any(has_capability(user, capability, village_code) for capability in workflow.step_capabilities(step))


def _refuse(form, error) -> None:
    """Put a service's refusal on the form: beside the field it names, otherwise at the top."""
    if isinstance(error, DomainError):
        if error.status == 403:
            raise PermissionDenied(str(error.detail))
        form.add_error(None, pages.refusal(error))
        return
    for field, messages_ in error.message_dict.items():
        names = [n for n in FIELD_ALIASES.get(field, (field,)) if n in form.fields]
        for message in messages_:
            if names:
                form.add_error(names[0], message)
            else:
                form.add_error(None, message)


def _household(request, pk):
    household = households_in_scope(user=request.user).annotate(head_name=head_name()).filter(pk=pk).first()
    if household is None:
        raise Http404
    return household


# Starting a procedure ------------------------------------------------------------------------------


@login_required
def procedure_new(request, pk):
    """Start any procedure kind the household may enter; the kinds it may not enter are explained."""
    household = _household(request, pk)
    today = timezone.localdate()
    open_procedure = Procedure.objects.filter(household=household, state=ProcedureState.OPEN).first()
    kinds = [
        {
            "kind": kind,
            "label": label,
            "refusal": pages.kind_refusal(
                kind=kind, status=household.status, monitoring_status=household.monitoring_status,
                has_open=open_procedure is not None,
            ),
            "hint": pages.kind_hint(kind, today.year),
        }
        for kind, label in ProcedureKind.choices
    ]  # fmt: skip
    kind = request.GET.get("kind", "")
    chosen = next((k for k in kinds if k["kind"] == kind), None)
    context = {
        "household": household, "kinds": kinds, "chosen": chosen, "open_procedure": open_procedure,
        "badge": pages.status_badge(household.status), "monitoring_badge": pages.monitoring_badge(household.monitoring_status),
    }  # fmt: skip
    if chosen is None:
        if request.method == "POST":
            raise Http404
        return render(request, "lifecycle/procedure_new.html", context)
    first = workflow.next_step(kind, 0)
    may_start = may_take(request.user, first, household.village_id)
    context |= {"first_step": pages.step_label(first), "may_start": may_start}
    latest_year = household.annual_records.order_by("-year").values_list("year", flat=True).first()
    # Identification and return evaluate the year of their date (blank); the others the latest year recorded.
    year = None if kind in workflow.ENTRY_KINDS else latest_year or today.year
    form = ProcedureOpenForm(kind=kind, initial={"date": today, "year": year})
    if request.method == "POST":
        if not may_start:
            raise PermissionDenied
        form = ProcedureOpenForm(request.POST, kind=kind)
        if form.is_valid():
            try:
                procedure = services.procedure_open(user=request.user, household=household, kind=kind, **form.service_kwargs())
            except (DomainError, ValidationError) as error:
                _refuse(form, error)
            else:
                messages.success(request, _("已发起“%(kind)s”程序") % {"kind": ProcedureKind(kind).label})
                return redirect("procedure", pk=procedure.pk)
    line = workflow.needs_eligibility(kind)
    if line and chosen["refusal"] is None:
        year = (form.cleaned_data.get("year") if form.is_bound and hasattr(form, "cleaned_data") else None) or (
            form.initial.get("year") or today.year
        )
        context["evaluation"] = pages.evaluation_view(exit_evaluation(household=household, year=year, line=line).as_dict())
    context["form"] = form
    return render(request, "lifecycle/procedure_new.html", context, status=200)


# A procedure and its steps --------------------------------------------------------------------------


def _procedure(request, pk):
    steps = ProcedureStep.objects.select_related("acted_by").order_by("id")
    notices = Notice.objects.order_by("id").prefetch_related(Prefetch("objections", Objection.objects.order_by("id")))
    procedure = (
        procedures_in_scope(user=request.user)
        .select_related("household__village")
        .prefetch_related(None)
        .prefetch_related(Prefetch("steps", steps), Prefetch("notices", notices))
        .annotate(head_name=head_name("household_id"))
        .filter(pk=pk)
        .first()
    )
    if procedure is None:
        raise Http404
    procedure.household.head_name = procedure.head_name  # the heading names the head (户主)
    return procedure


def _detail_context(request, procedure, *, step_form=None, objection_form=None, resolve_forms=None) -> dict:
    user, household = request.user, procedure.household
    steps = list(procedure.steps.all())
    notices = list(procedure.notices.all())
    is_open = procedure.state == ProcedureState.OPEN
    next_step = workflow.next_step(procedure.kind, procedure.position) if is_open else None
    running = notices[-1] if is_open and notices and steps and steps[-1].step in workflow.NOTICE_STEPS else None
    may_act = may_take(user, next_step, household.village_id)
    if may_act and step_form is None:
        step_form = StepForm(step=next_step, kind=procedure.kind, notice_days=_notice_days(household, next_step))
    may_object = running is not None and may_take(user, running.step, household.village_id)
    if may_object and objection_form is None:
        objection_form = ObjectionForm()
    resolve_forms = resolve_forms or {}
    register = []
    for notice in notices:
        for objection in notice.objections.all():
            form = None
            if may_object and notice is running and not objection.outcome:
                form = resolve_forms.get(objection.pk) or ObjectionResolveForm(objection_id=objection.pk)
            register.append({"notice": notice, "objection": objection, "form": form})
    evaluation = pages.evaluation_view(procedure.evaluation)
    current = None
    line = workflow.needs_eligibility(procedure.kind)
    if line and next_step in workflow.DECISION_STEPS and procedure.evaluation:
        year = procedure.evaluation.get("year") or timezone.localdate().year
        current = pages.evaluation_view(exit_evaluation(household=household, year=year, line=line).as_dict())
    return {
        "procedure": procedure,
        "household": household,
        "badge": pages.status_badge(household.status),
        "monitoring_badge": pages.monitoring_badge(household.monitoring_status),
        "steps": pages.steps_view(procedure, steps),
        "next_step": next_step,
        "next_label": pages.step_label(next_step),
        "may_act": may_act,
        "step_form": step_form if may_act else None,
        "running": running,
        "notices": notices,
        "objection_form": objection_form if may_object else None,
        "register": register,
        "evaluation": evaluation,
        "current_evaluation": current,
        "today": timezone.localdate(),
    }


def _notice_days(household, step) -> int:
    if step not in workflow.NOTICE_STEPS:
        return 7
    today = timezone.localdate()
    standard = standard_for(year=today.year, region_code=household.village_id, kind=household.identification_standard)
    return standard.notice_days if standard else 7


@login_required
def procedure_detail(request, pk):
    """A procedure: its steps (who, when, decision, note), the checklist, the notice and objections, the next step."""
    procedure = _procedure(request, pk)
    if request.method != "POST":
        return render(request, "lifecycle/procedure_detail.html", _detail_context(request, procedure))
    household = procedure.household
    next_step = workflow.next_step(procedure.kind, procedure.position) if procedure.state == ProcedureState.OPEN else None
    if not may_take(request.user, next_step, household.village_id):
        raise PermissionDenied
    form = StepForm(request.POST, step=next_step, kind=procedure.kind, notice_days=_notice_days(household, next_step))
    if form.is_valid():
        try:
            services.procedure_step(user=request.user, procedure=procedure, **form.service_kwargs())
        except (DomainError, ValidationError) as error:
            _refuse(form, error)
        else:
            messages.success(request, _("已办理“%(step)s”") % {"step": pages.step_label(form.cleaned_data["step"])})
            return redirect("procedure", pk=procedure.pk)
    return render(request, "lifecycle/procedure_detail.html", _detail_context(request, procedure, step_form=form))


@login_required
@require_POST
def objection_new(request, pk):
    """Record an objection lodged against the procedure's running notice."""
    procedure = _procedure(request, pk)
    context = _detail_context(request, procedure)
    running = context["running"]
    if running is None:
        raise Http404
    if context["objection_form"] is None:
        raise PermissionDenied
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            services.objection_lodge(user=request.user, notice=running, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            _refuse(form, error)
        else:
            messages.success(request, _("已登记异议"))
            return redirect("procedure", pk=procedure.pk)
    return render(request, "lifecycle/procedure_detail.html", _detail_context(request, procedure, objection_form=form))


@login_required
@require_POST
def objection_resolve(request, pk, objection_pk):
    """Resolve an objection of the running notice: upheld (back to verification) or dismissed, with a note."""
    procedure = _procedure(request, pk)
    objection = next((o for n in procedure.notices.all() for o in n.objections.all() if o.pk == objection_pk), None)
    if objection is None:
        raise Http404
    if not may_take(request.user, objection.notice.step, procedure.household.village_id):
        raise PermissionDenied
    form = ObjectionResolveForm(request.POST, objection_id=objection.pk)
    if form.is_valid():
        try:
            services.objection_resolve(
                user=request.user, objection=objection, outcome=form.cleaned_data["outcome"], on=form.cleaned_data["date"],
                resolution=form.cleaned_data["resolution"],
            )  # fmt: skip
        except (DomainError, ValidationError) as error:
            _refuse(form, error)
        else:
            messages.success(request, _("已处理异议"))
            return redirect("procedure", pk=procedure.pk)
    return render(
        request, "lifecycle/procedure_detail.html", _detail_context(request, procedure, resolve_forms={objection.pk: form})
    )


# Notice boards ------------------------------------------------------------------------------------

PAST_PER_PAGE = 30


@login_required
def notices(request):
    """The notice board of my villages: running and coming notices, past ones page by page, and the objections."""
    today = timezone.localdate()
    villages = list(regions_in_scope(user=request.user).filter(level="village").order_by("code").values_list("code", "name"))
    village = request.GET.get("village", "")
    base = notices_in_scope(user=request.user).annotate(head_name=head_name("procedure__household"))
    if village:
        if village not in dict(villages):
            raise Http404
        base = base.filter(village_id=village)
    current = list(base.filter(end__gte=today).order_by("end", "village_id", "procedure__household__number"))
    page = ordered_page(request, base.filter(end__lt=today).order_by("-end", "village_id", "id"), size=PAST_PER_PAGE)
    context = {
        "today": today, "villages": villages, "village": village, "current": current, "page": page,
        "village_name": dict(villages).get(village, ""),
    }  # fmt: skip
    return render(request, "lifecycle/notices.html", context)


@login_required
def notice_board(request, code):
    """The notices running in a village on a day (default today), laid out to print and post."""
    village = regions_in_scope(user=request.user).filter(level="village", code=code).first()
    if village is None:
        raise Http404
    day = page_day_param(request, "on")
    notices = (
        notices_in_scope(user=request.user)
        .filter(village=village, start__lte=day, end__gte=day)
        .annotate(head_name=head_name("procedure__household"))
        .order_by("procedure__kind", "procedure__household__number")
    )
    return render(request, "lifecycle/notice_board.html", {"village": village, "day": day, "notices": notices})

