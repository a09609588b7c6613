"""The placements list, the placement page and its changes of circumstance.

Views authorise (through `placement_for_user`), validate the form, call the service, redirect.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from .. import rules, services
from ..choices import Status
from ..forms import (
    ApprenticeEditForm,
    BreakForm,
    ChangeProviderForm,
    CompletionForm,
    PlacementDetailsForm,
    PlacementEditForm,
    ReturnForm,
    StartForm,
    WithdrawalForm,
)
from ..models import Placement
from ..queries import (
    SORTS,
    PlacementFilters,
    filter_options,
    paginate,
    placement_for_user,
    placement_history,
    placement_timeline,
    placements_for_list,
    worklist_count,
)
from ..validators import TEMPORARY_ULN
from .access import personal_data_required
from .presenters import apprentice_rows, placement_rows


def _int_or_none(value: str | None, maximum: int = 2**31 - 1) -> int | None:
    """A filter id or year from the query string; anything else (e.g. "²", 10**30) is ignored."""
    if not value or not (value.isascii() and value.isdigit()) or len(value) > 10:
        return None
    number = int(value)
    return number if number <= maximum else None


@personal_data_required
def placement_list(request: HttpRequest) -> HttpResponse:
    """The user's boroughs' placements: search, filters, sorting and pages from the query string."""
    params = request.GET
    filters = PlacementFilters(
        q=params.get("q", "").strip()[:100],
        status=params.get("status", "") if params.get("status") in Status.values else "",
        standard=_int_or_none(params.get("standard")),
        provider=_int_or_none(params.get("provider")),
        start_year=_int_or_none(params.get("start_year"), maximum=9999),
        sort=params.get("sort", "") if params.get("sort") in SORTS else "start_desc",
    )
    page = paginate(placements_for_list(request.user, filters), params.get("page"))
    other_params = params.copy()
    other_params.pop("page", None)
    encoded = other_params.urlencode()
    sort_columns = _sort_columns(params, filters.sort)
    # One query, in place of the count of memberships it replaces: the names head the page, so HR
    # see which borough's records these are.
    borough_names = list(
        request.user.memberships.order_by("borough__name").values_list("borough__name", flat=True)
    )
    return render(
        request,
        "apprenticeships/placement_list.html",
        {
            "filters": filters,
            "page_obj": page,
            "placements": page.object_list,
            "query_string_without_page": f"{encoded}&" if encoded else "",
            "sorts": [(key, label) for key, (label, _) in SORTS.items()],
            "sort_columns": sort_columns,
            "borough_names": borough_names,
            "show_borough": request.user.is_portal_admin or len(borough_names) > 1,
            # HR's landing page: how many of their records need action (the worklist's rules).
            "needing_action": worklist_count(request.user, timezone.localdate()),
            **filter_options(request.user),
        },
    )


# Column heading → (the sort its link asks for, and when the list is already sorted by it: the
# sort the link switches to, with the aria-sort it has now). Sorts are queries.SORTS.
_SORT_COLUMNS = {
    "apprentice": {"name": "ascending"},
    "start_date": {"start_desc": "descending", "start_asc": "ascending"},
    "status": {"status": "ascending"},
}
_NEXT_SORT = {"start_desc": "start_asc", "start_asc": "start_desc"}


def _sort_columns(params, current: str) -> dict[str, dict]:
    """Links for the sortable column headings, keeping the search and filters (and going back
    to the first page); they work without JavaScript."""
    columns = {}
    for column, sorts in _SORT_COLUMNS.items():
        first = next(iter(sorts))
        sort = _NEXT_SORT.get(current, current) if current in sorts else first
        query = params.copy()
        query.pop("page", None)
        query["sort"] = sort
        columns[column] = {"href": f"?{query.urlencode()}", "aria_sort": sorts.get(current, "none")}
    return columns


@dataclass(frozen=True)
class Action:
    """The page for one change of circumstance; whether it is offered is rules.py's to say."""

    key: str
    url_name: str
    label: str
    title: str
    form_class: type[forms.Form]
    service: Callable[..., Placement]
    kwargs: Callable[[dict], dict]
    done: str
    initial: Callable[[Placement], dict] = lambda placement: {}

    def offered(self, placement: Placement) -> bool:
        return self.key in placement.available_actions()

    def form(self, placement: Placement, **kwargs) -> forms.Form:
        if self.form_class is ChangeProviderForm:
            return ChangeProviderForm(placement=placement, **kwargs)
        return self.form_class(**kwargs)


