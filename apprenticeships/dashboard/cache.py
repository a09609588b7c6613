"""The page cache's table: created by every `migrate`, so no deployment step can be forgotten.

With no REDIS_URL the shared cache is Django's database cache (settings.CACHES), whose table no
migration makes: Django leaves it to `createcachetable`. Running that command after each
`migrate` here means `make run`, `make serve`, the load test, the benchmarks and a fresh
deployment all find the table without a step of their own; the command does nothing when the
table exists or the cache is Redis. (Test databases get it from Django's test runner as well.)
"""

from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_table(sender: AppConfig, using: str, **kwargs: object) -> None:
    call_command("createcachetable", database=using, verbosity=0)


def connect_signals(app_config: AppConfig) -> None:
    """Once per `migrate`: post_migrate is sent for each app, so only for this one."""
    post_migrate.connect(create_cache_table, sender=app_config, dispatch_uid="dashboard-cache")
