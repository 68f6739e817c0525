import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import User
from concord.agencies.models import Agency
from concord.meetings.models import Attendance, Meeting
from concord.membership.models import Application, ApplicationKind, MembershipTerm
from concord.membership.views.applicant_access import SESSION_KEY

URL = "/membership/renew/"


@pytest.fixture
def term(agency_a: Agency) -> MembershipTerm:
    today = timezone.localdate()
    return MembershipTerm.objects.create(
        agency=agency_a,
        starts_on=today - datetime.timedelta(days=340),
        ends_on=today + datetime.timedelta(days=25),
        coalition_meetings=2,
        committees=1,
    )


def _coalition_meeting(days_ago: int) -> Meeting:
    start = timezone.now() - datetime.timedelta(days=days_ago)
    return Meeting.objects.create(
        title="Coalition meeting", starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )


def test_the_url_is_the_renewal_page() -> None:
    assert reverse("membership:renewal-start") == URL


def test_the_primary_representative_sees_the_term_and_participation_against_commitment(
    representative_client: Client, representative: User, term: MembershipTerm
) -> None:
    held = [_coalition_meeting(days) for days in (300, 200, 100)]
    Attendance.objects.create(
        meeting=held[0], person=representative, status=Attendance.Status.PRESENT
    )

    response = representative_client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Renew the membership of Agency A" in page
    assert term.ends_on.strftime("%Y") in page
    assert "1 of 3" in page  # coalition meetings attended of those held
    assert response.context["figures"].coalition_expected == 2  # the term's commitment
    assert response.context["figures"].below_commitment is True
    assert "Start the renewal form" in page


def test_a_member_without_the_role_is_refused(member_client: Client, term: MembershipTerm) -> None:
    assert member_client.get(URL).status_code == 403
    assert member_client.post(URL).status_code == 403
    assert not Application.objects.exists()


def test_a_person_without_an_agency_gets_404(coordinator_client: Client) -> None:
    assert coordinator_client.get(URL).status_code == 404
    assert coordinator_client.post(URL).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, term: MembershipTerm) -> None:
    response = client.post(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Application.objects.exists()


def test_starting_opens_the_prefilled_renewal_in_the_wizard(
    representative_client: Client, agency_a: Agency, term: MembershipTerm
) -> None:
    response = representative_client.post(URL)

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("membership:apply-step", args=["agency"])
    assert application.kind == ApplicationKind.RENEWAL
    assert application.agency == agency_a
    assert application.legal_name == "Agency A"
    assert representative_client.session[SESSION_KEY] == [application.pk, application.access_key]
    step = representative_client.get(response["Location"])
    assert step.status_code == 200
    assert "Agency A" in step.content.decode()


def test_starting_twice_finds_the_same_renewal(
    representative_client: Client, term: MembershipTerm
) -> None:
    representative_client.post(URL)
    representative_client.post(URL)

    assert Application.objects.filter(kind=ApplicationKind.RENEWAL).count() == 1


def test_each_representative_renews_only_their_own_agency(
    outsider_client: Client, agency_a: Agency, agency_b: Agency, term: MembershipTerm
) -> None:
    response = outsider_client.post(URL, {"agency": agency_a.pk})

    assert response.status_code == 302
    assert Application.objects.get().agency == agency_b
    page = outsider_client.get(URL).content.decode()
    assert "Agency A" not in page


def test_the_agency_page_shows_the_term_end_and_the_renewal_link_to_the_representative(
    representative_client: Client, member_client: Client, agency_a: Agency, term: MembershipTerm
) -> None:
    url = reverse("agencies:agency-detail", args=[agency_a.pk])

    page = representative_client.get(url).content.decode()
    members_page = member_client.get(url).content.decode()

    assert "Membership ends" in page
    assert f'href="{URL}"' in page
    assert "Membership ends" in members_page
    assert f'href="{URL}"' not in members_page


def test_a_lapsed_agency_can_still_renew(
    representative_client: Client, agency_a: Agency, term: MembershipTerm
) -> None:
    Agency.objects.filter(pk=agency_a.pk).update(status="lapsed")

    page = representative_client.get(URL).content.decode()
    response = representative_client.post(URL)

    assert "Commitment: coalition meetings 2, committees 1." in page
    assert response.status_code == 302
    assert Application.objects.get().agency == agency_a
