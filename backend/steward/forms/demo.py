"""Demo registration forms: 丽水湾's 返沪人员登记 (once per resident) and 活动报名 (many times), with three
weeks of answers from residents with accounts (the demo accounts themselves have not answered yet, so
the demo resident can fill one in), and 庄行新苑's closed 疫苗接种意向 survey."""
from __future__ import annotations

import json
import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..areas.models import Area, Household
from ..dashboard.registry import TOWN_TZ
from ..db import utcnow
from ..people import pii
from ..people.models import Role, User
from .models import Form, FormStatus, FormSubmission
from .service import _masked

DEMO_PHONES = tuple(f"138000000{i:02d}" for i in range(10))
CONSENT = {"key": "agree", "label": "我同意居委会为疫情防控和服务联系使用以上信息", "type": "consent", "required": True}
RETURN_FIELDS = [
    {"key": "name", "label": "姓名", "type": "text", "required": True},
    {"key": "phone", "label": "联系电话", "type": "phone", "required": True},
    {"key": "id_card", "label": "身份证号", "type": "id_card", "required": False},
    {"key": "back_on", "label": "返沪日期", "type": "date", "required": True},
    {"key": "from_where", "label": "出发地", "type": "single", "required": True, "options": ["本市", "外省市", "境外"]},
    {"key": "people", "label": "同行人数", "type": "number", "required": False, "min": 0, "max": 20},
    {"key": "health", "label": "目前身体状况", "type": "single", "required": True, "options": ["正常", "发热", "其他不适"]},
    CONSENT,
]
SIGNUP_FIELDS = [
    {"key": "name", "label": "姓名", "type": "text", "required": True},
    {"key": "phone", "label": "联系电话", "type": "phone", "required": True},
    {"key": "activity", "label": "报名活动", "type": "single", "required": True,
     "options": ["重阳节敬老茶话会", "垃圾分类宣传志愿者", "老年书法班", "亲子手工课"]},
    {"key": "people", "label": "参加人数", "type": "number", "required": True, "min": 1, "max": 5},
    {"key": "needs", "label": "需要的协助", "type": "multi", "required": False, "options": ["接送", "轮椅", "午餐"]},
    {"key": "note", "label": "备注", "type": "text", "required": False, "max_length": 200},
]
VACCINE_FIELDS = [
    {"key": "name", "label": "姓名", "type": "text", "required": True},
    {"key": "intent", "label": "是否愿意接种流感疫苗", "type": "single", "required": True, "options": ["愿意", "暂不", "已接种"]},
    CONSENT,
]


def _id_card(rng: random.Random) -> str:
    born = date(1940, 1, 1) + timedelta(days=rng.randint(0, 365 * 60))
    first = f"310226{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return first + pii.id_card_check_digit(first)


def _answer(session: Session, form: Form, user: User, answers: dict, at) -> None:
    personal = {k: v for k, v in answers.items() if k in ("phone", "id_card")}
    clear = {k: v for k, v in answers.items() if k not in personal}
    household = session.get(Household, user.resident.household_id)
    session.add(FormSubmission(
        form_id=form.id, user_id=user.id, once_key=None if form.multiple else user.id, household_id=household.id,
        area_path=household.area_path, answers=_masked(form.fields, clear, personal),
        sealed=pii.encrypt(json.dumps(personal, ensure_ascii=False)) if personal else None,
        created_at=at, updated_at=at))
    form.submissions_count += 1


def seed_forms(session: Session) -> int:
    rng = random.Random(20261127)
    now = utcnow()
    lsw = session.scalar(select(Area).where(Area.code == "LSW"))
    zxxy = session.scalar(select(Area).where(Area.code == "ZXXY"))
    staff = session.scalar(select(User).where(User.role == Role.STAFF, User.area_path == lsw.path))
    people = session.scalars(select(User).where(
        User.role == Role.RESIDENT, User.resident_id.is_not(None), User.area_path.startswith(lsw.path),
        User.phone.not_in(DEMO_PHONES), User.is_active.is_(True)).order_by(User.id).limit(120)).all()
    back = Form(title="返沪人员登记", area_id=lsw.id, area_path=lsw.path, fields=RETURN_FIELDS, multiple=False,
                description="近期从外省市或境外返沪的居民，请在返沪后 24 小时内登记，居委会将提供健康提示和必要帮助。\n"
                            "信息仅用于社区服务，截止后居委会统一归档。",
                deadline=now + timedelta(days=10), status=FormStatus.PUBLISHED, published_at=now - timedelta(days=20),
                created_by_id=staff.id if staff else None, created_at=now - timedelta(days=21))
    signup = Form(title="活动报名", area_id=lsw.id, area_path=lsw.path, fields=SIGNUP_FIELDS, multiple=True,
                  description="丽水湾居委会十二月活动报名，每项活动可分别报名。名额有限，报满即止。",
                  deadline=now + timedelta(days=5), status=FormStatus.PUBLISHED, published_at=now - timedelta(days=14),
                  created_by_id=staff.id if staff else None, created_at=now - timedelta(days=15))
    vaccine = Form(title="疫苗接种意向登记", area_id=zxxy.id, area_path=zxxy.path, fields=VACCINE_FIELDS, multiple=False,
                   description="为 60 岁以上居民统计流感疫苗接种意向。", deadline=now - timedelta(days=3),
                   status=FormStatus.CLOSED, published_at=now - timedelta(days=30), created_at=now - timedelta(days=31))
    session.add_all([back, signup, vaccine])
    session.flush()
    for i, user in enumerate(people[:46]):
        at = now - timedelta(days=rng.uniform(0.2, 20))
        _answer(session, back, user, {
            "name": user.name, "phone": user.phone, **({"id_card": _id_card(rng)} if i % 3 else {}),
            "back_on": (at - timedelta(days=rng.randint(0, 2))).astimezone(TOWN_TZ).date().isoformat(),
            "from_where": rng.choices(["本市", "外省市", "境外"], weights=[5, 12, 1])[0],
            "people": rng.randint(0, 3), "health": rng.choices(["正常", "发热", "其他不适"], weights=[30, 1, 2])[0],
            "agree": True}, at)
    for user in people[30:100]:
        for _ in range(rng.choice([1, 1, 1, 2])):
            at = now - timedelta(days=rng.uniform(0.1, 14))
            _answer(session, signup, user, {
                "name": user.name, "phone": user.phone,
                "activity": rng.choice(SIGNUP_FIELDS[2]["options"]), "people": rng.randint(1, 3),
                **({"needs": rng.sample(["接送", "轮椅", "午餐"], k=rng.randint(1, 2))} if rng.random() < 0.3 else {})}, at)
    session.flush()
    return 3
