"""The borough HR workspace: placements and recruits."""

from django.urls import path

from . import views

app_name = "apprenticeships"
urlpatterns = [
    path("", views.placement_list, name="placement_list"),
    path("current/", views.current_apprentices, name="current"),
    path("needing-action/", views.needing_action, name="needing_action"),
    path("<int:pk>/", views.placement_detail, name="placement_detail"),
    path("<int:pk>/edit/", views.placement_edit, name="placement_edit"),
    path("<int:pk>/apprentice/", views.apprentice_edit, name="apprentice_edit"),
    path("<int:pk>/start/", views.placement_start, name="placement_start"),
    path("<int:pk>/break/", views.placement_start_break, name="placement_start_break"),
    path("<int:pk>/return/", views.placement_return, name="placement_return"),
    path(
        "<int:pk>/change-provider/",
        views.placement_change_provider,
        name="placement_change_provider",
    ),
    path("<int:pk>/complete/", views.placement_complete, name="placement_complete"),
    path("<int:pk>/withdraw/", views.placement_withdraw, name="placement_withdraw"),
    path("<int:pk>/added/", views.recruit_added, name="recruit_added"),
    path("add/", views.recruit_start, name="recruit_start"),
    path("add/<slug:journey>/apprentice/", views.recruit_apprentice, name="recruit_apprentice"),
    path("add/<slug:journey>/same-person/", views.recruit_duplicate, name="recruit_duplicate"),
    path("add/<slug:journey>/equality/", views.recruit_equality, name="recruit_equality"),
    path("add/<slug:journey>/placement/", views.recruit_placement, name="recruit_placement"),
    path("add/<slug:journey>/check/", views.recruit_check, name="recruit_check"),
]
