"""Every state change of referrals, split by concern; each one audited without client
information."""
