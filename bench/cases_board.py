"""The case board and "my cases" with 10,000 cases in one community, on SQLite and PostgreSQL.

Builds a fresh database per backend (migrated, the demo town, then 10,000 cases in 丽水湾 with their
timelines; 1 in 23 reported by the demo resident), then times requests in process (the Flask test
client: the server's own time, no network) and counts the SQL statements of each.
Prints p50/p95 per request and the statement counts at limit=20 and limit=100.

Usage: .venv/bin/python bench/cases_board.py [cases] [repeats]     (PostgreSQL when 127.0.0.1:5432 answers)
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "backend"))
sys.path.insert(0, str(ROOT))

REQUESTS = [  # label, who, path
    ("staff board, 20 newest", "13800000002", "/api/v1/cases?limit=20"),
    ("staff board, open + overdue", "13800000002", "/api/v1/cases?limit=20&status=submitted&status=accepted"
                                                   "&status=assigned&status=in_progress&overdue=true"),
    ("staff board, by grid", "13800000002", "/api/v1/cases?limit=20&area_id={grid}"),
    ("town: escalated to the town", "13800000001", "/api/v1/cases?limit=20&level=town"),
    ("resident: my cases", "13800000005", "/api/v1/cases?limit=20&mine=reported"),
    ("resident: one case", "13800000005", "/api/v1/cases/{mine}"),
    ("staff: statistics", "13800000002", "/api/v1/cases/stats"),
]


def build(url: str, cases: int):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("ARGON2_MEMORY_COST", "8192")
    os.environ.setdefault("ARGON2_TIME_COST", "1")
    from alembic import command
    from sqlalchemy import event, func, select

    from steward import create_app
    from steward.cases.demo import seed_cases
    from steward.cli import alembic_config
    from steward.config import Config
    from steward.db import db, unit_of_work
    from steward.demo.seed import seed_demo

    class BenchConfig(Config):
        DATABASE_URL = url
        LOG_LEVEL = "WARNING"
        LOGIN_LIMIT_PER_IP = 10_000

    command.upgrade(alembic_config(url), "head")
    app = create_app(BenchConfig)
    t0 = time.perf_counter()
    with app.app_context(), unit_of_work(write=True):
        seed_demo()
        seed_cases(db.session, per_community={"LSW": cases})
    if url.startswith("postgresql"):  # fresh statistics, as autovacuum would have them after a bulk load
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    built = time.perf_counter() - t0
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    from steward.areas.models import Area
    from steward.cases.models import Case
    from steward.people.models import User

    with app.app_context():
        grid = db.session.scalar(select(Area.id).where(Area.code == "LSW-G01"))
        resident = db.session.scalar(select(User.id).where(User.phone == "13800000005"))
        mine = db.session.scalar(select(Case.id).where(Case.reporter_id == resident))
        total = db.session.scalar(select(func.count()).select_from(Case))
    return app, statements, {"grid": grid, "mine": mine}, built, total


def measure(app, statements, ids, repeats: int) -> list[tuple]:
    client = app.test_client()
    tokens = {}
    rows = []
    for label, who, path in REQUESTS:
        if who not in tokens:
            r = client.post("/api/v1/auth/login", json={"phone": who, "password": "Steward@2026"})
            tokens[who] = {"Authorization": "Bearer " + r.get_json()["access_token"]}
        url = path.format(**ids)
        client.get(url, headers=tokens[who])  # warm
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            r = client.get(url, headers=tokens[who])
            times.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200, (url, r.status_code, r.get_json())
        counts = []
        for limit in ("20", "100"):
            statements.clear()
            client.get(url.replace("limit=20", f"limit={limit}"), headers=tokens[who])
            counts.append(len(statements))
        times.sort()
        rows.append((label, statistics.median(times), times[int(len(times) * 0.95) - 1], counts[0], counts[1]))
    return rows


def run_one(url: str, cases: int, repeats: int) -> None:
    name = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    app, statements, ids, built, total = build(url, cases)
    print(f"\n{name}: {total} cases in the database ({cases} in 丽水湾), built in {built:.0f} s; "
          f"{repeats} requests each, in process")
    print(f"  {'request':<32} {'p50 ms':>8} {'p95 ms':>8} {'SQL@20':>7} {'SQL@100':>8}")
    for label, p50, p95, c20, c100 in measure(app, statements, ids, repeats):
        print(f"  {label:<32} {p50:>8.1f} {p95:>8.1f} {c20:>7} {c100:>8}", flush=True)


def main() -> None:
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    if os.environ.get("BENCH_DATABASE_URL"):  # the child: one backend per process (one app, one engine)
        run_one(os.environ["BENCH_DATABASE_URL"], cases, repeats)
        return
    from tests.live_server import fresh_postgres, postgres_answers

    urls = [f"sqlite:///{tempfile.mkdtemp()}/bench.db"]
    if postgres_answers():
        urls.append(fresh_postgres("steward_bench_cases"))
    else:
        print("PostgreSQL at 127.0.0.1:5432 does not answer: SQLite only")
    for url in urls:
        subprocess.run([sys.executable, __file__, str(cases), str(repeats)],
                       env={**os.environ, "BENCH_DATABASE_URL": url}, check=True)


if __name__ == "__main__":
    main()
