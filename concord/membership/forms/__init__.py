"""Forms of membership: the public application (apply) and the review pages (review)."""
