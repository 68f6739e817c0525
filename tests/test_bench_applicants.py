"""The applicants benchmark's pure parts: reading and filling HTML forms, the answers'
fit to the application's forms, and the report's maths and tables. No server, no load."""

import json

import pytest

from bench.applicants import ANSWERS, parse_args, source_address
from bench.applicants_report import (
    Check,
    Run,
    build_report,
    per_second,
    problems,
    render_markdown,
    render_text,
    summarize,
)
from bench.browser import Browser, Tally, form_errors
from bench.htmlforms import FIRST, Form, find_form, lookup, parse_forms

PAGE = """
<form method="post" action="/i18n/setlang/"><input type="hidden" name="language" value="es"></form>
<form method="post" novalidate>
  <input type="hidden" name="csrfmiddlewaretoken" value="csrf123">
  <input type="hidden" name="access" value="signed:token">
  <input type="text" name="legal_name" value="Old name" required>
  <input type="email" name="email" required>
  <input type="checkbox" name="whole_county">
  <input type="checkbox" name="kept" checked>
  <input type="checkbox" name="committees" value="7">
  <input type="checkbox" name="committees" value="9">
  <input type="radio" name="size" value="small" checked>
  <input type="radio" name="size" value="large">
  <select name="sector" required><option value="">Choose</option><option value="shelter">Shelter</option><option value="legal" selected>Legal</option></select>
  <select name="plain"><option>One<option>Two</select>
  <textarea name="description">
Kept text &amp; more</textarea>
  <textarea name="practice_1"></textarea>
  <textarea name="practice_2"></textarea>
  <input type="text" name="gone" disabled value="x">
  <button type="submit" name="action" value="back">Back</button>
  <button type="submit" name="action" value="next">Next</button>
  <button type="button" name="toggle" value="1">Toggle</button>
</form>
<form method="get" action="/search/"><input name="q"></form>
"""
URL = "http://127.0.0.1:8123/apply/step/agency/"


def _form() -> Form:
    return find_form(parse_forms(PAGE), URL, "/apply/step/agency/")


def test_parse_forms_reads_every_kind_of_field() -> None:
    forms = parse_forms(PAGE)
    assert [(f.method, f.action) for f in forms] == [
        ("post", "/i18n/setlang/"),
        ("post", ""),
        ("get", "/search/"),
    ]
    form = forms[1]
    assert form.value("csrfmiddlewaretoken") == "csrf123"
    assert form.value("description") == "Kept text & more"  # first newline dropped
    assert "gone" not in form.names()
    assert "toggle" not in form.names()  # a type="button" never submits
    sector = next(f for f in form.fields if f.name == "sector")
    assert sector.options == [("", False), ("shelter", False), ("legal", True)]
    plain = next(f for f in form.fields if f.name == "plain")
    assert plain.options == [("One", False), ("Two", False)]  # value from text, no </option>


def test_fill_sends_what_a_browser_would() -> None:
    pairs = _form().fill({})
    assert pairs == [
        ("csrfmiddlewaretoken", "csrf123"),
        ("access", "signed:token"),
        ("legal_name", "Old name"),
        ("email", ""),
        ("kept", "on"),
        ("size", "small"),
        ("sector", "legal"),
        ("plain", "One"),
        ("description", "Kept text & more"),
        ("practice_1", ""),
        ("practice_2", ""),
    ]


def test_fill_applies_answers_patterns_and_first_choices() -> None:
    answers = {
        "legal_name": "Harbor Light",
        "email": "a@example.org",
        "whole_county": True,
        "kept": False,
        "committees": FIRST,
        "size": "large",
        "sector": FIRST,
        "practice_*": "Every day.",
        "action": "next",
    }
    pairs = _form().fill(answers)
    assert ("legal_name", "Harbor Light") in pairs
    assert ("whole_county", "on") in pairs
    assert ("kept", "on") not in pairs
    assert [v for k, v in pairs if k == "committees"] == ["7"]
    assert [v for k, v in pairs if k == "size"] == ["large"]
    assert ("sector", "shelter") in pairs
    assert ("practice_1", "Every day.") in pairs
    assert ("practice_2", "Every day.") in pairs
    assert [v for k, v in pairs if k == "action"] == ["next"]
    assert ("csrfmiddlewaretoken", "csrf123") in pairs  # hidden fields carried


def test_empty_required_names_missing_answers() -> None:
    assert _form().empty_required({}) == ["email"]
    assert _form().empty_required({"email": "a@example.org"}) == []


def test_lookup_prefers_the_exact_name() -> None:
    answers = {"practice_*": "pattern", "practice_1": "exact"}
    assert lookup(answers, "practice_1") == "exact"
    assert lookup(answers, "practice_2") == "pattern"
    assert lookup(answers, "other") is None


def test_find_form_resolves_actions_and_refuses_a_missing_one() -> None:
    forms = parse_forms(PAGE)
    assert find_form(forms, URL, "/i18n/setlang/") is forms[0]
    assert find_form(forms, URL, "/apply/step/agency/") is forms[1]
    with pytest.raises(LookupError, match="no POST form to /apply/submit/"):
        find_form(forms, URL, "/apply/submit/")


def test_answers_cover_every_field_of_the_application_steps() -> None:
    from django import forms

    from concord.membership.forms.apply import STEP_FORMS, StartForm

    form_classes: list[type[forms.Form]] = [StartForm, *STEP_FORMS.values()]
    for form_class in form_classes:
        for name, form_field in form_class.base_fields.items():
            # The email is each applicant's own; a field with an initial value (the
            # token, the signature's date) keeps what the page rendered.
            if form_field.required and name != "email" and form_field.initial is None:
                assert lookup(ANSWERS, name) is not None, f"{form_class.__name__}.{name}"
    # The values step makes its fields per value of the coalition.
    assert lookup(ANSWERS, "affirm_3") is True
    assert lookup(ANSWERS, "practice_3")
    assert ANSWERS["homepage"] == ""  # the honeypot stays empty


