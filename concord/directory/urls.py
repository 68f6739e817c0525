from django.urls import path

from concord.directory import views

app_name = "directory"
urlpatterns = [
    path("services/", views.service_search, name="service-search"),
    path("services/sheet/", views.resource_sheet, name="resource-sheet"),
    path("services/<uuid:pk>/", views.service_detail, name="service-detail"),
]
