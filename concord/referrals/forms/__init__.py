"""The referral forms, one module per area."""
