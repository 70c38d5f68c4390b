"""A question is seen by its asker, the staff of its community (and the town above), and the volunteer of the
asker's grid; they answer it. Nobody else — not the neighbours, not partners."""
from __future__ import annotations

from sqlalchemy import ColumnElement, false

from ..scope import MANAGER_ROLES, Principal, action, manages, rule, under
from .models import Question


@rule(Question)
def _questions(p: Principal) -> ColumnElement[bool]:
    if p.role in MANAGER_ROLES:
        return under(Question.area_path, p.area_path)
    if p.role == "volunteer":
        return under(Question.area_path, p.area_path)
    if p.role == "resident" and p.id is not None:
        return Question.asker_id == p.id
    return false()


def answers(p: Principal, q: Question) -> bool:
    return manages(p, q.area_path) or p.role == "volunteer" and q.area_path.startswith(p.area_path)


@action(Question, "answer")
def _answer(p: Principal, q: Question) -> bool:
    return answers(p, q) and q.asker_id != p.id


@action(Question, "follow_up")
def _follow_up(p: Principal, q: Question) -> bool:
    return q.asker_id is not None and q.asker_id == p.id


@action(Question, "close")
def _close(p: Principal, q: Question) -> bool:
    return q.asker_id == p.id or manages(p, q.area_path)


@action(Question, "save_guide")
def _guide(p: Principal, q: Question) -> bool:
    return manages(p, q.area_path)
