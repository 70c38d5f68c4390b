"""Joint projects: create and run them, record milestones, link the cases behind them, likes and comments."""
from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from ..alliances.models import Unit
from ..areas.models import Area, AreaKind
from ..audit.service import record
from ..cases.models import Case, Category
from ..core.errors import Conflict, invalid, not_found
from ..core.pagination import Page, paginate
from ..db import utcnow
from ..gallery import service as gallery
from ..scope import Principal, can, find_for, get_for, require, scoped
from .models import Milestone, Project, ProjectCase, ProjectComment, ProjectLike, ProjectUnit


def list_projects(session: Session, *, user: Principal, status: str | None = None, cursor: str | None,
                  limit: int) -> Page[Project]:
    stmt = scoped(user, Project)
    if status:
        stmt = stmt.where(Project.status == status)
    return paginate(session, stmt, keys=[Project.id], cursor=cursor, limit=limit, descending=True)


def get_project(session: Session, *, user: Principal, project_id: int, action: str = "read") -> Project:
    project = get_for(session, user, Project, project_id, action)
    attach_viewer_facts(session, user, [project])
    return project


def attach_viewer_facts(session: Session, user: Principal, projects: list[Project]) -> None:
    """What a project shows beyond its row: whether I liked it, and what prompted it (by category)."""
    ids = [p.id for p in projects]
    liked = set(session.scalars(select(ProjectLike.project_id).where(ProjectLike.project_id.in_(ids),
                                                                     ProjectLike.user_id == user.id)))
    prompted: dict[int, dict[str, int]] = {}
    for pid, name, n in session.execute(
            select(ProjectCase.project_id, Category.name_zh, func.count()).join(Case, Case.id == ProjectCase.case_id)
            .join(Category, Category.id == Case.category_id).where(ProjectCase.project_id.in_(ids))
            .group_by(ProjectCase.project_id, Category.name_zh)):
        prompted.setdefault(pid, {})[name] = n
    for p in projects:
        p.liked_by_me = p.id in liked
        p.prompted_by = prompted.get(p.id, {})


def _units(session: Session, user: Principal, community: Area, items: list[dict]) -> list[ProjectUnit]:
    out = []
    for item in items:
        unit = find_for(session, user, Unit, item["unit_id"])
        if unit is None or not community.path.startswith(unit.area_path):
            raise invalid({"units": ["Pick units that serve this community."]})
        out.append(ProjectUnit(unit_id=unit.id, role=item.get("role")))
    return out


def create_project(session: Session, *, user: Principal, data: dict) -> Project:
    community = find_for(session, user, Area, data.pop("community_id"))
    if community is None or community.kind != AreaKind.COMMUNITY:
        raise invalid({"community_id": ["No such community."]})
    units = _units(session, user, community, data.pop("units", []))
    milestones = [Milestone(sort_order=i, **m) for i, m in enumerate(data.pop("milestones", []))]
    project = Project(community_id=community.id, area_path=community.path, created_by_id=user.id, **data)
    require(user, "edit", project)
    project.units, project.milestones = units, milestones
    session.add(project)
    session.flush()
    record(session, actor=user, action="project.create", resource_type="project", resource_id=project.id,
           area_path=project.area_path, detail={"title": project.title})
    return get_project(session, user=user, project_id=project.id)


def update_project(session: Session, *, user: Principal, project: Project, data: dict) -> Project:
    if "units" in data:
        project.units = _units(session, user, project.community, data.pop("units"))
    for key, value in data.items():
        setattr(project, key, value)
    if data.get("status") == "done" and project.finished_on is None:
        project.finished_on = utcnow().date()
    project.updated_at = utcnow()
    session.flush()
    record(session, actor=user, action="project.update", resource_type="project", resource_id=project.id,
           area_path=project.area_path, detail={"fields": sorted(data)})
    return project


def add_milestone(session: Session, *, user: Principal, project: Project, data: dict) -> Project:
    project.milestones.append(Milestone(sort_order=len(project.milestones), **data))
    project.updated_at = utcnow()
    session.flush()
    return project


def update_milestone(session: Session, *, user: Principal, project: Project, milestone_id: int, done: bool,
                     note: str | None = None) -> Project:
    milestone = next((m for m in project.milestones if m.id == milestone_id), None)
    if milestone is None:
        raise not_found()
    milestone.done_at = utcnow() if done else None
    if note is not None:
        milestone.note = note
    project.updated_at = utcnow()
    if done and project.status == "planning":
        project.status = "in_progress"
    session.flush()
    record(session, actor=user, action="project.milestone", resource_type="project", resource_id=project.id,
           area_path=project.area_path, detail={"milestone": milestone.title, "done": done})
    return project


