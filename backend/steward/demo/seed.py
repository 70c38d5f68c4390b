"""Demo data of 庄行镇 (Zhuanghang, Fengxian District, Shanghai) — idempotent.

丽水湾 is built to the reference numbers (3 sections, 16 grids, 284 stairwells, 2100 households);
庄行新苑 and 沙港湾 (佳兆业8号) are smaller. Residents are generated from a fixed random seed, so every
install has the same people. The eight demo accounts share the password ``Steward@2026``.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..alliances.models import Unit, UnitKind
from ..areas.models import Area, AreaKind, Household, Stairwell
from ..auth.passwords import hash_password
from ..care import demo as care_demo
from ..care.models import CarePair
from ..cases import demo as cases_demo
from ..cases.models import Case, Category
from ..dashboard import demo as followers_demo
from ..db import db
from ..forms import demo as forms_demo
from ..forms.models import Form
from ..gallery import demo as gallery_demo
from ..gallery.models import GalleryPhoto
from ..notices import demo as notices_demo
from ..notices.models import Notice
from ..partners import demo as partners_demo
from ..people import pii
from ..people.models import HouseholdClaim, Resident, Role, Tag, User
from ..projects import demo as projects_demo
from ..projects.models import Project
from ..questions import demo as questions_demo
from ..questions.models import Question
from ..services import demo as services_demo
from ..topics import demo as topics_demo
from ..topics.models import Topic

DEMO_PASSWORD = "Steward@2026"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈任姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严覃武戴莫孔汤"  # noqa: E501
GIVEN_M = ["建国", "国强", "志明", "海峰", "伟", "军", "勇", "杰", "涛", "明", "超", "磊", "建华", "德福", "根宝", "金龙",
           "文斌", "鹏", "浩然", "子轩", "宇航", "俊杰", "家豪", "永康", "荣生", "阿三", "福根", "伯年"]
GIVEN_F = ["秀英", "桂英", "玉兰", "凤英", "美华", "丽娟", "静", "敏", "燕", "芳", "婷", "雪梅", "惠珍", "月娥", "小妹",
           "彩凤", "海燕", "佳怡", "欣怡", "梓涵", "雨桐", "思琪", "慧敏", "宝珍", "金妹", "阿娣"]


@dataclass(frozen=True)
class CommunitySpec:
    name: str
    code: str
    sections: int
    grids_per_section: tuple[int, ...]
    stairwells: int
    households: int
    residents: int
    office_phone: str  # the committee's phone (demo numbers)


TOWN = ("庄行镇", "ZHX")
COMMUNITIES = (
    CommunitySpec("丽水湾", "LSW", 3, (6, 5, 5), 284, 2100, 420, "021-57461001"),
    CommunitySpec("庄行新苑", "ZXXY", 2, (4, 3), 64, 480, 160, "021-57461002"),
    CommunitySpec("沙港湾（佳兆业8号）", "SGW", 2, (3, 2), 40, 300, 110, "021-57461003"),
)
ACCOUNTS = (  # phone, name, role, where
    ("13800000000", "平台管理员", Role.ADMIN, "town"),
    ("13800000001", "镇社区办 陆敏", Role.TOWN_STAFF, "town"),
    ("13800000002", "丽水湾居委 沈丽华", Role.STAFF, "LSW"),
    ("13800000003", "庄行新苑居委 顾建平", Role.STAFF, "ZXXY"),
    ("13800000004", "网格志愿者 张国强", Role.VOLUNTEER, "LSW-G01"),
    ("13800000005", "居民 王秀英", Role.RESIDENT, "LSW"),
    ("13800000006", "物业 钱志明（丽水湾物业）", Role.PARTNER, "LSW"),
    ("13800000007", "居民 李德福", Role.RESIDENT, "ZXXY"),
)


UNITS = (  # area code (None: town-wide), kind, name, contact, phone, description
    ("LSW", UnitKind.PARTY_BRANCH, "丽水湾居民区党总支", "沈丽华", "021-57460001", "居民区党组织，牵头红联盟"),
    ("LSW", UnitKind.PROPERTY_COMPANY, "丽水湾物业服务中心", "钱志明", "021-57460002", "小区物业：保洁、绿化、维修、停车"),
    ("LSW", UnitKind.VOLUNTEER_TEAM, "丽水湾红管家志愿者服务队", "张国强", "021-57460003", "党员志愿者：结对关爱、助餐、理发"),
    ("ZXXY", UnitKind.PARTY_BRANCH, "庄行新苑居民区党支部", "顾建平", "021-57460101", None),
    ("ZXXY", UnitKind.PROPERTY_COMPANY, "庄行新苑物业管理处", "朱海峰", "021-57460102", None),
    ("SGW", UnitKind.PROPERTY_COMPANY, "佳兆业物业沙港湾项目部", "何文斌", "021-57460201", None),
    (None, UnitKind.LEGAL_SERVICE, "庄行镇公共法律服务工作站", "林律师", "021-57460301", "协商办：邻里纠纷调解、法律咨询"),
    (None, UnitKind.GOVERNMENT_DEPARTMENT, "庄行镇城建中心", "陆工", "021-57460302", "联合办：违章搭建、群租整治"),
    (None, UnitKind.SOCIAL_ORGANISATION, "庄行镇社区卫生服务中心", "郑医生", "021-57460303", "家庭医生签约、上门随访"),
)
PARTNER_UNIT = "丽水湾物业服务中心"


def seed_demo(session: Session | None = None) -> str:
    """Load whatever part of the demo town is missing; running it again changes nothing.

    Runs inside the caller's unit of work (the ``seed-demo`` command opens one)."""
    session = session or db.session
    done = []
    if session.scalar(select(Area.id).where(Area.code == TOWN[1])) is None:
        done.append(_town(session))
    if session.scalar(select(Unit.id).limit(1)) is None:
        done.append(_units(session))
    if session.scalar(select(Category.id).limit(1)) is None:
        town = session.scalar(select(Area).where(Area.code == TOWN[1]))
        done.append(f"{cases_demo.seed_categories(session, town)} case categories")
    if session.scalar(select(Case.id).limit(1)) is None:
        done.append(f"{cases_demo.seed_cases(session)} cases")
    if session.scalar(select(CarePair.id).limit(1)) is None:
        done.append(f"{care_demo.seed_care(session)} care pairs")
    if session.scalar(select(Project.id).limit(1)) is None:
        done.append(f"{projects_demo.seed_projects(session)} joint projects")
    done += services_demo.seed(session)
    if session.scalar(select(Form.id).limit(1)) is None:  # followers first: the forms' answers are theirs
        done.append(f"{followers_demo.seed_followers(session)} follower accounts")
        done.append(f"{forms_demo.seed_forms(session)} registration forms")
    if session.scalar(select(Notice.id).limit(1)) is None:
        done.append(f"{notices_demo.seed_notices(session)} notices")
    if session.scalar(select(Topic.id).limit(1)) is None:
        done.append(f"{topics_demo.seed_topics(session)} topics")
    if session.scalar(select(Question.id).limit(1)) is None:
        done.append(f"{questions_demo.seed_questions(session)} questions")
    if session.scalar(select(GalleryPhoto.id).limit(1)) is None:
        done.append(f"{gallery_demo.seed_photos(session)} photos of activities and projects")
    done += filter(None, [partners_demo.seed_clients(session)])  # the demo api_key (make run prints it)
    phones = _office_phones(session)
    if phones:
        done.append(phones)
    session.flush()
    return "; ".join(done) if done else "demo data already present — nothing to do"