def _return_initial(placement: Placement) -> dict:
    """The planned end moved on by the break so far: the return page's suggestion."""
    open_break = placement.breaks.filter(returned_on__isnull=True).first()
    today = datetime.date.today()
    if open_break is None:
        return {}
    return {
        "returned_on": today,
        "planned_end_date": rules.moved_planned_end(
            placement.planned_end_date, open_break.started_on, today
        ),
    }


ACTIONS = {
    action.key: action
    for action in (
        Action(
            rules.START,
            "placement_start",
            "Record that they have started",
            "Record the start of the apprenticeship",
            StartForm,
            services.record_start,
            lambda d: {"started_on": d["start_date"]},
            "Start recorded",
        ),
        Action(
            rules.BREAK,
            "placement_start_break",
            "Start a break in learning",
            "Start a break in learning",
            BreakForm,
            services.start_break,
            lambda d: {"started_on": d["started_on"], "reason": d["reason"]},
            "Break in learning recorded",
        ),
        Action(
            rules.RETURN,
            "placement_return",
            "Record a return from the break",
            "Record a return from a break in learning",
            ReturnForm,
            services.return_from_break,
            lambda d: {"returned_on": d["returned_on"], "planned_end_date": d["planned_end_date"]},
            "Return to learning recorded",
            _return_initial,
        ),
        Action(
            rules.CHANGE_PROVIDER,
            "placement_change_provider",
            "Record a change of training provider",
            "Record a change of training provider",
            ChangeProviderForm,
            services.change_provider,
            lambda d: {"changed_on": d["changed_on"], "provider": d["provider"]},
            "Change of training provider recorded",
        ),
        Action(
            rules.COMPLETE,
            "placement_complete",
            "Record completion",
            "Record completion",
            CompletionForm,
            services.record_completion,
            lambda d: {
                "completed_on": d["actual_end_date"],
                "outcome": d["outcome"],
                "destination": d["destination"],
                "confirmed_early": d["confirm_early"],
            },
            "Completion recorded",
        ),
        Action(
            rules.WITHDRAW,
            "placement_withdraw",
            "Record a withdrawal",
            "Record a withdrawal",
            WithdrawalForm,
            services.record_withdrawal,
            lambda d: {
                "withdrawn_on": d["actual_end_date"],
                "reason": d["reason"],
                "destination": d["destination"],
            },
            "Withdrawal recorded",
        ),
    )
}


def _detail_url(placement: Placement) -> str:
    return reverse("apprenticeships:placement_detail", args=[placement.pk])


def _codes(error: ValidationError) -> set[str]:
    errors = error.error_dict.values() if hasattr(error, "error_dict") else [error.error_list]
    return {e.code for group in errors for e in group if e.code}


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the form field it names, else above the form."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, field_errors in error.error_dict.items():
        for message in ValidationError(field_errors).messages:
            form.add_error(field if field in form.fields else None, message)


@personal_data_required
def placement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    placement = placement_for_user(request.user, pk)
    actions = [
        {
            "text": ACTIONS[key].label,
            "href": reverse(f"apprenticeships:{ACTIONS[key].url_name}", args=[pk]),
        }
        for key in placement.available_actions()
    ]
    return render(
        request,
        "apprenticeships/placement_detail.html",
        {
            "placement": placement,
            "apprentice_rows": apprentice_rows(
                placement.apprentice,
                reverse("apprenticeships:apprentice_edit", args=[placement.pk]),
            ),
            "placement_rows": placement_rows(placement),
            "actions": actions,
            "edit_url": reverse("apprenticeships:placement_edit", args=[pk]),
            "timeline": placement_timeline(placement),
            "history": placement_history(placement),
        },
    )


