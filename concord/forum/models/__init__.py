from concord.forum.models.forum import (
    Category,
    Post,
    PostReport,
    PostRevision,
    Subscription,
    SubscriptionMode,
    Thread,
)
from concord.forum.models.resources import (
    Resource,
    ResourceAudience,
    ResourceKind,
    ResourceLanguage,
    ResourceVisibility,
)

__all__ = [
    "Category",
    "Post",
    "PostReport",
    "PostRevision",
    "Resource",
    "ResourceAudience",
    "ResourceKind",
    "ResourceLanguage",
    "ResourceVisibility",
    "Subscription",
    "SubscriptionMode",
    "Thread",
]
