# Each views module lists its own patterns; concord/trainings/urls.py gathers them.
app_name = "trainings"
urlpatterns: list = []
