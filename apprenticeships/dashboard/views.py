"""Progress dashboard pages, CSV exports and the JSON feed.

Every view resolves the same scope from the URL's filters (`_resolve`), so the page, its CSVs and
the feed always count the same placements. Borough HR users only ever get their own boroughs:
the scope is built from `Borough.objects.for_user`, whatever the URL says.

The read path is the same in each: one call, `queries.dashboard_figures(scope)`, reads every
figure; the headline, tables, charts and CSV are then built from that plain data, with no I/O.
"""

from __future__ import annotations

import datetime
import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from . import campaigns, charts, current, exports, freshness, pledges, progress, queries, tables
from .forms import DashboardFilterForm


def _resolve(request: HttpRequest) -> tuple[DashboardFilterForm, queries.Scope | None]:
    """The filter form and the scope it selects; on invalid input, the default scope."""
    user = request.user
    today = timezone.localdate()
    form = DashboardFilterForm(request.GET or None, user=user, today=today)
    cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
    # The campaign named in the URL, else the open one (or the latest); the filter's boroughs
    # are that campaign's (forms.DashboardFilterForm).
    target = cleaned.get("target") or form.target
    if target is None:
        return form, None
    scope = queries.build_scope(
        user=user,
        target=target,
        selected=list(cleaned.get("boroughs") or []),
        start_from=cleaned.get("start_from"),
        start_to=cleaned.get("start_to"),
        today=today,
    )
    return form, scope


def _error_summary(form: DashboardFilterForm) -> list[dict]:
    if not form.is_bound or form.is_valid():
        return []
    anchors = {"start_from": "start_from_0", "start_to": "start_to_0"}
    return [
        {"text": message, "href": f"#{anchors.get(name, name)}"}
        for name, messages in form.errors.items()
        for message in messages
    ]


# Past this many boroughs to choose from, they are listed in collapsed groups (Inner and Outer
# London) so that 33 checkboxes do not push the figures down the page.
GROUP_BOROUGHS_FROM = 9


def _borough_groups(options: list[dict]) -> list[dict]:
    """The borough checkboxes in sub-regions, each open when one of its boroughs is ticked;
    one unnamed group when there are too few to need them."""
    if len(options) < GROUP_BOROUGHS_FROM:
        return [{"name": "", "options": options, "open": True}]
    groups: dict[str, list[dict]] = {}
    for option in options:
        groups.setdefault(option["group"], []).append(option)
    return [
        {"name": name, "options": grouped, "open": any(o["checked"] for o in grouped)}
        for name, grouped in sorted(groups.items())
    ]


