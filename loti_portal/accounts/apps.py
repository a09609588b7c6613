from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "loti_portal.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from .signals import connect_signals

        connect_signals()
