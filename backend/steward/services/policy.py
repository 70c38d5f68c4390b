"""Rules shared by bookings and activity sign-ups: who is eligible, seats taken by a conditional
UPDATE, and check-in codes."""
from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import update
from sqlalchemy.orm import Session

from ..scope import Principal

# No 0/O, 1/I/L: a code read aloud or typed by a volunteer at the door.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
BOOKING_ROLES = ("resident", "volunteer")  # people who live in a household book for themselves


def new_code() -> str:
    """A random check-in code (40 bits): unguessable enough that a code alone identifies a booking."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    return raw.replace("-", "").replace(" ", "").upper()


def take_seat(session: Session, model, ident: int, *conditions) -> bool:
    """``UPDATE … SET booked = booked + 1 WHERE id = :id AND booked < capacity``: True if a seat was taken.

    The check and the write are one statement, so two requests can never both take the last seat: on
    PostgreSQL the second waits for the first's row lock and re-reads ``booked`` before it decides;
    on SQLite a writing unit of work holds the database's write lock from its first statement
    (BEGIN IMMEDIATE). A CHECK (``booked <= capacity``) on the table is the last word."""
    result = session.execute(
        update(model).where(model.id == ident, model.booked < model.capacity, *conditions)
        .values(booked=model.booked + 1).execution_options(synchronize_session=False))
    return result.rowcount == 1


def release_seat(session: Session, model, ident: int) -> None:
    session.execute(update(model).where(model.id == ident, model.booked > 0).values(booked=model.booked - 1)
                    .execution_options(synchronize_session=False))


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def ineligible(user: Principal, *, audience: str, required_tags: list[str], min_age: int | None,
               today: date) -> str | None:
    """Why ``user`` may not book (an English message id), or None when they may."""
    if user.role not in BOOKING_ROLES:
        return "Only residents book services for themselves."
    resident = getattr(user, "resident", None)
    if audience == "verified" and resident is None:
        return "Only residents whose household is verified may book this."
    if required_tags and (resident is None or not set(required_tags) & set(resident.tags)):
        return "This is for residents tagged: {tags}."
    if min_age is not None:
        if resident is None or resident.birth_date is None:
            return "This is for residents aged {age} or over; the committee has no birth date for you."
        if age_on(resident.birth_date, today) < min_age:
            return "This is for residents aged {age} or over."
    return None
