from django.urls import path

from concord.agencies import views

app_name = "agencies"
urlpatterns = [
    path("manage/agencies/", views.agency_list, name="agency-list"),
    path("manage/agencies/new/", views.agency_create, name="agency-create"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency-detail"),
    path("agencies/<int:pk>/edit/", views.agency_edit, name="agency-edit"),
    path("manage/agencies/<int:pk>/status/", views.agency_status, name="agency-status"),
]
