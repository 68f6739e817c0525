# Each views module lists its own patterns; concord/assistance/urls.py gathers them.
app_name = "assistance"
urlpatterns: list = []
