"""Audit: an append-only record of who read or changed what, when, from where."""
