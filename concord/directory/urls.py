from django.urls import path

from concord.directory import (
    views,
    views_imports,
    views_listings,
    views_locations,
    views_organizations,
)

app_name = "directory"
urlpatterns = [
    path("services/", views.service_search, name="service-search"),
    path("services/sheet/", views.resource_sheet, name="resource-sheet"),
    path("services/<uuid:pk>/", views.service_detail, name="service-detail"),
    # Directory editing (issue 5).
    path("listings/", views_listings.listing_list, name="listing-list"),
    path("listings/new/", views_listings.listing_create, name="listing-create"),
    path("listings/<uuid:pk>/edit/", views_listings.listing_edit, name="listing-edit"),
    path("listings/<uuid:pk>/verify/", views_listings.listing_verify, name="listing-verify"),
    path("changes/<int:pk>/", views_listings.change_detail, name="change-detail"),
    path("changes/<int:pk>/publish/", views_listings.change_publish, name="change-publish"),
    path("changes/<int:pk>/reject/", views_listings.change_reject, name="change-reject"),
    # Locations, and coordinators' choice of organization and agency links (issue 5).
    path(
        "listings/organizations/",
        views_organizations.organization_list,
        name="organization-list",
    ),
    path(
        "listings/organizations/<uuid:pk>/",
        views_listings.organization_listings,
        name="organization-listings",
    ),
    path(
        "listings/organizations/<uuid:pk>/services/new/",
        views_listings.organization_service_create,
        name="organization-service-create",
    ),
    path(
        "listings/organizations/<uuid:pk>/locations/new/",
        views_locations.location_create,
        name="location-create",
    ),
    path("listings/locations/<uuid:pk>/edit/", views_locations.location_edit, name="location-edit"),
    path(
        "listings/agencies/<int:pk>/organization/",
        views_organizations.agency_organization,
        name="agency-organization",
    ),
    path(
        "listings/agencies/<int:pk>/organization/unlink/",
        views_organizations.agency_organization_unlink,
        name="agency-organization-unlink",
    ),
    # Imports of HSDS data by upload (issue 5).
    path("listings/imports/", views_imports.import_list, name="import-list"),
    path("listings/imports/new/", views_imports.import_create, name="import-create"),
    path("listings/imports/<int:pk>/", views_imports.import_detail, name="import-detail"),
]
