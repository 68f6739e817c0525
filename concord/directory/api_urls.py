"""The HSDS API, included outside i18n_patterns in config/urls.py: it is language-neutral,
and machines fetch it without a session or a language choice."""

from django.urls import path

from concord.directory import api

app_name = "hsds"

# No trailing slashes: the paths are HSDS's own (/services/{id}), which clients build.
urlpatterns = [
    path("", api.api_root, name="root"),
    path("openapi.json", api.openapi, name="openapi"),
    path("services", api.service_list, name="service-list"),
    path("services/<str:pk>", api.service_detail, name="service-detail"),
    path("organizations", api.organization_list, name="organization-list"),
    path("organizations/<str:pk>", api.organization_detail, name="organization-detail"),
    path("service_at_locations", api.service_at_location_list, name="service-at-location-list"),
    path(
        "service_at_locations/<str:pk>",
        api.service_at_location_detail,
        name="service-at-location-detail",
    ),
    path("taxonomies", api.taxonomy_list, name="taxonomy-list"),
    path("taxonomies/<str:pk>", api.taxonomy_detail, name="taxonomy-detail"),
    path("taxonomy_terms", api.taxonomy_term_list, name="taxonomy-term-list"),
    path("taxonomy_terms/<str:pk>", api.taxonomy_term_detail, name="taxonomy-term-detail"),
]
