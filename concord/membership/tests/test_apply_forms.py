import datetime
from typing import Any

import pytest
from django.utils import timezone

from concord.meetings.models import Committee, CommitteeKind, CommitteeStatus
from concord.membership.forms.apply import (
    AgencyStepForm,
    AgreementStepForm,
    CommitmentStepForm,
    PeopleStepForm,
    StartForm,
    ValuesStepForm,
)
from concord.membership.models import DESCRIPTION_LIMIT, Application
from concord.membership.tests.factories import ApplicationFactory

AGENCY = {
    "legal_name": "Harbor Shelter",
    "sector": "victim_services",
    "street_address": "1 Main Street",
    "city": "Concord",
    "postal_code": "94520",
    "phone": "925-555-0100",
    "description": "Shelter.",
}
PEOPLE = {
    "primary_name": "Pat",
    "primary_title": "Director",
    "primary_email": "pat@example.org",
    "primary_phone": "925-555-0101",
    "primary_language": "en",
    "alternate_name": "Alex",
    "alternate_email": "alex@example.org",
    "alternate_language": "es",
}


def draft() -> Application:
    return Application(reference="TEST", access_key="k")


def test_the_service_area_is_the_county_or_named_cities() -> None:
    neither = AgencyStepForm(AGENCY, application=draft())
    county = AgencyStepForm(
        {**AGENCY, "whole_county": "on", "service_cities": "Concord"}, application=draft()
    )
    cities = AgencyStepForm({**AGENCY, "service_cities": "Concord"}, application=draft())

    assert list(neither.errors) == ["service_cities"]
    assert county.is_valid()
    assert county.step_values()["values"]["service_cities"] == ""
    assert cities.is_valid()


def test_the_description_is_limited() -> None:
    form = AgencyStepForm(
        {**AGENCY, "whole_county": "on", "description": "x" * (DESCRIPTION_LIMIT + 1)},
        application=draft(),
    )

    assert list(form.errors) == ["description"]
    assert str(DESCRIPTION_LIMIT) in form.errors["description"][0]


def test_the_alternate_needs_their_own_email() -> None:
    form = PeopleStepForm({**PEOPLE, "alternate_email": "PAT@example.org"}, application=draft())

    assert list(form.errors) == ["alternate_email"]


def test_the_alternate_title_and_phone_are_optional() -> None:
    assert PeopleStepForm(PEOPLE, application=draft()).is_valid()


@pytest.mark.parametrize(("days_ago", "valid"), [(-1, False), (0, True), (30, True), (31, False)])
def test_the_signature_is_dated_in_the_last_thirty_days(days_ago: int, valid: bool) -> None:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    form = AgreementStepForm(
        {
            "agrees_to_confidentiality": "on",
            "signature_name": "Pat",
            "signature_title": "Director",
            "signature_date": day.isoformat(),
        },
        application=draft(),
    )

    assert form.is_valid() is valid


def test_the_signature_date_starts_at_today() -> None:
    assert AgreementStepForm.initial_for(draft())["signature_date"] == timezone.localdate()


@pytest.mark.parametrize(
    ("hours", "valid"), [("0", False), ("1", True), ("160", True), ("161", False)]
)
def test_hours_a_month_are_between_1_and_160(db: None, hours: str, valid: bool) -> None:
    form = CommitmentStepForm(
        {"agrees_to_attend": "on", "agrees_to_committee": "on", "hours_per_month": hours},
        application=draft(),
    )

    assert form.is_valid() is valid


def test_committees_offered_are_the_open_ones_with_sub_committees(db: None) -> None:
    standing = Committee.objects.create(name="Training")
    sub = Committee.objects.create(
        name="Hotels",
        kind=CommitteeKind.SUBCOMMITTEE,
        parent=standing,
        sunset_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    Committee.objects.create(name="Old", status=CommitteeStatus.ARCHIVED)
    form = CommitmentStepForm(
        {"agrees_to_attend": "on", "agrees_to_committee": "on", "hours_per_month": "4"},
        application=draft(),
    )
    field: Any = form.fields["committees"]

    assert set(field.queryset) == {standing, sub}
    assert list(form.errors) == ["committees"]
    assert [label for _value, label in field.choices] == ["Training", "Hotels (sub-committee)"]


def test_both_agreements_are_required(db: None) -> None:
    form = CommitmentStepForm({"hours_per_month": "4"}, application=draft())

    assert set(form.errors) == {"agrees_to_attend", "agrees_to_committee"}


def test_each_value_gets_an_affirmation_and_an_answer() -> None:
    values = ["First value.", "Second value."]
    form = ValuesStepForm(
        {"affirm_1": "on", "practice_1": "Daily.", "affirm_2": "on", "practice_2": "Weekly."},
        application=draft(),
        values=values,
    )

    assert form.is_valid()
    assert form.step_values()["statements"] == [
        {"position": 1, "value": "First value.", "affirmed": True, "practice": "Daily."},
        {"position": 2, "value": "Second value.", "affirmed": True, "practice": "Weekly."},
    ]


def test_a_renewal_comes_back_with_its_answers(db: None) -> None:
    application = ApplicationFactory()

    initial = ValuesStepForm.initial_for(application)

    assert initial["affirm_1"] is True
    assert initial["practice_5"] == "We practise this every day."
    assert AgencyStepForm.initial_for(application)["legal_name"] == application.legal_name


def test_the_honeypot_marks_spam() -> None:
    token = "5b0c1c3e-8f1e-4a43-9d3e-2f7a1c9e0b01"
    human = StartForm({"email": "a@example.org", "submission_token": token})
    robot = StartForm({"email": "a@example.org", "submission_token": token, "homepage": "x"})

    assert human.is_valid()
    assert not human.is_spam
    assert robot.is_valid()
    assert robot.is_spam
