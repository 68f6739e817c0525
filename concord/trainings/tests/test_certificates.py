import math
import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from concord.accounts.models import User
from concord.coalition.models import Coalition
from concord.trainings.models import Certificate
from concord.trainings.services.attendance import record_attendance
from concord.trainings.services.certificates import (
    certificate_for_code,
    certificate_html,
    certificate_pdf,
    generate_code,
    pdf_token,
)
from concord.trainings.tests.factories import SeatFactory


def _certificate(**seat: Any) -> Certificate:
    registration = SeatFactory(**seat)
    record_attendance(
        actor=None,
        session=registration.session,
        attended={registration.pk: True},
        notify=False,
    )
    return Certificate.objects.get(registration=registration)


def _verify(client: Client, code: str, language: str = "en") -> Any:
    with translation.override(language):
        url = reverse("trainings:certificate-verify", kwargs={"code": code})
    return client.get(url)


def test_a_valid_certificate_shows_its_holder_training_hours_and_date(db: None) -> None:
    certificate = _certificate(name="Lena Holder", session__training__title="Screening in clinics")

    response = _verify(Client(), certificate.code)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Lena Holder" in body
    assert "Screening in clinics" in body
    assert "2.50" in body
    assert "This certificate is valid" in body
    assert str(certificate.session_date.year) in body


def test_a_revoked_certificate_says_so(db: None) -> None:
    certificate = _certificate()
    record_attendance(
        actor=None,
        session=certificate.registration.session,
        attended={certificate.registration_id: False},
        notify=False,
    )

    response = _verify(Client(), certificate.code)

    assert response.status_code == 200
    assert "This certificate was revoked" in response.content.decode()
    assert "This certificate is valid" not in response.content.decode()


def test_the_spanish_page_checks_the_same_code(db: None) -> None:
    certificate = _certificate()

    response = _verify(Client(), certificate.code, "es")

    assert response.status_code == 200
    assert response.request["PATH_INFO"].startswith("/es/")
    assert certificate.holder_name in response.content.decode()


def test_a_code_typed_with_dashes_and_small_letters_is_found(db: None) -> None:
    certificate = _certificate()
    typed = f"{certificate.code[:4].lower()}-{certificate.code[4:8]} {certificate.code[8:]}"

    assert certificate_for_code(typed) == certificate


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_unknown_code_is_the_ordinary_404_and_reveals_nothing(db: None, language: str) -> None:
    _certificate()
    client = Client()
    codes = [generate_code(), generate_code(), "not-a-code"]

    responses = [_verify(client, code, language) for code in codes]

    assert [response.status_code for response in responses] == [404, 404, 404]
    # The page links to itself in the other language: the path typed is the only change.
    bodies = {
        response.content.decode().replace(code, "CODE")
        for response, code in zip(responses, codes, strict=True)
    }
    assert len(bodies) == 1
    first = responses[0]
    # Beyond the typed address itself, nothing speaks of certificates.
    body = re.sub(r"/certificates/[^/\"]*/", "", first.content.decode()).lower()
    assert "certificate" not in body
    assert "certificado" not in body
    assert first.templates[0].name == "404.html"


def test_lookups_are_limited_per_ip_address(db: None, settings: Any) -> None:
    settings.CERTIFICATE_LOOKUPS_PER_IP = 3
    certificate = _certificate()
    client = Client()

    statuses = [_verify(client, generate_code()).status_code for _ in range(3)]
    over = _verify(client, certificate.code)
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")

    assert statuses == [404, 404, 404]
    assert over.status_code == 429
    assert certificate.holder_name not in over.content.decode()
    assert _verify(elsewhere, certificate.code).status_code == 200


def test_the_certificate_renders_the_coalition_training_hours_date_code_and_url(
    db: None,
) -> None:
    Coalition.objects.create(name="Zero Tolerance Coalition", short_name="Zero Tolerance")
    certificate = _certificate(name="Omar Holder", session__training__title="Youth outreach")

    html = certificate_html(certificate)
    pdf = certificate_pdf(certificate)

    spaced = re.sub(r"\s+", " ", html)
    assert "Zero Tolerance Coalition" in spaced
    assert "Omar Holder" in spaced
    assert "Youth outreach" in spaced
    assert "2.50 hours" in spaced
    assert f"{settings.SITE_URL}/certificates/{certificate.code}/" in spaced
    grouped = "-".join(certificate.code[i : i + 4] for i in (0, 4, 8))
    assert grouped in spaced
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 1000


def test_the_signed_pdf_link_works_for_a_valid_certificate_only(db: None) -> None:
    certificate = _certificate()
    url = reverse("trainings:certificate-pdf", kwargs={"token": pdf_token(certificate)})
    forged = reverse("trainings:certificate-pdf", kwargs={"token": certificate.code})

    download = Client().get(url)
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF")
    assert "attachment" in download["Content-Disposition"]
    assert Client().get(forged).status_code == 404

    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now())

    assert Client().get(url).status_code == 404


def test_a_signed_in_holder_downloads_their_own_certificate_and_nobody_else_does(
    member: User, member_client: Client, representative_client: Client
) -> None:
    certificate = _certificate(person=member, email=member.email)
    url = reverse(
        "trainings:certificate-download",
        kwargs={"public_id": certificate.registration.public_id},
    )

    mine = member_client.get(url)

    assert mine.status_code == 200
    assert mine.content.startswith(b"%PDF")
    assert representative_client.get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_a_registration_without_a_valid_certificate_has_nothing_to_download(
    member: User, member_client: Client
) -> None:
    registration = SeatFactory(person=member, email=member.email)
    url = reverse("trainings:certificate-download", kwargs={"public_id": registration.public_id})

    assert member_client.get(url).status_code == 404


def test_codes_carry_128_bits_without_look_alikes() -> None:
    codes = {generate_code() for _ in range(200)}

    assert len(codes) == 200
    assert all(re.fullmatch(r"[ACDEFGHJKMNPQRTUVWXY34679]{28}", code) for code in codes)
    assert 28 * math.log2(25) >= 128  # SECURITY.md rule 15


def test_my_trainings_links_to_the_holders_certificate(member: User, member_client: Client) -> None:
    certificate = _certificate(person=member, email=member.email)
    download = reverse(
        "trainings:certificate-download",
        kwargs={"public_id": certificate.registration.public_id},
    )

    body = member_client.get(reverse("trainings:my-trainings")).content.decode()

    assert download in body
