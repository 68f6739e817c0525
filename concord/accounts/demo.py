import random
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password

from concord.accounts.models import AgencyRole, User
from concord.agencies.models import Agency

DEMO_PASSWORD = "concord-demo-password"
# A fixed, published secret: only ever for the demo's own accounts.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
FIRST_NAMES = ["Ana", "Ben", "Carmen", "Dev", "Elena", "Farid", "Grace", "Hugo", "Imani", "Jun"]
LAST_NAMES = ["Alvarez", "Brooks", "Chen", "Diaz", "Evans", "Flores", "Garcia", "Huang", "Ito"]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    full_name: str
    agency_index: int | None
    role: str
    coordinator: bool = False


DEMO_LOGINS = [
    DemoLogin("coordinator@example.org", "Casey Coordinator", None, "", coordinator=True),
    DemoLogin("rep@example.org", "Rosa Representative", 0, AgencyRole.PRIMARY),
    DemoLogin("member@example.org", "Marco Member", 0, AgencyRole.MEMBER),
    DemoLogin("referrals@example.org", "Riley Referrals", 0, AgencyRole.ALTERNATE),
    DemoLogin("outsider@example.org", "Omar Other-Agency", 1, AgencyRole.PRIMARY),
]


def seed(*, scale: int, rng: random.Random) -> list[str]:
    agencies = list(Agency.objects.order_by("pk"))
    existing = set(User.objects.values_list("email", flat=True))
    password_hash = make_password(DEMO_PASSWORD)
    created = []
    for login in DEMO_LOGINS:
        if login.email in existing:
            continue
        user = User.objects.create(
            email=login.email,
            full_name=login.full_name,
            password=password_hash,
            agency=agencies[login.agency_index] if login.agency_index is not None else None,
            agency_role=login.role,
            is_staff=login.coordinator,
        )
        created.append(user)
        if login.coordinator:
            TOTP.activate(user, DEMO_TOTP_SECRET)
    # Two people in every other agency, so lists have rows to page through.
    taken = {
        agency_index for login in DEMO_LOGINS if (agency_index := login.agency_index) is not None
    }
    for index, agency in enumerate(agencies):
        if index in taken:
            continue
        for role in (AgencyRole.PRIMARY, AgencyRole.MEMBER):
            email = f"person{index:05d}-{role}@example.org"
            if email in existing:
                continue
            created.append(
                User(
                    email=email,
                    full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    password=password_hash,
                    agency=agency,
                    agency_role=role,
                )
            )
    User.objects.bulk_create([user for user in created if user.pk is None], batch_size=500)
    new_emails = [user.email for user in created]
    users = User.objects.filter(email__in=new_emails).only("pk", "email")
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, primary=True, verified=True) for user in users],
        batch_size=500,
    )
    return [f"Created {len(created)} people."] if created else []


def login_lines() -> list[str]:
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    people = {
        user.email: user
        for user in User.objects.filter(
            email__in=[login.email for login in DEMO_LOGINS]
        ).select_related("agency")
    }
    for login in DEMO_LOGINS:
        person = people.get(login.email)
        if person is None:
            continue
        if person.is_staff:
            what = "coordinator"
        else:
            what = f"{person.get_agency_role_display().lower()}, {person.agency}"
        lines.append(f"  {login.email:<26} {what}")
    has_totp = Authenticator.objects.filter(
        user__email=DEMO_LOGINS[0].email, type=Authenticator.Type.TOTP
    ).exists()
    if has_totp:
        lines.append(
            "  The coordinator and referrals@example.org sign in with a second factor: add "
            f"the TOTP secret "
            f"{DEMO_TOTP_SECRET} to an authenticator app, or run "
            "`.venv/bin/python manage.py demo_totp` for the current code."
        )
    return lines
