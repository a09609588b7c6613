"""Add a recruit: apprentice, (same person?), equality questions, placement, check, confirmation.

What the user types is kept server side in the session, one entry per journey id (so two tabs
do not overwrite each other), as the raw form data: every page is re-shown exactly as typed, and
nothing reaches the database until "check your answers" is confirmed.
"""

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from loti_portal import ratelimit

from .. import services
from ..forms import ApprenticeForm, DuplicateChoiceForm, EqualityForm, NewPlacementForm
from ..models import Apprentice
from ..queries import find_matching_apprentice, placement_for_user
from .access import personal_data_required
from .presenters import _date, uln_for_display

SESSION_KEY = "recruit_journeys"
MAX_JOURNEYS = 10


def _journeys(request: HttpRequest) -> dict:
    return request.session.setdefault(SESSION_KEY, {})


def _load(request: HttpRequest, journey_id: str) -> dict | None:
    return _journeys(request).get(journey_id)


def _store(request: HttpRequest, journey_id: str, journey: dict) -> None:
    _journeys(request)[journey_id] = journey
    request.session.modified = True


def _form_data(request: HttpRequest) -> dict:
    return {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}


def _url(name: str, journey_id: str) -> str:
    return reverse(f"apprenticeships:{name}", args=[journey_id])


def _apprentice_form(journey: dict) -> ApprenticeForm | None:
    data = journey.get("apprentice")
    return ApprenticeForm(data) if data is not None else None


def _placement_form(
    request: HttpRequest, journey: dict, data: dict | None = None
) -> NewPlacementForm | None:
    """The placement page's form, with the apprentice's date of birth for the minimum age."""
    data = data if data is not None else journey.get("placement")
    if data is None:
        return None
    born = _date_of_birth(request, journey)
    return NewPlacementForm(data, user=request.user, date_of_birth=born)


def _date_of_birth(request: HttpRequest, journey: dict):
    if journey.get("existing_id"):
        held = (
            Apprentice.objects.for_user(request.user)
            .filter(pk=journey["existing_id"])
            .values_list("date_of_birth", flat=True)
        )
        return held.first()
    entered = _apprentice_form(journey)
    return entered.cleaned_data["date_of_birth"] if entered and entered.is_valid() else None


def _next_step(request: HttpRequest, journey: dict) -> str:
    """The first page still to be answered, else the check answers page."""
    apprentice_form = _apprentice_form(journey)
    if apprentice_form is None or not apprentice_form.is_valid():
        return "recruit_apprentice"
    if journey.get("match_id") and not journey.get("existing_id"):
        return "recruit_duplicate"
    if not journey.get("existing_id") and "equality" not in journey:
        return "recruit_equality"
    placement_form = _placement_form(request, journey)
    if placement_form is None or not placement_form.is_valid():
        return "recruit_placement"
    return "recruit_check"


def _journey_or_restart(view):
    """Load the journey named in the URL; an unknown or expired one starts again."""

    def wrapped(request: HttpRequest, journey: str) -> HttpResponse:
        data = _load(request, journey)
        if data is None:
            messages.info(request, "Your answers were not found, so you need to start again.")
            return redirect("apprenticeships:recruit_start")
        return view(request, journey, data)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return personal_data_required(wrapped)


@personal_data_required
def recruit_start(request: HttpRequest) -> HttpResponse:
    """Begin a new journey with its own id; the oldest unfinished ones are dropped past ten."""
    journeys = _journeys(request)
    while len(journeys) >= MAX_JOURNEYS:
        journeys.pop(next(iter(journeys)))
    journey_id = secrets.token_urlsafe(9)
    _store(request, journey_id, {})
    return redirect(_url("recruit_apprentice", journey_id))


@_journey_or_restart
def recruit_apprentice(request: HttpRequest, journey_id: str, journey: dict) -> HttpResponse:
    form = _apprentice_form(journey) or ApprenticeForm()
    if request.method == "POST":
        form = ApprenticeForm(_form_data(request))
        if form.is_valid() and not ratelimit.allow("recruit_lookup", request.user.pk):
            form.add_error(None, ratelimit.limit("recruit_lookup").message())
        elif form.is_valid():
            match = _match(request.user, form)
            journey.update(
                apprentice=_form_data(request),
                match_id=match.apprentice.pk if match else None,
                existing_id=None,
            )
            _store(request, journey_id, journey)
            return redirect(_url(_next_step(request, journey), journey_id))
    return render(
        request,
        "apprenticeships/recruit_apprentice.html",
        {"form": form, "back_url": reverse("apprenticeships:placement_list")},
    )


