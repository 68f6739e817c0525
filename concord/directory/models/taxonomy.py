"""Taxonomies and their terms, and the two HSDS tables that point at any record by id:
attribute (a taxonomy term applied to a record) and metadata (its change history)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from concord.core.sensitivity import classify
from concord.directory.models.base import HsdsModel


class Taxonomy(HsdsModel):
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"))
    uri = models.CharField(max_length=500, blank=True)
    version = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = _("taxonomies")

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(HsdsModel):
    code = models.CharField(max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    # HSDS has both a free-text `taxonomy` and a `taxonomy_id`; the foreign key takes the
    # name of its nested form, `taxonomy_detail`, while keeping the column `taxonomy_id`.
    taxonomy = models.CharField(max_length=300, blank=True)
    taxonomy_detail = models.ForeignKey(
        Taxonomy,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_column="taxonomy_id",
        related_name="terms",
    )
    language = models.CharField(max_length=16, blank=True)
    term_uri = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["code"], name="directory_term_code_idx")]

    def __str__(self) -> str:
        return self.name


class Attribute(HsdsModel):
    # A plain id and table name, as HSDS has them, rather than a generic foreign key:
    # the linked record may be in any of the tables, or outside the directory.
    link_id = models.UUIDField(db_index=True)
    taxonomy_term = models.ForeignKey(
        TaxonomyTerm, on_delete=models.CASCADE, related_name="attributes"
    )
    link_type = models.CharField(max_length=200, blank=True)
    link_entity = models.CharField(max_length=64, blank=True)
    value = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.link_entity} {self.link_id}: {self.taxonomy_term_id}"


class Metadata(HsdsModel):
    resource_id = models.UUIDField(db_index=True)
    resource_type = models.CharField(max_length=64)
    last_action_date = models.DateTimeField()
    last_action_type = models.CharField(max_length=64)
    field_name = models.CharField(max_length=200)
    previous_value = models.TextField(blank=True)
    replacement_value = models.TextField(blank=True)
    updated_by = models.CharField(max_length=200)

    class Meta:
        verbose_name_plural = _("metadata")

    def __str__(self) -> str:
        return f"{self.resource_type} {self.resource_id} {self.field_name}"


classify("directory.taxonomy", public=("id", "name", "description", "uri", "version"))
classify(
    "directory.taxonomyterm",
    public=(
        "id",
        "code",
        "name",
        "description",
        "parent",
        "taxonomy",
        "taxonomy_detail",
        "language",
        "term_uri",
    ),
)
classify(
    "directory.attribute",
    public=("id", "link_id", "taxonomy_term", "link_type", "link_entity", "value"),
)
# Change history may hold a confidential location's old address and names the editor:
# it never appears in public output.
classify(
    "directory.metadata",
    internal=(
        "id",
        "resource_id",
        "resource_type",
        "last_action_date",
        "last_action_type",
        "field_name",
        "previous_value",
        "replacement_value",
        "updated_by",
    ),
)
