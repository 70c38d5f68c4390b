"""Background jobs in immediate mode: unit of work, system principal, done keys, retries, after-commit,
periodic slots, housekeeping and the Huey configuration."""
from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from steward.auth.models import AuthSession
from steward.core.idempotency import IdempotencyRecord
from steward.db import unit_of_work, utcnow
from steward.jobs import get_huey, is_done, job, periodic_job
from steward.jobs.models import JobRun
from steward.jobs.runtime import SLOT, huey_file, make_huey
from steward.jobs.tasks import purge_expired
from steward.people.models import User
from steward.scope import SYSTEM

seen: list[dict] = []
failures = {"left": 0}


def _mark(session, mark: str) -> None:
    session.add(IdempotencyRecord(principal="job-test", key=mark, fingerprint="-"))
    session.flush()


def _marks(session, mark: str) -> int:
    return session.scalar(select(func.count()).select_from(IdempotencyRecord).where(IdempotencyRecord.key == mark))


@job
def write_mark(ctx, mark: str):
    seen.append({"name": ctx.name, "role": ctx.principal.role, "reason": ctx.principal.reason,
                 "session": ctx.session})
    _mark(ctx.session, mark)
    return mark


@job(key="mark-once:{mark}")
def write_mark_once(ctx, mark: str, fail: bool = False):
    _mark(ctx.session, mark)
    if fail:
        raise RuntimeError("boom after writing")


@job(retries=2, retry_delay=0)
def flaky(ctx, mark: str):
    if failures["left"] > 0:
        failures["left"] -= 1
        raise ConnectionError("not yet")
    seen.append({"attempt": ctx.attempt})
    _mark(ctx.session, mark)


@job
def each_once(ctx, prefix: str, items: list[int]):
    done = [i for i in items if ctx.once(f"{prefix}:{i}")]
    for i in done:
        _mark(ctx.session, f"{prefix}:{i}")
    return done


@job
def copy_mark(ctx, src: str, dst: str):
    assert _marks(ctx.session, src) == 1
    _mark(ctx.session, dst)


@periodic_job("0 8 * * *")
def morning(ctx, mark: str = "morning"):
    _mark(ctx.session, f"{mark}@{ctx.slot}")


@pytest.fixture(autouse=True)
def _reset():
    seen.clear()
    failures["left"] = 0


def test_a_job_runs_in_its_own_unit_of_work_as_the_system(session):
    assert write_mark("a1").get() == "a1"  # immediate mode: already ran
    assert _marks(session, "a1") == 1
    assert seen == [{"name": "tests.backend.test_jobs.write_mark", "role": SYSTEM,
                     "reason": "tests.backend.test_jobs.write_mark", "session": seen[0]["session"]}]
    assert seen[0]["session"] is not session  # its own session, even when run in the caller's thread


def test_a_key_makes_the_job_run_once(session):
    key = f"k{uuid.uuid4().hex[:8]}"
    write_mark_once.run_now(key)
    write_mark_once.run_now(key)
    write_mark_once(key)
    assert _marks(session, key) == 1
    assert is_done(f"mark-once:{key}", session=session)


def test_a_failed_run_keeps_neither_its_writes_nor_its_key(session):
    key = f"f{uuid.uuid4().hex[:8]}"
    with pytest.raises(RuntimeError):
        write_mark_once.run_now(key, fail=True)
    assert _marks(session, key) == 0
    assert not is_done(f"mark-once:{key}", session=session)
    write_mark_once.run_now(key)  # the retry does the work
    assert _marks(session, key) == 1


class Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def job_log():
    logger, handler = logging.getLogger("steward.jobs"), Lines()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler.records
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_huey_retries_a_failing_job(session, job_log):
    failures["left"] = 2
    flaky("r1")
    assert _marks(session, "r1") == 1
    assert seen == [{"attempt": 3}]
    lines = [r.getMessage() for r in job_log]
    assert len(lines) == 3  # one line per run
    assert "attempt 1, retrying" in lines[0] and "ConnectionError: not yet" in lines[0]
    assert " ok in " in lines[2]


def test_a_job_that_gives_up_is_logged_with_its_error(session, job_log):
    failures["left"] = 5
    flaky("r2")
    assert _marks(session, "r2") == 0
    last = job_log[-1]
    assert last.levelname == "ERROR" and "attempt 3, giving up" in last.getMessage()


def test_once_claims_each_item_a_single_time(session):
    assert each_once.run_now("item", [1, 2, 3]) == [1, 2, 3]
    assert each_once.run_now("item", [2, 3, 4]) == [4]
    assert session.scalar(select(func.count()).select_from(JobRun).where(JobRun.key.startswith("item:"))) == 4


