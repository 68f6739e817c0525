import datetime
import io

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from concord.awareness.models import (
    Activity,
    ActivityKind,
    Audience,
    Campaign,
    Language,
    Material,
    MaterialKind,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes(*, metadata: bool = False) -> bytes:
    """A real 2x2 PNG, with a text chunk naming a place when ``metadata``."""
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    if metadata:
        info.add_text("Location", "Secret Street 1")
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    title = factory.Sequence(lambda n: f"Campaign {n}")
    summary = "Raising awareness of trafficking."
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=30))
    audiences = factory.LazyFunction(lambda: [Audience.GENERAL_PUBLIC])
    languages = factory.LazyFunction(lambda: [Language.ENGLISH, Language.SPANISH])
    is_public = True


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    title = factory.Sequence(lambda n: f"Activity {n}")
    kind = ActivityKind.COMMUNITY_EVENT
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    time_zone = "America/Los_Angeles"
    location = "Todos Santos Plaza, Concord"
    is_public = True


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    title = factory.Sequence(lambda n: f"Poster {n}")
    kind = MaterialKind.POSTER
    language = Language.ENGLISH
    audience = Audience.GENERAL_PUBLIC
    is_public = True
    content_type = "application/pdf"
    file_size = len(PDF)
    file = factory.LazyFunction(lambda: ContentFile(PDF, name="material"))
