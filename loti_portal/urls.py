"""Root URLconf: each feature's URLs live in its own urls.py."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from . import views

pages = (
    [
        path(
            "accessibility/",
            TemplateView.as_view(template_name="pages/accessibility.html"),
            name="accessibility",
        ),
        path("privacy/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
        path(
            "how-figures-are-counted/",
            TemplateView.as_view(template_name="pages/counting.html"),
            name="counting",
        ),
    ],
    "pages",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include(pages)),
    path("accounts/", include("loti_portal.accounts.urls")),
    path("placements/", include("apprenticeships.urls")),
    path("dashboard/", include("apprenticeships.dashboard.urls")),
    path("imports/", include("apprenticeships.imports.urls")),
    path("admin/", admin.site.urls),
]
