"""The programme now for borough HR: current apprentices by state, and the worklist.

The states and the worklist rules are written once (models.now_conditions and
models.action_conditions, thresholds in rules.py); these views only ask the queries.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import rules
from ..queries import now_counts, paginate, placements_in_now_state, worklist
from .access import personal_data_required


def _show_borough(request: HttpRequest) -> bool:
    return request.user.is_portal_admin or request.user.memberships.count() > 1


@personal_data_required
def current_apprentices(request: HttpRequest) -> HttpResponse:
    """The user's boroughs' placements in one state at a time, with every state's count."""
    today = timezone.localdate()
    state = request.GET.get("state", "")
    if state not in rules.NOW_STATES:
        state = rules.IN_LEARNING
    counts = now_counts(request.user, today)
    page = paginate(placements_in_now_state(request.user, state, today), request.GET.get("page"))
    return render(
        request,
        "apprenticeships/current.html",
        {
            "today": today,
            "state": state,
            "state_label": rules.NOW_STATES[state],
            "states": [
                {"key": key, "label": label, "count": counts[key], "current": key == state}
                for key, label in rules.NOW_STATES.items()
            ],
            "needing_action": counts["needs_action"],
            "page_obj": page,
            "placements": page.object_list,
            "query_string_without_page": f"state={state}&",
            "show_borough": _show_borough(request),
            "due_days": rules.DUE_TO_END_DAYS,
        },
    )


@personal_data_required
def needing_action(request: HttpRequest) -> HttpResponse:
    """HR's worklist: their records needing action, each with why and a link to the placement."""
    today = timezone.localdate()
    page = paginate(worklist(request.user, today), request.GET.get("page"))
    rows = [
        {
            "placement": placement,
            "reasons": [
                label
                for key, label in rules.ACTION_REASONS.items()
                if getattr(placement, f"needs_{key}")
            ],
        }
        for placement in page.object_list
    ]
    return render(
        request,
        "apprenticeships/needing_action.html",
        {
            "today": today,
            "page_obj": page,
            "rows": rows,
            "query_string_without_page": "",
            "show_borough": _show_borough(request),
            "reasons": list(rules.ACTION_REASONS.values()),
        },
    )
