"""``python -m steward``: migrate, seed the demo town, write the OpenAPI document, serve."""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from .config import REPO_ROOT, Config

BACKEND = Path(__file__).resolve().parents[1]


def alembic_config(url: str | None = None):
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig(str(BACKEND / "alembic.ini"))
    cfg.set_main_option("script_location", str(BACKEND / "migrations"))
    cfg.set_main_option("sqlalchemy.url", (url or Config.DATABASE_URL).replace("%", "%%"))
    return cfg


def migrate(url: str | None = None) -> None:
    from alembic import command

    url = url or Config.DATABASE_URL
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), "head")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="steward")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("migrate", help="apply database migrations (alembic upgrade head)")
    sub.add_parser("seed-demo", help="load the 庄行镇 demo data (idempotent)")
    p = sub.add_parser("openapi", help="write openapi.yaml")
    p.add_argument("--output", default=str(REPO_ROOT / "openapi.yaml"))
    sub.add_parser("rekey", help="re-encrypt personal data under the current DATA_KEY (after a rotation)")
    p = sub.add_parser("create-admin", help="create a platform admin for the town")
    p.add_argument("--phone", required=True)
    p.add_argument("--name", default="管理员")
    p = sub.add_parser("serve", help="serve API and SPA with waitress, and run the job worker beside it")
    p.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    p.add_argument("--no-worker", action="store_true", help="do not start the job worker (SERVE_WORKER=0)")
    p = sub.add_parser("worker", help="run the background job worker (Huey consumer with its scheduler)")
    p.add_argument("--workers", type=int, default=None, help="worker threads (default HUEY_WORKERS)")
    p.add_argument("--no-periodic", action="store_true", help="do not run periodic jobs from this worker")
    p.add_argument("--parent-pid", type=int, default=None, help=argparse.SUPPRESS)
    p = sub.add_parser("enqueue", help="queue a background job by name (see `worker` for the names)")
    p.add_argument("name")
    p.add_argument("args", nargs="*", help="arguments, each read as JSON when it parses (else a string)")
    p.add_argument("--now", action="store_true", help="run it here and now instead of queueing it")
    p.add_argument("--times", type=int, default=1, help="queue it this many times (a key still runs it once)")
    args = parser.parse_args(argv)

    if args.cmd == "migrate":
        migrate()
        print("database is at the latest migration")
        return

    from .app import create_app
    from .db import unit_of_work

    app = create_app()
    with app.app_context():
        if args.cmd == "seed-demo":
            from .demo.seed import seed_demo

            with unit_of_work(write=True):
                summary = seed_demo()
            print(summary)
        elif args.cmd == "openapi":
            from .openapi import build_spec, to_yaml

            Path(args.output).write_text(to_yaml(build_spec(app)), encoding="utf-8")
            print(f"wrote {args.output}")
        elif args.cmd == "rekey":
            from .db import db
            from .people.pii import keyring, rekey

            with unit_of_work(write=True):
                changed = rekey(db.session.connection(), keyring())
            print(f"re-encrypted {changed} ID-card numbers under key {keyring().key_id}")
        elif args.cmd == "create-admin":
            from .demo.seed import create_admin

            password = os.environ.get("STEWARD_ADMIN_PASSWORD") or getpass.getpass("password: ")
            with unit_of_work(write=True):
                create_admin(phone=args.phone, name=args.name, password=password)
            print("admin created")
        elif args.cmd == "serve":
            import signal

            from .jobs.worker import worker_beside

            def _stop(_signum, _frame):
                from .notifications.live import end_streams

                end_streams(app)  # open event streams would hold waitress's threads past its shutdown wait
                raise SystemExit(0)  # waitress returns; the worker beside it is stopped on the way out

            signal.signal(signal.SIGTERM, _stop)
            with_worker = app.config["SERVE_WORKER"] and not args.no_worker and not app.config["HUEY_IMMEDIATE"]
            print(f"Steward 红管家 on http://{args.host}:{args.port}  (API docs: /api/docs)"
                  + ("" if with_worker else "  [no job worker]"), flush=True)
            with worker_beside(with_worker):
                from .server import serve

                serve(app, host=args.host, port=args.port)
        elif args.cmd == "worker":
            from .jobs.worker import run_worker

            run_worker(app, workers=args.workers, periodic=not args.no_periodic, parent_pid=args.parent_pid)
        elif args.cmd == "enqueue":
            import json

            from .jobs import registered

            jobs = registered()
            if args.name not in jobs:
                sys.exit(f"no job {args.name!r}; known: {', '.join(sorted(jobs))}")
            values = []
            for raw in args.args:
                try:
                    values.append(json.loads(raw))
                except ValueError:
                    values.append(raw)
            if args.now:
                print(jobs[args.name].run_now(*values))
            else:
                for _ in range(args.times):
                    jobs[args.name](*values)
                print(f"queued {args.name}" + (f" {args.times} times" if args.times > 1 else ""))
    sys.exit(0)