def _office_phones(session: Session) -> str | None:
    """Give the demo communities their committee's phone where none is set (databases seeded earlier)."""
    missing = {a.code: a for a in session.scalars(select(Area).where(
        Area.code.in_([c.code for c in COMMUNITIES]), Area.office_phone.is_(None)))}
    for spec in COMMUNITIES:
        if spec.code in missing:
            missing[spec.code].office_phone = spec.office_phone
    return f"{len(missing)} office phones" if missing else None


def _units(session: Session) -> str:
    areas = {a.code: a for a in session.scalars(select(Area))}
    for code, kind, name, contact, phone, description in UNITS:
        area = areas[code or TOWN[1]]
        session.add(Unit(area_id=area.id, area_path=area.path, kind=kind, name=name, contact_name=contact,
                         contact_phone=phone, description=description))
    session.flush()
    partner = session.scalar(select(User).where(User.role == Role.PARTNER, User.phone == "13800000006"))
    if partner is not None:
        partner.unit_id = session.scalar(select(Unit.id).where(Unit.name == PARTNER_UNIT))
    return f"{len(UNITS)} alliance units"


def _town(session: Session) -> str:
    rng = random.Random(20261125)
    town = _area(session, None, AreaKind.TOWN, *TOWN)
    counts = {"stairwells": 0, "households": 0, "residents": 0}
    households_by_code: dict[str, list[Household]] = {}
    for spec in COMMUNITIES:
        community = _area(session, town, AreaKind.COMMUNITY, spec.name, spec.code)
        grids: list[Area] = []
        g = 0
        for s in range(spec.sections):
            section = _area(session, community, AreaKind.SECTION, f"第{'一二三四五'[s]}标段", f"{spec.code}-S{s + 1}")
            for _ in range(spec.grids_per_section[s]):
                g += 1
                grids.append(_area(session, section, AreaKind.GRID, f"{g}号网格", f"{spec.code}-G{g:02d}"))
        households = _dwellings(session, community, grids, spec)
        households_by_code[spec.code] = households
        counts["stairwells"] += spec.stairwells
        counts["households"] += len(households)
        counts["residents"] += _residents(session, rng, households, spec.residents)
    _accounts(session, rng, town, households_by_code)
    return (f"seeded 庄行镇: {len(COMMUNITIES)} communities, {counts['stairwells']} stairwells, "
            f"{counts['households']} households, {counts['residents']} residents, {len(ACCOUNTS)} demo accounts")


