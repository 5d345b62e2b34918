# A referral names its person and its source: sent by an organization (from one of its
# enrollments) or by a civic court (a case reference only); declines keep their reason and
# acceptances the enrollment they opened.

import django.db.models.deletion
from django.db import migrations, models


def persons_of_referrals(apps, schema_editor):
    Referral = apps.get_model("participants", "Referral")
    for referral in Referral.objects.select_related("enrollment").iterator():
        referral.person_id = referral.enrollment.person_id
        referral.save(update_fields=["person"])


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0003_referral_from_courts"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="person",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="referrals",
                to="participants.person",
                verbose_name="person",
            ),
        ),
        migrations.RunPython(persons_of_referrals, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="referral",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="referrals",
                to="participants.person",
                verbose_name="person",
            ),
        ),
        migrations.AlterField(
            model_name="referral",
            name="enrollment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="referrals",
                to="participants.enrollment",
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="source",
            field=models.CharField(
                choices=[
                    ("school", "School"),
                    ("family", "Family"),
                    ("police", "Police"),
                    ("civic_judge", "Juez cívico"),
                    ("detention", "Detention center"),
                    ("court", "Criminal court"),
                    ("civil_society", "Civil society"),
                    ("self", "Self"),
                ],
                default="civil_society",
                max_length=16,
                verbose_name="referral source",
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="source_reference",
            field=models.CharField(blank=True, max_length=200, verbose_name="sent by"),
        ),
        migrations.AddField(
            model_name="referral",
            name="track",
            field=models.CharField(
                blank=True,
                choices=[
                    ("prevention", "Prevention"),
                    ("secondary", "Secondary prevention"),
                    ("reinsertion", "Community-based reinsertion"),
                    ("women_detention", "Young women in detention"),
                ],
                max_length=16,
                verbose_name="track",
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="decline_reason",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="reason for declining"
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="accepted_enrollment",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="participants.enrollment",
                verbose_name="enrollment opened",
            ),
        ),
        migrations.AddConstraint(
            model_name="referral",
            constraint=models.CheckConstraint(
                condition=models.Q(("enrollment__isnull", False))
                | models.Q(("source_reference", ""), _negated=True),
                name="participants_referral_has_a_sender",
            ),
        ),
    ]
