from django.urls import URLPattern

from concord.trainings.views import (
    attendance,
    catalogue,
    certificates,
    evaluations,
    figures,
    manage,
    registration,
)

# Each views module lists its own patterns; concord/trainings/urls.py gathers them.
app_name = "trainings"
urlpatterns: list[URLPattern] = [
    *catalogue.urls,
    *registration.urls,
    *manage.urls,
    *attendance.urls,
    *certificates.urls,
    *evaluations.urls,
    *figures.urls,
]
