"""Keyset pagination with opaque cursors: stable under inserts, O(limit) per page."""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, Sequence, TypeVar

from marshmallow import Schema, fields, validate
from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import Session

from .errors import Problem

T = TypeVar("T")
MAX_LIMIT = 100
DEFAULT_LIMIT = 20


class PageArgs(Schema):
    """Query parameters every collection accepts."""

    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT),
                           metadata={"description": f"Page size, 1–{MAX_LIMIT}."})
    cursor = fields.String(load_default=None, metadata={"description": "Opaque cursor from `next_cursor`."})


@dataclass
class Page(Generic[T]):
    items: Sequence[T]
    next_cursor: str | None


def _enc(v: Any) -> Any:
    if isinstance(v, datetime):
        return {"dt": v.isoformat()}
    if isinstance(v, date):
        return {"d": v.isoformat()}
    return v


def _dec(v: Any) -> Any:
    if isinstance(v, dict) and "dt" in v:
        return datetime.fromisoformat(v["dt"])
    if isinstance(v, dict) and "d" in v:
        return date.fromisoformat(v["d"])
    return v


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([_enc(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, arity: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != arity:
            raise ValueError
        values = [_dec(v) for v in values]
        if any(isinstance(v, (dict, list)) for v in values):
            raise ValueError
        return values
    except (ValueError, TypeError, UnicodeDecodeError):
        raise Problem(400, "Invalid cursor.", type="invalid-cursor", errors={"cursor": ["Invalid cursor."]}) from None


def page_statement(stmt: Select, *, keys: Sequence, cursor: str | None, limit: int,
                   descending: bool = False) -> Select:
    """``stmt`` for one page: after ``cursor``, ordered by ``keys``, ``limit + 1`` rows (see :func:`paginate`)."""
    if cursor:
        values = decode_cursor(cursor, len(keys))
        stmt = stmt.where(_after(keys, values, descending))
    order = [k.desc() if descending else k.asc() for k in keys]
    return stmt.order_by(*order).limit(limit + 1)


def page_of(items: list, *, keys: Sequence, limit: int) -> Page:
    """The page from the ``limit + 1`` items :func:`page_statement` fetched."""
    next_cursor = None
    if len(items) > limit:
        items = items[:limit]
        last = items[-1]
        next_cursor = encode_cursor([getattr(last, k.key) for k in keys])
    return Page(items, next_cursor)


def paginate(session: Session, stmt: Select, *, keys: Sequence, cursor: str | None, limit: int,
             descending: bool = False) -> Page:
    """Page ``stmt`` by the unique tuple ``keys`` (last key must be unique, e.g. the primary key).

    Each key is a column; ``descending`` flips the order of all of them. The statement must select
    one ORM entity; rows are fetched ``limit + 1`` at a time to know whether there is a next page.
    (A list that selects columns runs :func:`page_statement` itself and hands the rows to :func:`page_of`.)
    """
    stmt = page_statement(stmt, keys=keys, cursor=cursor, limit=limit, descending=descending)
    return page_of(list(session.scalars(stmt).unique()), keys=keys, limit=limit)


def _after(keys: Sequence, values: Sequence, descending: bool):
    """(k1, k2, …) > (v1, v2, …) spelled portably as nested OR/AND."""
    clauses = []
    for i, key in enumerate(keys):
        eqs = [keys[j] == values[j] for j in range(i)]
        cmp = key < values[i] if descending else key > values[i]
        clauses.append(and_(*eqs, cmp))
    return or_(*clauses)
