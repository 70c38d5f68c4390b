"""Open311 on top of cases: categories as services, cases as service requests, timeline steps as updates.

Who sees which request is the cases read rule: without a key, a :class:`PublicPrincipal` of the
jurisdiction (its public hazard alerts); with a key, the client's :class:`ClientPrincipal` (what is
dispatched to its unit and what it created) plus those alerts. Nothing here names a person: no
reporter, no assignee, no actor; mobile and ID-card numbers typed into free text are masked.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from ..areas.models import Area, AreaKind, Stairwell
from ..cases import service as cases
from ..cases.models import DONE_STATUSES, Case, CaseEvent, Category
from ..core.errors import NotFound, invalid
from ..db import utcnow
from ..partners.principal import ClientPrincipal
from ..scope import PublicPrincipal, community_path, under, visible
from . import photos
from .schemas import TZ

WINDOW = timedelta(days=90)
MAX_ID = 2**31 - 1  # ids are 32-bit integers: a larger one names nothing (and PostgreSQL would refuse to compare it)
MEDIA_LINK = "media_link"  # the timeline event that keeps an Open311 media_url for the committee
MODE_ZH = {"now": "马上办", "mediate": "协商办", "joint": "联合办"}
LEVEL_ZH = {"grid": "网格", "section": "标段", "community": "居委会", "town": "镇"}
STATUS_ZH = {"submitted": "已提交", "accepted": "已受理", "assigned": "已派单", "in_progress": "处理中",
             "resolved": "已解决", "closed": "已办结", "rejected": "不予受理", "duplicate": "重复上报",
             "reopened": "已重新打开"}
PART_ZH = {"open": "待处理", "in_progress": "处理中", "done": "已完成"}
DATATYPE = {"text": "string", "number": "number", "choice": "singlevaluelist"}
DATATYPE_ZH = {"text": "文字，500 字以内", "number": "数字", "choice": "从列表中选一项"}
# Timeline steps shown as updates, in words; the notes of the steps written by those handling the case
# (never the reporter's own words, which may name people) follow the words.
UPDATE_TEXT = {
    "submitted": "已收到上报。", "accept": "居委会已受理。", "reject": "未予受理。", "assign": "已安排网格志愿者处理。",
    "dispatch": "已派给：{units}。", "start": "已开始处理。", "resolve": "已处理完毕。", "close": "已办结。",
    "confirm": "上报人确认问题已解决。", "reopen": "问题未解决，已重新打开。",
    "mark_duplicate": "与此前的同类上报重复，已合并处理。",
    "escalated": "已上报至{level}处理。", "deescalated": "已交回{level}处理。", "part_updated": "{unit}：{part}。",
    "comment": "处理进展：",
}
HANDLER_NOTES = frozenset({"accept", "reject", "start", "resolve", "close", "escalated", "deescalated", "part_updated",
                           "comment"})
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_ID_CARD = re.compile(r"(?<![0-9])(\d{3})\d{11}(\d{3}[0-9Xx])(?![0-9Xx])")


def mask(text: str | None, names: tuple[str | None, ...] = ()) -> str | None:
    """Free text with mobile and ID-card numbers masked (138****5678, 310***********1234), and the
    reporter's name, should they have written it, reduced to its first character (王**)."""
    if not text:
        return text
    text = _MOBILE.sub(r"\1****\2", _ID_CARD.sub(lambda m: m.group(1) + "*" * 11 + m.group(2), text))
    for name in names:
        for part in {name, name.split()[-1]} if name and name.strip() else ():
            if len(part) >= 2:
                text = text.replace(part, part[0] + "*" * (len(part) - 1))
    return text


def _local(at: datetime) -> str:
    return at.astimezone(TZ).strftime("%m月%d日 %H:%M")


# ------------------------------------------------------------------ who asks, and where
@dataclass(frozen=True)
class Caller:
    client: ClientPrincipal | None  # None: anonymous
    jurisdiction: Area

    @property
    def public(self) -> PublicPrincipal:
        return PublicPrincipal(area_path=self.jurisdiction.path)

    @property
    def principal(self):
        return self.client or self.public


