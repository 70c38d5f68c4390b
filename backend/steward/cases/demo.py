"""Demo data for cases: the town's default categories (the seed's 五乱 and more) and a few hundred cases
over recent weeks in every mode, state and level, so a new user sees a living town."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..alliances.models import Unit
from ..areas.models import Area, AreaKind, Stairwell
from ..db import utcnow
from ..people.models import Resident, Role, User
from .models import Case, CaseEvent, CasePart, Category, Level, Mediation, Status

# code, 中文, English, mode, SLA hours (grid, section, community, town), unit kind, private, hint, questions
CATEGORIES = (
    ("clutter", "乱堆物", "Clutter in common areas", "now", (24, 48, 72, 120), "property_company", False,
     "楼道、消防通道、绿地上堆放杂物", []),
    ("parking", "乱停车", "Illegal parking", "now", (12, 24, 48, 96), "property_company", False,
     "占用消防通道、绿地或他人车位", []),
    ("wiring", "乱拉线", "Stray cables", "now", (24, 48, 72, 120), "property_company", False,
     "私拉电线、网线横穿楼道", []),
    ("drying", "乱晾晒", "Laundry in public spaces", "now", (24, 48, 72, 120), None, False,
     "在公共绿化、健身器材上晾晒", []),
    ("litter", "乱扔垃圾", "Littering", "now", (12, 24, 48, 96), "property_company", False,
     "垃圾未分类、未投放到位", []),
    ("stairwell_mess", "楼道脏乱差", "Dirty stairwell", "now", (24, 48, 72, 120), "property_company", False,
     "楼道卫生差、堆物、小广告", []),
    ("flying_charging", "飞线充电", "Charging e-bikes from flying leads", "now", (6, 12, 24, 72), "property_company",
     False, "电动车飞线充电、楼道内充电，有火灾隐患", []),
    ("illegal_building", "违章搭建", "Illegal building", "joint", (72, 120, 168, 336), "government_department",
     False, "阳台外扩、屋顶搭建、占用公共部位", [
         {"key": "stage", "label_zh": "搭建情况", "label_en": "Stage", "type": "choice", "required": True,
          "choices": ["正在施工", "已建成"]}]),
    ("illegal_rental", "群租/违规出租", "Illegal subletting", "joint", (72, 120, 168, 336), "government_department",
     False, "一房多租、隔断出租、人员频繁进出", [
         {"key": "people", "label_zh": "估计居住人数", "label_en": "People living there (estimate)",
          "type": "number", "required": False}]),
    ("neighbour_dispute", "邻里纠纷", "Neighbour dispute", "mediate", (48, 96, 168, 336), "legal_service", True,
     "噪音、漏水、宠物、占用公共空间等纠纷", [
         {"key": "kind", "label_zh": "纠纷类型", "label_en": "Kind of dispute", "type": "choice", "required": True,
          "choices": ["噪音", "漏水", "宠物", "占用公共空间", "其他"]}]),
    ("green_damage", "毁绿种菜", "Vegetable plots on green space", "joint", (48, 96, 168, 336), "property_company",
     False, "毁坏公共绿化种菜、圈地", []),
    ("facility_damage", "设施损坏", "Damaged facilities (e.g. an open manhole)", "joint", (4, 8, 24, 48),
     "government_department", False, "窨井盖缺失、路灯不亮、健身器材损坏等，有安全隐患请立即上报", [
         {"key": "danger", "label_zh": "是否有人身安全隐患", "label_en": "Is anyone in danger?", "type": "choice",
          "required": True, "choices": ["是", "否"]}]),
)

TEXTS = {
    "clutter": ["{where}一楼楼道堆满纸箱和旧家具，老人进出不方便。", "{where}消防通道被杂物堵住了。"],
    "parking": ["小区东门消防通道长期有车停放。", "{where}楼下绿地上停了一辆面包车。"],
    "wiring": ["{where}有住户从窗口拉电线下来给电瓶车充电。", "网线横穿{where}楼道，容易绊倒。"],
    "drying": ["有人在健身器材上晾被子。", "{where}楼前绿化带上拉绳晾衣服。"],
    "litter": ["{where}楼下垃圾厢房旁边堆了好几袋没分类的垃圾。", "有人从楼上往下扔垃圾。"],
    "stairwell_mess": ["{where}楼道里小广告贴满了墙，地面很脏。", "{where}楼道扶手积灰很厚，灯也不亮。"],
    "flying_charging": ["{where}有人把电瓶车推进楼道充电，晚上一直插着。", "{where}窗口垂下一根电线给楼下电瓶车充电。"],
    "illegal_building": ["{where}顶楼住户在屋顶搭了一间彩钢板房。", "{where}一楼住户把院子围起来搭了阳光房。"],
    "illegal_rental": ["{where}这户好像隔成了很多小间出租，每天进出很多陌生人。", "{where}有住户群租，楼道里堆满了鞋子。"],
    "neighbour_dispute": ["楼上{where}晚上经常很吵，沟通了几次没有用。", "楼上卫生间漏水，渗到我家天花板，楼上不肯修。"],
    "green_damage": ["{where}楼前的绿化被挖掉种了菜。", "有人在小区中心绿地圈地种菜，还浇粪水，气味很大。"],
    "facility_damage": ["{where}旁边的窨井盖不见了，晚上很危险。", "{where}门口路灯坏了好几天。"],
}
LEVEL_ZH = {"grid": "网格", "section": "标段", "community": "居民区", "town": "镇"}
WEIGHTS = {"clutter": 9, "parking": 7, "wiring": 4, "drying": 4, "litter": 8, "stairwell_mess": 9, "flying_charging": 6,
           "illegal_building": 3, "illegal_rental": 3, "neighbour_dispute": 5, "green_damage": 3, "facility_damage": 4}


def seed_categories(session: Session, town: Area) -> int:
    for order, (code, zh, en, mode, sla, unit_kind, private, hint, questions) in enumerate(CATEGORIES):
        session.add(Category(area_id=town.id, area_path=town.path, code=code, name_zh=zh, name_en=en, hint_zh=hint,
                             default_mode=mode, sla_grid_hours=sla[0], sla_section_hours=sla[1],
                             sla_community_hours=sla[2], sla_town_hours=sla[3], unit_kind=unit_kind,
                             private_by_default=private, questions=questions, sort_order=order))
    session.flush()
    return len(CATEGORIES)


def seed_cases(session: Session, *, now: datetime | None = None, per_community: dict[str, int] | None = None) -> int:
    """A few hundred cases of the last six weeks (deterministic), with consistent timelines."""
    now = now or utcnow()
    rng = random.Random(20261127)
    categories = {c.code: c for c in session.scalars(select(Category))}
    units = list(session.scalars(select(Unit)))
    per_community = per_community or {"LSW": 220, "ZXXY": 70, "SGW": 40}
    made = 0
    for code, count in per_community.items():
        community = session.scalar(select(Area).where(Area.code == code))
        stairwells = list(session.scalars(select(Stairwell).where(Stairwell.community_id == community.id)))
        grids = {a.id: a for a in session.scalars(select(Area).where(Area.kind == AreaKind.GRID,
                                                                    Area.path.startswith(community.path)))}
        staff = session.scalar(select(User).where(User.role == Role.STAFF, User.area_path == community.path))
        volunteers = list(session.scalars(select(User).where(User.role == Role.VOLUNTEER,
                                                             User.area_path.startswith(community.path))))
        residents = list(session.scalars(select(Resident.name).where(Resident.area_path.startswith(community.path))
                                         .limit(300)))
        account = session.scalar(select(User).where(User.role == Role.RESIDENT, User.area_path == community.path,
                                                    User.resident_id.is_not(None)))
        local_units = [u for u in units if community.path.startswith(u.area_path)]
        for i in range(count):
            code_ = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
            age_hours = rng.uniform(0.5, 42 * 24) if i % 9 else rng.uniform(0.5, 72)
            reporter = account if account is not None and i % 23 == 0 else None
            _one_case(session, rng, now, categories[code_], community, rng.choice(stairwells), grids, staff,
                      volunteers, residents, reporter, local_units, age_hours)
            made += 1
    _manhole_alert(session, now, categories["facility_damage"], units)
    session.flush()
    return made + 1


def _one_case(session, rng, now, category, community, stairwell, grids, staff, volunteers, residents, reporter,
              units, age_hours):
    created = now - timedelta(hours=age_hours)
    grid = grids[stairwell.grid_id]
    text = rng.choice(TEXTS[category.code]).format(where=stairwell.label)
    answers = {q["key"]: rng.choice(q["choices"]) if q["type"] == "choice" else rng.randint(6, 14)
               for q in category.questions if q.get("required") or rng.random() < 0.5}
    channel = "app" if reporter else rng.choice(["app", "grid_walk", "grid_walk", "phone"])
    case = Case(category_id=category.id, mode=category.default_mode, status=Status.SUBMITTED, level=Level.GRID,
                title=category.name_zh, description=text, answers=answers, community_id=community.id,
                grid_id=grid.id, stairwell_id=stairwell.id, area_path=grid.path, channel=channel,
                reporter_id=reporter.id if reporter else None,
                reporter_name=reporter.name if reporter else rng.choice(residents) if residents else "居民",
                is_private=category.private_by_default, is_public=False, created_at=created, updated_at=created,
                level_since=created, due_at=created + timedelta(hours=category.sla_grid_hours))
    session.add(case)
    session.flush()
    events: list[CaseEvent] = []

    def event(kind, at, actor, *, note=None, frm=None, to=None, data=None):
        events.append(CaseEvent(case_id=case.id, at=at, kind=kind, actor_id=actor.id if actor else None,
                                actor_role=actor.role if actor else "system", actor_name=actor.name if actor else "系统",
                                from_status=frm, to_status=to, note=note, data=data))

    def move(to, at, actor, kind, note=None, data=None):
        event(kind, at, actor, note=note, frm=case.status, to=to, data=data)
        case.status, case.updated_at = to, at

    event("submitted", created, reporter, to=Status.SUBMITTED, data={"channel": channel, "mode": case.mode})
    # How far along: older cases are mostly done; a few are stuck and escalate.
    progress = min(1.0, age_hours / (category.sla_grid_hours * 1.5)) * rng.uniform(0.6, 1.4)
    stuck = rng.random() < 0.12
    t = created + timedelta(hours=min(age_hours * 0.1, rng.uniform(0.2, 3)))
    if progress < 0.15 and not stuck:
        _finish(session, case, events)
        return
    if rng.random() < 0.04:
        move(Status.REJECTED, t, staff, "reject", note="经核实不属于居委受理范围，已告知当事人向相关部门反映。")
        _finish(session, case, events)
        return
    move(Status.ACCEPTED, t, staff, "accept")
    t += timedelta(hours=rng.uniform(0.3, 4))
    if case.mode == "now" and volunteers:
        volunteer = rng.choice(volunteers)
        case.assignee_id = volunteer.id
        move(Status.ASSIGNED, t, staff, "assign", data={"assignee_id": volunteer.id, "name": volunteer.name})
        handler = volunteer
    else:
        wanted = [u for u in units if u.kind == category.unit_kind] or units[:1]
        chosen = wanted[:1] if case.mode == "mediate" else wanted[:2] if len(wanted) > 1 else wanted
        if case.mode == "joint":
            chosen = list({u.id: u for u in chosen + [u for u in units if u.kind == "property_company"][:1]}.values())
        for unit in chosen:
            session.add(CasePart(case_id=case.id, unit_id=unit.id, created_at=t,
                                 task="请核实情况并按职责处置，处置结果上传照片。"))
        move(Status.ASSIGNED, t, staff, "dispatch", data={"unit_ids": [u.id for u in chosen],
                                                          "units": [u.name for u in chosen]})
        handler = staff
    if stuck and t + timedelta(hours=category.sla_grid_hours) < now:
        # Nobody finished in time: the job raised it, maybe twice.
        level_at = created + timedelta(hours=category.sla_grid_hours)
        for target in (Level.SECTION, Level.COMMUNITY, Level.TOWN):
            if level_at > now or (target == Level.TOWN and rng.random() < 0.5):
                break
            event("escalated", level_at, None, note=f"超过{LEVEL_ZH[case.level]}处置时限，自动上报。",
                  data={"from": case.level, "to": target})
            case.level, case.level_since = target, level_at
            case.due_at = level_at + timedelta(hours=category.sla_hours(target))
            level_at = case.due_at
        _finish(session, case, events)
        return
    t += timedelta(hours=rng.uniform(0.5, category.sla_grid_hours * 0.4))
    if t > now:
        _finish(session, case, events)
        return
    move(Status.IN_PROGRESS, t, handler, "start")
    if case.mode == "mediate":
        session.add(Mediation(case_id=case.id, unit_id=_unit_id(units, "legal_service"), held_at=t,
                              parties="当事双方及楼组长", outcome=rng.choice(["agreed", "agreed", "partial"]),
                              agreement="双方同意：晚十点后不再发出噪音；漏水由楼上负责维修，费用双方协商分担。",
                              recorded_by_id=staff.id if staff else None))
        event("mediation", t, staff, note="在公共法律服务工作站调解，双方达成一致。", data={"outcome": "agreed"})
    t += timedelta(hours=rng.uniform(1, category.sla_grid_hours * 0.8))
    if t > now or progress < 0.6:
        _finish(session, case, events)
        return
    session.flush()
    for part in session.scalars(select(CasePart).where(CasePart.case_id == case.id)):
        part.status, part.done_at, part.note = "done", t, "已处置完毕。"
    move(Status.RESOLVED, t, handler, "resolve", note=rng.choice(["已清理完毕。", "已整改到位。", "已处理，请查看。"]))
    case.resolved_at = t
    t += timedelta(hours=rng.uniform(2, 60))
    if t > now:
        _finish(session, case, events)
        return
    rated = rng.random() < 0.7
    if reporter is not None:
        move(Status.CLOSED, t, reporter, "confirm")
    else:
        move(Status.CLOSED, t, staff, "close", note="电话回访，居民确认已处理。" if rated else None)
    if rated:
        case.rating = rng.choices([5, 4, 3, 2], weights=[70, 20, 7, 3])[0]
        case.rated_at = t
        case.rating_comment = rng.choice([None, "处理很及时，谢谢！", "志愿者很负责。", "希望以后多巡查。"])
        event("rated", t, reporter or staff, note=case.rating_comment, data={"rating": case.rating})
    case.closed_at = t
    _finish(session, case, events)


def _finish(session, case, events) -> None:
    session.add_all(events)


def _unit_id(units, kind):
    return next((u.id for u in units if u.kind == kind), None)


def _manhole_alert(session, now, category, units) -> None:
    """The seed's open manhole on 钜庭路: a public hazard alert for 丽水湾's neighbours."""
    community = session.scalar(select(Area).where(Area.code == "LSW"))
    staff = session.scalar(select(User).where(User.role == Role.STAFF, User.area_path == community.path))
    created = now - timedelta(hours=3)
    case = Case(category_id=category.id, mode="joint", status=Status.ASSIGNED, level=Level.COMMUNITY,
                title="钜庭路窨井盖缺失",
                description="钜庭路近小区北门人行道上的窨井盖不见了，已临时用锥桶围住，请过往居民注意安全。",
                answers={"danger": "是"}, community_id=community.id, lat=30.9152, lon=121.3968,
                address="钜庭路（丽水湾北门附近）", area_path=community.path, channel="phone", reporter_name="过路居民",
                is_private=False, is_public=True, created_at=created, updated_at=created, level_since=created,
                due_at=created + timedelta(hours=category.sla_community_hours))
    session.add(case)
    session.flush()
    city = next(u for u in units if u.kind == "government_department")
    session.add(CasePart(case_id=case.id, unit_id=city.id, created_at=created, task="补装窨井盖"))
    for kind, to, note in (("submitted", Status.SUBMITTED, None), ("accept", Status.ACCEPTED, "已现场设置警示"),
                           ("dispatch", Status.ASSIGNED, "已派城建中心补装")):
        session.add(CaseEvent(case_id=case.id, at=created, kind=kind, actor_id=staff.id, actor_role=staff.role,
                              actor_name=staff.name, to_status=to, note=note))
