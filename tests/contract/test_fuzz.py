"""Contract fuzzing: schemathesis generates requests from openapi.yaml and checks every answer against
it — in process (WSGI), as each demo role, NUL bytes allowed, every check but positive-data acceptance
(valid-looking data may still be refused, e.g. a household of another community). Deterministic:
a fixed seed and derandomized Hypothesis. `make test-fuzz` runs it on SQLite and PostgreSQL."""
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from steward.demo.seed import DEMO_PASSWORD

from ..backend.conftest import PHONES
from .conftest import COVERED

ROLES = ["admin", "town", "lsw_staff", "volunteer", "resident", "partner"]

ROOT = Path(__file__).resolve().parents[2]
CONFIG = schemathesis.Config.from_dict({
    "seed": 20261127,
    "generation": {"max-examples": 10, "allow-x00": True, "codec": "utf-8"},
    # RFC 6585: a missing If-Match is 428 Precondition Required.
    "checks": {"missing_required_header": {"expected-statuses": [400, 401, 403, 406, 415, 422, 428]}},
})
# openapi.yaml is the contract (a test keeps it equal to what the code generates).
schema = schemathesis.openapi.from_path(ROOT / "openapi.yaml", config=CONFIG)


class _App:
    """The WSGI app schemathesis calls in process; the session's test app, bound by ``_bind``."""

    target = None

    def __call__(self, environ, start_response):
        return self.target(environ, start_response)


schema.app = _App()


@pytest.fixture(scope="session", autouse=True)
def _bind(app):
    schema.app.target = app


@pytest.fixture
def tokens(app):
    """Fresh sign-ins per operation, inside its rolled-back transaction: a fuzzed logout, password
    change or role change cannot leak into the next operation."""
    client = app.test_client()
    out = {}
    for role in ROLES:
        r = client.post("/api/v1/auth/login", json={"phone": PHONES[role], "password": DEMO_PASSWORD})
        assert r.status_code == 200, r.get_json()
        out[role] = r.get_json()["access_token"]
    return out


@schema.parametrize()
@settings(deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_api(case, tokens):
    # Each generated case goes out as the next role in turn: every role meets every operation, and
    # the run stays within a few minutes.
    role = ROLES[sum(COVERED[case.operation.label].values()) % len(ROLES)]
    response = case.call_and_validate(headers={"Authorization": f"Bearer {tokens[role]}"},
                                      excluded_checks=[positive_data_acceptance])
    COVERED[case.operation.label][role, response.status_code] += 1
