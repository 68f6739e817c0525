from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from concord.core import views as core_views

handler403 = "concord.core.views.permission_denied"
handler404 = "concord.core.views.page_not_found"
handler500 = "concord.core.views.server_error"

# Paths outside i18n_patterns carry no language: machine endpoints only.
urlpatterns: list[URLPattern | URLResolver] = [
    path("health/", core_views.health, name="health"),
    path("health/ready", core_views.ready, name="health-ready"),
    path("", include("concord.meetings.feed_urls")),
    path("api/hsds/", include("concord.directory.api_urls")),
]

urlpatterns += i18n_patterns(
    path("", include("concord.coalition.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("concord.accounts.urls")),
    path("", include("concord.agencies.urls")),
    path("", include("concord.meetings.urls")),
    path("", include("concord.membership.urls")),
    path("", include("concord.directory.urls")),
    path("referrals/", include("concord.referrals.urls")),
    path("", include("concord.trainings.urls")),
    path("", include("concord.assistance.urls")),
    path("", include("concord.awareness.urls")),
    path("", include("concord.backups.urls")),
    path("", include("concord.library.urls")),
    path("", include("concord.forum.urls")),
    path("", include("concord.reports.urls")),
    path("", include("concord.core.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
