"""The load benchmark's pure parts: its checks and its figures. No server, no load."""

from bench.load_suite import Crowd, check, parse_args, render_markdown

COUNTS = {
    "submitted": 250,
    "submitted_changes": 250,
    "confirmation_tasks": 250,
    "seats": {"registered": 40, "waitlisted": 170},
    "accepts": 50,
    "started": 50,
    "assistance_requests": 50,
}


def crowds() -> list[Crowd]:
    return [Crowd(name, 1) for name in ("applications", "seats", "accepts", "clicks")]


def test_the_expected_counts_pass_and_a_doubled_record_fails() -> None:
    args = parse_args([])
    good = crowds()
    check(good, COUNTS, args)
    doubled = crowds()
    check(doubled, {**COUNTS, "accepts": 51}, args)

    assert [crowd.ok for crowd in good] == [True, True, True, True]
    assert [crowd.ok for crowd in doubled] == [True, True, False, True]
    assert doubled[2].found == "51 accepts"


def test_a_server_error_fails_a_crowd_whose_counts_are_right() -> None:
    crowd = Crowd("seats", 10, expected="3 seated", found="3 seated", server_errors=1)

    assert not crowd.ok


def test_the_ratio_is_the_posts_p95_over_the_floors() -> None:
    crowd = Crowd("seats", 2, post_ms=[10.0] * 19 + [100.0], floor_ms=[5.0] * 20)

    assert crowd.p95(crowd.post_ms) == 14.5
    assert crowd.ratio == 2.9


def test_the_report_names_each_database_and_crowd() -> None:
    results = {
        "sqlite": {
            "locked": 0,
            "crowds": [
                {
                    "name": "last 30 seats",
                    "people": 200,
                    "posts": 200,
                    "seconds": 1.5,
                    "p95_ms": 900.0,
                    "floor_p95_ms": 300.0,
                    "ratio": 3.0,
                    "expected": "30 seated, 170 waiting",
                    "found": "30 seated, 170 waiting",
                    "server_errors": 0,
                    "failures": [],
                    "ok": True,
                }
            ],
        }
    }

    markdown = render_markdown(results, "2026-11-28 16:00 UTC", "test machine")

    assert "| sqlite | last 30 seats | 200 | 200 | 1.50 | 900.0 | 300.0 | 3.0 |" in markdown
    assert "'database is locked' in the server's log: 0" in markdown