@_journey_or_restart
def recruit_duplicate(request: HttpRequest, journey_id: str, journey: dict) -> HttpResponse:
    """Someone this borough holds has the same ULN, email, or name and date of birth: use them
    rather than make a twin.

    Only people the user can see are offered (queries.find_matching_apprentice); a ULN or email
    held by another borough alone is never mentioned (apprenticeships/linking.py).
    """
    entered = _apprentice_form(journey)
    if not journey.get("match_id") or entered is None or not entered.is_valid():
        return redirect(_url(_next_step(request, journey), journey_id))
    match = _match(request.user, entered)
    if match is None:  # The other record went away meanwhile: carry on as a new person.
        journey["match_id"] = None
        _store(request, journey_id, journey)
        return redirect(_url(_next_step(request, journey), journey_id))
    form = DuplicateChoiceForm()
    if request.method == "POST":
        form = DuplicateChoiceForm(request.POST)
        if form.is_valid():
            if form.cleaned_data["choice"] == DuplicateChoiceForm.CHANGE:
                return redirect(_url("recruit_apprentice", journey_id))
            journey.update(match_id=match.apprentice.pk, existing_id=match.apprentice.pk)
            journey.pop("equality", None)
            _store(request, journey_id, journey)
            return redirect(_url(_next_step(request, journey), journey_id))
    return render(
        request,
        "apprenticeships/recruit_duplicate.html",
        {
            "form": form,
            "match": match,
            "entered_value": _entered_value(entered.cleaned_data, match.matched_on),
            "person_rows": _visible_person_rows(match.apprentice),
            "back_url": _url("recruit_apprentice", journey_id),
        },
    )


def _match(user, form: ApprenticeForm):
    data = form.cleaned_data
    return find_matching_apprentice(
        user,
        uln=data["uln"],
        email=data["email"],
        given_name=data["given_name"],
        family_name=data["family_name"],
        date_of_birth=data["date_of_birth"],
    )


def _entered_value(data: dict, matched_on: str) -> str:
    if matched_on == "ULN":
        return data["uln"]
    if matched_on == "email address":
        return data["email"]
    return f"{data['given_name']} {data['family_name']}, born {_date(data['date_of_birth'])}"


def _visible_person_rows(apprentice: Apprentice) -> list[dict]:
    return [
        {"key": "Name", "value": apprentice.full_name},
        {"key": "Date of birth", "value": _date(apprentice.date_of_birth)},
    ]


@_journey_or_restart
def recruit_equality(request: HttpRequest, journey_id: str, journey: dict) -> HttpResponse:
    """Optional questions; answering none of them is fine."""
    if journey.get("existing_id"):
        return redirect(_url(_next_step(request, journey), journey_id))
    stored = journey.get("equality")
    form = EqualityForm(stored) if stored is not None else EqualityForm()
    if request.method == "POST":
        form = EqualityForm(_form_data(request))
        if form.is_valid():
            journey["equality"] = _form_data(request)
            _store(request, journey_id, journey)
            return redirect(_url(_next_step(request, journey), journey_id))
    return render(
        request,
        "apprenticeships/recruit_equality.html",
        {"form": form, "back_url": _url("recruit_apprentice", journey_id)},
    )


@_journey_or_restart
def recruit_placement(request: HttpRequest, journey_id: str, journey: dict) -> HttpResponse:
    form = _placement_form(request, journey) or NewPlacementForm(user=request.user)
    if request.method == "POST":
        form = _placement_form(request, journey, _form_data(request))
        if form.is_valid():
            journey["placement"] = _form_data(request)
            _store(request, journey_id, journey)
            return redirect(_url(_next_step(request, journey), journey_id))
    previous = "recruit_apprentice" if journey.get("existing_id") else "recruit_equality"
    return render(
        request,
        "apprenticeships/recruit_placement.html",
        {"form": form, "back_url": _url(previous, journey_id)},
    )


