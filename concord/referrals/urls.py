from django.urls import URLPattern, path  # noqa: F401  (the pages add their paths here)

from concord.referrals import views  # noqa: F401
from concord.referrals.views import (
    actions,
    consent,
    detail,
    figures,
    inbox,
    roles,
    sending,
)

app_name = "referrals"
urlpatterns: list[URLPattern] = []
# The receiving side, a referral's page, its answers and the figures (helper F).
urlpatterns += [*inbox.urls, *figures.urls, *detail.urls, *actions.urls]
# The sending side: sent referrals, drafts, consents and the referral role (helper E).
urlpatterns += [*sending.urls, *consent.urls, *roles.urls]
