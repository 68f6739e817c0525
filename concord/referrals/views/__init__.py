"""The referral pages, one module per area."""
