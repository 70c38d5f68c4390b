"""Every model, imported in one place for Alembic and the test-suite."""
from .alliances.models import Unit  # noqa: F401
from .areas.models import Area, Household, Stairwell  # noqa: F401
from .audit.models import AuditEvent  # noqa: F401
from .auth.models import AuthSession  # noqa: F401
from .core.idempotency import IdempotencyRecord  # noqa: F401
from .people.models import HouseholdClaim, Resident, ResidentTag, User  # noqa: F401
from .verification.models import SmsCode  # noqa: F401
