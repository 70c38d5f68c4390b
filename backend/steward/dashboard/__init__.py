"""The dashboard for staff (their community) and town staff (the town): coverage, and sections that
the domains contribute (see :mod:`steward.dashboard.registry`)."""
