from concord.library.views import browse, edit

# Each views module lists its own patterns; concord/library/urls.py gathers them.
app_name = "library"
urlpatterns = [*edit.urls, *browse.urls]
