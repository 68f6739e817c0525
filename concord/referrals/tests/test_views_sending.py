"""The sending side's pages: the sent list, a new draft from the directory, editing it,
sending and withdrawing, the consent (recorded, printed, downloaded, revoked) and the
referral role."""

import datetime
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import User
from concord.accounts.tests.factories import UserFactory
from concord.agencies.models import Agency
from concord.core.permissions import can_view_client_information
from concord.directory.models import Service, TaxonomyTerm
from concord.referrals.models import (
    ACCESS_ACTION_PREFIX,
    Consent,
    ConsentMethod,
    Referral,
    ReferralAccess,
    ReferralStatus,
)
from concord.referrals.services import referrals as workflow
from concord.referrals.services.access import client_information
from concord.referrals.tests.conftest import CLIENT, make_referral
from concord.referrals.tests.factories import ConsentFactory, service_of
from conftest import sign_in

SCRIPT = "<script>alert(1)</script>"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n"
    b"\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _url(name: str, referral: Referral) -> str:
    return reverse(f"referrals:{name}", kwargs={"public_id": referral.public_id})


def _create_url(service: Service, language: str = "") -> str:
    prefix = f"/{language}" if language else ""
    return f"{prefix}/referrals/new/?service={service.pk}"


@pytest.fixture
def as_user() -> Callable[[User], Client]:
    return lambda user: sign_in(Client(), user)


def _needs_only(**extra: Any) -> dict[str, Any]:
    return {
        "submission_token": str(uuid.uuid4()),
        "urgency": "urgent",
        "age_range": "18_24",
        "referrer_contact": "Call the intake desk, ext. 12.",
        **extra,
    }


def _consent_post(**extra: Any) -> dict[str, Any]:
    return {
        "submission_token": str(uuid.uuid4()),
        "given_by": "survivor",
        "shared_fields": ["client_label", "safe_contact", "safety_notes"],
        "purpose": "Referral for emergency shelter.",
        "language": "es",
        "expires_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "method": "e_signature",
        "signature_name": "A. R.",
        "confirm_read": "on",
        **extra,
    }


def _access(referral: Referral, action: str) -> list[ReferralAccess]:
    return list(
        ReferralAccess.objects.filter(
            action=ACCESS_ACTION_PREFIX + action, object_id=str(referral.pk)
        )
    )


# The sent list.


def test_sent_list_shows_the_agencys_drafts_and_sent_referrals_without_client_information(
    sender: User, service: Service, consent: Consent, as_user: Callable[[User], Client]
) -> None:
    draft = make_referral(sender, service)
    sent = workflow.send_referral(
        actor=sender, referral=make_referral(sender, service, consent, **CLIENT)
    )

    response = as_user(sender).get(reverse("referrals:sent"))

    content = response.content.decode()
    assert response.status_code == 200
    assert _url("edit", draft) in content
    assert _url("referral-detail", sent) in content
    assert "A.R." not in content
    assert "no-store" in response["Cache-Control"]


def test_sent_list_filters_by_status(
    sender: User, service: Service, as_user: Callable[[User], Client]
) -> None:
    draft = make_referral(sender, service)
    sent = workflow.send_referral(actor=sender, referral=make_referral(sender, service))

    content = as_user(sender).get(reverse("referrals:sent") + "?status=sent").content.decode()

    assert _url("referral-detail", sent) in content
    assert _url("edit", draft) not in content


def test_sent_list_query_count_does_not_grow_with_rows(
    sender: User, service: Service, need: TaxonomyTerm, as_user: Callable[[User], Client]
) -> None:
    client = as_user(sender)
    make_referral(sender, service, needs=[need.pk])
    client.get(reverse("referrals:sent"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("referrals:sent"))
    for _index in range(6):
        make_referral(sender, service, needs=[need.pk])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("referrals:sent"))

    assert len(many) == len(few)


def test_sent_list_refuses_people_without_the_role(
    no_role: User, coordinator: User, as_user: Callable[[User], Client]
) -> None:
    assert as_user(no_role).get(reverse("referrals:sent")).status_code == 403
    assert as_user(coordinator).get(reverse("referrals:sent")).status_code == 403


