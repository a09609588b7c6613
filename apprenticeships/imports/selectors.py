"""Reads for the import pages."""

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404

from boroughs.models import Borough, BoroughQuerySet

from .models import ImportRun, ImportRunQuerySet

if TYPE_CHECKING:
    from loti_portal.accounts.models import User


def importable_boroughs(user: "User") -> BoroughQuerySet:
    """Boroughs this user may import into: HR their own, admins any, nobody else."""
    if user.is_borough_hr or user.is_portal_admin:
        return Borough.objects.for_user(user)
    return Borough.objects.none()


def import_run_for_user(user: "User", pk: int) -> ImportRun:
    """One import of the user's boroughs with what its preview shows; 404 outside them.

    Without the stored file, and the versions kept for the save (commit_import reads both).
    """
    runs = ImportRun.objects.for_user(user).select_related("borough", "created_by")
    return get_object_or_404(runs.defer("content", "checked_versions"), pk=pk)


def import_runs_for_user(user: "User") -> ImportRunQuerySet:
    """The imports of the user's boroughs, newest first, without the stored files and reports."""
    return (
        ImportRun.objects.for_user(user)
        .select_related("borough", "created_by")
        .defer("content", "report", "checked_versions")
    )
