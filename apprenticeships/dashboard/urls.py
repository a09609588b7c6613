"""Progress dashboard, its exports and JSON feed."""

app_name = "dashboard"
urlpatterns: list = []
