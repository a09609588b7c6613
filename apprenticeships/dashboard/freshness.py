"""Whether the dashboard's figures may have changed: a version number bumped after each change.

Every change to a record the dashboard counts ends in `figures_changed()`: saves and deletes
through the ORM by the signal receivers below, and the bulk writes that send no signals (import,
demo data) by calling it themselves. The number goes up only once the change has committed, in a
short transaction of its own, so a writer never holds the row while it works.

Why a cached page is never older than the number it is kept under: the dashboard reads the
version *before* it reads any figure (views._cache_key), and the number moves only after the
change it stands for is visible to every reader. So a page computed after reading version N
includes every change that N counts; at worst it also includes a change whose bump is still to
come, which only makes it newer than its number, and that bump retires it. A bump made before the
commit would allow the opposite: a reader could see N + 1 while the change was still invisible,
and keep the old figures under the new number until the page expired. A change made outside the
portal (by hand in the database) is caught by the cache's expiry, DASHBOARD_CACHE_SECONDS.
"""

import threading
from functools import partial

from django.db import transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from apprenticeships.models import (
    Apprentice,
    EqualityMonitoring,
    FiguresVersion,
    Placement,
    Pledge,
    RecruitmentTarget,
    Standard,
    TrainingProvider,
)
from boroughs.models import Borough

COUNTED_MODELS = (
    Pledge,  # borough HR's dashboard shows their pledge
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


class _Bump:
    """One bump shared by the changes of a transaction: the first of their callbacks to run after
    the commit makes it, the others find it made."""

    __slots__ = ("made",)

    def __init__(self) -> None:
        self.made = False


# The bump this thread's changes share until it is made. Django's connections are per thread, so
# this is per connection too, and the callbacks registered for it run on this thread.
_pending = threading.local()


def figures_changed() -> None:
    """Bump the version once the current transaction commits (at once outside one).

    One bump per transaction however many records it writes (deleting 500 placements from the
    admin bumps the number once), using only `transaction.on_commit`: every call registers a
    callback, and all the callbacks registered until one of them runs share one `_Bump`, so the
    first to run after the commit bumps and the rest do nothing. A callback is registered on
    every call, not only the first, because Django drops the callbacks of a savepoint or
    transaction that rolls back: whichever changes survive, their callbacks survive with them,
    and a rolled-back change leaves nothing behind but a shared `_Bump` that the next committed
    change's callback makes. `robust`: the change has been committed by then, so a failed bump is
    logged rather than shown as an error (the cache's expiry still bounds how stale a page can
    be).
    """
    bump = getattr(_pending, "bump", None)
    if bump is None:
        bump = _pending.bump = _Bump()
    transaction.on_commit(partial(_make, bump), robust=True)


def _make(bump: _Bump) -> None:
    if bump.made:
        return
    bump.made = True  # before the write: a failure is logged once, not once per change
    if getattr(_pending, "bump", None) is bump:
        _pending.bump = None
    _bump()


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