def test_form_errors_quotes_the_page_messages() -> None:
    html = '<span class="usa-error-message" id="e">Enter a ZIP code such as 94520.</span>'
    assert form_errors(html) == ": Enter a ZIP code such as 94520."
    assert form_errors("<p>fine</p>") == ""


def test_browser_keeps_and_drops_cookies() -> None:
    browser = Browser("http://127.0.0.1:8123", "127.0.0.2", Tally())
    browser._store("csrftoken=abc; Path=/; SameSite=Lax")
    browser._store("sessionid=s1; expires=Thu, 01 Jan 2099 00:00:00 GMT; HttpOnly; Path=/")
    assert browser.cookies == {"csrftoken": "abc", "sessionid": "s1"}
    browser._store('sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/')
    assert browser.cookies == {"csrftoken": "abc"}


def test_tally_counts_server_errors() -> None:
    tally = Tally()
    tally.record("POST", "/apply/submit/", 302)
    tally.record("POST", "/apply/submit/", 500)
    assert tally.server_errors == 1
    assert tally.statuses == {302: 1, 500: 1}
    assert tally.samples == ["HTTP 500 for POST /apply/submit/"]


def test_each_applicant_has_its_own_loopback_address() -> None:
    assert source_address(0) == "127.0.0.2"
    assert source_address(49) == "127.0.0.51"


def test_arguments_default_to_the_issue_and_refuse_nonsense() -> None:
    args = parse_args([])
    assert (args.applicants, args.rounds, args.databases) == (50, 10, ["sqlite", "postgresql"])
    assert parse_args(["--databases", "sqlite"]).databases == ["sqlite"]
    for bad in (["--databases", "mysql"], ["--applicants", "300"], ["--rounds", "0"]):
        with pytest.raises(SystemExit):
            parse_args(bad)


def _check(n: int = 4) -> Check:
    return Check(
        applications=n, distinct_emails=n, distinct_references=n, unconfirmed=n, submitted_once=n
    )


def _run(**overrides: object) -> Run:
    values: dict[str, object] = {
        "database": "sqlite",
        "expected": 4,
        "submit_ms": [10.0, 20.0, 30.0, 40.0],
        "round_submit_seconds": [0.5, 1.5],
        "round_flow_seconds": [3.0, 5.0],
        "floor_ms": [1.0] * 19 + [2.0],
        "check": _check(),
    }
    values.update(overrides)
    return Run(**values)  # type: ignore[arg-type]


def test_summary_figures() -> None:
    summary = summarize(_run())
    assert summary["submit"] == {"p50_ms": 25.0, "p95_ms": 38.5, "max_ms": 40.0}
    assert summary["floor"] == {"p50_ms": 1.0, "p95_ms": 1.05}
    assert summary["ratio_floor"] == pytest.approx(36.67)
    # 4 submits over 0.5 + 1.5 s of submitting, and over 3 + 5 s of whole flows.
    assert summary["throughput"] == {"submit_per_s": 2.0, "flow_per_s": 0.5}
    assert summary["ok"] is True
    assert summary["problems"] == []


def test_per_second_of_no_time_is_unknown() -> None:
    assert per_second(5, []) is None
    assert per_second(5, [0.0]) is None
    assert per_second(5, [2.0, 0.5]) == 2.0


def test_every_failure_is_a_problem() -> None:
    broken = Check(
        applications=5, distinct_emails=4, distinct_references=4, unconfirmed=3, submitted_once=2
    )
    found = problems(
        _run(
            submit_ms=[1.0],
            check=broken,
            server_errors=2,
            flow_errors=3,
            database_locked=1,
        )
    )
    assert found == [
        "1 of 4 final submits answered as expected",
        "5 applications stored, expected 4",
        "1 applicants stored more than once",
        "1 references repeated",
        "2 applications not unconfirmed",
        "3 applications without exactly one draft → unconfirmed change",
        "2 server errors (5xx)",
        "3 applicants' flows went wrong",
        '1 "database is locked" lines in the server log',
    ]


def test_report_fails_when_one_database_fails_and_renders_both_tables() -> None:
    report = build_report(
        [_run(), _run(database="postgresql", server_errors=1, error_samples=["HTTP 500 for x"])],
        machine="test machine",
        date="2026-01-01 00:00 UTC",
        settings={"applicants": 2, "rounds": 2, "workers": 2, "floor_requests": 20},
    )
    report = json.loads(json.dumps(report))  # survives JSON
    assert report["ok"] is False
    assert [d["ok"] for d in report["databases"]] == [True, False]
    text = render_text(report)
    assert "FAIL" in text
    assert "postgresql: 1 server errors (5xx)" in text
    assert "postgresql: e.g. HTTP 500 for x" in text
    markdown = render_markdown(report)
    table = [line for line in markdown.splitlines() if line.startswith("|")]
    assert len(table) == 2 + 2
    assert len({line.count("|") for line in table}) == 1
    assert "| sqlite | 4/4 | 2.0 | 0.5 | 25.0 | 38.5 | 1.1 | 36.7 | 0 | 0 | pass |" in table


def test_report_of_nothing_is_not_a_pass() -> None:
    report = build_report([], machine="m", date="d", settings={})
    assert report["ok"] is False
