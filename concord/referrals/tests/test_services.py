import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from concord.accounts.models import User
from concord.agencies.models import Agency
from concord.audit.models import AuditEvent
from concord.directory.models import Service, ServiceStatus, TaxonomyTerm
from concord.directory.tests.factories import ServiceFactory
from concord.referrals.models import (
    Consent,
    ConsentMethod,
    DeclineReason,
    Outcome,
    Referral,
    ReferralMessage,
    ReferralStatus,
)
from concord.referrals.services import consent as consents
from concord.referrals.services import referrals as workflow
from concord.referrals.tests.conftest import CLIENT, make_referral
from concord.referrals.tests.factories import ConsentFactory, service_of


def test_a_needs_only_referral_is_sent_without_any_consent(
    sender: User, service: Service, need: TaxonomyTerm
) -> None:
    referral = make_referral(sender, service, needs=[need.pk], languages=["es"])

    workflow.send_referral(actor=sender, referral=referral)

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert referral.consent is None
    assert list(referral.needs.all()) == [need]
    assert referral.receiving_agency_id == service.organization.agency_id
    assert referral.respond_by is not None


def test_client_information_without_consent_is_refused_at_send(
    sender: User, service: Service
) -> None:
    referral = make_referral(sender, service, **CLIENT)

    with pytest.raises(ValidationError, match="needs the client's consent"):
        workflow.send_referral(actor=sender, referral=referral)

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT


def test_a_field_the_consent_does_not_cover_is_refused(
    sender: User, service: Service, receiving_agency: Agency
) -> None:
    consent = ConsentFactory(
        sending_agency=sender.agency,
        receiving_agency=receiving_agency,
        created_by=sender,
        shared_fields=["client_label"],
    )
    referral = make_referral(sender, service, client_label="A.R.")
    workflow.attach_consent(actor=sender, referral=referral, consent=consent)

    with pytest.raises(ValidationError) as error:
        workflow.update_draft(actor=sender, referral=referral, values={"full_name": "Ana Ruiz"})

    assert "full_name" in error.value.message_dict
    referral.refresh_from_db()
    assert referral.full_name is None


def test_a_consent_for_one_agency_cannot_serve_a_second(
    sender: User, consent: Consent, third_agency: Agency
) -> None:
    other_service = service_of(third_agency)

    with pytest.raises(ValidationError, match="One consent names one agency"):
        make_referral(sender, other_service, consent, **CLIENT)  # type: ignore[arg-type]

    assert Referral.objects.count() == 0


def test_the_second_agency_is_reached_with_a_second_consent(
    sender: User, third_agency: Agency
) -> None:
    other_service = service_of(third_agency)
    second = ConsentFactory(
        sending_agency=sender.agency, receiving_agency=third_agency, created_by=sender
    )

    referral = make_referral(sender, other_service, second, **CLIENT)  # type: ignore[arg-type]
    workflow.send_referral(actor=sender, referral=referral)

    assert Referral.objects.get().status == ReferralStatus.SENT


def test_an_expired_consent_is_refused_at_send(
    sender: User, service: Service, consent: Consent
) -> None:
    referral = make_referral(sender, service, consent, **CLIENT)
    Consent.objects.filter(pk=consent.pk).update(expires_at=timezone.now() - datetime.timedelta(1))
    referral.refresh_from_db()

    with pytest.raises(ValidationError, match="expired or was revoked"):
        workflow.send_referral(actor=sender, referral=referral)


def test_a_consent_expiring_in_the_past_is_refused(sender: User, receiving_agency: Agency) -> None:
    with pytest.raises(ValidationError) as error:
        consents.record_consent(
            actor=sender,
            receiving_agency=receiving_agency,
            given_by="survivor",
            shared_fields=["client_label"],
            purpose="Shelter",
            method=ConsentMethod.E_SIGNATURE,
            signature_name="A. R.",
            expires_at=timezone.now() - datetime.timedelta(days=1),
        )

    assert error.value.message_dict["expires_at"] == ["The consent must expire in the future."]
    assert Consent.objects.count() == 0


def test_a_consent_defaults_to_ninety_days(sender: User, receiving_agency: Agency) -> None:
    consent = consents.record_consent(
        actor=sender,
        receiving_agency=receiving_agency,
        given_by="guardian",
        shared_fields=["client_label", "safe_contact"],
        purpose="Shelter",
        method=ConsentMethod.E_SIGNATURE,
        signature_name="A. R.",
        language="es",
    )

    days = (consent.expires_at - timezone.now()).days
    assert days in (89, 90)
    assert consent.signed_at is not None
    event = AuditEvent.objects.get(action="concord.consent.recorded")
    assert "A. R." not in str(event.data)


