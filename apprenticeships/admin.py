"""The admin site: where LOTI's administrators manage providers, standards, targets and records."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from simple_history.admin import SimpleHistoryAdmin

from loti_portal.admin_actions import export_as_csv

from .choices import OPEN_STATUSES
from .models import (
    Apprentice,
    EqualityMonitoring,
    Placement,
    RecruitmentTarget,
    Standard,
    TrainingProvider,
)

AUDIT_FIELDS = ["created_at", "updated_at"]


class StartYearFilter(admin.SimpleListFilter):
    title = "start year"
    parameter_name = "start_year"

    def lookups(self, request, model_admin):
        years = (
            Placement.objects.annotate(year=ExtractYear("start_date"))
            .values_list("year", flat=True)
            .distinct()
            .order_by("-year")
        )
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(start_date__year=int(value))
        return queryset


@admin.register(TrainingProvider)
class TrainingProviderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "ukprn", "is_active", "contact_email", "open_placements"]
    list_filter = ["is_active"]
    search_fields = ["name", "ukprn"]
    readonly_fields = AUDIT_FIELDS
    actions = [export_as_csv, "deactivate", "activate"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                open_total=Count("placements", filter=Q(placements__status__in=OPEN_STATUSES))
            )
        )

    @admin.display(description="open placements", ordering="open_total")
    def open_placements(self, obj) -> int:
        return obj.open_total

    @admin.action(description="Deactivate: no new placements (existing ones keep the provider)")
    def deactivate(self, request, queryset):
        for provider in queryset.filter(is_active=True):
            provider.is_active = False
            provider.save(update_fields=["is_active", "updated_at"])
        self.message_user(request, "The selected providers can no longer be chosen.")

    @admin.action(description="Reactivate")
    def activate(self, request, queryset):
        for provider in queryset.filter(is_active=False):
            provider.is_active = True
            provider.save(update_fields=["is_active", "updated_at"])
        self.message_user(request, "The selected providers can be chosen again.")


@admin.register(Standard)
class StandardAdmin(SimpleHistoryAdmin):
    list_display = [
        "reference",
        "title",
        "level",
        "level_checked",
        "route",
        "funding_band_maximum",
        "typical_duration_months",
        "is_active",
    ]
    list_filter = ["level", "level_checked", "route", "is_active"]
    search_fields = ["reference", "title"]
    readonly_fields = AUDIT_FIELDS
    actions = [export_as_csv]


class PlacementInline(admin.TabularInline):
    model = Placement
    extra = 0
    fields = ["borough", "standard", "provider", "start_date", "planned_end_date", "status"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("borough", "standard", "provider")


class EqualityMonitoringInline(admin.StackedInline):
    """Special-category data: visible only here, to admins (DESIGN.md)."""

    model = EqualityMonitoring
    extra = 0
    max_num = 1


@admin.register(Apprentice)
class ApprenticeAdmin(SimpleHistoryAdmin):
    list_display = ["family_name", "given_name", "uln", "email", "placement_count", "is_demo"]
    list_filter = ["is_demo", "placements__borough"]
    search_fields = ["given_name", "family_name", "email", "uln"]
    readonly_fields = [*AUDIT_FIELDS, "anonymised_at"]
    inlines = [PlacementInline, EqualityMonitoringInline]
    actions = [export_as_csv]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(placement_total=Count("placements"))

    @admin.display(description="placements", ordering="placement_total")
    def placement_count(self, obj) -> int:
        return obj.placement_total


ADMIN_STALE_MESSAGE = (
    "Someone changed this placement after you opened it (an HR officer, an import or another "
    "administrator), so your changes were not saved. Open the placement again to see its "
    "current details, then make your change again."
)


class PlacementAdminForm(forms.ModelForm):
    """The change form carries the version it was opened at, as the HR workspace's forms do.

    Found in review: an administrator's save bumped the version without checking it, so it could
    silently overwrite an HR officer's change saved meanwhile.
    """

    # No Meta: the admin builds the form's fields for the model (ModelAdmin.get_form).
    opened_at_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            # From the database, not the instance: the history page's "revert" form holds an
            # old copy of the placement, whose version is not the one being changed.
            self.fields["opened_at_version"].initial = (
                Placement.objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # The admin saves in a transaction: the row stays locked until this save commits.
            current = (
                Placement.objects.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if cleaned.get("opened_at_version") != current:
                raise ValidationError(ADMIN_STALE_MESSAGE, code="stale")
        return cleaned


@admin.register(Placement)
class PlacementAdmin(SimpleHistoryAdmin):
    form = PlacementAdminForm
    list_display = [
        "apprentice",
        "borough",
        "standard_reference",
        "level",
        "provider",
        "start_date",
        "planned_end_date",
        "status",
        "actual_end_date",
        "is_demo",
    ]
    list_select_related = ["apprentice", "borough", "standard", "provider"]
    list_filter = [
        "status",
        "borough",
        "standard",
        "standard__level",
        "provider",
        StartYearFilter,
        "is_demo",
    ]
    search_fields = [
        "apprentice__given_name",
        "apprentice__family_name",
        "apprentice__uln",
        "provider__ukprn",
        "borough__gss_code",
        "standard__reference",
        "job_title",
    ]
    autocomplete_fields = ["apprentice", "borough", "standard", "provider"]
    date_hierarchy = "start_date"
    readonly_fields = [*AUDIT_FIELDS, "version"]
    list_per_page = 100
    actions = [export_as_csv]

    @admin.display(description="standard", ordering="standard__reference")
    def standard_reference(self, obj) -> str:
        return obj.standard.reference

    @admin.display(description="level", ordering="standard__level")
    def level(self, obj) -> int:
        return obj.standard.level

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # "Revert to this version" saves like the change page, which the admin runs in a
        # transaction: the form's version check locks the row until the save commits.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        # Keep the optimistic-lock version moving for edits made here too; the form checked
        # (and locked) the version this edit started from.
        if change:
            obj.version = form.cleaned_data["opened_at_version"] + 1
        super().save_model(request, obj, form, change)


@admin.register(RecruitmentTarget)
class RecruitmentTargetAdmin(SimpleHistoryAdmin):
    list_display = ["name", "target_number", "opens_on", "closes_on", "borough_count", "is_demo"]
    list_filter = ["is_demo"]
    search_fields = ["name"]
    filter_horizontal = ["boroughs"]
    readonly_fields = AUDIT_FIELDS
    date_hierarchy = "opens_on"
    actions = [export_as_csv]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(borough_total=Count("boroughs"))

    @admin.display(description="boroughs in scope", ordering="borough_total")
    def borough_count(self, obj) -> int:
        return obj.borough_total
