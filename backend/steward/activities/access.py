"""Who sees and runs activities: published ones are public to their community (town-wide ones to
everyone); staff manage their area's; volunteers of the community check people in."""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, literal, or_

from ..scope import MANAGER_ROLES, Principal, action, community_path, manages, rule, under
from .models import Activity, ActivityStatus, Signup

SHOWN = (ActivityStatus.PUBLISHED, ActivityStatus.COMPLETED, ActivityStatus.CANCELLED)


def _serves(p: Principal, column) -> ColumnElement[bool]:
    home = community_path(p)
    return or_(under(column, home), literal(home).startswith(column))


@rule(Activity)
def _activities(p: Principal) -> ColumnElement[bool]:
    public = and_(Activity.status.in_(SHOWN), _serves(p, Activity.area_path))
    if p.role in MANAGER_ROLES:
        return or_(under(Activity.area_path, p.area_path), public)
    return public


@action(Activity, "update", "roster")
def _manage(p: Principal, activity: Activity) -> bool:
    return manages(p, activity.area_path)


@action(Activity, "check_in")
def _door(p: Principal, activity: Activity) -> bool:
    if p.role == "volunteer":
        return activity.area_path.startswith(community_path(p))
    return manages(p, activity.area_path)


@action(Activity, "sign_up")
def _sign_up(p: Principal, activity: Activity) -> bool:
    return p.role in ("resident", "volunteer")


@rule(Signup)
def _signups(p: Principal) -> ColumnElement[bool]:
    mine = Signup.user_id == p.id if p.id is not None else false()
    if p.role in MANAGER_ROLES:
        return or_(mine, under(Signup.area_path, p.area_path))
    if p.role == "volunteer":
        return or_(mine, under(Signup.area_path, community_path(p)))
    return mine


@action(Signup, "cancel")
def _cancel(p: Principal, signup: Signup) -> bool:
    return signup.user_id == p.id or manages(p, signup.area_path)


@action(Signup, "check_in")
def _check_in(p: Principal, signup: Signup) -> bool:
    return _door(p, signup.activity)