def test_after_commit_enqueues_only_when_the_unit_of_work_commits(app, session):
    with app.app_context():
        with unit_of_work(write=True):
            write_mark.after_commit("c1")
            assert seen == []  # not before the commit
        assert len(seen) == 1
        with pytest.raises(ZeroDivisionError), unit_of_work(write=True):
            write_mark.after_commit("c2")
            raise ZeroDivisionError
        with unit_of_work(write=True) as s:
            with s.begin_nested():  # releasing a SAVEPOINT is not a commit
                write_mark.after_commit("c3")
            assert len(seen) == 1
    assert [_marks(session, m) for m in ("c1", "c2", "c3")] == [1, 0, 1]


def test_a_job_queued_after_commit_sees_the_committed_rows(app, session):
    with app.app_context(), unit_of_work(write=True) as s:
        _mark(s, "src")
        copy_mark.after_commit("src", "dst")
    assert _marks(session, "dst") == 1


def test_periodic_runs_are_stamped_with_their_minute_in_town_time(session):
    huey = get_huey()
    due = [t.name for t in huey.read_periodic(datetime(2026, 11, 27, 0, 0))]  # 08:00 in Shanghai
    assert "morning" in due
    assert "morning" not in [t.name for t in huey.read_periodic(datetime(2026, 11, 27, 8, 0))]
    assert "purge_expired" in [t.name for t in huey.read_periodic(datetime(2026, 11, 27, 1, 17))]
    task = next(t for t in huey.read_periodic(datetime(2026, 11, 27, 0, 0, 31)) if t.name == "morning")
    assert task.kwargs == {SLOT: "2026-11-27T08:00"}
    # Two schedulers enqueue the same minute: it runs once.
    morning._run((), dict(task.kwargs), None)
    morning._run((), dict(task.kwargs), None)
    assert _marks(session, "morning@2026-11-27T08:00") == 1


def test_housekeeping_purges_what_has_expired(app, session):
    user = session.scalar(select(User).limit(1))
    now = utcnow()
    old_record = IdempotencyRecord(principal="p", key="old", fingerprint="-", created_at=now - timedelta(hours=25))
    new_record = IdempotencyRecord(principal="p", key="new", fingerprint="-", created_at=now - timedelta(hours=1))
    sessions = [AuthSession(id=str(uuid.uuid4()), user_id=user.id, refresh_jti=str(uuid.uuid4()),
                            expires_at=now - timedelta(days=days)) for days in (31, 29)]
    runs = [JobRun(key="hk-old", task="t", finished_at=now - timedelta(days=91)),
            JobRun(key="hk-new", task="t", finished_at=now - timedelta(days=89)),
            JobRun(key="periodic:x@old", task="t", finished_at=now - timedelta(days=3))]
    session.add_all([old_record, new_record, *sessions, *runs])
    session.commit()
    ids = [old_record.id, new_record.id], [s.id for s in sessions], [r.key for r in runs]

    out = purge_expired.run_now()
    assert out == "idempotency_records 1, auth_sessions 1, job_runs 2"
    session.expire_all()
    assert [session.get(IdempotencyRecord, i) is not None for i in ids[0]] == [False, True]
    assert [session.get(AuthSession, i) is not None for i in ids[1]] == [False, True]
    assert [is_done(k, session=session) for k in ids[2]] == [False, True, False]


def test_huey_is_configured_from_the_app_config(tmp_path):
    base = {"HUEY_NAME": "steward", "HUEY_IMMEDIATE": False, "REDIS_URL": "", "HUEY_FILE": "",
            "TIMEZONE": "Asia/Shanghai"}
    sqlite = {**base, "DATABASE_URL": f"sqlite:///{tmp_path / 'steward.db'}"}
    assert huey_file(sqlite) == str(tmp_path / "huey.db")
    huey = make_huey(sqlite)
    assert type(huey.storage).__name__ == "SqliteStorage" and huey.storage.filename == str(tmp_path / "huey.db")
    pg = {**base, "DATABASE_URL": "postgresql+psycopg://u@h:5432/town"}
    assert huey_file(pg).endswith("/var/huey-town.db")
    redis = {**pg, "REDIS_URL": "redis://127.0.0.1:6379/9"}
    assert type(make_huey(redis).storage).__name__ == "RedisStorage"
    immediate = make_huey({**redis, "HUEY_IMMEDIATE": True})
    assert immediate.immediate and type(immediate.storage).__name__ == "MemoryStorage"


def test_parameters_huey_would_take_for_itself_are_refused():
    def notify(ctx, id: int, delay: int):
        pass

    with pytest.raises(TypeError, match="delay, id"):
        job(notify)
