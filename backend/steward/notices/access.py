"""Who sees which notice.

Readers (residents, volunteers, partners) see published, unexpired notices whose audience covers
them: the notice's area is above or at their household's (a grid's notice is not seen in another
grid), and when it names a tag, a resident of their household carries it. A volunteer also sees what
is addressed to households in their grid. Staff see (and manage) every notice of their area, and read
the live notices addressed to an area above theirs (a town notice in a community)."""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, false, literal, or_, select

from ..areas.models import Household
from ..db import utcnow
from ..people.models import Resident, ResidentTag
from ..scope import MANAGER_ROLES, Principal, action, manages, rule, under
from .models import Notice, Status


def live() -> ColumnElement[bool]:
    now = utcnow()
    return and_(Notice.status == Status.PUBLISHED, Notice.publish_at <= now,
                or_(Notice.expire_at.is_(None), Notice.expire_at > now))


def covers(path) -> ColumnElement[bool]:
    """The notice's audience area contains ``path`` (a path string or an SQL expression)."""
    return (literal(path) if isinstance(path, str) else path).startswith(Notice.area_path)


def _household_reader(household_id: int) -> ColumnElement[bool]:
    home = select(Household.area_path).where(Household.id == household_id).scalar_subquery()
    tagged = exists(select(ResidentTag.resident_id).join(Resident, Resident.id == ResidentTag.resident_id)
                    .where(Resident.household_id == household_id, ResidentTag.tag == Notice.tag))
    return and_(covers(home), or_(Notice.tag.is_(None), tagged))


@rule(Notice)
def _notices(p: Principal) -> ColumnElement[bool]:
    if p.role in MANAGER_ROLES:
        return or_(under(Notice.area_path, p.area_path), and_(live(), covers(p.area_path)))
    if p.role == "volunteer":
        return and_(live(), or_(covers(p.area_path), under(Notice.area_path, p.area_path)))
    if p.role == "resident":
        if p.household_id is not None:
            return and_(live(), _household_reader(p.household_id))
        return and_(live(), covers(p.area_path), Notice.tag.is_(None))  # household not verified yet
    if p.role == "partner":
        return and_(live(), covers(p.area_path), Notice.tag.is_(None))
    return false()


@action(Notice, "edit", "publish", "withdraw", "attach")
def _manage(p: Principal, notice: Notice) -> bool:
    return manages(p, notice.area_path)


@action(Notice, "stats", "inform")
def _door_to_door(p: Principal, notice: Notice) -> bool:
    """Read rates and the households still to tell: staff (for their area) and the grid's volunteer."""
    return p.role in MANAGER_ROLES or p.role in ("volunteer", "system")
