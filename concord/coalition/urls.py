from django.urls import path

from concord.coalition import views

app_name = "coalition"
urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("get-help/", views.get_help, name="get-help"),
    path("membership/", views.membership, name="membership"),
    path("manage/coalition/", views.coalition_edit, name="coalition-edit"),
]
