"""Changes of circumstance kept as records; the age-at-start triggers go.

- The triggers that kept Placement.age_at_start (installed outside the migrations by the module
  apprenticeships/age_at_start.py, now removed) are dropped first: SQLite cannot rebuild a table
  a trigger names. The stored ages stay; from now on Python sets them where placements and dates
  of birth are written (Placement.clean, refresh_ages_at_start).
- Breaks in learning become periods of their own (BreakInLearning); each placement on a break
  today gets its open break, from the two columns that held it, before they are removed.
- Changes of provider and of planned end date are kept as records from now on.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


# Every name the triggers and their functions ever had (the removed module's list).
POSTGRESQL_TRIGGERS = [
    ("apprentice_ages_at_start", "apprenticeships_apprentice"),
    ("apprentice_inserted_ages_at_start", "apprenticeships_apprentice"),
    ("placement_age_at_start", "apprenticeships_placement"),
]
POSTGRESQL_FUNCTIONS = [
    "apprentice_ages_at_start",
    "apprentice_inserted_ages_at_start",
    "placement_age_at_start",
]
SQLITE_TRIGGERS = [
    "apprentice_ages_at_start",
    "apprentice_inserted_ages_at_start",
    "placement_age_at_start_insert",
    "placement_age_at_start_update",
]


def drop_age_triggers(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for trigger, table in POSTGRESQL_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
            for function in POSTGRESQL_FUNCTIONS:
                cursor.execute(f"DROP FUNCTION IF EXISTS {function}()")
        elif connection.vendor == "sqlite":
            for trigger in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")


def open_breaks_as_records(apps, schema_editor):
    Placement = apps.get_model("apprenticeships", "Placement")
    BreakInLearning = apps.get_model("apprenticeships", "BreakInLearning")
    on_a_break = Placement.objects.filter(status="break_in_learning").values_list(
        "pk", "break_started_on", "break_reason", "is_demo"
    )
    BreakInLearning.objects.bulk_create(
        [
            BreakInLearning(
                placement_id=pk, started_on=started, reason=reason or "other", is_demo=is_demo
            )
            for pk, started, reason, is_demo in on_a_break.iterator()
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("apprenticeships", "0005_placement_age_at_start"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_age_triggers, migrations.RunPython.noop),
        migrations.CreateModel(
            name="BreakInLearning",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("recorded_at", models.DateTimeField(auto_now_add=True)),
                ("is_demo", models.BooleanField(default=False)),
                ("started_on", models.DateField(verbose_name="break started on")),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("health", "Health"),
                            ("caring", "Caring responsibilities"),
                            ("parental_leave", "Parental leave"),
                            ("work", "Work demands"),
                            ("provider", "Training provider issue"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="reason for the break",
                    ),
                ),
                (
                    "returned_on",
                    models.DateField(blank=True, null=True, verbose_name="returned on"),
                ),
            ],
            options={
                "verbose_name": "break in learning",
                "verbose_name_plural": "breaks in learning",
                "ordering": ["-started_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="PlannedEndChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("recorded_at", models.DateTimeField(auto_now_add=True)),
                ("is_demo", models.BooleanField(default=False)),
                ("changed_on", models.DateField(verbose_name="date of the change")),
                ("from_date", models.DateField(verbose_name="planned end before")),
                ("to_date", models.DateField(verbose_name="planned end after")),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("break", "Return from a break in learning"),
                            ("extension", "Extension agreed with the training provider"),
                            ("early", "Finishing earlier than planned"),
                            ("correction", "Correcting a mistake"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                    ),
                ),
            ],
            options={
                "ordering": ["-changed_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="ProviderChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("recorded_at", models.DateTimeField(auto_now_add=True)),
                ("is_demo", models.BooleanField(default=False)),
                ("changed_on", models.DateField(verbose_name="date of the change")),
            ],
            options={
                "ordering": ["-changed_on", "-pk"],
            },
        ),
        migrations.AddField(
            model_name="breakinlearning",
            name="placement",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="breaks",
                to="apprenticeships.placement",
            ),
        ),
        migrations.AddField(
            model_name="breakinlearning",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="recorded by",
            ),
        ),
        migrations.AddField(
            model_name="breakinlearning",
            name="return_recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="plannedendchange",
            name="placement",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="planned_end_changes",
                to="apprenticeships.placement",
            ),
        ),
        migrations.AddField(
            model_name="plannedendchange",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="recorded by",
            ),
        ),
        migrations.AddField(
            model_name="providerchange",
            name="from_provider",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="apprenticeships.trainingprovider",
                verbose_name="from",
            ),
        ),
        migrations.AddField(
            model_name="providerchange",
            name="placement",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="provider_changes",
                to="apprenticeships.placement",
            ),
        ),
        migrations.AddField(
            model_name="providerchange",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="recorded by",
            ),
        ),
        migrations.AddField(
            model_name="providerchange",
            name="to_provider",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="apprenticeships.trainingprovider",
                verbose_name="to",
            ),
        ),
        migrations.AddConstraint(
            model_name="breakinlearning",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("returned_on__isnull", True),
                    ("returned_on__gte", models.F("started_on")),
                    _connector="OR",
                ),
                name="break_returned_not_before_started",
            ),
        ),
        migrations.AddConstraint(
            model_name="breakinlearning",
            constraint=models.UniqueConstraint(
                condition=models.Q(("returned_on__isnull", True)),
                fields=("placement",),
                name="break_one_open_per_placement",
            ),
        ),
        migrations.AddConstraint(
            model_name="plannedendchange",
            constraint=models.CheckConstraint(
                condition=models.Q(("from_date", models.F("to_date")), _negated=True),
                name="planned_end_change_changes_date",
            ),
        ),
        migrations.AddConstraint(
            model_name="providerchange",
            constraint=models.CheckConstraint(
                condition=models.Q(("from_provider", models.F("to_provider")), _negated=True),
                name="provider_change_changes_provider",
            ),
        ),
        migrations.RunPython(open_breaks_as_records, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="placement",
            name="placement_break_date_iff_on_break",
        ),
        migrations.RemoveField(
            model_name="historicalplacement",
            name="break_reason",
        ),
        migrations.RemoveField(
            model_name="historicalplacement",
            name="break_started_on",
        ),
        migrations.RemoveField(
            model_name="placement",
            name="break_reason",
        ),
        migrations.RemoveField(
            model_name="placement",
            name="break_started_on",
        ),
    ]
