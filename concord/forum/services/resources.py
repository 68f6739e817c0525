"""Coordinators curate the resource library: coalition documents and external links.
Threads join it only by being shared as best practices (services/moderation.py)."""

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.audit.services import record_event
from concord.core import permissions
from concord.forum.models import Resource, ResourceKind

RESOURCE_FIELDS = (
    "kind",
    "title",
    "title_es",
    "summary",
    "summary_es",
    "audience",
    "language",
    "tags",
    "visibility",
    "document",
    "url",
)
EDITABLE_KINDS = (ResourceKind.DOCUMENT, ResourceKind.LINK)


def normalize_tags(tags: str) -> str:
    seen: dict[str, None] = {}
    for tag in tags.split(","):
        tag = " ".join(tag.split())
        if tag and tag.lower() not in (known.lower() for known in seen):
            seen[tag] = None
    return ", ".join(seen)


def _check(resource: Resource) -> None:
    """The kind decides which target is set; external links are http or https only."""
    if resource.kind not in EDITABLE_KINDS:
        raise ValidationError({"kind": _("Choose a document or an external link.")})
    if resource.kind == ResourceKind.DOCUMENT:
        resource.url = ""
        if resource.document_id is None:
            raise ValidationError({"document": _("Choose the document.")}, code="required")
    else:
        resource.document = None
        if not resource.url:
            raise ValidationError({"url": _("Enter the web address.")}, code="required")
        if urlsplit(resource.url).scheme.lower() not in ("http", "https"):
            raise ValidationError({"url": _("Links must start with http or https.")}, code="scheme")
    resource.tags = normalize_tags(resource.tags)
    resource.full_clean(exclude=["created_by", "thread"])


def _require_manager(actor: User) -> None:
    if not permissions.can_manage_resources(actor):
        raise ValidationError(_("Only coordinators curate the resources."), code="forbidden")


@transaction.atomic
def create_resource(*, actor: User, values: Mapping[str, Any]) -> Resource:
    _require_manager(actor)
    resource = Resource(
        created_by=actor, **{name: values[name] for name in RESOURCE_FIELDS if name in values}
    )
    _check(resource)
    resource.save()
    record_event(actor=actor, action="concord.resource.created", target=resource)
    return resource


@transaction.atomic
def update_resource(*, actor: User, resource: Resource, values: Mapping[str, Any]) -> Resource:
    """Edit a resource. A shared thread keeps its kind, thread and visibility: only its
    words change here."""
    _require_manager(actor)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    fields: tuple[str, ...] = RESOURCE_FIELDS
    if resource.kind == ResourceKind.THREAD:
        fields = ("title", "title_es", "summary", "summary_es", "audience", "language", "tags")
    changed = [
        name for name in fields if name in values and getattr(resource, name) != values[name]
    ]
    for name in changed:
        setattr(resource, name, values[name])
    if resource.kind == ResourceKind.THREAD:
        resource.tags = normalize_tags(resource.tags)
        resource.full_clean(exclude=["created_by"])
    else:
        _check(resource)
    resource.save()
    record_event(
        actor=actor, action="concord.resource.updated", target=resource, data={"fields": changed}
    )
    return resource


@transaction.atomic
def remove_resource(*, actor: User, resource: Resource) -> None:
    """Remove a resource from the library. A shared thread is unshared instead, so the
    thread's mark and the library agree."""
    _require_manager(actor)
    if resource.kind == ResourceKind.THREAD and resource.thread is not None:
        from concord.forum.services.moderation import set_best_practice

        set_best_practice(actor=actor, thread=resource.thread, shared=False)
        return
    record_event(actor=actor, action="concord.resource.removed", target=resource)
    resource.delete()