# A new draft.


def test_the_directory_offers_the_referral_link_only_to_people_who_can_refer(
    sender: User,
    receiver: User,
    no_role: User,
    service: Service,
    as_user: Callable[[User], Client],
    client: Client,
) -> None:
    url = reverse("directory:service-detail", kwargs={"pk": service.pk})
    link = _create_url(service)

    assert link in as_user(sender).get(url).content.decode()
    assert link not in as_user(receiver).get(url).content.decode()  # its own agency's
    assert link not in as_user(no_role).get(url).content.decode()
    assert link not in client.get(url).content.decode()


def test_new_referral_without_a_service_asks_to_choose_one(
    sender: User, as_user: Callable[[User], Client]
) -> None:
    response = as_user(sender).get(reverse("referrals:create"))

    assert response.status_code == 200
    assert reverse("directory:service-search") in response.content.decode()


def test_new_referral_form_is_needs_only_by_default(
    sender: User, service: Service, need: TaxonomyTerm, as_user: Callable[[User], Client]
) -> None:
    response = as_user(sender).get(_create_url(service))

    content = response.content.decode()
    assert response.status_code == 200
    assert "novalidate" in content
    assert 'name="csrfmiddlewaretoken"' in content
    assert "Add client information (needs a consent)" in content
    assert 'name="add_client_information"' in content
    assert "checked" not in content.split('name="add_client_information"')[1].split(">")[0]
    assert need.name in content
    assert service.name in content


def test_a_needs_only_draft_is_saved_for_the_services_agency_whatever_the_post_says(
    sender: User,
    service: Service,
    receiving_agency: Agency,
    third_agency: Agency,
    need: TaxonomyTerm,
    as_user: Callable[[User], Client],
) -> None:
    data = _needs_only(
        needs=[str(need.pk)],
        languages=["es"],
        client_label="typed but not opened",
        receiving_agency=third_agency.pk,
        sending_agency=third_agency.pk,
        status="sent",
    )

    response = as_user(sender).post(_create_url(service), data)

    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("edit", referral)
    assert referral.receiving_agency == receiving_agency
    assert referral.sending_agency == sender.agency
    assert referral.status == ReferralStatus.DRAFT
    assert referral.is_needs_only
    assert list(referral.needs.all()) == [need]
    assert referral.languages == ["es"]
    assert referral.urgency == "urgent"


def test_a_double_submit_creates_one_draft(
    sender: User, service: Service, as_user: Callable[[User], Client]
) -> None:
    client = as_user(sender)
    data = _needs_only()

    first = client.post(_create_url(service), data)
    second = client.post(_create_url(service), data)

    assert Referral.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_needs_only_draft_needs_a_way_to_reach_the_referrer(
    sender: User, service: Service, as_user: Callable[[User], Client]
) -> None:
    response = as_user(sender).post(
        _create_url(service), _needs_only(referrer_contact="", age_range=SCRIPT)
    )

    assert response.status_code == 200
    assert Referral.objects.count() == 0
    assert "Say how the receiving agency can reach you" in response.content.decode()


def test_client_information_is_kept_when_opened_deliberately_and_shows_script_as_text(
    sender: User, service: Service, as_user: Callable[[User], Client]
) -> None:
    client = as_user(sender)
    client.post(
        _create_url(service),
        _needs_only(add_client_information="on", client_label=SCRIPT, safe_contact="Text only"),
    )
    referral = Referral.objects.get()

    page = client.get(_url("edit", referral)).content.decode()

    assert referral.client_label == SCRIPT
    assert referral.safe_contact == "Text only"
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert [row.data["fields"] for row in _access(referral, "view")] == [
        ["client_label", "safe_contact"]
    ]


def test_the_extra_fields_need_a_consent_that_covers_them(
    sender: User, service: Service, as_user: Callable[[User], Client]
) -> None:
    data = _needs_only(
        add_client_information="on",
        client_label="A.R.",
        add_extra_fields="on",
        full_name="Ana Rivera",
    )

    response = as_user(sender).post(_create_url(service), data)

    assert response.status_code == 200
    assert Referral.objects.count() == 0
    content = response.content.decode()
    assert "Record the client&#x27;s consent first" in content
    assert 'value="A.R."' in content  # what was typed is kept


