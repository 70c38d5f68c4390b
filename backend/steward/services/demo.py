"""Demo data for services, bookings and activities: the seed's 爱心午餐 and 理发 for the elderly,
法律咨询 and 健康咨询 from town-wide units, 代购药品 requests, a few activities, and bookings over the
last three weeks and the coming two — with counters that agree with the rows.

Deterministic (a fixed random seed) and idempotent (nothing is added once a service exists). Elderly
residents of 丽水湾 get demo accounts (phones 177 0000 xxxx, password Steward@2026) so that rosters
have real names."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..activities.models import Activity, Signup
from ..alliances.models import Unit
from ..areas.models import Area
from ..auth.passwords import hash_password
from ..db import utcnow
from ..people.models import Resident, ResidentTag, Role, Tag, User
from . import schedule
from .models import Booking, RequestEvent, ScheduleException, ScheduleRule, Service, ServiceRequest, Slot
from .policy import new_code

PAST_DAYS = 21
DEMO_PHONES = "177{:08d}"
WEEKDAYS = range(5)
# community, category, title, place, provider, rules (weekdays, start, end), slot, capacity, policy
SERVICES = (
    ("LSW", "lunch", "爱心午餐", "丽水湾睦邻点食堂", "丽水湾红管家志愿者服务队", (WEEKDAYS, "11:00", "12:30"), 30, 8,
     {"min_age": 60, "cancel_cutoff_minutes": 180, "max_active_per_resident": 5,
      "description": "60 岁以上老人助餐，每餐 10 元（独居、困难老人免费），可代为送餐上门。"}),
    ("LSW", "haircut", "爱心理发", "丽水湾睦邻点 2 号室", "丽水湾红管家志愿者服务队", ((1,), "09:00", "11:00"), 30, 3,
     {"min_age": 60, "cancel_cutoff_minutes": 120, "max_active_per_resident": 1,
      "description": "党员志愿者为 60 岁以上老人免费理发，每月第二周加开周四场。"}),
    (None, "legal", "法律咨询", "庄行镇公共法律服务工作站", "庄行镇公共法律服务工作站", ((3,), "14:00", "17:00"), 30, 1,
     {"audience": "verified", "cancel_cutoff_minutes": 60, "max_active_per_resident": 1,
      "description": "律师一对一咨询：婚姻家庭、继承、劳动、邻里纠纷。请带好相关材料。"}),
    (None, "health", "健康咨询", "庄行镇社区卫生服务中心", "庄行镇社区卫生服务中心", ((2,), "09:00", "11:30"), 30, 2,
     {"cancel_cutoff_minutes": 60, "max_active_per_resident": 1,
      "description": "家庭医生测血压、血糖，解读体检报告，慢病用药咨询。"}),
    ("ZXXY", "haircut", "爱心理发", "庄行新苑活动中心", None, ((4,), "09:00", "11:00"), 30, 2,
     {"min_age": 60, "cancel_cutoff_minutes": 120, "max_active_per_resident": 1,
      "description": "志愿者为老人免费理发。"}),
)
ON_REQUEST = (
    ("LSW", "medicine", "代购药品", "丽水湾红管家志愿者服务队",
     "行动不便的老人可申请代配药：志愿者到社区卫生服务中心配药后送上门。"),
    ("LSW", "haircut", "上门理发", "丽水湾红管家志愿者服务队", "卧床或行动不便的老人，志愿者上门理发。"),
    ("ZXXY", "medicine", "代购药品", None, "志愿者代为配药并送药上门。"),
)
MEDICINES = ["降压药（氨氯地平片）两盒", "二甲双胍缓释片一盒，胰岛素笔针头一盒", "阿托伐他汀钙片两盒",
             "速效救心丸一瓶、硝酸甘油片一盒", "眼药水（玻璃酸钠）两支", "止咳糖浆一瓶，感冒灵颗粒一盒"]
ACTIVITIES = (  # community, kind, title, place, days from now, hours, capacity, volunteer minutes
    ("LSW", "culture", "重阳节书画展", "丽水湾活动室", -12, 3, 40, 0),
    ("LSW", "volunteer", "楼道清洁志愿服务", "丽水湾 3 号楼", -5, 2, 12, 120),
    ("LSW", "culture", "反诈宣传讲座", "丽水湾睦邻点", 4, 2, 60, 0),
    ("LSW", "volunteer", "为独居老人送冬至汤圆", "丽水湾睦邻点", 9, 3, 10, 180),
    ("LSW", "culture", "冬至包馄饨", "丽水湾睦邻点食堂", 10, 2, 30, 0),
    ("ZXXY", "culture", "沪剧欣赏会", "庄行新苑活动中心", 6, 2, 50, 0),
)


def seed(session: Session, *, now: datetime | None = None) -> list[str]:
    """Seed services, bookings and activities once (nothing when a service exists already)."""
    if session.scalar(select(Service.id).limit(1)) is not None:
        return []
    now = now or utcnow()
    rng = random.Random(20261128)
    areas = {a.code: a for a in session.scalars(select(Area).where(Area.code.in_(("ZHX", "LSW", "ZXXY"))))}
    units = {u.name: u for u in session.scalars(select(Unit))}
    staff = {code: session.scalar(select(User).where(User.role == Role.STAFF, User.area_path == areas[code].path))
             for code in ("LSW", "ZXXY")}
    people = {"LSW": _accounts(session, rng, areas["LSW"], 40), "ZXXY": []}
    for phone in ("13800000005", "13800000004", "13800000007"):
        user = session.scalar(select(User).where(User.phone == phone))
        if user is not None:
            people["ZXXY" if user.area_path.startswith(areas["ZXXY"].path) else "LSW"].append(user)
    services, bookings = [], 0
    for code, category, title, place, provider, (days, start, end), minutes, capacity, policy in SERVICES:
        area = areas[code or "ZHX"]
        service = Service(area_id=area.id, area_path=area.path, area=area, kind="slots", category=category,
                          title=title, place=place, provider_unit_id=units[provider].id if provider else None,
                          status="published", slot_minutes=minutes, capacity=capacity, book_ahead_days=14,
                          waitlist=True, created_by_id=(staff.get(code) or staff["LSW"]).id, **policy)
        service.rules = [ScheduleRule(weekday=d, start_minute=_minute(start), end_minute=_minute(end)) for d in days]
        session.add(service)
        session.flush()
        services.append(service)
        if category == "haircut" and code == "LSW":  # 每月第二周加开周四场, and New Year's Day off
            extra = schedule.local_day(now) + timedelta(days=(3 - schedule.local_day(now).weekday()) % 7 + 7)
            session.add(ScheduleException(service_id=service.id, day=extra, kind="extra", start_minute=14 * 60,
                                          end_minute=15 * 60, note="加开场次"))
        session.flush()
        schedule.generate(session, service, now=now)
        _past_slots(session, service, now)
        who = people[code] if code else people["LSW"] + people["ZXXY"]
        bookings += _bookings(session, rng, service, who, now)
    requests = _requests(session, rng, areas, units, staff, people, now)
    activities = _activities(session, rng, areas, units, staff, people, now)
    session.flush()
    return [f"{len(services) + len(ON_REQUEST)} services", f"{bookings} bookings", f"{requests} service requests",
            f"{activities} activities"]


def _minute(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _accounts(session: Session, rng: random.Random, community: Area, n: int) -> list[User]:
    """Demo accounts for the community's oldest residents (so that lunch and haircut rosters are real)."""
    elderly = list(session.scalars(select(Resident).join(ResidentTag).where(
        ResidentTag.tag == Tag.ELDERLY_ALONE, Resident.area_path.startswith(community.path))
        .order_by(Resident.id).limit(n)))
    password = hash_password("Steward@2026")
    users = []
    for i, resident in enumerate(elderly):
        users.append(User(phone=DEMO_PHONES.format(i + 1), name=resident.name, password_hash=password,
                          role=Role.RESIDENT, area_id=community.id, area_path=community.path,
                          resident_id=resident.id))
    session.add_all(users)
    session.flush()
    return users


