from concord.core import views_mail

app_name = "core"
urlpatterns = [*views_mail.urls]