def link_case(session: Session, *, user: Principal, project: Project, case_id: int) -> Project:
    case = find_for(session, user, Case, case_id)
    if case is None or case.community_id != project.community_id:
        raise invalid({"case_id": ["Pick a case of this project's community."]})
    if session.get(ProjectCase, (project.id, case.id)) is None:
        session.add(ProjectCase(project_id=project.id, case_id=case.id))
        session.flush()
    attach_viewer_facts(session, user, [project])
    return project


def like(session: Session, *, user: Principal, project: Project, liked: bool) -> Project:
    """Like or unlike; the count moves in the same statement as the row (two taps at once count once)."""
    have = session.get(ProjectLike, (project.id, user.id)) is not None
    if liked and not have:
        session.add(ProjectLike(project_id=project.id, user_id=user.id))
        session.flush()
        session.execute(update(Project).where(Project.id == project.id)
                        .values(likes_count=Project.likes_count + 1, version=Project.version + 1)
                        .execution_options(synchronize_session=False))
    elif not liked and have:
        session.execute(delete(ProjectLike).where(ProjectLike.project_id == project.id,
                                                  ProjectLike.user_id == user.id))
        session.execute(update(Project).where(Project.id == project.id)
                        .values(likes_count=Project.likes_count - 1, version=Project.version + 1)
                        .execution_options(synchronize_session=False))
    session.refresh(project)
    attach_viewer_facts(session, user, [project])
    return project


def list_comments(session: Session, *, user: Principal, project: Project, cursor: str | None,
                  limit: int) -> Page[ProjectComment]:
    stmt = select(ProjectComment).where(ProjectComment.project_id == project.id)
    if not can(user, "moderate", project):
        stmt = stmt.where(ProjectComment.hidden_at.is_(None))
    return paginate(session, stmt, keys=[ProjectComment.id], cursor=cursor, limit=limit, descending=True)


def comment(session: Session, *, user: Principal, project: Project, body: str) -> ProjectComment:
    c = ProjectComment(project_id=project.id, user_id=user.id, body=body)
    session.add(c)
    session.flush()
    session.execute(update(Project).where(Project.id == project.id)
                    .values(comments_count=Project.comments_count + 1).execution_options(synchronize_session=False))
    return c


def hide_comment(session: Session, *, user: Principal, project: Project, comment_id: int, reason: str) -> ProjectComment:
    c = session.scalar(select(ProjectComment).where(ProjectComment.id == comment_id,
                                                    ProjectComment.project_id == project.id))
    if c is None:
        raise not_found()
    if c.hidden_at is not None:
        raise Conflict("This comment is already hidden.", type="comment-hidden")
    c.hidden_at, c.hidden_reason = utcnow(), reason
    session.execute(update(Project).where(Project.id == project.id)
                    .values(comments_count=Project.comments_count - 1).execution_options(synchronize_session=False))
    record(session, actor=user, action="project.comment_hidden", resource_type="project_comment",
           resource_id=c.id, area_path=project.area_path, detail={"reason": reason})
    return c



# ------------------------------------------------------------------ photos of the work
def photos(session: Session, *, user: Principal, project_id: int) -> list:
    get_for(session, user, Project, project_id)
    return gallery.of(session, "project", project_id)


def add_photos(session: Session, *, user: Principal, project_id: int, photos: list, caption: str | None = None) -> list:
    """Photos of the work (the shed going up): staff and the units involved."""
    project = get_for(session, user, Project, project_id, "update_milestone")
    gallery.add(session, subject_type="project", subject_id=project.id, user=user, photos=photos, caption=caption)
    record(session, actor=user, action="project.photos", resource_type="project", resource_id=project.id,
           area_path=project.area_path, detail={"count": len(photos)})
    return gallery.of(session, "project", project.id)


def photo(session: Session, *, user: Principal, project_id: int, photo_id: int, action: str = "read"):
    get_for(session, user, Project, project_id, action)
    return gallery.one(session, "project", project_id, photo_id)


def remove_photo(session: Session, *, user: Principal, project_id: int, photo_id: int) -> None:
    gone = photo(session, user=user, project_id=project_id, photo_id=photo_id, action="edit")
    gallery.remove(session, gone)
    record(session, actor=user, action="project.photo_removed", resource_type="project", resource_id=project_id,
           detail={"photo_id": photo_id})
