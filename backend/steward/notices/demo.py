"""Demo notices: an autumn-to-winter season of 庄行镇's notices in every category — the town's disclosures,
each community's notices, guides, seasonal tips, culture and civility campaigns, a grid's water cut and a
note for the elderly living alone — with read receipts, so read rates are real numbers.

Receipts: households with an account read in the app; others were told at the door by the grid's
volunteer or the committee (via ``door``). The demo resident 13800000005 has read some and not others,
so the app shows an unread badge. Deterministic (a fixed random seed); nothing is added once a notice exists."""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ..areas.models import Area, Household
from ..db import utcnow
from ..people.models import Resident, Role, User
from . import rendering
from .models import Category, Notice, NoticeHouseholdRead, NoticeRead, Status
from .service import _audience, _notify_once

C = Category
# (where: "town" | community code | grid code, category, title, body, days ago, pinned, tag, expires in days)
NOTICES = (
    ("town", C.DISCLOSURE, "庄行镇2026年民生实事项目进展公示",
     "## 项目进展\n\n| 项目 | 进度 |\n|---|---|\n| 老旧小区加装电梯 | 12 台已完工 |\n| 社区食堂 | 3 家已运营 |\n"
     "| 非机动车充电棚 | 28 处已建成 |\n\n如有意见建议，请于 12 月 10 日前联系所在居委会。", 40, False, None, None),
    ("town", C.IMPORTANT, "关于开展冬季燃气安全入户检查的通知",
     "各位居民：\n\n镇燃气安全专项小组将于 **12 月 1 日至 12 月 20 日** 逐户开展燃气安全检查，"
     "检查人员佩戴工作证，**不收取任何费用**。\n\n请家中留人配合；如不便，请与居委会预约时间。", 3, True, None, 30),
    ("town", C.GUIDE, "居住证办理指南",
     "**办理地点**：庄行镇社区事务受理服务中心\n\n**所需材料**：\n\n1. 身份证原件\n2. 租赁合同或房产证明\n"
     "3. 近期一寸照片\n\n**办理时限**：受理后 10 个工作日。", 60, False, None, None),
    ("town", C.GUIDE, "高龄老人津贴申领指南",
     "年满 **70 周岁** 的本镇户籍老人可申领高龄津贴。\n\n携带身份证、户口簿、银行卡到居委会申请，"
     "次月起按月发放。", 55, False, None, None),
    ("town", C.SEASONAL, "立冬：进补有讲究，老人防寒先护脚",
     "立冬过后气温下降，老年人晨练宜晚不宜早；饮食宜温热，少食生冷。睡前温水泡脚，有助睡眠。", 20, False, None, None),
    ("town", C.CIVILITY, "垃圾分类，从我做起",
     "湿垃圾请**破袋投放**，可回收物请投放至蓝色桶。每周六上午有志愿者在投放点指导。", 30, False, None, None),
    ("LSW", C.IMPORTANT, "丽水湾小区二次供水水箱清洗停水通知",
     "因二次供水水箱清洗，**11 月 29 日 8:00–16:00** 小区停水，请提前储水。给您带来不便，敬请谅解。",
     1, True, None, 5),
    ("LSW", C.CULTURE, "丽水湾重阳节文艺汇演报名",
     "欢迎有才艺的居民报名参加重阳节文艺汇演：合唱、戏曲、太极均可。报名截止 10 月 20 日。", 45, False, None, None),
    ("LSW", C.TIP, "冬季用电安全温馨提示",
     "电动自行车请到充电棚充电，**严禁飞线充电**和进楼道。取暖器使用时远离窗帘、被褥。", 12, False, None, None),
    ("LSW", C.DISCLOSURE, "丽水湾小区维修资金使用情况公示（三季度）",
     "三季度共使用维修资金 8.6 万元，用于 5 号楼屋面防水、12 号楼电梯更换钢丝绳。明细见居委会公示栏。",
     35, False, None, None),
    ("LSW-G01", C.IMPORTANT, "1号网格3号楼燃气管道改造停气通知",
     "3 号楼燃气立管改造，**12 月 2 日 9:00–15:00** 停气。施工期间请勿使用明火。", 0, False, None, 7),
    ("LSW", C.TIP, "独居老人冬季关爱：志愿者上门走访安排",
     "本月起志愿者每周上门走访一次，帮您检查水电燃气、测量血压。如有需要，请拨打居委会电话。",
     8, False, "elderly_alone", None),
    ("ZXXY", C.IMPORTANT, "庄行新苑电动自行车集中充电棚启用通知",
     "小区东门集中充电棚已建成启用，扫码充电，1 元 4 小时。**即日起严禁楼道停放和飞线充电。**", 5, True, None, 20),
    ("ZXXY", C.CULTURE, "庄行新苑“邻里节”百家宴",
     "11 月 16 日中午在小区广场举办邻里节百家宴，欢迎每户带一道拿手菜。", 18, False, None, None),
    ("ZXXY", C.SEASONAL, "小雪节气：注意保暖，预防流感",
     "社区卫生服务中心提供免费流感疫苗接种（60 岁以上），请携带身份证前往。", 6, False, None, None),
    ("ZXXY", C.CIVILITY, "文明养犬倡议书",
     "遛狗请牵绳、及时清理粪便；大型犬请勿进入儿童游乐区。", 25, False, None, None),
    ("SGW", C.DISCLOSURE, "沙港湾小区物业服务收费标准公示",
     "多层住宅 0.95 元/平方米·月，高层住宅 1.80 元/平方米·月，收费依据见物业服务合同。", 50, False, None, None),
    ("SGW", C.TIP, "沙港湾：天冷路滑，出行注意安全", "雨雪天气请走主干道，小区内坡道已铺设防滑垫。", 4, False, None, None),
    ("SGW", C.CULTURE, "沙港湾红管家读书角开放", "每周二、四下午在党群服务站开放，欢迎借阅。", 15, False, None, None),
)
SCHEDULED = ("LSW", C.CULTURE, "丽水湾元旦迎新长者联欢会",
             "12 月 31 日下午在小区活动室举办迎新联欢会，欢迎 60 岁以上长者参加。", -5, False, None, None)
