"""Every state change of membership: applicants' steps, review, decisions and terms."""