def caller(session: Session, *, client: ClientPrincipal | None, jurisdiction_id: str | None) -> Caller:
    """The jurisdiction asked for (a community's or the town's code) or, by default, the client's area or
    the town. A client reaches only jurisdictions that contain its area or lie within it."""
    # Towns and communities and their codes are public: this lookup needs no scope.
    if jurisdiction_id:
        area = session.scalar(select(Area).where(Area.code == jurisdiction_id,
                                                 Area.kind.in_([AreaKind.TOWN, AreaKind.COMMUNITY])))
        reach = community_path(client) if client else None
        if area is None or (reach and not (area.path.startswith(reach) or reach.startswith(area.path))):
            raise NotFound("jurisdiction_id not found: {code}", type="jurisdiction", code=jurisdiction_id)
    elif client is not None:
        area = session.scalar(select(Area).where(Area.path == community_path(client)))
    else:
        towns = list(session.scalars(select(Area).where(Area.kind == AreaKind.TOWN).limit(2)))
        if len(towns) != 1:
            raise invalid({"jurisdiction_id": ["Say which jurisdiction (a community's or the town's code)."]})
        area = towns[0]
    return Caller(client=client, jurisdiction=area)


# ------------------------------------------------------------------ services
def services(session: Session, *, who: Caller) -> list[Category]:
    """The categories usable in the jurisdiction: the town's defaults and, for a community, its own (which
    replace a default of the same code)."""
    usable = [c for c in cases.list_categories(session, user=who.principal)
              if who.jurisdiction.path.startswith(c.area_path)]
    by_code: dict[str, Category] = {}
    for category in sorted(usable, key=lambda c: len(c.area_path)):
        by_code[category.code] = category
    return sorted(by_code.values(), key=lambda c: (c.sort_order, c.id))


def service(session: Session, *, who: Caller, code: str) -> Category:
    for category in services(session, who=who):
        if category.code == code:
            return category
    raise NotFound("service_code not found: {code}", type="service-code", code=code)


def service_out(c: Category) -> dict:
    group = MODE_ZH.get(c.default_mode, c.default_mode)
    return {"service_code": c.code, "service_name": c.name_zh, "description": c.hint_zh,
            "metadata": bool(c.questions), "type": "realtime", "keywords": ",".join([c.name_zh, c.name_en, group]),
            "group": group}


def definition_out(c: Category) -> dict:
    attributes = []
    for order, q in enumerate(c.questions or [], start=1):
        attribute = {"variable": True, "code": q["key"], "datatype": DATATYPE[q["type"]], "required": bool(q.get("required")),
                     "datatype_description": DATATYPE_ZH[q["type"]], "order": order, "description": q["label_zh"]}
        if q["type"] == "choice":
            attribute["value_list"] = [{"key": choice, "name": choice} for choice in q.get("choices", [])]
        attributes.append(attribute)
    return {"service_code": c.code, "attributes": attributes}


# ------------------------------------------------------------------ creating a request
def create(session: Session, *, who: Caller, data: dict, attributes: dict[str, str],
           pictures: list | None = None) -> tuple[Case, str]:
    """A service request from a partner's system becomes a case (channel ``open311``) of the jurisdiction,
    with the photo sent as ``media`` (checked by content by the media package) as its report photo."""
    client = who.client
    assert client is not None
    client.require_scope("cases:write")
    community = who.jurisdiction
    if community.kind != AreaKind.COMMUNITY:
        raise invalid({"jurisdiction_id": ["Name a community (e.g. LSW): a request belongs to one."]})
    category = service(session, who=who, code=data["service_code"])
    if "lat" not in data and not data.get("address_string") and not data.get("address_id"):
        raise invalid({"lat": ["Say where: lat & long, address_string or address_id."]})
    case_data: dict = {"category_id": category.id, "community_id": community.id,
                       "description": data.get("description") or category.name_zh,
                       "answers": _answers(category, attributes)}
    if "lat" in data:
        case_data["lat"], case_data["lon"] = data["lat"], data["long"]
    if data.get("address_string"):
        case_data["address"] = data["address_string"]
    if data.get("address_id"):
        # Stairwells are our address register; the caller named one by its id, so it must be of this jurisdiction.
        stairwell = session.get(Stairwell, int(data["address_id"])) if int(data["address_id"]) <= MAX_ID else None
        if stairwell is None or stairwell.community_id != community.id:
            raise invalid({"address_id": ["No such address in this jurisdiction."]})
        case_data["stairwell_id"] = stairwell.id
    name = _name(data.get("first_name"), data.get("last_name"))
    if name or data.get("phone"):
        case_data["reporter_name"] = name or client.name
        case_data["reporter_phone"] = data.get("phone")
    case = cases.create_case(session, user=client, data=case_data, photos=pictures or None, channel="open311")
    if data.get("media_url"):
        cases.add_event(session, case, client, MEDIA_LINK, note=data["media_url"], data={"source": "open311"})
    notice = (f"已收到，由{community.name}居委会受理（{MODE_ZH.get(case.mode, case.mode)}），"
              f"预计 {_local(case.due_at)} 前处理。")
    return case, notice