def _area(session: Session, parent: Area | None, kind: AreaKind, name: str, code: str) -> Area:
    area = Area(parent_id=parent.id if parent else None, kind=kind, name=name, code=code,
                path=f"{parent.path if parent else '/'}pending-{code}/", depth=parent.depth + 1 if parent else 0)
    session.add(area)
    session.flush()
    area.path = f"{parent.path if parent else '/'}{area.id}/"
    return area


def _dwellings(session: Session, community: Area, grids: list[Area], spec: CommunitySpec) -> list[Household]:
    """Two units per building; stairwells spread evenly over the grids; 7–8 flats each."""
    per_grid, extra = divmod(spec.stairwells, len(grids))
    stairwells: list[Stairwell] = []
    i = 0
    for gi, grid in enumerate(grids):
        for _ in range(per_grid + (1 if gi < extra else 0)):
            stairwells.append(Stairwell(grid_id=grid.id, community_id=community.id, building=str(i // 2 + 1),
                                        unit=str(i % 2 + 1), area_path=grid.path))
            i += 1
    session.add_all(stairwells)
    session.flush()
    base, bigger = divmod(spec.households, spec.stairwells)
    households: list[Household] = []
    for si, stairwell in enumerate(stairwells):
        n = base + (1 if si < bigger else 0)
        rooms = [f"{floor}0{r}" for floor in range(1, 20) for r in (1, 2)][:n]
        households += [Household(stairwell_id=stairwell.id, room=room, area_path=stairwell.area_path)
                       for room in rooms]
    session.add_all(households)
    session.flush()
    return households


def _person(rng: random.Random, *, born: tuple[int, int]) -> dict:
    gender = rng.choice(("male", "female"))
    name = rng.choice(SURNAMES) + rng.choice(GIVEN_M if gender == "male" else GIVEN_F)
    birth = date(rng.randint(*born), 1, 1) + timedelta(days=rng.randint(0, 364))
    return {"name": name, "gender": gender, "birth_date": birth}


def _id_card(rng: random.Random, birth: date, gender: str) -> str:
    seq = rng.randint(0, 99) * 10 + (rng.choice((1, 3, 5, 7, 9)) if gender == "male" else rng.choice((0, 2, 4, 6, 8)))
    first17 = f"310120{birth:%Y%m%d}{seq:03d}"
    return first17 + pii.id_card_check_digit(first17)


def _new_resident(session, rng, household: Household, person: dict, tags: list[str],
                  used: set[str]) -> Resident:
    r = Resident(household_id=household.id, area_path=household.area_path, **person,
                 phone=f"1{rng.choice('35789')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}")
    card = _id_card(rng, person["birth_date"], person["gender"])
    digest = pii.digest(card)
    if digest not in used:  # ID numbers are unique; a rare generated clash just goes without one
        used.add(digest)
        r.id_card_cipher, r.id_card_digest, r.id_card_hint = pii.encrypt(card), digest, pii.mask_id_card(card)
    r.tags = tags
    session.add(r)
    return r


def _known_digests(session: Session) -> set[str]:
    return set(session.scalars(select(Resident.id_card_digest).where(Resident.id_card_digest.is_not(None))))


def _residents(session: Session, rng: random.Random, households: list[Household], target: int) -> int:
    used = _known_digests(session)
    made = 0
    for household in rng.sample(households, k=len(households)):
        if made >= target:
            break
        if rng.random() < 0.12:  # an elderly person living alone
            _new_resident(session, rng, household, _person(rng, born=(1932, 1955)),
                          [Tag.ELDERLY_ALONE] + ([Tag.HARDSHIP] if rng.random() < 0.25 else []), used)
            made += 1
            continue
        size = rng.choice((1, 2, 2, 3, 3, 4))
        hardship = rng.random() < 0.04
        for k in range(size):
            born = (1950, 1975) if k == 0 else (1955, 2018)
            person = _person(rng, born=born)
            tags = []
            if hardship:
                tags.append(Tag.HARDSHIP)
            if person["birth_date"].year < 2000 and rng.random() < 0.12:
                tags.append(Tag.PARTY_MEMBER)
            if person["birth_date"].year < 2005 and rng.random() < 0.09:
                tags.append(Tag.VOLUNTEER)
            _new_resident(session, rng, household, person, tags, used)
            made += 1
    session.flush()
    return made


def _accounts(session: Session, rng: random.Random, town: Area, households: dict[str, list[Household]]) -> None:
    password_hash = hash_password(DEMO_PASSWORD)
    areas = {a.code: a for a in session.scalars(select(Area))}
    for phone, name, role, where in ACCOUNTS:
        area = town if where == "town" else areas[where]
        user = User(phone=phone, name=name.split(" ")[-1].split("（")[0], role=role, area_id=area.id,
                    area_path=area.path, password_hash=password_hash)
        if role in (Role.RESIDENT, Role.VOLUNTEER):
            user.resident_id = _home_for(session, rng, households[where.split("-")[0]], area, user, role).id
        session.add(user)
    session.flush()
    # One self-registered resident waiting for the committee to verify the household claim.
    pending = User(phone="13800000008", name="赵美华", role=Role.RESIDENT, area_id=areas["LSW"].id,
                   area_path=areas["LSW"].path, password_hash=password_hash)
    session.add(pending)
    session.flush()
    household = households["LSW"][10]
    session.add(HouseholdClaim(user_id=pending.id, household_id=household.id, area_path=household.area_path))


def _home_for(session, rng, households: list[Household], area: Area, user: User, role: str) -> Resident:
    """The demo resident behind a resident or volunteer account (in ``area``), with a small family."""
    # Each demo account gets a household of its own that no generated resident lives in yet.
    occupied = set(session.scalars(select(Resident.household_id)))
    household = next(h for h in households if h.id not in occupied and h.area_path.startswith(area.path))
    born = (1950, 1960) if role == Role.RESIDENT else (1968, 1978)
    person = {"name": user.name, "gender": "female" if user.name.endswith("英") else "male",
              "birth_date": date(rng.randint(*born), 3, 12)}
    tags = [Tag.PARTY_MEMBER, Tag.VOLUNTEER] if role == Role.VOLUNTEER else []
    me = Resident(household_id=household.id, area_path=household.area_path, phone=user.phone, **person)
    me.tags = tags
    session.add(me)
    spouse = _person(rng, born=born)
    _new_resident(session, rng, household, spouse, [], _known_digests(session))
    session.flush()
    return me


def create_admin(*, phone: str, name: str, password: str) -> User:
    """A production install's first admin, scoped to the (first) town."""
    from marshmallow import ValidationError

    from ..core.schemas import Password, Phone, StrictSchema

    class AdminIn(StrictSchema):
        phone = Phone(required=True)
        password = Password(required=True)

    try:
        AdminIn().load({"phone": phone, "password": password})
    except ValidationError as e:
        raise SystemExit(f"not created: {e.messages}") from None
    session = db.session
    if session.scalar(select(User.id).where(User.phone == phone)) is not None:
        raise SystemExit("not created: this phone number is already registered")
    town = session.scalar(select(Area).where(Area.kind == AreaKind.TOWN).order_by(Area.id))
    if town is None:
        town = _area(session, None, AreaKind.TOWN, *TOWN)
    user = User(phone=phone, name=name, role=Role.ADMIN, area_id=town.id, area_path=town.path,
                password_hash=hash_password(password))
    session.add(user)
    session.flush()
    return user
