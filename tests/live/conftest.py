"""Tests against the running server, on SQLite and on PostgreSQL (when it answers; required under CI=true)."""
import os

import pytest

from ..live_server import fresh_postgres, live_server, postgres_answers


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'steward.db'}"
    elif postgres_answers():
        url = fresh_postgres(os.environ.get("PG_LIVE_DB", "steward_live_test"))
    elif os.environ.get("CI") == "true":
        pytest.fail("PostgreSQL at 127.0.0.1:5432 does not answer and CI=true")
    else:
        pytest.skip("PostgreSQL at 127.0.0.1:5432 does not answer")
    with live_server(url) as base:
        yield base
