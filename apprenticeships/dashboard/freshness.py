"""Whether the dashboard's figures may have changed: a version number bumped after each change.

Every change to a record the dashboard counts ends in `figures_changed()`: saves and deletes
through the ORM by the signal receivers below, and the bulk writes that send no signals (import,
demo data) by calling it themselves. The number goes up only once the change has committed, in a
short transaction of its own, so a writer never holds the row while it works. A page computed
after reading version N therefore includes every change counted in N: a page is never cached
under a number older than its figures. A change made outside the portal (by hand in the
database) is caught by the cache's expiry, DASHBOARD_CACHE_SECONDS.
"""

from django.db import transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from apprenticeships.models import (
    Apprentice,
    EqualityMonitoring,
    FiguresVersion,
    Placement,
    RecruitmentTarget,
    Standard,
    TrainingProvider,
)
from boroughs.models import Borough

COUNTED_MODELS = (
    Placement,
    Apprentice,
    EqualityMonitoring,
    RecruitmentTarget,
    Borough,
    Standard,
    TrainingProvider,
)


def current_version() -> int:
    return FiguresVersion.objects.filter(pk=1).values_list("number", flat=True).first() or 0


def figures_changed() -> None:
    """Bump the version once the current transaction commits (at once outside one).

    Registered once per transaction however many records it writes (deleting 500 placements
    from the admin bumps the number once): not again while a bump is pending that will run with
    this change, i.e. one registered at this savepoint level or an enclosing one, which Django
    keeps unless that level rolls back, and this change with it. `robust`: the change has been
    committed by then, so a failed bump is logged rather than shown as an error (the cache's
    expiry still bounds how stale a page can be).
    """
    connection = transaction.get_connection()
    active = set(connection.savepoint_ids)
    if connection.in_atomic_block and any(
        func is _bump and savepoints <= active for savepoints, func, _ in connection.run_on_commit
    ):
        return
    transaction.on_commit(_bump, robust=True)


def _bump() -> None:
    with transaction.atomic():
        if not FiguresVersion.objects.filter(pk=1).update(number=F("number") + 1):
            FiguresVersion.objects.get_or_create(pk=1, defaults={"number": 1})


def _on_change(sender, **kwargs) -> None:
    figures_changed()


def connect_signals() -> None:
    for model in COUNTED_MODELS:
        post_save.connect(_on_change, sender=model, dispatch_uid=f"figures-{model.__name__}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"figures-del-{model.__name__}")
    m2m_changed.connect(
        _on_change, sender=RecruitmentTarget.boroughs.through, dispatch_uid="figures-target-m2m"
    )
