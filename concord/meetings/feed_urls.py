"""The calendar feeds, included outside i18n_patterns in config/urls.py: their paths carry
no language, since calendar programs fetch them without a session or a language choice."""

from concord.meetings.views.calendar import feed_urls

urlpatterns = feed_urls
