"""Demo awareness work: January 2027's Human Trafficking Awareness Month (a Board of
Supervisors proclamation, National Human Trafficking Awareness Day on January 11, a film
screening, SB 1193 poster outreach to businesses), a labor-trafficking campaign on buses,
last January's poster outreach with its reach, and posters and cards in English and
Spanish. The files are drawn at seed time: nothing binary is committed."""

import datetime
import io
import random
import zoneinfo
from collections.abc import Iterator
from typing import Any

from django.core.files.base import ContentFile
from django.utils.html import escape

from concord.awareness.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Audience,
    Campaign,
    Language,
    Material,
    MaterialDistribution,
    MaterialKind,
)

ZONE = zoneinfo.ZoneInfo("America/Los_Angeles")
HOTLINE_EN = "National Human Trafficking Hotline: call 1-888-373-7888 or text 233733."
HOTLINE_ES = (
    "Línea Nacional contra la Trata de Personas: llame al 1-888-373-7888 o envíe un texto "
    "al 233733."
)

MATERIALS = [
    # title, title_es, kind, language, audience, public, heading, text, format
    (
        "SB 1193 hotline notice (English)",
        "Aviso de la línea directa SB 1193 (inglés)",
        MaterialKind.POSTER,
        Language.ENGLISH,
        Audience.BUSINESSES,
        True,
        "Are you being forced to work?",
        HOTLINE_EN,
        "pdf",
    ),
    (
        "SB 1193 hotline notice (Spanish)",
        "Aviso de la línea directa SB 1193 (español)",
        MaterialKind.POSTER,
        Language.SPANISH,
        Audience.BUSINESSES,
        True,
        "¿Lo obligan a trabajar?",
        HOTLINE_ES,
        "pdf",
    ),
    (
        "Know the signs: labor trafficking card",
        "Conozca las señales: tarjeta sobre trata laboral",
        MaterialKind.CARD,
        Language.ENGLISH,
        Audience.WORKERS,
        True,
        "Know the signs",
        "Unpaid wages, documents taken, threats. " + HOTLINE_EN,
        "png",
    ),
    (
        "Conozca las señales: tarjeta sobre trata laboral",
        "Conozca las señales: tarjeta sobre trata laboral",
        MaterialKind.CARD,
        Language.SPANISH,
        Audience.WORKERS,
        True,
        "Conozca las señales",
        "Salarios no pagados, documentos retenidos, amenazas. " + HOTLINE_ES,
        "png",
    ),
    (
        "Awareness Month outreach talking points",
        "Puntos clave para el Mes de Concienciación",
        MaterialKind.FLYER,
        Language.ENGLISH,
        Audience.SERVICE_PROVIDERS,
        False,
        "Talking points for outreach volunteers",
        "Lead with the hotline; never ask people about their own situation in public.",
        "pdf",
    ),
]


def _pdf(heading: str, text: str) -> bytes:
    from weasyprint import HTML

    html = (
        "<html><body style='font-family: sans-serif'>"
        f"<h1>{escape(heading)}</h1><p>{escape(text)}</p>"
        "<p>Contra Costa County Zero Tolerance for Human Trafficking</p></body></html>"
    )
    return HTML(string=html).write_pdf()