def test_an_upload_that_is_not_what_it_claims_is_refused(
    sender: User, receiving_agency: Agency
) -> None:
    fake = SimpleUploadedFile("form.pdf", b"<html><script>x</script></html>", "application/pdf")

    with pytest.raises(ValidationError) as error:
        consents.record_consent(
            actor=sender,
            receiving_agency=receiving_agency,
            given_by="survivor",
            shared_fields=["client_label"],
            purpose="Shelter",
            method=ConsentMethod.SIGNED_FORM,
            signed_form=fake,
        )

    assert "signed_form" in error.value.message_dict
    assert Consent.objects.count() == 0


def test_a_signed_pdf_is_stored_encrypted_under_a_random_name(
    sender: User, receiving_agency: Agency, settings: Any, tmp_path: Any
) -> None:
    settings.ENCRYPTED_FILES_ROOT = tmp_path
    form = SimpleUploadedFile("ana-ruiz-consent.pdf", b"%PDF-1.7 signed by Ana", "application/pdf")

    consent = consents.record_consent(
        actor=sender,
        receiving_agency=receiving_agency,
        given_by="survivor",
        shared_fields=["client_label"],
        purpose="Shelter",
        method=ConsentMethod.SIGNED_FORM,
        signed_form=form,
    )

    assert "ana-ruiz" not in consent.signed_form.name
    stored = (tmp_path / consent.signed_form.name).read_bytes()
    assert b"signed by Ana" not in stored
    assert consent.signed_form.open("rb").read() == b"%PDF-1.7 signed by Ana"


def test_an_inactive_service_cannot_be_referred_to(sender: User, receiving_agency: Agency) -> None:
    inactive = service_of(receiving_agency, status=ServiceStatus.INACTIVE)

    with pytest.raises(ValidationError, match="not active"):
        make_referral(sender, inactive)  # type: ignore[arg-type]


def test_a_service_of_no_member_agency_cannot_be_referred_to(sender: User) -> None:
    with pytest.raises(ValidationError, match="not a member agency"):
        make_referral(sender, ServiceFactory())


def test_the_receiving_agency_never_comes_from_input(
    sender: User, service: Service, third_agency: Agency
) -> None:
    with pytest.raises(ValidationError):
        make_referral(sender, service, receiving_agency=third_agency.pk)

    referral = make_referral(sender, service)
    assert referral.receiving_agency_id == service.organization.agency_id


def test_the_whole_life_of_a_referral(
    sender: User, receiver: User, sent_referral: Referral
) -> None:
    workflow.accept_referral(actor=receiver, referral=sent_referral)
    workflow.start_referral(actor=receiver, referral=sent_referral)
    workflow.complete_referral(
        actor=receiver, referral=sent_referral, outcome=Outcome.SERVICES_RECEIVED, note="Housed."
    )
    workflow.close_referral(actor=sender, referral=sent_referral)

    sent_referral.refresh_from_db()
    assert sent_referral.status == ReferralStatus.CLOSED
    assert sent_referral.outcome == Outcome.SERVICES_RECEIVED
    assert [change.to_status for change in sent_referral.changes.all()] == [
        "sent",
        "accepted",
        "in_progress",
        "completed",
        "closed",
    ]
    for stamp in ("sent_at", "responded_at", "accepted_at", "completed_at", "closed_at"):
        assert getattr(sent_referral, stamp) is not None
    events = AuditEvent.objects.filter(object_id=str(sent_referral.pk))
    assert all(CLIENT["client_label"] not in str(event.data) for event in events)
    assert "Housed." not in str(list(events.values_list("data", flat=True)))


def test_decline_needs_a_reason_from_the_list(receiver: User, sent_referral: Referral) -> None:
    with pytest.raises(ValidationError):
        workflow.decline_referral(actor=receiver, referral=sent_referral, reason="whatever")

    workflow.decline_referral(
        actor=receiver, referral=sent_referral, reason=DeclineReason.NO_CAPACITY
    )
    sent_referral.refresh_from_db()
    assert sent_referral.status == ReferralStatus.DECLINED
    assert sent_referral.decline_reason == DeclineReason.NO_CAPACITY


