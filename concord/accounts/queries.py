from django.db.models import Q, QuerySet

from concord.accounts.models import User
from concord.core.permissions import is_active_user, is_coordinator


def people_visible_to(user: object) -> QuerySet[User]:
    """Coordinators see everyone; members see the people of their own agency."""
    people = User.objects.select_related("agency")
    if is_coordinator(user):
        return people
    if is_active_user(user) and getattr(user, "agency_id", None):
        return people.filter(agency_id=user.agency_id, is_active=True)  # type: ignore[attr-defined]
    return people.none()


def people_directory(*, search: str = "") -> QuerySet[User]:
    people = User.objects.select_related("agency")
    if search:
        people = people.filter(
            Q(full_name__icontains=search)
            | Q(email__icontains=search)
            | Q(agency__name__icontains=search)
        )
    return people.order_by("full_name", "email")
