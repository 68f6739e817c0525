from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from concord.accounts.models import User
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
    """The coordinators' agency list, with the count of active people on each row.

    The count is a correlated subquery, not a JOIN with GROUP BY: that way the database
    walks the name index and counts people for the rows of one page only, and the
    paginator's COUNT(*) drops the annotation, instead of both grouping every agency's
    people on every request (22 ms at 100x the demo against 0.5 ms at 1x).
    """
    active_people = (
        User.objects.filter(agency=OuterRef("pk"), is_active=True)
        .order_by()
        .values("agency")
        .annotate(count=Count("pk"))
        .values("count")
    )
    agencies = Agency.objects.annotate(
        people_count=Coalesce(Subquery(active_people), Value(0), output_field=IntegerField())
    )
    if search:
        agencies = agencies.filter(Q(name__icontains=search) | Q(service_area__icontains=search))
    if status:
        agencies = agencies.filter(status=status)
    return agencies.order_by("name")
