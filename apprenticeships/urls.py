"""The borough HR workspace: placements and recruits."""

app_name = "apprenticeships"
urlpatterns: list = []
