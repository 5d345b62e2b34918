"""The fact-sheet PDF link answers at once with the job's progress; once the worker has
written the PDF the same link delivers it (audited), and the next download the same day
with no record changed is the stored file, not a second rendering."""

from django.urls import reverse

from civica.accounts.models import User
from civica.audit.models import Action, AuditEvent
from civica.jobs.models import CachedResult, Job
from civica.jobs.testing import run_queued_jobs
from civica.monitoring.tests.test_demo_program import national_territory  # noqa: F401
from civica.monitoring.tests.test_factsheet_pdf import demo_program  # noqa: F401


def test_the_link_shows_progress_then_delivers_the_stored_pdf(client, demo_program):  # noqa: F811
    admin = User.objects.create_superuser("root", password="x" * 12, role="administrator")
    client.force_login(admin)
    url = reverse("monitoring:factsheet-pdf")
    waiting = client.get(url, {"period": "FY2023"})
    # The link answered without rendering: its job is still waiting for the worker.
    assert Job.objects.get().status == "queued" and Job.objects.get().started_at is None
    assert waiting["Content-Type"].startswith("text/html")
    assert "data-job-status" in waiting.content.decode()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
    assert run_queued_jobs() == 1
    assert CachedResult.objects.get(kind="monitoring.factsheet_pdf").seconds > 0
    delivered = client.get(url, {"period": "FY2023"})
    assert delivered["Content-Type"] == "application/pdf"
    assert delivered.content.startswith(b"%PDF-")
    assert "factsheet-FY2023-es.pdf" in delivered["Content-Disposition"]
    assert AuditEvent.objects.filter(action=Action.EXPORT).count() == 1
    again = client.get(url, {"period": "FY2023"})
    assert again.content == delivered.content and run_queued_jobs() == 0
    assert Job.objects.filter(from_cache=True).count() == 2
    assert AuditEvent.objects.filter(action=Action.EXPORT).count() == 2
    # Another period is another PDF.
    client.get(url, {"period": "FY2024"})
    assert Job.objects.filter(status="queued").count() == 1
