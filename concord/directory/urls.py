from django.urls import path

from concord.directory import views, views_listings

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
]
