from django.db.models import Count, Q

from concord.agencies.models import Agency, AgencyQuerySet
from concord.core.permissions import is_active_user, is_coordinator


def agencies_visible_to(user: object) -> AgencyQuerySet:
    """Coordinators see every agency; a member sees their own; anyone else none."""
    agencies = Agency.objects.all()
    if is_coordinator(user):
        return agencies
    if is_active_user(user) and getattr(user, "agency_id", None):
        return agencies.filter(pk=user.agency_id)  # type: ignore[attr-defined]
    return agencies.none()


def agency_directory(*, search: str = "", status: str = "") -> AgencyQuerySet:
    """The coordinators' agency list, with the count of active people on each row."""
    agencies = Agency.objects.annotate(
        people_count=Count("people", filter=Q(people__is_active=True))
    )
    if search:
        agencies = agencies.filter(Q(name__icontains=search) | Q(service_area__icontains=search))
    if status:
        agencies = agencies.filter(status=status)
    return agencies.order_by("name")