def test_the_extra_fields_are_kept_under_a_consent_that_covers_them(
    sender: User, service: Service, consent: Consent, as_user: Callable[[User], Client]
) -> None:
    referral = make_referral(sender, service, consent, client_label="A.R.")

    response = as_user(sender).post(
        _url("edit", referral),
        _needs_only(
            add_client_information="on",
            client_label="A.R.",
            add_extra_fields="on",
            full_name="Ana Rivera",
        ),
    )

    referral.refresh_from_db()
    assert response.status_code == 302
    assert referral.full_name == "Ana Rivera"
    assert _access(referral, "change")


def test_the_extra_fields_are_refused_when_the_consent_does_not_cover_them(
    sender: User, service: Service, receiving_agency: Agency, as_user: Callable[[User], Client]
) -> None:
    narrow = ConsentFactory(
        sending_agency=sender.agency,
        receiving_agency=receiving_agency,
        created_by=sender,
        shared_fields=["client_label"],
    )
    referral = make_referral(sender, service, narrow, client_label="A.R.")

    response = as_user(sender).post(
        _url("edit", referral),
        _needs_only(
            add_client_information="on",
            client_label="A.R.",
            add_extra_fields="on",
            identity_number="123-45",
        ),
    )

    referral.refresh_from_db()
    assert response.status_code == 200
    assert "The consent does not cover this information." in response.content.decode()
    assert referral.identity_number is None


def test_unchecking_client_information_makes_the_draft_needs_only(
    sender: User, service: Service, as_user: Callable[[User], Client]
) -> None:
    referral = make_referral(sender, service, **CLIENT)

    as_user(sender).post(_url("edit", referral), _needs_only(client_label="A.R."))

    referral.refresh_from_db()
    assert referral.is_needs_only


def test_an_inactive_service_takes_no_referral(
    sender: User, receiving_agency: Agency, as_user: Callable[[User], Client]
) -> None:
    closed = service_of(receiving_agency, status="inactive")

    response = as_user(sender).post(_create_url(closed), _needs_only())  # type: ignore[arg-type]

    assert response.status_code == 200
    assert Referral.objects.count() == 0


def test_a_service_of_ones_own_agency_takes_no_referral(
    sender: User, as_user: Callable[[User], Client]
) -> None:
    own = service_of(sender.agency)

    response = as_user(sender).post(_create_url(own), _needs_only())  # type: ignore[arg-type]

    assert response.status_code == 200
    assert Referral.objects.count() == 0
    assert "This service belongs to your own agency." in response.content.decode()


def test_the_new_referral_page_works_in_spanish(
    sender: User, service: Service, as_user: Callable[[User], Client]
) -> None:
    response = as_user(sender).get(_create_url(service, "es"))

    assert response.status_code == 200
    assert '<html lang="es">' in response.content.decode()


def test_editing_refuses_outsiders_and_colleagues_without_the_role(
    sender: User,
    no_role: User,
    receiver: User,
    third_handler: User,
    coordinator: User,
    service: Service,
    as_user: Callable[[User], Client],
) -> None:
    referral = make_referral(sender, service)
    url = _url("edit", referral)

    assert as_user(third_handler).get(url).status_code == 404
    assert as_user(receiver).get(url).status_code == 404  # a draft is not sent yet
    assert as_user(no_role).get(url).status_code == 403
    assert as_user(coordinator).get(url).status_code == 403
    assert as_user(sender).get(url).status_code == 200


def test_a_sent_referral_is_no_longer_edited(
    sender: User, service: Service, as_user: Callable[[User], Client]
) -> None:
    referral = workflow.send_referral(actor=sender, referral=make_referral(sender, service))

    response = as_user(sender).get(_url("edit", referral))

    assert response.status_code == 302
    assert response["Location"] == _url("referral-detail", referral)


# Sending and withdrawing.


def test_sending_a_needs_only_draft(
    sender: User, service: Service, as_user: Callable[[User], Client]
) -> None:
    referral = make_referral(sender, service)

    response = as_user(sender).post(_url("send", referral))

    referral.refresh_from_db()
    assert response.status_code == 302
    assert referral.status == ReferralStatus.SENT


