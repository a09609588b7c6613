from django.contrib import admin
from django.db.models import Count, Q
from simple_history.admin import SimpleHistoryAdmin

from apprenticeships.choices import Status
from loti_portal.admin_actions import export_as_csv

from .models import Borough, Membership


@admin.register(Borough)
class BoroughAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "gss_code",
        "kind",
        "is_loti_member",
        "loti_joined_on",
        "membership_is_demo",
        "headcount",
        "placement_count",
        "active_count",
    ]
    list_filter = ["is_loti_member", "kind", "membership_is_demo"]
    search_fields = ["name", "official_name", "gss_code"]
    readonly_fields = ["created_at", "updated_at"]
    actions = [export_as_csv]

    def get_queryset(self, request):
        # Counts as annotations: one query for the whole changelist, not one per borough.
        return (
            super()
            .get_queryset(request)
            .annotate(
                placement_total=Count("placements"),
                active_total=Count(
                    "placements",
                    filter=Q(placements__status__in=[Status.IN_LEARNING, Status.BREAK_IN_LEARNING]),
                ),
            )
        )

    @admin.display(description="placements", ordering="placement_total")
    def placement_count(self, obj) -> int:
        return obj.placement_total

    @admin.display(description="in learning or on a break", ordering="active_total")
    def active_count(self, obj) -> int:
        return obj.active_total


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "borough", "created_at"]
    list_filter = ["borough"]
    list_select_related = ["user", "borough"]
    search_fields = ["user__email", "borough__name", "borough__gss_code"]
    autocomplete_fields = ["user", "borough"]
    readonly_fields = ["created_at"]
    actions = [export_as_csv]
