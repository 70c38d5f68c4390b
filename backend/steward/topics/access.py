"""Topics are public within their community (and to town staff below them); staff of the community run them;
verified residents propose, support and report; comments follow their topic."""
from __future__ import annotations

from sqlalchemy import ColumnElement

from ..scope import TOWN_ROLES, Principal, action, community_path, manages, rule, under
from .models import Topic, TopicComment

OPEN = ("proposed", "discussing")


def verified(p: Principal) -> bool:
    """A resident whose household claim the committee approved (the account is linked to a resident)."""
    return p.role == "resident" and p.household_id is not None


@rule(Topic)
def _topics(p: Principal) -> ColumnElement[bool]:
    if p.role in TOWN_ROLES:
        return under(Topic.area_path, p.area_path)
    return under(Topic.area_path, community_path(p))


@rule(TopicComment)
def _comments(p: Principal) -> ColumnElement[bool]:
    if p.role in TOWN_ROLES:
        return under(TopicComment.area_path, p.area_path)
    return under(TopicComment.area_path, community_path(p))


@action(Topic, "decide", "moderate", "link")
def _run(p: Principal, topic: Topic) -> bool:
    return manages(p, topic.area_path)


@action(Topic, "support")
def _support(p: Principal, topic: Topic) -> bool:
    return verified(p) and topic.status in OPEN


@action(Topic, "comment")
def _comment(p: Principal, topic: Topic) -> bool:
    return verified(p) or p.role == "volunteer" or manages(p, topic.area_path)


@action(TopicComment, "report")
def _report(p: Principal, comment: TopicComment) -> bool:
    return verified(p) and comment.user_id != p.id


@action(TopicComment, "moderate")
def _moderate(p: Principal, comment: TopicComment) -> bool:
    return manages(p, comment.area_path)
