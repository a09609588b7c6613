"""Bulk import of placements from spreadsheets."""

app_name = "imports"
urlpatterns: list = []
