"""Admin actions shared by every changelist."""

from django.contrib import admin
from django.contrib.admin.utils import display_for_field, label_for_field, lookup_field
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import capfirst

from .csv_export import csv_response


@admin.action(description="Export selected rows as CSV")
def export_as_csv(modeladmin, request, queryset):
    """The changelist's own columns, for the selected rows, in one query."""
    columns = [c for c in modeladmin.get_list_display(request) if c != "action_checkbox"]
    header = [
        capfirst(strip_tags(str(label_for_field(c, queryset.model, modeladmin)))) for c in columns
    ]
    if modeladmin.list_select_related is True:
        queryset = queryset.select_related()
    elif modeladmin.list_select_related:
        queryset = queryset.select_related(*modeladmin.list_select_related)

    def cell(obj, name):
        field, _attr, value = lookup_field(name, obj, modeladmin)
        if field is not None:
            value = display_for_field(value, field, "")
        return strip_tags(str(value if value is not None else ""))

    rows = ([cell(obj, c) for c in columns] for obj in queryset)
    stamp = timezone.localdate().isoformat()
    return csv_response(f"{queryset.model._meta.model_name}-{stamp}.csv", header, rows)
