"""The referrals benchmark's own code: the plan of its data (counts, the busy and quiet
agencies, exactly the planned referrals past retention), the writer at a tiny size against
the real purge, and the report's maths and goals. No server, no load."""

import datetime
from collections import Counter
from typing import Any

import pytest
from django.utils import timezone

from bench.pages import FLOOR
from bench.referrals import COUNTED, INBOX, PAGES, parse_args
from bench.referrals_data import BUSY, QUIET, is_due, plan
from bench.referrals_django import count_pages, generate, person_email, run_purge
from bench.referrals_report import build_report, render_markdown, render_text
from concord.referrals.models import Referral, ReferralStatus
from concord.referrals.queries import inbox
from concord.referrals.services.retention import referrals_to_purge

N = 400


def test_plan_counts_and_inboxes() -> None:
    rows = plan(N, 8, busy=100, quiet=10, purgeable=80)
    assert len(rows) == N
    received = Counter(row.receiver for row in rows)
    assert received[BUSY] == 100
    assert received[QUIET] == 10
    assert set(received) == set(range(8))
    assert all(row.sender != row.receiver for row in rows)
    # Drafts never reach an inbox, so the busy and quiet inboxes hold what was planned.
    assert not [row for row in rows if row.receiver in (BUSY, QUIET) and row.status == "draft"]
    assert {row.urgency for row in rows} == {"emergency", "urgent", "routine"}
    assert len({row.status for row in rows}) >= 8
    assert any(row.with_client for row in rows)
    assert any(not row.with_client for row in rows)


def test_plan_marks_exactly_the_purgeable_rows_due() -> None:
    rows = plan(N, 8, busy=100, quiet=10, purgeable=80)
    assert sum(row.due for row in rows) == 80
    assert all(is_due(row) == row.due for row in rows)
    assert all(row.consent_expires_days is not None for row in rows if row.with_client)
    assert all(row.consent_expires_days is None for row in rows if not row.with_client)


def test_plan_is_deterministic_and_checks_its_arguments() -> None:
    assert plan(50, 5, busy=10, quiet=5, purgeable=10, seed=1) == plan(
        50, 5, busy=10, quiet=5, purgeable=10, seed=1
    )
    assert plan(50, 5, busy=10, quiet=5, purgeable=10, seed=1) != plan(
        50, 5, busy=10, quiet=5, purgeable=10, seed=2
    )
    with pytest.raises(ValueError, match="agencies"):
        plan(50, 2, busy=10, quiet=5, purgeable=10)
    with pytest.raises(ValueError, match="purgeable"):
        plan(50, 5, busy=10, quiet=5, purgeable=60)
    with pytest.raises(ValueError, match="busy"):
        plan(50, 5, busy=40, quiet=20, purgeable=10)


@pytest.mark.django_db
def test_generate_writes_the_plan_and_the_purge_erases_the_due_ones() -> None:
    out = generate(referrals=120, agencies=6, busy=30, quiet=5, purgeable=25)
    counts = out["counts"]
    assert counts["referrals"] == 120
    assert counts["agencies"] == 6
    assert counts["busy_inbox"] == 30
    assert counts["quiet_inbox"] == 5
    assert Referral.objects.count() == 120 + 0  # the test database has no demo referrals
    assert Referral.objects.filter(referrals_to_purge(timezone.now())).count() == 25
    busy = out["personas"]["busy"]
    assert busy == person_email(1)
    # The busy person sees the 30 referrals in the inbox, client information decrypted.
    from concord.accounts.models import User

    person = User.objects.get(email=busy)
    assert inbox(person).count() == 30
    with_client = Referral.objects.filter(consent__isnull=False).first()
    assert with_client is not None
    assert with_client.client_label is not None
    assert with_client.client_label.startswith("Bench client")
    sent = Referral.objects.exclude(status=ReferralStatus.DRAFT)
    assert not sent.filter(sent_at__isnull=True).exists()
    assert not sent.filter(respond_by__isnull=True).exists()
    assert not Referral.objects.filter(sent_at__gt=timezone.now()).exists()

    purged = run_purge()
    assert purged["counts"]["referrals"] == 25
    assert purged["left"] == 0
    assert Referral.objects.filter(purged_at__isnull=False, client_label__isnull=False).count() == 0
    # What stays for the figures is the de-identified record.
    assert Referral.objects.count() == 120


