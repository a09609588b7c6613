"""Placement.age_at_start: the apprentice's age in whole years on the start date.

The column only. The database keeps it with triggers that are not part of any migration: they
are removed before every `migrate` and put back after it, correcting every placement's age as
they are (apprenticeships/age_at_start.py), so that no migration has to work around them.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("apprenticeships", "0004_placement_index_covers_starts"),
    ]

    operations = [
        migrations.AddField(
            model_name="placement",
            name="age_at_start",
            field=models.SmallIntegerField(editable=False, null=True),
        ),
    ]