def test_more_information_goes_back_to_the_sender_who_sends_again(
    sender: User, receiver: User, sent_referral: Referral
) -> None:
    workflow.request_information(actor=receiver, referral=sent_referral, message="Which language?")
    workflow.update_draft(actor=sender, referral=sent_referral, values={"languages": ["es"]})
    workflow.send_referral(actor=sender, referral=sent_referral)

    sent_referral.refresh_from_db()
    assert sent_referral.status == ReferralStatus.SENT
    assert ReferralMessage.objects.get().body == "Which language?"


def test_the_sender_withdraws_and_nothing_more_happens(
    sender: User, receiver: User, sent_referral: Referral
) -> None:
    workflow.withdraw_referral(actor=sender, referral=sent_referral)

    with pytest.raises(ValidationError, match="withdrawn and cannot be changed"):
        workflow.accept_referral(actor=receiver, referral=sent_referral)


def test_refused_transitions_say_why(receiver: User, sent_referral: Referral) -> None:
    with pytest.raises(ValidationError, match="cannot be changed that way"):
        workflow.complete_referral(
            actor=receiver, referral=sent_referral, outcome=Outcome.SERVICES_RECEIVED
        )
    with pytest.raises(ValidationError):
        workflow.close_referral(actor=receiver, referral=sent_referral)


def test_each_side_does_only_its_own_steps(
    sender: User, receiver: User, third_handler: User, sent_referral: Referral
) -> None:
    with pytest.raises(PermissionDenied):
        workflow.accept_referral(actor=sender, referral=sent_referral)
    with pytest.raises(PermissionDenied):
        workflow.withdraw_referral(actor=receiver, referral=sent_referral)
    with pytest.raises(PermissionDenied):
        workflow.accept_referral(actor=third_handler, referral=sent_referral)
    with pytest.raises(PermissionDenied):
        workflow.post_message(actor=third_handler, referral=sent_referral, body="Hello")


def test_the_receiver_never_acts_on_a_draft(sender: User, receiver: User, service: Service) -> None:
    draft = make_referral(sender, service)

    with pytest.raises(PermissionDenied):
        workflow.accept_referral(actor=receiver, referral=draft)


def test_the_role_is_required(no_role: User, service: Service) -> None:
    with pytest.raises(PermissionDenied):
        make_referral(no_role, service)


def test_a_second_accept_gets_a_clear_message(
    receiver: User, colleague: User, sent_referral: Referral
) -> None:
    stale = Referral.objects.get(pk=sent_referral.pk)
    workflow.accept_referral(actor=receiver, referral=sent_referral)

    with pytest.raises(ValidationError) as error:
        workflow.accept_referral(actor=colleague, referral=stale)

    assert error.value.messages == ["Someone at your agency already accepted this referral."]
    assert Referral.objects.get().changes.filter(to_status="accepted").count() == 1


def test_messages_between_the_two_agencies_are_encrypted_and_not_audited(
    sender: User, receiver: User, sent_referral: Referral
) -> None:
    workflow.post_message(actor=receiver, referral=sent_referral, body="Is A.R. safe to call?")
    workflow.post_message(actor=sender, referral=sent_referral, body="Yes, after 2 pm.")

    assert [message.body for message in sent_referral.messages.all()] == [
        "Is A.R. safe to call?",
        "Yes, after 2 pm.",
    ]
    events = AuditEvent.objects.filter(action="concord.referral.message_posted")
    assert events.count() == 2
    assert "A.R." not in str(list(events.values_list("data", flat=True)))


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    import zlib

    crc = zlib.crc32(kind + data).to_bytes(4, "big")
    return len(data).to_bytes(4, "big") + kind + data + crc


def test_image_metadata_is_stripped_from_a_signed_form() -> None:
    png = (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", b"\x00" * 13)
        + _png_chunk(b"tEXt", b"Author\x00Ana Ruiz")
        + _png_chunk(b"IEND", b"")
    )
    exif = b"Exif\x00\x00GPS 37.97N Ana Ruiz"
    jpeg = (
        b"\xff\xd8"
        + b"\xff\xe0\x00\x06JFIF"
        + b"\xff\xe1"
        + (len(exif) + 2).to_bytes(2, "big")
        + exif
        + b"\xff\xda\x00\x02scan-data\xff\xd9"
    )

    clean_png = consents.without_metadata("png", png)
    clean_jpeg = consents.without_metadata("jpeg", jpeg)

    assert b"Ana Ruiz" not in clean_png
    assert b"IHDR" in clean_png
    assert b"IEND" in clean_png
    assert b"Ana Ruiz" not in clean_jpeg
    assert clean_jpeg.endswith(b"scan-data\xff\xd9")
    with pytest.raises(ValidationError):
        consents.without_metadata("png", b"\x89PNG\r\n\x1a\n\x00\x00")
