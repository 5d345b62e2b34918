from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_cached_result_pickled_blob")]

    operations = [
        migrations.AddField(
            model_name="job",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="job",
            index=models.Index(fields=["status", "heartbeat_at"], name="jobs_status_heartbeat"),
        ),
    ]
