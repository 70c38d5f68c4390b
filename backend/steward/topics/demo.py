"""Demo topics: 丽水湾 and 庄行新苑 residents' 议题 and 金点子 at every stage, with supports and comments.

Supports come from real accounts: a few generated residents of each community get an account (phones
1390000xxxx, a password nobody knows), as neighbours who signed up. 丽水湾's threshold is 3 supports in the
demo, so a topic moves to discussion within a short walk-through; 庄行新苑 keeps 5."""
from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..areas.models import Area
from ..auth.passwords import hash_password
from ..db import utcnow
from ..people.models import Resident, Role, User
from .models import Topic, TopicComment, TopicSettings, TopicSupport

NEIGHBOURS = {"LSW": 8, "ZXXY": 6}
THRESHOLDS = {"LSW": 3, "ZXXY": 5}
# community, kind, title, body, status, supports, days ago, decision, comments
TOPICS = (
    ("LSW", "topic", "东门增设电动自行车充电桩",
     "东门车棚没有充电桩，晚上常有人从楼上拉线充电，很危险。建议物业在车棚加装智能充电桩。",
     "adopted", 8, 30, "居委会与物业已商定：12月底前在东门车棚安装20个智能充电桩，费用由维修基金列支，已公示。",
     ["支持！楼道里停车太危险了。", "希望收费标准公开透明。"]),
    ("LSW", "idea", "楼道里放一把共享折叠椅", "老人爬楼中途没处歇脚，建议每个单元二楼、四楼平台放一把折叠椅。",
     "discussing", 5, 12, None, ["好主意，我家老人每次上楼都要歇好几回。", "要注意不要堵住消防通道。"]),
    ("LSW", "topic", "小区中心花园增加健身器材", "现有器材老旧，建议增加适合老年人的健身器材，并铺设防滑地面。",
     "proposed", 1, 3, None, ["同意，现在的单杠都生锈了。"]),
    ("LSW", "idea", "周末开放居委会活动室给孩子写作业", "双职工家庭周末孩子没人看，活动室空着，可以请志愿者轮流看护。",
     "declined", 4, 40, "感谢建议。活动室周末需安排消防检查与保洁，暂不具备开放条件；已转介镇社区学校的周末托管班。",
     []),
    ("LSW", "topic", "3号楼北侧路灯不亮", "3号楼北侧两盏路灯坏了一个多月，晚上倒垃圾看不清路。",
     "done", 6, 55, "已由物业更换灯具，并加装了一盏感应灯。谢谢大家反映！", ["已经亮了，点赞物业。"]),
    ("ZXXY", "idea", "建立邻里闲置物品交换角", "在活动室一角设置闲置物品交换架，每月第一个周六集中交换。",
     "discussing", 5, 9, None, ["我家有很多孩子的绘本可以拿出来。"]),
    ("ZXXY", "topic", "南门早高峰增派护学岗", "南门外早上车多，孩子过马路危险，希望增派志愿者护学岗。",
     "proposed", 2, 2, None, []),
)


def _neighbours(session: Session, area: Area, count: int, code: str) -> list[User]:
    """Accounts for ``count`` generated residents of ``area`` (one per household, none linked yet)."""
    linked = set(session.scalars(select(User.resident_id).where(User.resident_id.is_not(None))))
    taken_households = set(session.scalars(select(Resident.household_id).where(Resident.id.in_(linked))))
    password_hash = hash_password(secrets.token_urlsafe(24))
    prefix = "1390000" + ("1" if code == "LSW" else "2")
    users, seen = [], set(taken_households)
    for resident in session.scalars(select(Resident).where(Resident.area_path.startswith(area.path))
                                    .order_by(Resident.id)):
        if len(users) >= count:
            break
        if resident.id in linked or resident.household_id in seen:
            continue
        seen.add(resident.household_id)
        user = User(phone=f"{prefix}{len(users) + 1:03d}", name=resident.name, role=Role.RESIDENT,
                    area_id=area.id, area_path=area.path, password_hash=password_hash, resident_id=resident.id)
        session.add(user)
        users.append(user)
    session.flush()
    return users


def seed_topics(session: Session) -> int:
    now = utcnow()
    areas = {a.code: a for a in session.scalars(select(Area).where(Area.code.in_(list(NEIGHBOURS))))}
    staff = {u.area_path: u for u in session.scalars(select(User).where(User.role == Role.STAFF))}
    made = 0
    for code, area in areas.items():
        session.merge(TopicSettings(community_id=area.id, support_threshold=THRESHOLDS[code], report_threshold=3))
        demo_resident = session.scalar(select(User).where(User.role == Role.RESIDENT, User.area_path == area.path,
                                                          User.resident_id.is_not(None), User.phone.like("138%")))
        people = ([demo_resident] if demo_resident else []) + _neighbours(session, area, NEIGHBOURS[code], code)
        for i, (_, kind, title, body, status, supports, days, decision, comments) in enumerate(
                t for t in TOPICS if t[0] == code):
            author = people[(i + 1) % len(people)]
            created = now - timedelta(days=days)
            backers = [author] + [p for p in people if p is not author][:supports - 1]
            topic = Topic(community_id=area.id, area_path=area.path, author_id=author.id, kind=kind, title=title,
                          body=body, status=status, supports_count=len(backers), comments_count=len(comments),
                          created_at=created, updated_at=created)
            if status != "proposed":
                topic.discussing_at = created + timedelta(days=2) if len(backers) >= THRESHOLDS[code] else None
            if decision:
                topic.decision_text, topic.decided_at = decision, created + timedelta(days=min(days - 1, 10))
                topic.decided_by_id = staff[area.path].id if area.path in staff else None
                topic.updated_at = topic.decided_at
            session.add(topic)
            session.flush()
            for j, user in enumerate(backers):
                session.add(TopicSupport(topic_id=topic.id, user_id=user.id, created_at=created + timedelta(hours=j)))
            for j, text in enumerate(comments):
                session.add(TopicComment(topic_id=topic.id, area_path=area.path, user_id=backers[(j + 1) % len(backers)].id,
                                         body=text, status="visible", reports_count=0,
                                         created_at=created + timedelta(hours=3 + j)))
            made += 1
    session.flush()
    return made
