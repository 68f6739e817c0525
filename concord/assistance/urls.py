from concord.assistance.views import figures, manage, public

# Each views module lists its own patterns; this file gathers them.
app_name = "assistance"
urlpatterns = [*public.urls, *manage.urls, *figures.urls]
