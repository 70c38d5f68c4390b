"""Keyset pagination with opaque cursors: stable under inserts, O(limit) per page."""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, Sequence, TypeVar

from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import BigInteger, Select, and_, or_
from sqlalchemy.orm import Session

from .errors import Problem
from .schemas import INT_MAX, INT_MIN, MAX_STRING, no_control_chars

T = TypeVar("T")
MAX_LIMIT = 100
DEFAULT_LIMIT = 20


class PageArgs(Schema):
    """Query parameters every collection accepts."""

    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT),
                           metadata={"description": f"Page size, 1–{MAX_LIMIT}."})
    cursor = fields.String(load_default=None, validate=validate.Length(max=1000),
                           metadata={"description": "Opaque cursor from `next_cursor`."})


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


def _dec(v: Any, key) -> Any:
    """The cursor value ``v`` for the column ``key``, or ValueError when it is not of the column's type
    (a forged cursor must not reach the database as a wrong type or an out-of-range number)."""
    kind = key.type.python_type
    if kind is bool:
        if isinstance(v, bool):
            return v
    elif kind is int:
        if isinstance(v, int) and not isinstance(v, bool) and _int_bounds(key)[0] <= v <= _int_bounds(key)[1]:
            return v
    elif kind is datetime:
        if isinstance(v, dict) and set(v) == {"dt"} and isinstance(v["dt"], str):
            value = datetime.fromisoformat(v["dt"])
            if value.tzinfo is not None:
                return value
    elif kind is date:
        if isinstance(v, dict) and set(v) == {"d"} and isinstance(v["d"], str):
            return date.fromisoformat(v["d"])
    elif kind is str:
        if isinstance(v, str) and len(v) <= MAX_STRING:
            no_control_chars(v)
            return v
    raise ValueError("cursor value of the wrong type")


def _int_bounds(key) -> tuple[int, int]:
    return (-(2**63), 2**63 - 1) if isinstance(key.type, BigInteger) else (INT_MIN, INT_MAX)


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([_enc(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, keys: Sequence) -> list[Any]:
    """The values of ``keys`` a cursor carries; a 400 problem when it is not one of ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != len(keys):
            raise ValueError
        return [_dec(v, k) for v, k in zip(values, keys, strict=True)]
    except (ValueError, TypeError, UnicodeDecodeError, ValidationError, RecursionError):
        raise Problem(400, "Invalid cursor.", type="invalid-cursor", errors={"cursor": ["Invalid cursor."]}) from None


def page_statement(stmt: Select, *, keys: Sequence, cursor: str | None, limit: int,
                   descending: bool = False) -> Select:
    """``stmt`` for one page: after ``cursor``, ordered by ``keys``, ``limit + 1`` rows (see :func:`paginate`)."""
    if cursor:
        values = decode_cursor(cursor, keys)
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
