from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "apprenticeships.imports"
    label = "imports"
    verbose_name = "Spreadsheet imports"
