# Each views module lists its own patterns; concord/backups/urls.py gathers them.
from concord.backups import views

app_name = "backups"
urlpatterns = [*views.urlpatterns]
