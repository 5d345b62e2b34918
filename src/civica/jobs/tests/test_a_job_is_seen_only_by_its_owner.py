"""Jobs are personal: the JSON status and the list show only the user's own jobs."""

from django.urls import reverse

from civica.jobs.models import Job
from civica.testing.personas import make_user


def test_the_owner_reads_the_status_and_anyone_else_gets_404(client, db):
    owner = make_user("duena", "analyst", nationwide=True)
    other = make_user("otro", "analyst", nationwide=True)
    job = Job.objects.create(owner=owner, kind="test", key="k", label="Near repeat · ROBO")
    url = reverse("jobs:status", args=[job.id])
    client.force_login(owner)
    assert client.get(url).json()["status"] == "queued"
    assert "Near repeat · ROBO" in client.get(reverse("jobs:list")).content.decode()
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert "Near repeat · ROBO" not in client.get(reverse("jobs:list")).content.decode()
    client.logout()
    assert client.get(url).status_code == 302
