"""The search's result cards, rendered once and cached.

Building a card reads a service's languages, costs, phones, locations, addresses and
categories, and rendering twenty of them was most of a search's time at 10,000 services.
A card shows only public-safe facts of its service, the same to every visitor, so it is
cached per service, language and day (the "may be out of date" tag depends on the date),
under the directory's revision (``facets``), which every change to the directory bumps."""

import datetime
import uuid
from dataclasses import dataclass

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from concord.directory import facets, search
from concord.directory.models import Service


@dataclass(frozen=True)
class CardFragment:
    pk: uuid.UUID
    name: str
    html: SafeString


def card_fragments(
    ids: list[uuid.UUID], *, language: str, today: datetime.date
) -> list[CardFragment]:
    """The cards of the services ``ids``, in that order: two cache reads when all are
    cached, and for the rest the card queries of ``search.service_cards``."""
    prefix = f"directory:card:{facets.revision()}:{language}:{today.isoformat()}:"
    found: dict[str, tuple[str, str]] = caches["fragments"].get_many(
        [f"{prefix}{pk}" for pk in ids]
    )
    missing = [pk for pk in ids if f"{prefix}{pk}" not in found]
    if missing:
        services = search.with_card_details(
            Service.objects.filter(pk__in=missing).select_related("organization")
        )
        cards = search.service_cards(
            services, today=today, categories=search.category_names(language)
        )
        rendered = {
            f"{prefix}{card.service.pk}": (
                card.service.name,
                render_to_string("directory/_service_card.html", {"card": card}),
            )
            for card in cards
        }
        caches["fragments"].set_many(rendered, facets.TIMEOUT)
        found.update(rendered)
    return [
        # Our own template's output, escaped when it was rendered.
        CardFragment(pk=pk, name=found[key][0], html=mark_safe(found[key][1]))  # noqa: S308
        for pk in ids
        if (key := f"{prefix}{pk}") in found
    ]