def _change_of_circumstance(request: HttpRequest, pk: int, action: Action) -> HttpResponse:
    placement = placement_for_user(request.user, pk)
    if not action.offered(placement):
        messages.info(
            request,
            f"You cannot do that: this apprenticeship is {placement.get_status_display().lower()}.",
        )
        return redirect(_detail_url(placement))
    stale_message = ""
    form = action.form(
        placement, initial={"version": placement.version, **action.initial(placement)}
    )
    if request.method == "POST":
        form = action.form(placement, data=request.POST)
        if form.is_valid():
            try:
                action.service(
                    user=request.user,
                    placement=placement,
                    expected_version=form.cleaned_data["version"],
                    **action.kwargs(form.cleaned_data),
                )
            except services.StaleRecordError as error:
                placement = placement_for_user(request.user, pk)
                stale_message = error.messages[0]
                form = action.form(placement, initial={"version": placement.version})
            except ValidationError as error:
                if "confirm_early" in _codes(error):
                    form.ask_to_confirm()
                add_service_errors(form, error)
            else:
                messages.success(request, action.done)
                return redirect(_detail_url(placement))
    return render(
        request,
        "apprenticeships/placement_action.html",
        {
            "placement": placement,
            "action": action,
            "form": form,
            "problems": [stale_message] if stale_message else [],
            "summary_rows": placement_rows(placement, short=True),
            "back_url": _detail_url(placement),
            "still_offered": action.offered(placement),
        },
    )


def _action_view(key: str):
    @personal_data_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _change_of_circumstance(request, pk, ACTIONS[key])

    view.__name__ = f"placement_{key}"
    view.__doc__ = ACTIONS[key].title
    return view


placement_start = _action_view("start")
placement_start_break = _action_view("break")
placement_return = _action_view("return")
placement_complete = _action_view("complete")
placement_withdraw = _action_view("withdraw")
placement_change_provider = _action_view("change_provider")


def _edit_initial(placement: Placement) -> dict:
    return {
        "version": placement.version,
        "standard": placement.standard_id,
        "job_title": placement.job_title,
        "service_area": placement.service_area,
        "start_date": placement.start_date,
        "planned_end_date": placement.planned_end_date,
        "pays_london_living_wage": PlacementDetailsForm.living_wage_initial(
            placement.pays_london_living_wage
        ),
    }


def _edit_page(request, pk, *, heading, saved, make_form, initial_for, save) -> HttpResponse:
    """A change page under optimistic locking, for a placement or its apprentice.

    `make_form(placement, **kwargs)` builds the form, `initial_for(placement)` its values (with
    the version they were read at), `save(placement, form)` calls the service with the valid
    form. If someone else saved meanwhile, the page shows the current values and says so;
    nothing is written.
    """
    placement = placement_for_user(request.user, pk)
    stale_message = ""
    form = make_form(placement, initial=initial_for(placement))
    if request.method == "POST":
        form = make_form(placement, data=request.POST)
        if form.is_valid():
            try:
                save(placement, form)
            except services.StaleRecordError as error:
                placement = placement_for_user(request.user, pk)
                stale_message = error.messages[0]
                form = make_form(placement, initial=initial_for(placement))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, saved)
                return redirect(_detail_url(placement))
    return render(
        request,
        "apprenticeships/record_edit.html",
        {
            "heading": heading,
            "placement": placement,
            "form": form,
            "problems": [stale_message] if stale_message else [],
            "back_url": _detail_url(placement),
        },
    )


@personal_data_required
def placement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    def save(placement, form):
        services.update_placement(
            user=request.user,
            placement=placement,
            expected_version=form.cleaned_data["version"],
            details=form.details(),
            planned_end_reason=form.cleaned_data["planned_end_reason"],
        )

    return _edit_page(
        request,
        pk,
        heading="Change placement details",
        saved="Placement details saved",
        make_form=lambda placement, **kwargs: PlacementEditForm(current=placement, **kwargs),
        initial_for=_edit_initial,
        save=save,
    )


def _apprentice_initial(apprentice) -> dict:
    return {
        "updated_at": apprentice.updated_at.isoformat(),
        "given_name": apprentice.given_name,
        "family_name": apprentice.family_name,
        "email": apprentice.email,
        # The placeholder 9999999999 (from imports) is offered as the blank it means.
        "uln": "" if apprentice.uln == TEMPORARY_ULN else apprentice.uln,
        "date_of_birth": apprentice.date_of_birth,
    }


@personal_data_required
def apprentice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the apprentice's own details, reached from one of their placements."""

    def save(placement, form):
        services.update_apprentice(
            user=request.user,
            apprentice=placement.apprentice,
            expected_updated_at=form.cleaned_data["updated_at"],
            details=form.details(),
        )

    return _edit_page(
        request,
        pk,
        heading="Change the apprentice’s details",
        saved="Apprentice’s details saved",
        make_form=lambda placement, **kwargs: ApprenticeEditForm(**kwargs),
        initial_for=lambda placement: _apprentice_initial(placement.apprentice),
        save=save,
    )
