"""Run code when the current database transaction commits, or when it does not.

A job enqueued from a request must not start before the rows it reads are committed (nor at all if
they are rolled back); a photo written to storage must be deleted again if the row that refers to
it never commits. Both hang on the *outermost* transaction of the session: a SAVEPOINT released
inside it is not a commit, and a root transaction that ends any other way (rollback, close) runs
the rollback hooks.

    on_commit(lambda: notify.enqueue(case.id))
    on_rollback(lambda: storage.delete(key))
"""
from __future__ import annotations

import logging
from typing import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

log = logging.getLogger("steward.txhooks")
_KEY = "steward.txhooks"


def _hooks(session: Session) -> dict[str, list[Callable[[], object]]]:
    if not session.in_transaction():
        # Hooks belong to a transaction: begin one now so that its end (commit or not) is seen.
        session.begin()
    return session.info.setdefault(_KEY, {"commit": [], "rollback": []})


def _session(session: Session | None) -> Session:
    if session is not None:
        return session
    from ..db import db

    return db.session


def on_commit(fn: Callable[[], object], *, session: Session | None = None) -> None:
    """Call ``fn()`` after the current transaction commits; forget it if the transaction does not."""
    _hooks(_session(session))["commit"].append(fn)


def on_rollback(fn: Callable[[], object], *, session: Session | None = None) -> None:
    """Call ``fn()`` if the current transaction ends without committing (rollback, error, close)."""
    _hooks(_session(session))["rollback"].append(fn)


def _run(kind: str, hooks: list[Callable[[], object]]) -> None:
    for fn in hooks:
        try:
            fn()
        except Exception:  # noqa: BLE001 - the transaction is over; one failing hook must not stop the others
            log.exception("%s hook %r failed", kind, fn)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a SAVEPOINT was released: not a commit yet
        return
    hooks = session.info.pop(_KEY, None)
    if hooks:
        _run("commit", hooks["commit"])


@event.listens_for(Session, "after_transaction_end")
def _after_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return
    hooks = session.info.pop(_KEY, None)  # still here: the root transaction ended without a commit
    if hooks:
        _run("rollback", hooks["rollback"])