DRAFT = ("LSW", C.GUIDE, "（草稿）租客登记办事指南", "草稿：待补充材料清单。", 0, False, None, None)


def seed_notices(session: Session) -> int:
    rng = random.Random(20261201)
    now = utcnow()
    areas = {a.code: a for a in session.scalars(select(Area))}
    town = next(a for a in areas.values() if a.kind == "town")
    staff = {code: session.scalar(select(User).where(User.role == Role.STAFF, User.area_path == areas[code].path))
             for code in ("LSW", "ZXXY", "SGW")}
    town_staff = session.scalar(select(User).where(User.role == Role.TOWN_STAFF))
    made = []
    for spec, status in [*((s, Status.PUBLISHED) for s in NOTICES), (SCHEDULED, Status.SCHEDULED),
                         (DRAFT, Status.DRAFT)]:
        where, category, title, body, days_ago, pinned, tag, expires = spec
        area = town if where == "town" else areas[where]
        author = town_staff if where == "town" else staff.get(where.split("-")[0])
        at = now - timedelta(days=days_ago, hours=rng.randint(1, 6))
        notice = Notice(area_id=area.id, area_path=area.path, category=category, title=title, body_md=body,
                        body_html=rendering.render(body), summary=rendering.plain_summary(body),
                        important=category == C.IMPORTANT, pinned=pinned, tag=tag, status=status, publish_at=at,
                        published_at=at if status == Status.PUBLISHED else None,
                        expire_at=now + timedelta(days=expires) if expires else None,
                        created_by_id=author.id if author else None, created_at=at - timedelta(hours=2))
        session.add(notice)
        made.append(notice)
    session.flush()
    for notice in made:
        if notice.status == Status.PUBLISHED:
            _notify_once(session, notice)  # important ones reach the inboxes of their audience
    accounts = {hid: uid for hid, uid in session.execute(
        select(Resident.household_id, User.id).join(User, User.resident_id == Resident.id))}
    helpers = {code: u.id for code, u in staff.items() if u}
    volunteer = session.scalar(select(User.id).where(User.role == Role.VOLUNTEER))
    demo_resident = session.scalar(select(User.id).where(User.phone == "13800000005"))
    for notice in made:
        if notice.status != Status.PUBLISHED:
            continue
        age = (now - notice.publish_at).days
        share = min(0.85, 0.12 + 0.03 * age) * rng.uniform(0.7, 1.1)  # older notices reached more households
        households = session.execute(select(Household.id, Household.area_path).where(*_audience(notice, "/"))).all()
        household_rows, person_rows = [], []
        for hid, path in households:
            if rng.random() >= share:
                continue
            read_at = notice.publish_at + timedelta(hours=rng.randint(1, max(2, age * 24)))
            user_id = accounts.get(hid)
            if user_id == demo_resident and notice.pinned:
                continue  # leaves the pinned ones unread for the demo's badge
            if user_id is not None:
                household_rows.append({"notice_id": notice.id, "household_id": hid, "via": "app",
                                       "by_user_id": user_id, "read_at": read_at})
                person_rows.append({"notice_id": notice.id, "user_id": user_id, "read_at": read_at})
            else:
                code = next((c for c, a in areas.items() if a.kind == "community" and path.startswith(a.path)), None)
                by = volunteer if code == "LSW" and rng.random() < 0.5 else helpers.get(code)
                household_rows.append({"notice_id": notice.id, "household_id": hid, "via": "door",
                                       "by_user_id": by, "read_at": read_at})
        if household_rows:
            session.execute(insert(NoticeHouseholdRead), household_rows)
        if person_rows:
            session.execute(insert(NoticeRead), person_rows)
    return len(made)
