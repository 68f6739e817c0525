import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from concord.backups.models import BackupRun, BackupTrigger


def make_run(*, hours_ago: float, ok: bool = True) -> BackupRun:
    finished = timezone.now() - datetime.timedelta(hours=hours_ago)
    return BackupRun.objects.create(
        started_at=finished - datetime.timedelta(minutes=1),
        finished_at=finished,
        ok=ok,
        trigger=BackupTrigger.NIGHTLY,
        file_name="concord-backup-20270301T020000Z.zip" if ok else "",
        size_bytes=2048 if ok else None,
        error_class="" if ok else "OSError",
    )


def test_coordinators_see_the_last_backup(coordinator_client: Client) -> None:
    make_run(hours_ago=3)

    response = coordinator_client.get(reverse("backups:backup-overview"))

    assert response.status_code == 200
    assert "concord-backup-20270301T020000Z.zip" in response.text
    assert "2.0\xa0KB" in response.text
    assert "usa-alert--warning" not in response.text


def test_coordinators_are_warned_when_the_last_good_backup_is_old(
    coordinator_client: Client,
) -> None:
    make_run(hours_ago=40)
    make_run(hours_ago=2, ok=False)

    response = coordinator_client.get(reverse("backups:backup-overview"))

    assert "usa-alert--warning" in response.text
    assert "more than 36 hours ago" in response.text
    assert "usa-alert--error" in response.text
    assert "Failed (OSError)" in response.text


def test_coordinators_are_warned_when_no_backup_ever_succeeded(
    coordinator_client: Client,
) -> None:
    response = coordinator_client.get(reverse("backups:backup-overview"))

    assert "No backup has succeeded yet" in response.text


def test_the_dashboard_shows_coordinators_a_line_about_backups(
    coordinator_client: Client, member_client: Client
) -> None:
    make_run(hours_ago=1)

    coordinator_page = coordinator_client.get(reverse("accounts:dashboard")).text
    member_page = member_client.get(reverse("accounts:dashboard")).text

    assert reverse("backups:backup-overview") in coordinator_page
    assert "the last one succeeded" in coordinator_page
    assert reverse("backups:backup-overview") not in member_page


def test_people_other_than_coordinators_are_refused(
    member_client: Client, outsider_client: Client, client: Client
) -> None:
    make_run(hours_ago=1)
    url = reverse("backups:backup-overview")

    assert member_client.get(url).status_code == 403
    assert outsider_client.get(url).status_code == 403
    assert client.get(url).status_code == 302
