# Each views module lists its own patterns; concord/backups/urls.py gathers them.
app_name = "backups"
urlpatterns: list = []