def _past_slots(session: Session, service: Service, now: datetime) -> None:
    """The last three weeks' slots, as the job would have generated them then."""
    today = schedule.local_day(now)
    for at, w in schedule.wanted_slots(service, [], today - timedelta(days=PAST_DAYS), today).items():
        if at <= now:
            session.add(Slot(service_id=service.id, day=w.day, starts_at=w.starts_at, ends_at=w.ends_at,
                             capacity=w.capacity, booked=0, waiting=0, status="open", source=w.source))
    session.flush()


def _bookings(session: Session, rng: random.Random, service: Service, people: list[User], now: datetime) -> int:
    slots = list(session.scalars(select(Slot).where(Slot.service_id == service.id).order_by(Slot.starts_at)))
    made = 0
    for slot in slots:
        past = slot.starts_at <= now
        fill = rng.random() * (1.0 if past else 0.8)
        chosen = rng.sample(people, k=min(len(people), round(slot.capacity * fill)))
        queue = rng.sample([p for p in people if p not in chosen], k=min(2, len(people) - len(chosen))) \
            if not past and len(chosen) == slot.capacity and rng.random() < 0.5 else []
        for i, user in enumerate(chosen + queue):
            waiting = i >= len(chosen)
            if past:
                status = rng.choices(("checked_in", "no_show", "cancelled"), weights=(85, 10, 5))[0]
            else:
                status = "waiting" if waiting else rng.choices(("booked", "cancelled"), weights=(92, 8))[0]
            created = slot.starts_at - timedelta(days=rng.randint(1, 10), minutes=rng.randint(0, 600))
            b = Booking(slot_id=slot.id, service_id=service.id, user_id=user.id, resident_id=user.resident_id,
                        area_path=service.area_path, starts_at=slot.starts_at, status=status, code=new_code(),
                        created_at=min(created, now), updated_at=min(created, now))
            if status == "checked_in":
                b.checked_in_at = slot.starts_at + timedelta(minutes=rng.randint(-10, 10))
            if status == "cancelled":
                b.cancelled_at, b.cancelled_by_id = min(created + timedelta(hours=5), now), user.id
            session.add(b)
            if status in ("booked", "checked_in", "no_show"):
                slot.booked += 1
            elif status == "waiting":
                slot.waiting += 1
            made += 1
    session.flush()
    return made


