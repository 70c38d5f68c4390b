"""Every model, imported in one place for Alembic and the test-suite."""
from . import domains
from .core.idempotency import IdempotencyRecord  # noqa: F401
from .jobs.models import JobRun  # noqa: F401

domains.load("models")
domains.load("access")  # every scoped model has its read rule registered beside it
