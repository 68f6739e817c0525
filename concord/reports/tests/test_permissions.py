from concord.accounts.models import User
from concord.core.permissions import can_see_member_figures, can_see_reports


def test_only_coordinators_see_reports(
    coordinator: User, representative: User, member: User, deactivated: User
) -> None:
    assert can_see_reports(coordinator) is True
    assert can_see_reports(representative) is False
    assert can_see_reports(member) is False
    assert can_see_reports(deactivated) is False


def test_members_and_coordinators_see_member_figures(
    coordinator: User, member: User, deactivated: User, agency_b: object
) -> None:
    assert can_see_member_figures(coordinator) is True
    assert can_see_member_figures(member) is True
    assert can_see_member_figures(deactivated) is False


def test_people_of_a_lapsed_agency_do_not_see_member_figures(member: User) -> None:
    member.agency.status = "lapsed"
    member.agency.save(update_fields=["status"])

    assert can_see_member_figures(User.objects.get(pk=member.pk)) is False
