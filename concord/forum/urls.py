# Each views module lists its own patterns; concord/forum/urls.py gathers them.
app_name = "forum"
urlpatterns: list = []
