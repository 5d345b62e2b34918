from django.db import migrations, models


def fill_resolution_micros(apps, schema_editor):
    """``Case.resolution_micros`` of the resolved cases already written (as
    ``micros_to_resolution``): whole microseconds from the presentation to the resolution."""
    connection = schema_editor.connection
    case = apps.get_model("justice", "Case")._meta.db_table
    if connection.vendor == "postgresql":
        micros = "(EXTRACT(EPOCH FROM (resolved_at - presented_at)) * 1000000)::bigint"
    else:
        # Django keeps 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC: seconds, then the fraction.
        def fraction(column: str) -> str:
            return f"CAST(substr({column} || '.000000', 21, 6) AS INTEGER)"

        micros = (
            "((CAST(strftime('%s', resolved_at) AS INTEGER) - CAST(strftime('%s', "
            f"presented_at) AS INTEGER)) * 1000000 + {fraction('resolved_at')} - "
            f"{fraction('presented_at')})"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {case} SET resolution_micros = {micros} WHERE resolved_at IS NOT NULL"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("justice", "0006_case_person_key"),
    ]

    operations = [
        # The covering index is rebuilt once, after the fill (not kept up row by row).
        migrations.RemoveIndex(
            model_name="case",
            name="justice_indicators",
        ),
        migrations.AddField(
            model_name="case",
            name="resolution_micros",
            field=models.BigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill_resolution_micros, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=[
                    "juzgado",
                    "presented_at",
                    "presented_month",
                    "sex",
                    "age_years",
                    "family",
                    "medical_at",
                    "screened_at",
                    "risk_level",
                    "rnd_folio",
                    "resolved_at",
                    "responsible",
                    "sanction",
                    "community_hours",
                    "commutation",
                    "closure",
                    "detained_at",
                    "arrest_hours",
                    "person_key",
                    "minor",
                    "resolution_micros",
                ],
                name="justice_indicators",
            ),
        ),
    ]
