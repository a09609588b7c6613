"""A record of each spreadsheet checked and, once it has no errors, saved."""

from django.conf import settings
from django.db import models

from boroughs.models import Borough


class ImportRunQuerySet(models.QuerySet):
    def for_user(self, user) -> "ImportRunQuerySet":
        """Imports this user may see: HR those of their boroughs, admins all, others none."""
        if not user.is_authenticated:
            return self.none()
        if user.is_portal_admin:
            return self.all()
        if user.is_borough_hr:
            return self.filter(borough__memberships__user=user)
        return self.none()


class ImportRun(models.Model):
    class Status(models.TextChoices):
        CHECKED = "checked", "Checked: ready to save"
        HAS_ERRORS = "has_errors", "Checked: has errors"
        COMMITTED = "committed", "Saved"

    class Source(models.TextChoices):
        WEB = "web", "Upload page"
        ADMIN = "admin", "Admin import page"
        COMMAND = "command", "import_placements command"

    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="import_runs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_runs",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveIntegerField(default=0)
    # The checked file itself, so that saving re-runs the checks on exactly these bytes and never
    # trusts row data posted back by the browser. Emptied once saved (the records hold the data).
    content = models.BinaryField(blank=True, editable=False)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CHECKED)
    row_count = models.PositiveIntegerField(default=0)
    new_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # Every row's outcome and errors, as the check step showed them (engine.CheckResult.report).
    report = models.JSONField(default=dict, blank=True, editable=False)
    # What the check the user previewed read of the records held that the file matched: each
    # placement's version and each apprentice's last change, {"placements": {pk: version},
    # "apprentices": {pk: updated_at}}. Saving checks the file again, so only these say what the
    # user saw; the save is refused if a record it would change is no longer as it was then.
    checked_versions = models.JSONField(default=dict, blank=True, editable=False)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["borough", "-created_at"])]

    def __str__(self) -> str:
        return f"Import #{self.pk} {self.file_name}"

    @property
    def change_reason(self) -> str:
        """What every history row written by this import says."""
        return f"Import #{self.pk} {self.file_name}"[:100]

    @property
    def can_commit(self) -> bool:
        return self.status == self.Status.CHECKED
