from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from concord.accounts.models import User
from concord.coalition.queries import current_coalition


@task()
def send_invitation(user_id: int) -> None:
    """Email a new account's owner the link that sets their first password.

    The message names no one: it goes to the address, and the link carries only a token.
    """
    person = User.objects.filter(pk=user_id, is_active=True).first()
    if person is None:
        return
    key = default_token_generator.make_token(person)
    with translation.override(person.language):
        path = reverse(
            "account_reset_password_from_key",
            kwargs={"uidb36": user_pk_to_url_str(person), "key": key},
        )
        coalition = current_coalition()
        context = {
            "coalition": coalition,
            "link": settings.SITE_URL + path,
            "security_link": settings.SITE_URL + reverse("mfa_index"),
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_message.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
