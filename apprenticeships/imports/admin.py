"""Imports in the admin: a read-only record of each one, and an import page for any borough."""

from django.contrib import admin
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from boroughs.models import Borough

from .forms import UploadForm
from .models import ImportRun
from .views import handle_upload


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    change_list_template = "admin/imports/importrun/change_list.html"
    list_display = (
        "__str__",
        "borough",
        "created_by",
        "created_at",
        "source",
        "status",
        "new_count",
        "updated_count",
        "unchanged_count",
        "error_count",
    )
    list_filter = ("status", "source", "borough")
    list_select_related = ("borough", "created_by")
    search_fields = ("file_name", "created_by__email")
    exclude = ("content", "report", "checked_versions")

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content", "report", "checked_versions")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="imports_importrun_import"), *super().get_urls()]

    def import_view(self, request):
        """Upload for ANY borough through the same engine; the check shows on the HR preview."""
        if not request.user.is_portal_admin:
            return redirect("admin:index")
        form = UploadForm(
            request.POST or None, request.FILES or None, boroughs=Borough.objects.all()
        )
        if request.method == "POST":
            run = handle_upload(request, form, ImportRun.Source.ADMIN)
            if run is not None:
                return redirect("imports:preview", pk=run.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import a spreadsheet",
            "form": form,
        }
        return TemplateResponse(request, "admin/imports/importrun/import.html", context)