def test_client_information_is_not_sent_without_a_consent(
    sender: User, service: Service, as_user: Callable[[User], Client]
) -> None:
    referral = make_referral(sender, service, **CLIENT)
    client = as_user(sender)

    response = client.post(_url("send", referral), follow=True)

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT
    assert "needs the client" in response.content.decode()


def test_withdrawing_a_sent_referral(
    sender: User, service: Service, as_user: Callable[[User], Client]
) -> None:
    referral = workflow.send_referral(actor=sender, referral=make_referral(sender, service))

    as_user(sender).post(_url("withdraw", referral))

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN


@pytest.mark.parametrize("name", ["send", "withdraw", "consent-revoke"])
def test_state_changes_refuse_get(
    name: str, sender: User, service: Service, as_user: Callable[[User], Client]
) -> None:
    referral = make_referral(sender, service)

    assert as_user(sender).get(_url(name, referral)).status_code == 405


def test_the_receiver_cannot_send_or_withdraw(
    sender: User, receiver: User, service: Service, as_user: Callable[[User], Client]
) -> None:
    referral = workflow.send_referral(actor=sender, referral=make_referral(sender, service))

    assert as_user(receiver).post(_url("withdraw", referral)).status_code == 403
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


# The consent.


def test_recording_a_consent_in_person_attaches_it_to_the_draft(
    sender: User,
    service: Service,
    receiving_agency: Agency,
    third_agency: Agency,
    as_user: Callable[[User], Client],
) -> None:
    referral = make_referral(sender, service, **CLIENT)
    client = as_user(sender)
    data = _consent_post(receiving_agency=third_agency.pk)

    first = client.post(_url("consent", referral), data)
    second = client.post(_url("consent", referral), data)

    referral.refresh_from_db()
    consent = Consent.objects.get()
    assert first.status_code == second.status_code == 302
    assert referral.consent == consent
    assert consent.receiving_agency == receiving_agency
    assert consent.method == ConsentMethod.E_SIGNATURE
    assert consent.language == "es"
    assert consent.shared_fields == ["client_label", "safe_contact", "safety_notes"]
    assert timezone.localdate(consent.expires_at) == timezone.localdate() + datetime.timedelta(
        days=31
    )
    workflow.send_referral(actor=sender, referral=referral)


def test_the_consent_page_prefills_the_fields_the_draft_holds_and_expiry_in_90_days(
    sender: User, service: Service, as_user: Callable[[User], Client]
) -> None:
    referral = make_referral(sender, service, client_label="A.R.")

    response = as_user(sender).get(_url("consent", referral))

    content = response.content.decode()
    expiry = timezone.localdate() + datetime.timedelta(days=90)
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in content
    assert f'value="{expiry.isoformat()}"' in content
    assert response.context["form"].initial["shared_fields"] == ["client_label"]


def test_an_uploaded_signed_form_is_recorded_and_downloaded_as_an_attachment(
    sender: User, service: Service, as_user: Callable[[User], Client]
) -> None:
    referral = make_referral(sender, service, **CLIENT)
    client = as_user(sender)
    upload = SimpleUploadedFile("signed.pdf", PDF, content_type="application/pdf")

    client.post(
        _url("consent", referral),
        _consent_post(method="signed_form", signature_name="", signed_form=upload),
    )
    response = client.get(_url("consent-file", referral))

    assert Consent.objects.get().method == ConsentMethod.SIGNED_FORM
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="consent-form.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response.content == PDF
    assert [row.data["fields"] for row in _access(referral, "export")] == [["signed_form"]]


def test_a_png_signed_form_is_accepted(
    sender: User, service: Service, as_user: Callable[[User], Client]
) -> None:
    referral = make_referral(sender, service, **CLIENT)
    upload = SimpleUploadedFile("photo.png", PNG, content_type="image/png")

    response = as_user(sender).post(
        _url("consent", referral),
        _consent_post(method="signed_form", signature_name="", signed_form=upload),
    )

    assert response.status_code == 302
    assert Consent.objects.count() == 1


