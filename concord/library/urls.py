# Each views module lists its own patterns; concord/library/urls.py gathers them.
app_name = "library"
urlpatterns: list = []
