"""Guarded state transitions: ``UPDATE … SET state = :to WHERE id = :id AND state IN (:from)``.

Reading a row, checking its state in Python and writing it back lets two requests that read the same
state both succeed (two staff approving one claim at once). The guard puts the check into the
UPDATE itself: the database serialises the two writers, the second finds the state already moved
and matches no row, and answers 409 with the steps the row allows now.
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .errors import InvalidTransition


def transition(session: Session, obj, *, to: str, allowed_from: Iterable[str], field: str = "status",
               allowed_now: dict[str, list[str]] | None = None, **values) -> None:
    """Move ``obj`` to state ``to`` if it is still in one of ``allowed_from``, else 409.

    ``allowed_now`` maps a state to the steps possible from it (for the 409's ``allowed``).
    ``values`` are further columns set in the same statement. ``obj`` is refreshed afterwards.
    """
    model = type(obj)
    column = getattr(model, field)
    sources = list(allowed_from)
    result = session.execute(
        update(model).where(model.id == obj.id, column.in_(sources)).values({field: to, **values})
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        current = session.scalar(select(column).where(model.id == obj.id))
        raise InvalidTransition(str(current), (allowed_now or {}).get(str(current), []))
    session.refresh(obj)