def test_an_upload_that_is_not_what_it_claims_is_refused_and_nothing_is_saved(
    sender: User, service: Service, as_user: Callable[[User], Client]
) -> None:
    referral = make_referral(sender, service, **CLIENT)
    upload = SimpleUploadedFile("signed.pdf", b"<html>" + SCRIPT.encode(), "application/pdf")

    response = as_user(sender).post(
        _url("consent", referral),
        _consent_post(method="signed_form", signature_name="", signed_form=upload),
    )

    referral.refresh_from_db()
    assert response.status_code == 200
    assert "Upload the signed form as a PDF, PNG or JPEG file." in response.content.decode()
    assert Consent.objects.count() == 0
    assert referral.consent is None


def test_an_upload_too_large_is_refused(
    sender: User, service: Service, as_user: Callable[[User], Client], settings: Any
) -> None:
    settings.REFERRAL_CONSENT_MAX_BYTES = 64
    referral = make_referral(sender, service, **CLIENT)
    upload = SimpleUploadedFile("signed.pdf", PDF + b"0" * 100, "application/pdf")

    response = as_user(sender).post(
        _url("consent", referral),
        _consent_post(method="signed_form", signature_name="", signed_form=upload),
    )

    assert response.status_code == 200
    assert "The file is larger than" in response.content.decode()
    assert Consent.objects.count() == 0


def test_a_consent_that_expired_already_is_refused(
    sender: User, service: Service, as_user: Callable[[User], Client]
) -> None:
    referral = make_referral(sender, service, **CLIENT)
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()

    response = as_user(sender).post(_url("consent", referral), _consent_post(expires_on=yesterday))

    assert response.status_code == 200
    assert "The consent must expire in the future." in response.content.decode()
    assert Consent.objects.count() == 0


def test_a_consent_needs_a_typed_signature_or_a_file(
    sender: User, service: Service, as_user: Callable[[User], Client]
) -> None:
    referral = make_referral(sender, service, **CLIENT)

    response = as_user(sender).post(
        _url("consent", referral), _consent_post(signature_name="", purpose=SCRIPT)
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Type the name of the person who signs." in content
    assert SCRIPT not in content
    assert Consent.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Receiving Agency", "Agency A", "revoke", "never a condition", "Signature"]),
        ("es", ["Receiving Agency", "Agency A", "revocar", "nunca es una condición", "Firma"]),
    ],
)
def test_the_printable_consent_form_in_english_and_spanish(
    language: str,
    expected: list[str],
    sender: User,
    service: Service,
    consent: Consent,
    as_user: Callable[[User], Client],
) -> None:
    referral = make_referral(sender, service, consent, **CLIENT)

    response = as_user(sender).get(_url("consent-form", referral) + f"?language={language}")

    content = response.content.decode()
    assert response.status_code == 200
    assert f'lang="{language}"' in content
    assert "css/consent-form" in content
    assert "Referral for shelter and case management." in content  # the consent's purpose
    for text in expected:
        assert text in content
    for value in CLIENT.values():
        assert value not in content


def test_the_signed_form_is_only_for_the_sending_agency(
    sender: User,
    receiver: User,
    no_role: User,
    third_handler: User,
    service: Service,
    receiving_agency: Agency,
    as_user: Callable[[User], Client],
) -> None:
    referral = make_referral(sender, service, **CLIENT)
    as_user(sender).post(
        _url("consent", referral),
        _consent_post(
            method="signed_form",
            signature_name="",
            signed_form=SimpleUploadedFile("a.pdf", PDF, "application/pdf"),
        ),
    )
    workflow.send_referral(actor=sender, referral=referral)
    url = _url("consent-file", referral)

    assert as_user(receiver).get(url).status_code == 403
    assert as_user(no_role).get(url).status_code == 403
    assert as_user(third_handler).get(url).status_code == 404
    assert _access(referral, "export") == []


def test_no_signed_form_is_404(
    sender: User, service: Service, consent: Consent, as_user: Callable[[User], Client]
) -> None:
    referral = make_referral(sender, service, consent, **CLIENT)

    assert as_user(sender).get(_url("consent-file", referral)).status_code == 404


