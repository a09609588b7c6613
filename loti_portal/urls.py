"""Root URLconf: each feature's URLs live in its own urls.py."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from . import views

# TEMPORARY (branch hr): base.html links to these; the frontend branch owns the pages and may wire
# them differently, in which case this block goes at merge.
pages_patterns = (
    [
        path(f"{slug}/", TemplateView.as_view(template_name=f"pages/{name}.html"), name=name)
        for slug, name in [
            ("accessibility", "accessibility"),
            ("privacy", "privacy"),
            ("how-figures-are-counted", "counting"),
        ]
    ],
    "pages",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("loti_portal.accounts.urls")),
    path("placements/", include("apprenticeships.urls")),
    path("dashboard/", include("apprenticeships.dashboard.urls")),
    path("imports/", include("apprenticeships.imports.urls")),
    path("admin/", admin.site.urls),
    path("", include(pages_patterns)),
]
