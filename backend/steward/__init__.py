"""Steward (红管家): the residents' committee in your pocket.

A JWT-secured REST API under ``/api/v1`` for residents, grids, alliances, services and bookings of a
town's neighbourhood governance, plus the static single-page app that consumes it. Domains live in
sub-packages (``areas``, ``people``, ``auth``, ``audit``, …), each with ``models``, ``schemas``,
``service`` and ``api`` modules; ``scope`` decides who sees what; ``core`` holds the conventions.
"""
from .app import create_app

__all__ = ["create_app"]
