from concord.reports.views import urls

# Each views module lists its own patterns; concord/reports/urls.py gathers them.
app_name = "reports"
urlpatterns = [*urls]
