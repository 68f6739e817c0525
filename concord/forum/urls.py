from concord.forum.views import forum, moderation, resources

# Each views module lists its own patterns, so the forum, its moderation and the resource
# library can grow without editing one shared list.
app_name = "forum"
urlpatterns = [
    *forum.urls,
    *moderation.urls,
    *resources.urls,
]