@pytest.mark.django_db
def test_count_pages_signs_the_referral_person_in_past_the_mfa_step(settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    out = generate(referrals=80, agencies=5, busy=30, quiet=3, purgeable=5)
    pages = [
        {"name": page.name, "path": page.path, "user": page.user, "status": page.status}
        for page in [FLOOR, *COUNTED]
    ]
    counted = count_pages(out["personas"], pages)
    assert {name: page["status"] for name, page in counted["pages"].items()} == {
        page["name"]: 200 for page in pages
    }
    queries = {page.name: counted["pages"][page.name]["queries"] for page in COUNTED}
    assert len(set(queries.values())) == 1, queries
    assert set(counted["sessions"]) == {"busy", "quiet"}


def _page(name: str, times: list[float], goal: float | None, errors: int = 0) -> dict[str, Any]:
    return {
        "name": name,
        "path": "/",
        "goal": goal,
        "times_ms": times,
        "queries": 7,
        "errors": errors,
    }


def _report(
    inbox_ms: float = 100.0,
    purge_seconds: float = 5.0,
    queries: dict[str, int | None] | None = None,
    erased: int = 10_000,
) -> dict[str, Any]:
    return build_report(
        referrals=50_000,
        agencies=60,
        purgeable=10_000,
        counts={"referrals": 50_000, "busy_inbox": 2_000, "quiet_inbox": 40},
        generate_seconds=40.0,
        floor=_page("floor", [float(i) for i in range(1, 21)], None),
        pages=[_page("inbox", [inbox_ms] * 20, 6.0)],
        queries=queries if queries is not None else {"busy": 7, "busy page 2": 7, "quiet": 7},
        purge={
            "seconds": purge_seconds,
            "counts": {"referrals": erased, "consents": 8_000},
            "left": 0,
            "wall_seconds": purge_seconds + 1,
            "peak_mb": 80,
        },
        purge_error=None,
        run={"load_average_at_start": 1.5},
    )


def test_report_goals() -> None:
    # The floor's p95 over 1..20 ms is 19.05 ms: 100 ms is 5.2x.
    good = _report()
    assert good["pages"][0]["floor_ratio"] == 5.25
    assert good["ok"] is True
    assert _report(inbox_ms=120.0)["ok"] is False  # 6.3x the floor
    assert _report(purge_seconds=31.0)["ok"] is False
    assert _report(erased=9_999)["ok"] is False
    assert _report(queries={"busy": 7, "busy page 2": 7, "quiet": 6})["ok"] is False
    assert _report(queries={"busy": 7, "quiet": None})["ok"] is False
    failed = build_report(
        referrals=10,
        agencies=3,
        purgeable=1,
        counts={},
        generate_seconds=None,
        floor=None,
        pages=[],
        queries={"busy": None},
        purge=None,
        purge_error="generate exited with 1",
        run={},
    )
    assert failed["ok"] is False


def test_rendering() -> None:
    report = _report()
    text = render_text(report)
    assert "All goals met." in text
    assert "Load average (1 min) at start 1.5" in text
    assert "erased 10000 referrals" in text
    markdown = render_markdown(report)
    assert "| inbox |" in markdown
    assert "Referrals benchmark (issue 6)" in markdown


def test_pages_and_args() -> None:
    assert PAGES == [FLOOR, INBOX]
    assert INBOX.path == "/referrals/"
    assert INBOX.floor_goal == 6.0
    args = parse_args([])
    assert (args.referrals, args.agencies, args.busy, args.purgeable) == (50_000, 60, 2_000, 10_000)
    with pytest.raises(SystemExit):
        parse_args(["--agencies", "2"])
    with pytest.raises(SystemExit):
        parse_args(["--referrals", "10", "--purgeable", "11"])


def test_due_margins_hold_a_few_minutes_later() -> None:
    # The purge runs minutes after the data is written: no row is near the cut-off.
    rows = plan(N, 8, busy=100, quiet=10, purgeable=80)
    later = datetime.timedelta(hours=2).total_seconds() / 86_400
    for row in rows:
        ended = row.ended_days
        if ended is not None:
            assert abs(ended - 30) > later
