"""The admin site: where LOTI's administrators manage providers, standards, targets and records."""

import datetime

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from simple_history.admin import SimpleHistoryAdmin

from loti_portal.admin_actions import export_as_csv

from . import linking, rules, services
from .choices import OPEN_STATUSES, PlannedEndChangeReason
from .models import (
    Apprentice,
    BreakInLearning,
    EqualityMonitoring,
    LinkRequest,
    Placement,
    PlannedEndChange,
    Pledge,
    ProviderChange,
    RecruitmentTarget,
    Standard,
    TrainingProvider,
    refresh_ages_at_start,
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
    """Special-category data: visible only here, to admins (docs/data-protection.md)."""

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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "date_of_birth" in form.changed_data:
            refresh_ages_at_start([obj])  # as services.update_apprentice does


class _ChangeInline(admin.TabularInline):
    """Changes of circumstance are recorded on the portal's pages: shown here, never edited."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class BreakInline(_ChangeInline):
    model = BreakInLearning
    fields = ["started_on", "reason", "returned_on", "recorded_by", "recorded_at"]
    readonly_fields = fields


class ProviderChangeInline(_ChangeInline):
    model = ProviderChange
    fields = ["changed_on", "from_provider", "to_provider", "recorded_by", "recorded_at"]
    readonly_fields = fields


class PlannedEndChangeInline(_ChangeInline):
    model = PlannedEndChange
    fields = ["changed_on", "from_date", "to_date", "reason", "recorded_by", "recorded_at"]
    readonly_fields = fields


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
    planned_end_reason = forms.ChoiceField(
        label="If the planned end date has changed, why?",
        choices=[("", "---------"), *PlannedEndChangeReason.choices],
        required=False,
    )

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
        if not self.instance.pk and cleaned.get("start_date"):
            # A new placement's status follows from its start date, as on every other path;
            # later changes of status are made on the portal's pages, which keep them as records.
            self.instance.status = rules.initial_status(
                cleaned["start_date"], datetime.date.today()
            )
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
            moved = cleaned.get("planned_end_date") not in (None, self.initial["planned_end_date"])
            if moved and not cleaned.get("planned_end_reason"):
                self.add_error("planned_end_reason", "Select why the planned end date has changed.")
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
    # Changes of status are changes of circumstance: made on the placement's page in the portal
    # (rules.available_actions), where they are kept as records; here they are read only.
    readonly_fields = [
        *AUDIT_FIELDS,
        "version",
        "status",
        "actual_end_date",
        "withdrawal_reason",
        "outcome",
    ]
    list_per_page = 100
    actions = [export_as_csv]
    inlines = [BreakInline, ProviderChangeInline, PlannedEndChangeInline]

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
        events = []
        if change:
            obj.version = form.cleaned_data["opened_at_version"] + 1
            events = self._changes_of_circumstance(request, obj, form)
        super().save_model(request, obj, form, change)
        for event in events:
            event.full_clean()
            event.save()

    def _changes_of_circumstance(self, request, obj, form) -> list:
        """A new provider or planned end date is kept as the portal's pages keep it."""
        today = datetime.date.today()
        try:
            moved = services.planned_end_change(
                obj,
                from_date=form.initial["planned_end_date"],
                user=request.user,
                on=today,
                reason=form.cleaned_data.get("planned_end_reason", ""),
            )
        except ValidationError:
            moved = None  # the form refused it already (PlacementAdminForm.clean)
        changed = services.provider_change(
            obj, from_provider_id=form.initial["provider"], user=request.user, on=today
        )
        return [event for event in (moved, changed) if event is not None]


class PledgeInline(admin.TabularInline):
    """Each borough's pledge towards the target (one per borough; kept in its own history)."""

    model = Pledge
    extra = 0
    fields = ["borough", "number"]


@admin.register(RecruitmentTarget)
class RecruitmentTargetAdmin(SimpleHistoryAdmin):
    inlines = [PledgeInline]
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


@admin.register(LinkRequest)
class LinkRequestAdmin(admin.ModelAdmin):
    """The queue of people entered by one borough with another borough's ULN or email.

    Read only: an administrator compares what was entered with the person held, then approves
    (the placements move to the person held) or refuses (the clashing ULN or email is taken
    off the entered record) with the actions (apprenticeships/linking.py).
    """

    list_display = [
        "pk",
        "borough",
        "matched_on",
        "details_agree",
        "requested_by",
        "requested_at",
        "decision",
    ]
    list_filter = ["decision", "borough"]
    list_select_related = ["borough", "requested_by", "held"]
    readonly_fields = [
        "borough",
        "matched_on",
        "entered_details",
        "held_details",
        "details_agree",
        "provisional",
        "held",
        "requested_by",
        "requested_at",
        "decision",
        "decided_by",
        "decided_at",
    ]
    fields = readonly_fields
    actions = ["approve", "refuse"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # decided by the actions, which keep who and when

    @admin.display(description="names and date of birth agree", boolean=True)
    def details_agree(self, obj) -> bool:
        return linking.details_agree(obj)

    @admin.display(description="as the borough entered them")
    def entered_details(self, obj) -> str:
        e = obj.entered
        return (
            f"{e.get('given_name')} {e.get('family_name')}, born {e.get('date_of_birth') or '?'}"
            f", ULN {e.get('uln') or '-'}, email {e.get('email') or '-'}"
        )

    @admin.display(description="the person already held")
    def held_details(self, obj) -> str:
        h = obj.held
        born = h.date_of_birth.isoformat() if h.date_of_birth else "?"
        return f"{h.full_name}, born {born}, ULN {h.uln or '-'}, email {h.email or '-'}"

    @admin.action(description="Approve: the same person (move the placements to them)")
    def approve(self, request, queryset):
        self._decide(request, queryset, linking.approve, "linked")

    @admin.action(description="Refuse: not the same person (take the ULN or email off)")
    def refuse(self, request, queryset):
        self._decide(request, queryset, linking.refuse, "refused")

    def _decide(self, request, queryset, decide, done: str) -> None:
        decided = 0
        for link in queryset.filter(decision=LinkRequest.Decision.PENDING):
            try:
                decide(request=link, user=request.user)
            except ValidationError as error:
                self.message_user(request, f"#{link.pk}: {error.messages[0]}", level="error")
            else:
                decided += 1
        self.message_user(request, f"{decided} request(s) {done}.")
