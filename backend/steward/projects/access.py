"""Projects are public within their community; staff run them; the units involved report progress."""
from __future__ import annotations

from sqlalchemy import ColumnElement

from ..scope import TOWN_ROLES, Principal, action, community_path, manages, rule, under
from .models import Project


@rule(Project)
def _projects(p: Principal) -> ColumnElement[bool]:
    if p.role in TOWN_ROLES:
        return under(Project.area_path, p.area_path)
    return under(Project.area_path, community_path(p))


@action(Project, "edit", "link_case", "moderate")
def _run(p: Principal, project: Project) -> bool:
    return manages(p, project.area_path)


@action(Project, "update_milestone")
def _progress(p: Principal, project: Project) -> bool:
    if p.role == "partner":
        return p.unit_id is not None and any(u.unit_id == p.unit_id for u in project.units)
    return manages(p, project.area_path)


@action(Project, "like", "comment")
def _join_in(p: Principal, project: Project) -> bool:
    return p.role in ("resident", "volunteer", "staff", "partner") and project.status != "cancelled"
