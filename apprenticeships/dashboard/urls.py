"""Progress dashboard, its exports and JSON feed."""

from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("pledges/", views.pledge_progress, name="pledges"),
    path("current/", views.current_apprentices, name="current"),
    path("progress.json", views.progress_json, name="progress_json"),
    path("export/<slug:table>.csv", views.export, name="export"),
]
