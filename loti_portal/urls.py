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
    path("favicon.ico", views.favicon, name="favicon"),
    path("", include(pages)),
    path("accounts/", include("loti_portal.accounts.urls")),
    path("placements/", include("apprenticeships.urls")),
    path("dashboard/", include("apprenticeships.dashboard.urls")),
    path("imports/", include("apprenticeships.imports.urls")),
    path("admin/", admin.site.urls),
]

# Error pages in the portal's style that reveal nothing internal (views.py).
handler400 = "loti_portal.views.bad_request"
handler403 = "loti_portal.views.permission_denied"
handler404 = "loti_portal.views.page_not_found"
handler500 = "loti_portal.views.server_error"
