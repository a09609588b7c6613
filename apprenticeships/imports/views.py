"""HR upload, check and save pages. Admins may use them for any borough; LOTI staff get 403:
they may see aggregates only, and an import shows people's names (docs/architecture.md)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apprenticeships.views.access import unverified_admin_redirect
from loti_portal import ratelimit

from . import downloads
from .engine import OUTCOME_LABELS, check_file
from .forms import UploadForm
from .models import ImportRun
from .selectors import import_run_for_user, import_runs_for_user, importable_boroughs
from .services import ImportNotSaved, commit_import, record_check

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS_PER_PAGE = 100


def importer_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_borough_hr or request.user.is_portal_admin):
            raise PermissionDenied
        return unverified_admin_redirect(request) or view(request, *args, **kwargs)

    return wrapped


def handle_upload(request, form: UploadForm, source: str):
    """Check an uploaded file with the engine; the run to preview, or None with form errors."""
    if not form.is_valid():
        return None
    if not ratelimit.allow("import_check", request.user.pk):
        form.add_error("file", ratelimit.limit("import_check").message())
        return None
    upload = form.cleaned_data["file"]
    content = upload.read()
    borough = form.cleaned_data["borough"]
    result = check_file(content=content, file_name=upload.name, borough=borough)
    if result.file_error:
        form.add_error("file", result.file_error)
        return None
    return record_check(
        borough=borough,
        user=request.user,
        file_name=upload.name,
        content=content,
        result=result,
        source=source,
    )


@importer_required
def upload(request):
    boroughs = importable_boroughs(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, boroughs=boroughs)
    if request.method == "POST":
        run = handle_upload(request, form, ImportRun.Source.WEB)
        if run is not None:
            return redirect("imports:preview", pk=run.pk)
    return render(request, "imports/upload.html", {"form": form})


@importer_required
def preview(request, pk: int):
    run = import_run_for_user(request.user, pk)
    rows = run.report.get("rows", [])
    for row in rows:
        row["outcome_label"] = OUTCOME_LABELS.get(row["outcome"], "")
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "run": run,
        "error_rows": [row for row in rows if row["errors"]],
        "unknown_columns": run.report.get("unknown_columns", []),
        "page_obj": page,
    }
    return render(request, "imports/preview.html", context)


@importer_required
@require_POST
def commit(request, pk: int):
    run = import_run_for_user(request.user, pk)
    try:
        commit_import(run=run, user=request.user)
    except ImportNotSaved as not_saved:
        messages.error(request, not_saved.message)
        return redirect("imports:preview", pk=run.pk)
    if run.status != ImportRun.Status.COMMITTED:
        messages.error(request, "The records have changed since the check: see the errors below.")
        return redirect("imports:preview", pk=run.pk)
    messages.success(
        request,
        f"{run.file_name} saved: {run.new_count} new, {run.updated_count} updated, "
        f"{run.unchanged_count} unchanged.",
    )
    return redirect("imports:list")


@importer_required
def import_list(request):
    page = Paginator(import_runs_for_user(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "imports/list.html", {"page_obj": page})


@importer_required
def template_csv(request):
    response = HttpResponse(downloads.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="placements-template.csv"'
    return response


@importer_required
def template_xlsx(request):
    response = HttpResponse(downloads.template_xlsx(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="placements-template.xlsx"'
    return response
