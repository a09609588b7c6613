from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "loti_portal.accounts"
    label = "accounts"
    verbose_name = "Accounts"
