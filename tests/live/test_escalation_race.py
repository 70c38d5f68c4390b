"""The escalation job on PostgreSQL: two schedulers that read the same overdue case at the same time
raise it once — one deadline, one escalation, one event, one set of notifications."""
import os
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, func, select, update
from sqlalchemy.orm import Session

from ..live_server import ROOT, fresh_postgres, postgres_answers


@pytest.fixture(scope="module")
def pg_url():
    if not postgres_answers():
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL at 127.0.0.1:5432 does not answer and CI=true")
        pytest.skip("PostgreSQL at 127.0.0.1:5432 does not answer")
    url = fresh_postgres(os.environ.get("PG_LIVE_DB", "steward_live_test") + "_escalation")
    env = {**os.environ, "DATABASE_URL": url, "ARGON2_MEMORY_COST": "8192", "ARGON2_TIME_COST": "1"}
    for cmd in ("migrate", "seed-demo"):
        subprocess.run([sys.executable, "-m", "steward", cmd], cwd=ROOT / "backend", env=env, check=True,
                       capture_output=True)
    return url


def test_two_schedulers_raise_an_overdue_case_once(pg_url):
    from steward.cases import service
    from steward.cases.models import OPEN_STATUSES, Case, CaseEvent
    from steward.db import utcnow
    from steward.notifications.models import Notification
    from steward.scope import SystemPrincipal

    engine = create_engine(pg_url)
    with Session(engine) as s:
        case_id = s.scalar(select(Case.id).where(Case.status.in_(OPEN_STATUSES), Case.level == "grid")
                           .order_by(Case.id).limit(1))
        s.execute(update(Case).where(Case.id == case_id).values(due_at=utcnow() - timedelta(minutes=1)))
        s.commit()
    both_read = threading.Barrier(2)
    results: list[bool] = []

    def scheduler() -> None:
        with Session(create_engine(pg_url)) as s:
            case = s.get(Case, case_id)  # both read the same overdue row…
            both_read.wait()
            raised = service.escalate(s, user=SystemPrincipal(reason="escalation"), case=case, automatic=True,
                                      reason="past its deadline")  # …and both try to raise it
            s.commit()
            results.append(raised)

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == [False, True]
    with Session(engine) as s:
        assert s.get(Case, case_id).level == "section"
        assert s.scalar(select(func.count()).select_from(CaseEvent).where(
            CaseEvent.case_id == case_id, CaseEvent.kind == "escalated")) == 1
        sent = s.scalars(select(Notification.user_id).where(Notification.subject_id == case_id,
                                                            Notification.kind == "case.escalated")).all()
        assert len(sent) == len(set(sent)) >= 1
    engine.dispose()