def _png(heading: str, text: str) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 340), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 600, 60), fill="#1a4480")
    draw.text((20, 20), heading, fill="white")
    words, line, y = text.split(), "", 90
    for word in words:
        if len(line) + len(word) > 70:
            draw.text((20, y), line, fill="black")
            line, y = "", y + 24
        line = f"{line} {word}".strip()
    draw.text((20, y), line, fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _materials() -> dict[str, Material]:
    materials = {}
    for title, title_es, kind, language, audience, public, heading, text, fmt in MATERIALS:
        material = Material.objects.filter(title=title).first()
        if material is None:
            content = _pdf(heading, text) if fmt == "pdf" else _png(heading, text)
            material = Material(
                title=title,
                title_es=title_es,
                kind=kind,
                language=language,
                audience=audience,
                is_public=public,
                content_type="application/pdf" if fmt == "pdf" else "image/png",
                file_size=len(content),
            )
            material.file.save("material", ContentFile(content), save=False)
            material.save()
        materials[title] = material
    return materials


def _at(day: datetime.date, start: tuple[int, int], end: tuple[int, int]) -> dict[str, Any]:
    return {
        "starts_at": datetime.datetime.combine(day, datetime.time(*start), tzinfo=ZONE),
        "ends_at": datetime.datetime.combine(day, datetime.time(*end), tzinfo=ZONE),
        "time_zone": str(ZONE),
    }


def seed(*, scale: int, rng: random.Random) -> Iterator[str]:
    materials = _materials()
    month, _created = Campaign.objects.get_or_create(
        title="Human Trafficking Awareness Month 2027",
        defaults={
            "title_es": "Mes de Concienciación sobre la Trata de Personas 2027",
            "summary": (
                "Every January the county and its partners raise awareness of human "
                "trafficking: a proclamation by the Board of Supervisors, National Human "
                "Trafficking Awareness Day on January 11, film screenings, and outreach to "
                "the businesses that California's SB 1193 requires to post the hotline notice."
            ),
            "summary_es": (
                "Cada enero el condado y sus socios crean conciencia sobre la trata de "
                "personas: una proclamación de la Junta de Supervisores, el Día Nacional de "
                "Concienciación el 11 de enero, proyecciones de películas y visitas a los "
                "negocios que la ley SB 1193 obliga a exhibir el aviso de la línea directa."
            ),
            "starts_on": datetime.date(2027, 1, 1),
            "ends_on": datetime.date(2027, 1, 31),
            "audiences": [Audience.GENERAL_PUBLIC, Audience.BUSINESSES, Audience.YOUTH],
            "languages": [Language.ENGLISH, Language.SPANISH],
        },
    )
    buses, _created = Campaign.objects.get_or_create(
        title="Labor trafficking: ads on county buses",
        defaults={
            "title_es": "Trata laboral: anuncios en los autobuses del condado",
            "summary": (
                "Bus cards in English and Spanish on labor trafficking in restaurants, hotels "
                "and cleaning services, with the hotline number."
            ),
            "summary_es": (
                "Anuncios en autobuses, en inglés y español, sobre la trata laboral en "
                "restaurantes, hoteles y servicios de limpieza, con el número de la línea."
            ),
            "starts_on": datetime.date(2026, 11, 1),
            "ends_on": datetime.date(2027, 3, 31),
            "audiences": [Audience.WORKERS, Audience.GENERAL_PUBLIC],
            "languages": [Language.ENGLISH, Language.SPANISH],
        },
    )
    if _created or not buses.materials.exists():
        buses.materials.set([m for title, m in materials.items() if m.kind == MaterialKind.CARD])
    if not month.materials.exists():
        month.materials.set(list(materials.values()))

    activities: list[tuple[Any, ...]] = [
        (
            "Board of Supervisors proclamation: Human Trafficking Awareness Month",
            "Proclamación de la Junta de Supervisores: Mes de Concienciación",
            ActivityKind.PROCLAMATION,
            month,
            _at(datetime.date(2027, 1, 5), (9, 0), (10, 0)),
            "Board chambers, 1025 Escobar Street, Martinez",
            True,
            ActivityStatus.SCHEDULED,
            (0, 0, []),
        ),
        (
            "National Human Trafficking Awareness Day community gathering",
            "Día Nacional de Concienciación sobre la Trata de Personas: encuentro comunitario",
            ActivityKind.COMMUNITY_EVENT,
            month,
            _at(datetime.date(2027, 1, 11), (17, 30), (19, 30)),
            "Todos Santos Plaza, Concord",
            True,
            ActivityStatus.SCHEDULED,
            (0, 0, []),
        ),
        (
            "SB 1193 poster outreach to businesses",
            "Visitas a negocios con el aviso SB 1193",
            ActivityKind.POSTER_OUTREACH,
            month,
            _at(datetime.date(2027, 1, 15), (10, 0), (15, 0)),
            "Downtown Richmond and Antioch",
            True,
            ActivityStatus.SCHEDULED,
            (0, 0, []),
        ),
        (
            "Film screening and discussion",
            "Proyección de película y conversación",
            ActivityKind.SCREENING,
            month,
            _at(datetime.date(2027, 1, 20), (18, 0), (20, 30)),
            "Contra Costa County Library, Pleasant Hill",
            True,
            ActivityStatus.SCHEDULED,
            (0, 0, []),
        ),
        (
            "Outreach volunteers' briefing",
            "Reunión informativa para voluntarios",
            ActivityKind.OTHER,
            month,
            _at(datetime.date(2027, 1, 7), (12, 0), (13, 0)),
            "Online",
            False,
            ActivityStatus.SCHEDULED,
            (0, 0, []),
        ),
        (
            "Bus campaign launch with the transit district",
            "Lanzamiento de la campaña en autobuses",
            ActivityKind.MEDIA,
            buses,
            _at(datetime.date(2026, 11, 10), (10, 0), (11, 0)),
            "Concord BART station",
            True,
            ActivityStatus.HELD,
            (
                60,
                0,
                [
                    (Language.ENGLISH, "Know the signs: labor trafficking card", 150),
                    (Language.SPANISH, "Conozca las señales: tarjeta sobre trata laboral", 120),
                ],
            ),
        ),
        (
            "SB 1193 poster outreach, January 2026",
            "Visitas a negocios con el aviso SB 1193, enero de 2026",
            ActivityKind.POSTER_OUTREACH,
            None,
            _at(datetime.date(2026, 1, 16), (10, 0), (15, 0)),
            "Pittsburg and Bay Point",
            True,
            ActivityStatus.HELD,
            (
                0,
                48,
                [
                    (Language.ENGLISH, "SB 1193 hotline notice (English)", 52),
                    (Language.SPANISH, "SB 1193 hotline notice (Spanish)", 41),
                    (Language.VIETNAMESE, None, 6),
                ],
            ),
        ),
    ]
    added = 0
    for title, title_es, kind, campaign, when, location, public, status, reach in activities:
        if Activity.objects.filter(title=title).exists():
            continue
        people, businesses, distributed = reach
        activity = Activity.objects.create(
            title=title,
            title_es=title_es,
            kind=kind,
            campaign=campaign,
            location=location,
            is_public=public,
            status=status,
            people_reached=people,
            businesses_contacted=businesses,
            language=Language.ENGLISH,
            **when,
        )
        MaterialDistribution.objects.bulk_create(
            MaterialDistribution(
                activity=activity,
                language=language,
                material=materials.get(material) if material else None,
                quantity=quantity,
            )
            for language, material, quantity in distributed
        )
        added += 1
    if added:
        yield f"Awareness: {added} activities, {len(materials)} materials."
