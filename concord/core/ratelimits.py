"""Rate limits of the public forms, counted in the shared cache: per IP address per hour
and per email address per day (the membership application counts the same way)."""

import hashlib

from django.core.cache import cache
from django.http import HttpRequest

HOUR, DAY = 60 * 60, 24 * 60 * 60


def over_limit(key: str, limit: int, window: int) -> bool:
    """Count one more hit on ``key`` and say whether it went past ``limit`` in ``window``
    seconds."""
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def rate_limited(
    request: HttpRequest, scope: str, email: str, *, per_ip: int, per_address: int
) -> bool:
    """One more submit from this IP address (``per_ip`` an hour) and for this address
    (``per_address`` a day). The address is hashed: the cache holds no personal data."""
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    ip = request.META.get("REMOTE_ADDR", "")
    over_ip = over_limit(f"{scope}:ip:{ip}", per_ip, HOUR)
    over_address = over_limit(f"{scope}:address:{address}", per_address, DAY)
    return over_ip or over_address