def _check_rows(request, journey_id: str, journey: dict, apprentice_form, placement_form):
    a, p = apprentice_form.cleaned_data, placement_form.cleaned_data
    change_apprentice = _url("recruit_apprentice", journey_id)
    change_placement = _url("recruit_placement", journey_id)
    if journey.get("existing_id"):
        existing = Apprentice.objects.for_user(request.user).get(pk=journey["existing_id"])
        apprentice_rows = [
            {"key": "Apprentice", "value": existing.full_name, "href": change_apprentice}
        ]
    else:
        apprentice_rows = [
            {"key": "First name", "value": a["given_name"], "href": change_apprentice},
            {"key": "Last name", "value": a["family_name"], "href": change_apprentice},
            {"key": "Email address", "value": a["email"], "href": change_apprentice},
            {"key": "ULN", "value": uln_for_display(a["uln"]), "href": change_apprentice},
            {"key": "Date of birth", "value": _date(a["date_of_birth"]), "href": change_apprentice},
        ]
        answered = any((journey.get("equality") or {}).values())
        apprentice_rows.append(
            {
                "key": "Equality monitoring",
                "value": "Answered" if answered else "Not answered",
                "href": _url("recruit_equality", journey_id),
                "visually_hidden": "equality monitoring answers",
            }
        )
    wage = {"yes": "Yes", "no": "No"}.get(p.get("pays_london_living_wage"), "Not known")
    placement_rows = [
        {"key": "Borough", "value": placement_form.chosen_borough().name, "href": change_placement},
        {"key": "Apprenticeship standard", "value": str(p["standard"]), "href": change_placement},
        {"key": "Training provider", "value": str(p["provider"]), "href": change_placement},
        {"key": "Job title", "value": p["job_title"], "href": change_placement},
        {"key": "Service area", "value": p["service_area"], "href": change_placement},
        {"key": "Start date", "value": _date(p["start_date"]), "href": change_placement},
        {
            "key": "Planned end date",
            "value": _date(p["planned_end_date"]),
            "href": change_placement,
        },
        {"key": "Pay meets the London Living Wage", "value": wage, "href": change_placement},
    ]
    return apprentice_rows, placement_rows


@_journey_or_restart
def recruit_check(request: HttpRequest, journey_id: str, journey: dict) -> HttpResponse:
    """Check your answers; confirming saves the apprentice and placement in one transaction."""
    step = _next_step(request, journey)
    if step != "recruit_check":
        return redirect(_url(step, journey_id))
    apprentice_form = _apprentice_form(journey)
    placement_form = _placement_form(request, journey)
    assert apprentice_form.is_valid() and placement_form.is_valid()  # noqa: S101 - _next_step
    errors: list[str] = []
    if request.method == "POST":
        try:
            placement = _save_recruit(request, journey, apprentice_form, placement_form)
        except ValidationError as error:
            errors = error.messages
        else:
            _journeys(request).pop(journey_id, None)
            request.session.modified = True
            return redirect("apprenticeships:recruit_added", pk=placement.pk)
    apprentice_rows, placement_rows = _check_rows(
        request, journey_id, journey, apprentice_form, placement_form
    )
    return render(
        request,
        "apprenticeships/recruit_check.html",
        {
            "apprentice_rows": apprentice_rows,
            "placement_rows": placement_rows,
            "errors": errors,
            "back_url": _url("recruit_placement", journey_id),
        },
    )


def _save_recruit(request, journey, apprentice_form, placement_form):
    borough = placement_form.chosen_borough()
    common = {"user": request.user, "borough": borough, "placement": placement_form.details()}
    if journey.get("existing_id"):
        existing = Apprentice.objects.for_user(request.user).get(pk=journey["existing_id"])
        return services.create_recruit(existing_apprentice=existing, **common)
    equality = EqualityForm(journey.get("equality") or {})
    equality.is_valid()
    return services.create_recruit(
        apprentice=apprentice_form.details(),
        equality=services.EqualityAnswers(**equality.cleaned_data),
        **common,
    )


@personal_data_required
def recruit_added(request: HttpRequest, pk: int) -> HttpResponse:
    placement = placement_for_user(request.user, pk)
    return render(request, "apprenticeships/recruit_added.html", {"placement": placement})