def _requests(session, rng, areas, units, staff, people, now) -> int:
    made = 0
    for code, category, title, provider, description in ON_REQUEST:
        area = areas[code]
        service = Service(area_id=area.id, area_path=area.path, area=area, kind="on_request", category=category,
                          title=title, description=description, status="published", max_active_per_resident=2,
                          provider_unit_id=units[provider].id if provider else None, created_by_id=staff[code].id)
        session.add(service)
        session.flush()
        if category != "medicine" or not people[code]:
            continue
        handler = staff[code]
        for i in range(8):
            user = people[code][i % len(people[code])]
            created = now - timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 10))
            status = "submitted" if i < 2 else rng.choice(("accepted", "scheduled", "done", "done", "declined"))
            req = ServiceRequest(service_id=service.id, user_id=user.id, resident_id=user.resident_id,
                                 area_path=area.path, status=status, details=rng.choice(MEDICINES),
                                 address=user.resident.household.address if user.resident else None,
                                 preferred_note=rng.choice(("工作日上午", "下午三点以后", "越快越好")),
                                 created_at=created, updated_at=created)
            session.add(req)
            session.flush()
            events = [("submitted", None, "submitted", req.details, user)]
            if status in ("accepted", "scheduled", "done"):
                events.append(("accept", "submitted", "accepted", None, handler))
            if status in ("scheduled", "done"):
                req.scheduled_at = created + timedelta(days=1)
                events.append(("schedule", "accepted", "scheduled", "志愿者明天上午送到", handler))
            if status == "done":
                req.done_at = created + timedelta(days=1, hours=2)
                events.append(("complete", "scheduled", "done", "药已送到，已当面核对。", handler))
                if rng.random() < 0.7:
                    req.rating, req.rating_comment = rng.choice((4, 5, 5)), "谢谢志愿者！"
            if status == "declined":
                events.append(("decline", "submitted", "declined", "处方药需本人到医院就诊，已电话说明。", handler))
            for k, (kind_, before, after, note, actor) in enumerate(events):
                session.add(RequestEvent(request_id=req.id, at=created + timedelta(hours=3 * k), kind=kind_,
                                         actor_id=actor.id, actor_role=actor.role, actor_name=actor.name,
                                         from_status=before, to_status=after, note=note))
            made += 1
    return made


def _activities(session, rng, areas, units, staff, people, now) -> int:
    volunteer = session.scalar(select(User).where(User.phone == "13800000004"))
    for code, kind_, title, place, days, hours, capacity, minutes in ACTIVITIES:
        area = areas[code]
        day = schedule.local_day(now) + timedelta(days=days)
        starts = schedule.at_local(day, 14 * 60 if kind_ == "culture" else 9 * 60)
        past = days < 0
        activity = Activity(area_id=area.id, area_path=area.path, area=area, kind=kind_, title=title, place=place,
                            starts_at=starts, ends_at=starts + timedelta(hours=hours),
                            signup_deadline=starts - timedelta(hours=12), capacity=capacity, booked=0,
                            volunteer_minutes=minutes, status="completed" if past else "published",
                            summary="活动圆满结束，感谢大家参与！" if past else None, created_by_id=staff[code].id,
                            unit_id=units["丽水湾红管家志愿者服务队"].id if kind_ == "volunteer" else None,
                            description=f"{title}，欢迎居民踊跃报名。")
        session.add(activity)
        session.flush()
        joiners = ([volunteer] if kind_ == "volunteer" and volunteer and code == "LSW" else []) + (
            [] if kind_ == "volunteer" else rng.sample(people[code], k=min(len(people[code]), capacity // 2)))
        for user in joiners:
            status = ("checked_in" if rng.random() < 0.9 or kind_ == "volunteer" else "no_show") if past else "signed_up"
            session.add(Signup(activity_id=activity.id, user_id=user.id, resident_id=user.resident_id,
                               area_path=area.path, role="volunteer" if kind_ == "volunteer" else "participant",
                               status=status, code=new_code(), created_at=starts - timedelta(days=3),
                               checked_in_at=starts if status == "checked_in" else None,
                               minutes_credited=minutes if past and kind_ == "volunteer" else 0))
            activity.booked += 1
    session.flush()
    return len(ACTIVITIES)
