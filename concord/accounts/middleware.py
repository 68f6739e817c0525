import time
from collections.abc import Callable

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from concord.core.permissions import requires_mfa

LOGIN_AT = "concord_login_at"
SEEN_AT = "concord_seen_at"
MFA_VERIFIED_USER = "concord_mfa_verified_user"
# Writing the session on every request would cost a database write per page; a minute of
# slack on a 30-minute idle timeout is enough.
_SEEN_RESOLUTION = 60


class SessionLimitsMiddleware:
    """End signed-in sessions after an idle period and after an absolute lifetime."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            login_at = session.setdefault(LOGIN_AT, now)
            seen_at = session.get(SEEN_AT, now)
            idle = settings.SESSION_IDLE_SECONDS
            if getattr(request.user, "handles_referrals", False):
                # Where referral data is visible, never longer than the referral limit.
                idle = min(idle, settings.REFERRAL_SESSION_IDLE_SECONDS)
            if now - seen_at > idle or now - login_at > settings.SESSION_COOKIE_AGE:
                logout(request)
            elif now - seen_at >= _SEEN_RESOLUTION or SEEN_AT not in session:
                session[SEEN_AT] = now
        return self.get_response(request)


class RequireMFAMiddleware:
    """Send people who must use a second factor to set one up or to prove it.

    A session of such a person that was opened with a password alone (no MFA step) is
    ended, so the next login goes through the TOTP step.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not requires_mfa(user) or self._is_exempt(request.path_info):
            return self.get_response(request)
        if self._session_passed_mfa(request):
            return self.get_response(request)
        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            logout(request)
            return redirect_to_login(request.get_full_path(), reverse("account_login"))
        return redirect("mfa_activate_totp")

    @staticmethod
    def _session_passed_mfa(request: HttpRequest) -> bool:
        if request.session.get(MFA_VERIFIED_USER) == request.user.pk:
            return True
        records = get_authentication_records(request, request.user)
        return any(record.get("method") == "mfa" for record in records)

    @staticmethod
    def _is_exempt(path: str) -> bool:
        # reverse() follows the active language, so /es/ paths match too.
        exempt = (
            reverse("mfa_index"),
            reverse("account_logout"),
            reverse("account_reauthenticate"),
        )
        return path.startswith(settings.STATIC_URL) or path.startswith(exempt)
