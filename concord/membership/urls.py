from concord.membership.views import apply, apply_steps, renewal, review

# Each views module lists its own patterns: the public application, the review pages
# and renewal grow apart without editing one shared list.
app_name = "membership"
urlpatterns = [*apply.urls, *apply_steps.urls, *review.urls, *renewal.urls]
