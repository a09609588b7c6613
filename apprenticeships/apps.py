from django.apps import AppConfig


class ApprenticeshipsConfig(AppConfig):
    name = "apprenticeships"
    verbose_name = "Apprenticeships"

    def ready(self) -> None:
        from apprenticeships.dashboard import cache
        from apprenticeships.dashboard.freshness import connect_signals

        connect_signals()
        cache.connect_signals(self)
