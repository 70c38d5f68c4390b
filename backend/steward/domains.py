"""The enabled domains. A domain is a package ``steward.<name>`` with, as it needs them:
``models`` (tables), ``messages`` (its Chinese strings), ``access`` (its scope rules), ``api`` (its
routes), ``tasks`` (its background jobs) and an ``init_app(app)`` for anything else.
Adding a domain is one line here."""
from __future__ import annotations

from importlib import import_module
from types import ModuleType

ENABLED = (
    "areas", "people", "auth", "verification", "audit", "alliances", "notifications", "gallery", "cases", "care",
    "projects", "services", "activities", "partners", "open311",
    "webhooks",
    "notices",
    "topics", "questions",
    "forms", "privacy", "dashboard",
)
PARTS = ("models", "messages", "access", "api", "tasks")


def _optional(name: str) -> ModuleType | None:
    try:
        return import_module(name)
    except ModuleNotFoundError as e:
        if e.name != name:  # a real import error inside the module
            raise
        return None


def load(part: str) -> list[ModuleType]:
    """Import ``part`` (e.g. ``"models"``) of every enabled domain that has it."""
    return [m for m in (_optional(f"steward.{d}.{part}") for d in ENABLED) if m is not None]


def init_app(app) -> None:
    for part in PARTS:
        load(part)
    for name in ENABLED:
        package = import_module(f"steward.{name}")
        if hasattr(package, "init_app"):
            package.init_app(app)