def _answers(category: Category, attributes: dict[str, str]) -> dict:
    """Form values are text: numbers become numbers; cases.service checks the rest."""
    questions = {q["key"]: q for q in category.questions or []}
    answers: dict = {}
    for code, value in attributes.items():
        q = questions.get(code)
        if q is not None and q["type"] == "number" and re.fullmatch(r"-?\d{1,9}(\.\d{1,6})?", value):
            answers[code] = float(value) if "." in value else int(value)
        else:
            answers[code] = value
    return answers


def _name(first: str | None, last: str | None) -> str | None:
    first, last = (first or "").strip(), (last or "").strip()
    if not (first or last):
        return None
    cjk = re.search(r"[\u3400-\u9fff]", first + last)
    return (last + first) if cjk else " ".join(p for p in (first, last) if p)


# ------------------------------------------------------------------ reading requests
def _readable(who: Caller) -> Select:
    """The cases the caller may read in the jurisdiction."""
    if who.client is None:
        condition = visible(who.public, Case)
    else:
        who.client.require_scope("cases:read")
        condition = or_(visible(who.client, Case), visible(who.public, Case))
    return select(Case).where(condition, under(Case.area_path, who.jurisdiction.path))


def window(start: datetime | None, end: datetime | None, *, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The spec's date range: 90 days at most, the most recent 90 days by default."""
    now = now or utcnow()
    if start is None and end is None:
        return now - WINDOW, now
    if start is None:
        return end - WINDOW, end
    if end is None:
        return start, max(start, min(now, start + WINDOW))
    if end - start > WINDOW:
        raise invalid({"start_date": ["The range may not span more than 90 days."]})
    return start, end


def requests(session: Session, *, who: Caller, service_request_id: list[str] | None = None,
             service_code: list[str] | None = None, status: list[str] | None = None, start_date=None, end_date=None,
             page: int = 1, page_size: int = 50, **_) -> list[dict]:
    stmt = _readable(who)
    if service_request_id:  # "overrides all other arguments"
        stmt = stmt.where(Case.id.in_([int(i) for i in service_request_id if int(i) <= MAX_ID]))
    else:
        start, end = window(start_date, end_date)
        stmt = stmt.where(Case.created_at >= start, Case.created_at <= end)
        if service_code:
            stmt = stmt.where(Case.category_id.in_(select(Category.id).where(Category.code.in_(service_code))))
        if status and set(status) != {"open", "closed"}:
            done = Case.status.in_(DONE_STATUSES)
            stmt = stmt.where(done if set(status) == {"closed"} else ~done)
    rows = list(session.scalars(stmt.order_by(Case.created_at.desc(), Case.id.desc())
                                .offset((page - 1) * page_size).limit(page_size)).unique())
    return _requests_out(session, rows)


def request(session: Session, *, who: Caller, request_id: str) -> dict:
    if not re.fullmatch(r"\d{1,18}", request_id) or int(request_id) > MAX_ID:
        raise NotFound()
    case = session.scalar(_readable(who).where(Case.id == int(request_id)))
    if case is None:
        raise NotFound()
    return _requests_out(session, [case])[0]


def _requests_out(session: Session, rows: list[Case]) -> list[dict]:
    links = _media_links(session, [c.id for c in rows])
    return [_request_out(c, links.get(c.id)) for c in rows]


def _media_links(session: Session, case_ids: list[int]) -> dict[int, str]:
    if not case_ids:
        return {}
    found = session.execute(select(CaseEvent.case_id, CaseEvent.note).where(
        CaseEvent.case_id.in_(case_ids), CaseEvent.kind == MEDIA_LINK, CaseEvent.internal.is_(False))
        .order_by(CaseEvent.id))
    return {case_id: url for case_id, url in found}


def _request_out(c: Case, media_link: str | None) -> dict:
    units = [p.unit.name for p in c.parts]
    photo = next((p for p in c.photos if p.stage == "report"), None)
    media_url = photos.signed_url(photo.id, photo.key.rsplit(".", 1)[1]) if photo is not None else media_link
    where = c.stairwell.label if c.stairwell else c.address
    return {
        "service_request_id": str(c.id),
        "status": "closed" if c.status in DONE_STATUSES else "open",
        "status_notes": f"{STATUS_ZH.get(c.status, c.status)}（{c.status}）",
        "service_name": c.category.name_zh,
        "service_code": c.category.code,
        "description": mask(c.description, (c.reporter_name,)),
        "agency_responsible": "、".join(units) if units else None,
        "service_notice": f"{MODE_ZH.get(c.mode, c.mode)} · {LEVEL_ZH.get(c.level, c.level)}处理",
        "requested_datetime": c.created_at,
        "updated_datetime": c.updated_at,
        "expected_datetime": c.due_at,
        "address": mask(f"{c.community.name} {where}" if where else c.community.name, (c.reporter_name,)),
        "address_id": str(c.stairwell_id) if c.stairwell_id else None,
        "zipcode": None,
        "lat": c.lat,
        "long": c.lon,
        "media_url": media_url,
    }


# ------------------------------------------------------------------ updates (servicerequestupdates)
def updates(session: Session, *, who: Caller, start_date=None, end_date=None, page: int = 1, page_size: int = 50,
            **_) -> list[dict]:
    """The public steps of the readable cases' timelines in the window, oldest first."""
    start, end = window(start_date, end_date)
    readable = _readable(who).with_only_columns(Case.id).subquery()
    stmt = (select(CaseEvent).where(
        CaseEvent.case_id.in_(select(readable.c.id)), CaseEvent.internal.is_(False),
        CaseEvent.kind.in_(list(UPDATE_TEXT)), CaseEvent.at >= start, CaseEvent.at <= end,
        or_(CaseEvent.kind != "comment", and_(CaseEvent.actor_role.is_not(None), CaseEvent.actor_role != "resident")))
        .order_by(CaseEvent.at, CaseEvent.id).offset((page - 1) * page_size).limit(page_size))
    events = list(session.scalars(stmt))
    states = _states(session, {e.case_id for e in events})
    reporters = dict(session.execute(select(Case.id, Case.reporter_name).where(Case.id.in_({e.case_id for e in events}))).all())
    return [{"update_id": str(e.id), "service_request_id": str(e.case_id), "status": _status_at(states, e),
             "updated_datetime": e.at, "description": _update_text(e, reporters.get(e.case_id)), "media_url": None}
            for e in events]


def _states(session: Session, case_ids: set[int]) -> dict[int, list[tuple[int, str]]]:
    """Each case's status changes, in order, to tell the status after any of its steps."""
    out: dict[int, list[tuple[int, str]]] = {}
    if case_ids:
        for case_id, event_id, to_status in session.execute(select(CaseEvent.case_id, CaseEvent.id, CaseEvent.to_status)
                                                            .where(CaseEvent.case_id.in_(case_ids),
                                                                   CaseEvent.to_status.is_not(None))
                                                            .order_by(CaseEvent.id)):
            out.setdefault(case_id, []).append((event_id, to_status))
    return out


def _status_at(states: dict[int, list[tuple[int, str]]], event: CaseEvent) -> str:
    status = "submitted"
    for event_id, to_status in states.get(event.case_id, []):
        if event_id > event.id:
            break
        status = to_status
    return "closed" if status in DONE_STATUSES else "open"


def _update_text(e: CaseEvent, reporter: str | None) -> str:
    data = e.data or {}
    text = UPDATE_TEXT[e.kind].format(
        units="、".join(data.get("units") or []), level=LEVEL_ZH.get(str(data.get("to")), ""),
        unit=data.get("unit", ""), part=PART_ZH.get(str(data.get("status")), ""))
    if e.note and e.kind in HANDLER_NOTES and e.actor_role != "resident":
        note = mask(e.note, (reporter,))
        text = f"{text} {note}" if not text.endswith("：") else text + note
    return text


def photo(session: Session, *, photo_id: int):
    """A case photo by id, for a signed link (the signature is the access check; see photos.py)."""
    from ..cases.models import CasePhoto

    return session.get(CasePhoto, photo_id) if photo_id <= MAX_ID else None