def _filter_context(request: HttpRequest, form: DashboardFilterForm, scope) -> dict:
    """Options for the filter form, prepared here so the template only presents them."""
    chosen_target = request.GET.get("target") or (str(scope.target.pk) if scope else "")
    chosen_boroughs = set(request.GET.getlist("boroughs"))
    dates = []
    for name in ("start_from", "start_to"):
        parts = [
            (label, f"{name}_{i}", request.GET.get(f"{name}_{i}", ""), width)
            for i, (label, width) in enumerate((("Day", 2), ("Month", 2), ("Year", 4)))
        ]
        dates.append(
            {
                "name": name,
                "label": form.fields[name].label,
                "errors": form.errors.get(name, []) if form.is_bound else [],
                "parts": parts,
            }
        )
    borough_options = [
        {
            "value": b.gss_code,
            "text": b.name,
            "checked": b.gss_code in chosen_boroughs,
            "group": b.sub_region,
        }
        for b in form.fields["boroughs"].queryset
    ]
    return {
        "target_options": [
            {"value": t.pk, "text": str(t), "selected": str(t.pk) == chosen_target}
            for t in form.fields["target"].queryset
        ],
        "borough_options": borough_options,
        "borough_groups": _borough_groups(borough_options),
        "date_fields": dates,
        "field_errors": form.errors if form.is_bound else {},
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    form, scope = _resolve(request)
    context = {
        "error_summary": _error_summary(form),
        "scope": scope,
        "counted_boroughs": _counted_boroughs(scope, request.user) if scope else "",
        "query_string": request.GET.urlencode(),
        "is_borough_hr": request.user.is_borough_hr,
        **_filter_context(request, form, scope),
    }
    cacheable = settings.DASHBOARD_CACHE_SECONDS and scope is not None
    key = _cache_key(context) if cacheable and not context["error_summary"] else None
    body = cache.get(key) if key else None
    if body is None:
        if scope is not None:
            figures = queries.dashboard_figures(scope)
            context.update(page_figures(figures))
            if request.user.is_borough_hr:
                # Their own pledge in place of London's target (one query for the pledges).
                own = pledges.own_pledge_rows(figures)
                context["pledge_panels"] = None if own is None else [_pledge_panel(r) for r in own]
        body = render_to_string("dashboard/_body.html", context, request=request)
        if key:
            cache.set(key, body, settings.DASHBOARD_CACHE_SECONDS)
    return render(
        request, "dashboard/index.html", {"body": body, "error_summary": context["error_summary"]}
    )


def _counted_boroughs(scope: queries.Scope, user) -> str:
    """Whose figures the page shows, in words: "Figures for …" ends with this.

    It depends on the user's role as well as the scope: `_cache_key` holds both.
    """
    count, names = len(scope.boroughs), ", ".join(b.name for b in scope.boroughs)
    if not scope.is_whole_target:
        if count == 0:
            return "none of the target's boroughs: the borough chosen is not in this target"
        return f"{count} of the target's boroughs: {names}"
    if user.is_borough_hr:
        if count == 0:
            return "none of your boroughs: they are not in this target"
        if count == 1:
            return f"{names}, your borough in the target"
        return f"your {count} boroughs in the target: {names}"
    if count == 1:
        return f"{names}, the target's only borough"
    return f"all {count} boroughs in the target"


def page_figures(figures: queries.DashboardFigures) -> dict:
    """The page's headline, tables and charts, built from the figures already read (no I/O)."""
    months = tables.month_table(figures)
    boroughs = tables.borough_table(figures)
    return {
        "headline": progress.build_headline(figures),
        "month_table": months,
        "borough_table": boroughs,
        "cumulative_chart": charts.cumulative_chart(months, figures.scope.target.target_number),
        "borough_chart": charts.borough_chart(boroughs),
        "breakdowns": [
            tables.standard_table(figures),
            tables.provider_table(figures),
            tables.age_table(figures),
            tables.outcome_table(figures),
            tables.destination_table(figures),
        ],
        "equality_tables": tables.equality_tables(figures),
    }


def _cache_key(context: dict) -> str:
    """Everything the page's figures and filters depend on, including the data's version.

    Thirty boroughs opening the dashboard on one morning mostly ask for the same few pages, and
    the figures change only when records do: a page is kept until a change is committed
    (freshness.py), or at most DASHBOARD_CACHE_SECONDS. The key holds the boroughs this user may
    choose from, the counted scope and the query string, so two users who may see different
    boroughs never share a page.
    """
    scope: queries.Scope = context["scope"]
    parts = (
        freshness.current_version(),  # read first: the figures below are at least this new
        scope.target.pk,
        tuple(scope.borough_ids),
        scope.is_london_wide,
        context["counted_boroughs"],  # says "your boroughs" to borough HR only
        context["is_borough_hr"],  # HR see their pledge in place of London's target
        scope.today.isoformat(),
        tuple(o["value"] for o in context["borough_options"]),
        tuple(o["value"] for o in context["target_options"]),
        context["query_string"],
    )
    return "dashboard:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _bad_filters(form: DashboardFilterForm) -> HttpResponse:
    lines = [message for messages in form.errors.values() for message in messages]
    return HttpResponse(
        "The filters are not valid:\n" + "\n".join(lines) + "\n",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


@login_required
def export(request: HttpRequest, table: str) -> HttpResponse:
    """One table as CSV, with the page's filters and suppression."""
    form, scope = _resolve(request)
    if form.is_bound and not form.is_valid():
        return _bad_filters(form)
    if scope is None:
        raise Http404("No recruitment target has been set up yet.")
    if not tables.is_table(table):
        raise Http404("There is no such table.")
    built = tables.table_for(queries.dashboard_figures(scope), table)
    if built is None:
        raise Http404("There is no such table for these filters.")
    filename = f"{built.slug}-{slugify(scope.target.name)}-{scope.today:%Y-%m-%d}.csv"
    return exports.csv_response(built, filename)


@login_required
def progress_json(request: HttpRequest) -> HttpResponse:
    """The headline figures as JSON, suppressed as on the page."""
    form, scope = _resolve(request)
    if form.is_bound and not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    if scope is None:
        return JsonResponse({"errors": {"target": ["No recruitment target has been set up."]}})
    data = progress.build_headline(queries.dashboard_figures(scope)).as_json()
    data["boroughs"] = [b.gss_code for b in scope.boroughs]
    data["as_of"] = scope.today.isoformat()
    data["start_from"] = _iso(scope.start_from)
    data["start_to"] = _iso(scope.start_to)
    return JsonResponse(data)


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


@login_required
def current_apprentices(request: HttpRequest) -> HttpResponse:
    """Current apprentices per borough: counts of people only, suppressed (current.py)."""
    figures = current.current_figures(request.user, timezone.localdate())
    return render(
        request,
        "dashboard/current.html",
        {
            "today": figures.today,
            "tables": [current.standing_table(figures), current.coming_table(figures)],
            "is_borough_hr": request.user.is_borough_hr,
        },
    )


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    """Every campaign with its status and recruited of target (campaigns.py)."""
    today = timezone.localdate()
    return render(
        request,
        "dashboard/campaigns.html",
        {
            "today": today,
            "rows": campaigns.campaign_rows(request.user, today),
            "is_borough_hr": request.user.is_borough_hr,
        },
    )


@login_required
def pledge_progress(request: HttpRequest) -> HttpResponse:
    """The chosen campaign's boroughs against their own pledges (pledges.py).

    Every borough of the campaign the user may see, whatever the dashboard's borough and date
    filters: borough HR their own, exact; LOTI staff and admins all of them, suppressed.
    """
    today = timezone.localdate()
    form = DashboardFilterForm(request.GET or None, user=request.user, today=today)
    target = form.target
    if target is None:
        raise Http404("No recruitment target has been set up yet.")
    scope = queries.build_scope(
        user=request.user, target=target, selected=None, start_from=None, start_to=None, today=today
    )
    exact = request.user.is_borough_hr
    table = pledges.pledge_table(scope, exact=exact, sort=request.GET.get("sort", ""))
    headers = [
        {
            "text": text,
            "numeric": name not in ("borough", "status"),
            "sorted": table.sort == name,
            "aria_sort": (
                ("descending" if table.descending else "ascending") if table.sort == name else ""
            ),
            "href": "?"
            + urlencode(
                {
                    "target": target.pk,
                    "sort": f"-{name}" if table.sort == name and not table.descending else name,
                }
            ),
        }
        for name, text in pledges.COLUMNS
    ]
    return render(
        request,
        "dashboard/pledges.html",
        {
            "target": target,
            "today": today,
            "table": table,
            "headers": headers,
            "panels": [_pledge_panel(row) for row in table.rows] if exact else [],
            "is_borough_hr": exact,
        },
    )


def _pledge_panel(row: pledges.PledgeRow) -> dict:
    """One borough's pledge, for its own HR: a summary list's rows."""
    if row.pledge is None:
        rows = [
            {"key": "Pledge", "value": "No pledge recorded for this campaign"},
            {"key": "Recruited", "value": row.recruited_text},
        ]
    else:
        rows = [
            {"key": "Pledge", "value": str(row.pledge)},
            {"key": "Recruited", "value": row.recruited_text},
            {"key": "Expected by today", "value": str(row.expected)},
            {"key": "Status", "value": (row.status or "").capitalize()},
        ]
    return {"name": row.borough_name, "gss_code": row.gss_code, "rows": rows}
