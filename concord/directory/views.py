"""The public service directory: search, a service's page and a printable resource sheet.
All three are GET pages that work without JavaScript and store nothing."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from concord.core import permissions
from concord.directory import search
from concord.directory.cards import card_fragments
from concord.directory.forms import ServiceSearchForm
from concord.directory.models import Address, Location, Schedule, Service, Weekday

PAGE_SIZE = 20


@dataclass
class LocationView:
    """A location as a page may show it: ``addresses`` is empty where it must stay hidden."""

    location: Location
    hidden: bool
    addresses: list[Address]
    cities: list[str]


def _language() -> str:
    return (get_language() or "en").split("-")[0]


@require_safe
def service_search(request: HttpRequest) -> HttpResponse:
    categories = search.category_names(_language())
    form = ServiceSearchForm(
        request.GET,
        categories=categories,
        languages=search.language_choices(request.user),
        cities=search.city_choices(request.user),
    )
    page = search.result_ids(
        form.filters(),
        user=request.user,
        now=timezone.now(),
        number=request.GET.get("page"),
        size=PAGE_SIZE,
    )
    chosen = search.sheet_ids(request.GET.getlist("id"))
    on_page = set(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "cards": card_fragments(
            list(page.object_list), language=_language(), today=timezone.localdate()
        ),
        "chosen": chosen,
        "chosen_elsewhere": [pk for pk in chosen if pk not in on_page],
        "query": query.urlencode(),
        "searched": any(value for key, value in request.GET.items() if key not in {"page", "id"}),
    }
    return render(request, "directory/service_search.html", context)


@require_safe
def service_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    service = get_object_or_404(search.service_detail(request.user), pk=pk)
    categories = search.category_names(_language())
    locations = [
        _location_view(link.location, user=request.user)
        for link in service.service_at_locations.all()
    ]
    context = {
        "service": service,
        "categories": search.service_categories([service.pk], categories).get(service.pk, []),
        "languages": sorted(
            {search.language_name(item.code, item.name) for item in service.languages.all()}
        ),
        "locations": locations,
        "schedules": _schedules(service),
        "stale": search.is_stale(service, today=timezone.localdate()),
        "free": any(option.amount == 0 for option in service.cost_options.all()),
        "public": service.visibility == "public",
        # Issue 6: people with the referral role at another agency refer someone here.
        "can_refer": permissions.can_refer_to_service(request.user, service),
    }
    return render(request, "directory/service_detail.html", context)


@require_safe
def resource_sheet(request: HttpRequest) -> HttpResponse:
    services = search.sheet_services(search.sheet_ids(request.GET.getlist("id")))
    cards = search.service_cards(
        services, today=timezone.localdate(), categories=search.category_names(_language())
    )
    entries = [
        {
            "card": card,
            "locations": [
                # Whoever prints, a sheet leaves the building: confidential stays hidden.
                _location_view(link.location, user=None)
                for link in card.service.service_at_locations.all()
            ],
            "schedules": _schedules(card.service),
        }
        for card in cards
    ]
    return render(request, "directory/resource_sheet.html", {"entries": entries})


def _location_view(location: Location, *, user: Any) -> LocationView:
    addresses = list(location.addresses.all())
    hidden = search.location_is_hidden(location, user=user)
    return LocationView(
        location=location,
        hidden=hidden,
        addresses=[] if hidden else addresses,
        cities=sorted({address.city for address in addresses if address.city}),
    )


def _schedules(service: Service) -> list[dict[str, str]]:
    schedules: list[Schedule] = list(service.schedules.all())
    for link in service.service_at_locations.all():
        schedules += list(link.schedules.all())
    labels = dict(Weekday.choices)
    return [
        {
            "days": ", ".join(
                str(labels[day.strip()])
                for day in schedule.byday.split(",")
                if day.strip() in labels
            ),
            "opens": schedule.opens_at[:5],
            "closes": schedule.closes_at[:5],
            "description": schedule.description,
        }
        for schedule in schedules
    ]
