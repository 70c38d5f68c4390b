"""Who sees and handles which case.

Staff see every case of their area (town staff: the whole town); a volunteer the cases of their grid
(or section) and those assigned to them; a partner only the cases dispatched to its unit; a resident
the cases they reported or follow, plus their community's public hazard alerts. Private cases
(disputes) are never public, whatever is asked.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, false, or_, select

from ..scope import PUBLIC, Principal, action, community_path, manages, rule, under
from .models import OPEN_STATUSES, Case, CaseFollower, CasePart, Category, Status

STAFF = frozenset({"admin", "town_staff", "staff"})


def _dispatched_to(unit_id: int | None) -> ColumnElement[bool]:
    if unit_id is None:
        return false()
    return exists(select(CasePart.id).where(CasePart.case_id == Case.id, CasePart.unit_id == unit_id))


def _alerts_in(area_path: str) -> ColumnElement[bool]:
    """Public hazard alerts located in ``area_path`` (a private case is never one)."""
    return and_(Case.is_public.is_(True), Case.is_private.is_(False), under(Case.area_path, area_path))


@rule(Case)
def _cases(p: Principal) -> ColumnElement[bool]:
    if p.role in STAFF:
        return under(Case.area_path, p.area_path)
    if p.role == "volunteer":
        return or_(under(Case.area_path, p.area_path), Case.assignee_id == p.id, Case.reporter_id == p.id)
    if p.role == "partner":
        # An API client of the unit (partners.ClientPrincipal) also reads back the requests it created.
        client_id = getattr(p, "api_client_id", None)
        own = Case.api_client_id == client_id if client_id is not None else false()
        return or_(_dispatched_to(p.unit_id), own)
    if p.role == "resident" and p.id is not None:
        follows = exists(select(CaseFollower.case_id).where(CaseFollower.case_id == Case.id,
                                                            CaseFollower.user_id == p.id))
        return or_(Case.reporter_id == p.id, follows, _alerts_in(community_path(p)))
    if p.role == PUBLIC:  # anyone without signing in (Open311 without a key): the area's alerts
        return _alerts_in(p.area_path)
    return false()


@rule(Category)
def _categories(p: Principal) -> ColumnElement[bool]:
    # Town-wide defaults serve everyone; a community's own categories its own people.
    home = community_path(p)
    return or_(Category.area_path == "/" + home.strip("/").split("/")[0] + "/", under(Category.area_path, home)) \
        if p.role not in ("admin", "town_staff") else under(Category.area_path, p.area_path)


@action(Category, "update")
def _edit_category(p: Principal, category: Category) -> bool:
    return manages(p, category.area_path)


@action(Case, "triage", "accept", "reject", "assign", "dispatch", "escalate", "deescalate", "edit", "close",
        "mark_duplicate", "internal_note")
def _staff_handles(p: Principal, case: Case) -> bool:
    return p.role in STAFF and manages(p, case.area_path)


@action(Case, "start", "resolve", "add_fix_photo")
def _hands_on(p: Principal, case: Case) -> bool:
    """马上办: the assigned volunteer, any volunteer of the case's grid, or staff."""
    if p.role in STAFF:
        return manages(p, case.area_path)
    if p.role == "volunteer":
        return case.assignee_id == p.id or case.area_path.startswith(p.area_path)
    return False


@action(Case, "update_part", "record_mediation")
def _partner_or_staff(p: Principal, case: Case) -> bool:
    if p.role in STAFF:
        return manages(p, case.area_path)
    return p.role == "partner" and p.unit_id is not None and any(part.unit_id == p.unit_id for part in case.parts)


@action(Case, "confirm", "reopen", "rate")
def _reporter(p: Principal, case: Case) -> bool:
    return p.id is not None and case.reporter_id == p.id


@action(Case, "comment")
def _comment(p: Principal, case: Case) -> bool:
    # Anyone who handles or reported the case; followers and alert readers read, they don't comment.
    return ((p.id is not None and case.reporter_id == p.id) or _staff_handles(p, case) or _hands_on(p, case)
            or _partner_or_staff(p, case))


@action(Case, "follow")
def _follow(p: Principal, case: Case) -> bool:
    return p.role == "resident" and not case.is_private and case.status in OPEN_STATUSES + (Status.RESOLVED,)


@action(Case, "add_photos")
def _photos(p: Principal, case: Case) -> bool:
    """The reporter (more of the problem) and whoever handles the case (progress, the fix)."""
    return case.reporter_id == p.id or _hands_on(p, case) or _partner_or_staff(p, case)
