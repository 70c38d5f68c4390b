"""The case workflow as one explicit state machine.

    submitted → accepted → assigned → in_progress → resolved → closed
                 ╰→ rejected (with a reason)        ╰→ reopened (by the reporter, within 7 days)
    submitted/accepted → duplicate (of another case)

Each step names the states it may start from, the state it leads to, and the permission (an action
of ``cases/access.py``) needed to take it. The three modes (马上办 / 协商办 / 联合办) share this one
machine; they only change defaults (who is assigned, the SLA, the parts to finish).
"""
from __future__ import annotations

from dataclasses import dataclass

from .models import LEVELS, Level, Status

S = Status


@dataclass(frozen=True)
class Step:
    name: str
    sources: frozenset[str]
    target: str
    permission: str


def _step(name: str, sources: set[Status], target: Status, permission: str | None = None) -> Step:
    return Step(name, frozenset(s.value for s in sources), target.value, permission or name)


STEPS: dict[str, Step] = {s.name: s for s in (
    _step("accept", {S.SUBMITTED}, S.ACCEPTED),
    _step("reject", {S.SUBMITTED, S.ACCEPTED, S.REOPENED}, S.REJECTED),
    _step("assign", {S.SUBMITTED, S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED}, S.ASSIGNED),
    _step("dispatch", {S.SUBMITTED, S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED}, S.ASSIGNED),
    _step("start", {S.ACCEPTED, S.ASSIGNED, S.REOPENED}, S.IN_PROGRESS),
    _step("resolve", {S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED}, S.RESOLVED),
    _step("close", {S.RESOLVED}, S.CLOSED),
    _step("confirm", {S.RESOLVED}, S.CLOSED),
    _step("reopen", {S.RESOLVED, S.CLOSED}, S.REOPENED),
    _step("mark_duplicate", {S.SUBMITTED, S.ACCEPTED}, S.DUPLICATE),
)}
REOPEN_DAYS = 7


def allowed_from(status: str) -> list[str]:
    """The steps possible from ``status`` (what a 409 lists, and what the app offers)."""
    return sorted(name for name, step in STEPS.items() if status in step.sources)


ALLOWED_NOW = {s.value: allowed_from(s.value) for s in Status}


def next_level(level: str) -> str | None:
    i = LEVELS.index(Level(level))
    return LEVELS[i + 1].value if i + 1 < len(LEVELS) else None


def previous_level(level: str) -> str | None:
    i = LEVELS.index(Level(level))
    return LEVELS[i - 1].value if i > 0 else None
