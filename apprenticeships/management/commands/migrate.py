"""Django's `migrate`, which also puts Placement.age_at_start's triggers back when it fails.

A `migrate` that runs migrations removes the triggers before it starts
(apprenticeships/age_at_start.py); post_migrate puts them back, but Django sends it only when
every migration succeeded. Without this, a failed migration would leave the ages unkept until
the next successful one. Otherwise it is Django's command, unchanged.
"""

from django.core.management.commands import migrate
from django.db import connections

from apprenticeships import age_at_start


class Command(migrate.Command):
    def handle(self, *args, **options):
        try:
            return super().handle(*args, **options)
        finally:
            age_at_start.put_back_after_failure(connections[options["database"]])
