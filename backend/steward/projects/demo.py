"""Demo joint projects: 庄行新苑's covered e-bike shed (after many 飞线充电 reports), and 丽水湾's stairwell handrails."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..alliances.models import Unit
from ..areas.models import Area
from ..cases.models import Case, Category
from ..db import utcnow
from ..people.models import Role, User
from .models import Milestone, Project, ProjectCase, ProjectComment, ProjectLike, ProjectUnit


def seed_projects(session: Session) -> int:
    now = utcnow()
    zxxy = session.scalar(select(Area).where(Area.code == "ZXXY"))
    lsw = session.scalar(select(Area).where(Area.code == "LSW"))
    units = {u.name: u for u in session.scalars(select(Unit))}
    staff = {u.area_path: u for u in session.scalars(select(User).where(User.role == Role.STAFF))}
    residents = list(session.scalars(select(User).where(User.role == Role.RESIDENT, User.resident_id.is_not(None))))

    shed = Project(
        community_id=zxxy.id, area_path=zxxy.path, title="电动自行车集中充电棚",
        summary="小区东侧建成带智能充电桩的车棚，告别楼道和飞线充电。",
        description="今年以来居民多次反映飞线充电、楼道内充电的火灾隐患。居民区党支部牵头，物业与镇城建中心共同选址、"
                    "征求意见、施工，建成可同时为60辆电动自行车充电的车棚，刷卡计费，设烟感与监控。",
        status="done", started_on=(now - timedelta(days=75)).date(), finished_on=(now - timedelta(days=12)).date(),
        created_by_id=staff.get(zxxy.path).id if staff.get(zxxy.path) else None, likes_count=0)
    shed.units = [ProjectUnit(unit_id=units["庄行新苑居民区党支部"].id, role="牵头"),
                  ProjectUnit(unit_id=units["庄行新苑物业管理处"].id, role="建设与运维"),
                  ProjectUnit(unit_id=units["庄行镇城建中心"].id, role="审批与施工指导")]
    shed.milestones = [
        Milestone(title="征求居民意见", due_on=(now - timedelta(days=70)).date(), done_at=now - timedelta(days=68),
                  note="发放问卷312份，支持率91%。", sort_order=0),
        Milestone(title="选址与方案公示", due_on=(now - timedelta(days=55)).date(), done_at=now - timedelta(days=54),
                  sort_order=1),
        Milestone(title="施工", due_on=(now - timedelta(days=20)).date(), done_at=now - timedelta(days=18),
                  sort_order=2),
        Milestone(title="验收启用", due_on=(now - timedelta(days=12)).date(), done_at=now - timedelta(days=12),
                  note="已接入智能充电桩60个。", sort_order=3),
    ]
    rails = Project(
        community_id=lsw.id, area_path=lsw.path, title="老旧楼道加装扶手",
        summary="为有独居老人的楼道加装不锈钢扶手，先试点12个楼道。",
        status="in_progress", started_on=(now - timedelta(days=20)).date(),
        created_by_id=staff.get(lsw.path).id if staff.get(lsw.path) else None)
    rails.units = [ProjectUnit(unit_id=units["丽水湾居民区党总支"].id, role="牵头"),
                   ProjectUnit(unit_id=units["丽水湾物业服务中心"].id, role="施工")]
    rails.milestones = [
        Milestone(title="摸排需求楼道", due_on=(now - timedelta(days=14)).date(), done_at=now - timedelta(days=15),
                  sort_order=0),
        Milestone(title="首批6个楼道完工", due_on=(now + timedelta(days=10)).date(), sort_order=1),
        Milestone(title="第二批6个楼道完工", due_on=(now + timedelta(days=40)).date(), sort_order=2),
    ]
    session.add_all([shed, rails])
    session.flush()
    charging = session.scalar(select(Category.id).where(Category.code == "flying_charging"))
    for case_id in session.scalars(select(Case.id).where(Case.community_id == zxxy.id, Case.category_id == charging)):
        session.add(ProjectCase(project_id=shed.id, case_id=case_id))
    for user in residents:
        project = shed if user.area_path == zxxy.path else rails
        session.add(ProjectLike(project_id=project.id, user_id=user.id))
        project.likes_count += 1
    zxxy_resident = next((u for u in residents if u.area_path == zxxy.path), None)
    if zxxy_resident is not None:
        for body in ("充电棚很方便，楼道里终于不堆电瓶车了！", "建议晚上照明再亮一点。"):
            session.add(ProjectComment(project_id=shed.id, user_id=zxxy_resident.id, body=body))
            shed.comments_count += 1
    session.flush()
    return 2
