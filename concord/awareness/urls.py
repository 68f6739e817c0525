from concord.awareness.views import manage, public

# Each views module lists its own patterns; concord/awareness/urls.py gathers them.
app_name = "awareness"
urlpatterns = [*manage.urls, *public.urls]
