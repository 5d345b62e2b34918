# A person registered for a civic court's referral is the receiving organization's only once
# it accepts; a declined referral keeps no personal field.

import json

from django.db import migrations, models
from django.utils import timezone


def held_and_erased(apps, schema_editor):
    """Rows written before this migration.

    * Held: a person that ``justice.diversion`` registered for a court's referral — the
      referral goes to the person's registering organization, was sent the day the person
      was registered, every consent of the person was recorded by the system (the diversion
      records it, never a user), and that organization never enrolled the person (so the
      referral is waiting or was declined). Anyone an organization registered by hand has a
      consent recorded by one of its users, and one it enrolled is kept as before.
    * Erased: a declined referral keeps the pseudonymous id only, as answer_referral now does.
    """
    Person = apps.get_model("participants", "Person")
    Referral = apps.get_model("participants", "Referral")
    Enrollment = apps.get_model("participants", "Enrollment")
    Consent = apps.get_model("participants", "Consent")
    court = Referral.objects.filter(source="civic_judge").select_related("person")
    for referral in court.iterator():
        person = referral.person
        if (
            person.held_for_referral
            or person.organization_id != referral.to_organization_id
            or timezone.localdate(person.created_at) != referral.sent_on
            or Consent.objects.filter(person=person, recorded_by__isnull=False).exists()
            or Enrollment.objects.filter(
                person=person, organization_id=person.organization_id
            ).exists()
        ):
            continue
        Person.objects.filter(pk=person.pk).update(held_for_referral=True)
    for referral in Referral.objects.filter(status="declined").select_related("person"):
        Referral.objects.filter(pk=referral.pk).update(
            shared=json.dumps({"pid": referral.person.pid})
        )


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0004_referral_from_a_civic_court"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="held_for_referral",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="held for a court referral"
            ),
        ),
        migrations.RunPython(held_and_erased, migrations.RunPython.noop),
    ]
