from django.urls import path

from concord.accounts import views

app_name = "accounts"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("manage/people/", views.person_list, name="person-list"),
    path("manage/people/new/", views.person_invite, name="person-invite"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("manage/people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("manage/people/<int:pk>/active/", views.person_active, name="person-active"),
]