def test_revoking_the_consent_hides_the_client_information_from_the_receiver_at_once(
    sender: User,
    receiver: User,
    service: Service,
    consent: Consent,
    as_user: Callable[[User], Client],
) -> None:
    referral = workflow.send_referral(
        actor=sender, referral=make_referral(sender, service, consent, **CLIENT)
    )
    assert client_information(referral=referral, user=receiver)

    response = as_user(sender).post(_url("consent-revoke", referral))

    referral.refresh_from_db()
    assert response.status_code == 302
    assert referral.consent is not None
    assert referral.consent.revoked_at is not None
    assert not can_view_client_information(receiver, referral)
    assert client_information(referral=referral, user=receiver) is None


def test_the_receiver_cannot_revoke(
    sender: User,
    receiver: User,
    service: Service,
    consent: Consent,
    as_user: Callable[[User], Client],
) -> None:
    referral = workflow.send_referral(
        actor=sender, referral=make_referral(sender, service, consent, **CLIENT)
    )

    assert as_user(receiver).post(_url("consent-revoke", referral)).status_code == 403
    consent.refresh_from_db()
    assert consent.revoked_at is None


# The referral role.


def test_the_primary_representative_grants_and_revokes_the_role(
    representative: User, member: User, as_user: Callable[[User], Client]
) -> None:
    client = as_user(representative)
    page = client.get(reverse("referrals:people"))
    url = reverse("referrals:role", kwargs={"pk": member.pk})

    granted = client.post(url, {"handles_referrals": "1"})
    member.refresh_from_db()
    assert member.handles_referrals
    client.post(url, {"handles_referrals": "0"})

    member.refresh_from_db()
    assert page.status_code == 200
    assert url in page.content.decode()
    assert granted.status_code == 302
    assert not member.handles_referrals


def test_the_people_page_lists_only_the_agencys_people(
    representative: User, member: User, outsider: User, as_user: Callable[[User], Client]
) -> None:
    content = as_user(representative).get(reverse("referrals:people")).content.decode()

    assert reverse("referrals:role", kwargs={"pk": member.pk}) in content
    assert reverse("referrals:role", kwargs={"pk": outsider.pk}) not in content


def test_a_coordinator_grants_the_role_to_anyone_of_an_agency(
    coordinator: User, member: User, as_user: Callable[[User], Client]
) -> None:
    client = as_user(coordinator)

    client.post(reverse("referrals:role", kwargs={"pk": member.pk}), {"handles_referrals": "1"})

    member.refresh_from_db()
    assert member.handles_referrals


def test_the_role_is_refused_to_others(
    member: User, outsider: User, as_user: Callable[[User], Client], agency_a: Agency
) -> None:
    colleague = UserFactory(email="colleague-a@example.org", agency=agency_a)
    url = reverse("referrals:role", kwargs={"pk": colleague.pk})

    assert as_user(member).get(reverse("referrals:people")).status_code == 403
    assert as_user(member).post(url, {"handles_referrals": "1"}).status_code == 403
    assert as_user(outsider).post(url, {"handles_referrals": "1"}).status_code == 404
    assert as_user(outsider).get(url).status_code == 405
    colleague.refresh_from_db()
    assert not colleague.handles_referrals


def test_a_revoked_role_takes_effect_on_the_next_request(
    representative: User, sender: User, service: Service, as_user: Callable[[User], Client]
) -> None:
    referral = make_referral(sender, service)
    client = as_user(sender)
    assert client.get(_url("edit", referral)).status_code == 200

    as_user(representative).post(
        reverse("referrals:role", kwargs={"pk": sender.pk}), {"handles_referrals": "0"}
    )

    assert client.get(_url("edit", referral)).status_code == 403


def test_the_people_page_query_count_does_not_grow_with_rows(
    coordinator: User, agency_a: Agency, as_user: Callable[[User], Client]
) -> None:
    client = as_user(coordinator)
    UserFactory(email="one@example.org", agency=agency_a)
    url = "/es" + reverse("referrals:people")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(6):
        UserFactory(email=f"more-{index}@example.org", agency=agency_a, handles_referrals=True)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert response.status_code == 200
    assert len(many) == len(few)
