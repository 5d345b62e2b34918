# A diversion is a referral the organization answers: the case keeps the referral (and reads
# the enrollment its acceptance opened) instead of an enrollment created by the juzgado. A
# measure referred before becomes an accepted referral from the civic judge.

import django.db.models.deletion
from django.db import migrations, models


def referrals_of_enrollments(apps, schema_editor):
    Case = apps.get_model("justice", "Case")
    Referral = apps.get_model("participants", "Referral")
    for case in Case.objects.exclude(measure_enrollment=None).select_related(
        "measure_enrollment", "juzgado"
    ):
        enrollment = case.measure_enrollment
        referral = Referral.objects.create(
            person_id=enrollment.person_id,
            source="civic_judge",
            source_reference=f"{case.juzgado.name} · {case.pk}"[:200],
            to_organization_id=enrollment.organization_id,
            reason="Medida para Mejorar la Convivencia Cotidiana",
            track=enrollment.track,
            shared="",
            status="accepted",
            sent_on=enrollment.start_date,
            answered_on=enrollment.start_date,
            accepted_enrollment=enrollment,
        )
        Case.objects.filter(pk=case.pk).update(measure_referral=referral)


class Migration(migrations.Migration):
    dependencies = [
        ("justice", "0003_juzgado_instrument"),
        ("participants", "0004_referral_from_a_civic_court"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="measure_referral",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="participants.referral",
                verbose_name="referral of the measure",
            ),
        ),
        migrations.RunPython(referrals_of_enrollments, migrations.RunPython.noop),
        migrations.RemoveField(model_name="case", name="measure_enrollment"),
    ]
