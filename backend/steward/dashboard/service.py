"""The dashboard: coverage per community and grid, the domains' sections, the weekly trend, CSV."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select, union
from sqlalchemy.orm import Session

from ..areas.models import Area, AreaKind, Household
from ..db import utcnow
from ..people.models import HouseholdClaim, Resident, User
from ..scope import Principal, get_for, under
from .registry import TOWN_TZ, Window, sections

WEEKS = 8


def _mondays(weeks: int, today: date | None = None) -> list[date]:
    today = today or utcnow().astimezone(TOWN_TZ).date()
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def window(session: Session, *, user: Principal, area_id: int | None = None, weeks: int = WEEKS) -> tuple[Window, Area]:
    if area_id is not None:
        area = get_for(session, user, Area, area_id)
    else:
        area = session.scalar(select(Area).where(Area.path == user.area_path))
    return Window(user=user, area_id=area.id, area_path=area.path, weeks=_mondays(weeks)), area


def coverage(session: Session, path: str) -> dict:
    """Registered and verified households ÷ households, for the area, each community and each grid under
    it. A household is *verified* when an active account is linked to one of its residents (the committee
    confirmed the claim), *registered* when it is verified or has a claim waiting. Four statements,
    whatever the number of grids."""
    in_area = under(Household.area_path, path)
    total = dict(session.execute(select(Household.area_path, func.count()).where(in_area)
                                 .group_by(Household.area_path)).all())
    verified_ids = (select(Resident.household_id.label("hid")).join(User, User.resident_id == Resident.id)
                    .where(User.is_active.is_(True), under(Resident.area_path, path)))
    pending_ids = select(HouseholdClaim.household_id.label("hid")).where(
        HouseholdClaim.status == "pending", under(HouseholdClaim.area_path, path))
    verified = dict(session.execute(select(Household.area_path, func.count()).where(
        in_area, Household.id.in_(verified_ids)).group_by(Household.area_path)).all())
    registered = dict(session.execute(select(Household.area_path, func.count()).where(
        in_area, Household.id.in_(select(union(verified_ids, pending_ids).subquery().c.hid)))
        .group_by(Household.area_path)).all())
    areas = session.execute(select(Area.id, Area.name, Area.kind, Area.path).where(
        under(Area.path, path), Area.kind.in_((AreaKind.COMMUNITY, AreaKind.GRID))).order_by(Area.path)).all()

    def figures(prefix: str) -> dict:
        pick = [p for p in total if p.startswith(prefix)]
        h = sum(total[p] for p in pick)
        v = sum(verified.get(p, 0) for p in pick)
        r = sum(registered.get(p, 0) for p in pick)
        return {"households": h, "registered": r, "verified": v, "rate": round(v / h, 4) if h else None}

    communities, grids = [], []
    names = {a.path: a.name for a in areas}
    for a in areas:
        row = {"id": a.id, "name": a.name, "path": a.path, "community": None, **figures(a.path)}
        if a.kind == AreaKind.COMMUNITY:
            communities.append({**row, "community": None})
        else:
            community = "/".join(a.path.split("/")[:3]) + "/"
            grids.append({**row, "community": names.get(community)})
    return {**figures(path), "communities": communities, "grids": grids}


def dashboard(session: Session, *, user: Principal, area_id: int | None = None) -> dict:
    win, area = window(session, user=user, area_id=area_id)
    out_sections, trend = [], {}
    for s in sections():
        result = s.fn(session, win)
        out_sections.append({"key": s.key, "title": s.title, "metrics": result.get("metrics", []),
                             "breakdown": result.get("breakdown", {})})
        trend.update(result.get("trend", {}))
    return {"area": {"id": area.id, "name": area.name, "kind": area.kind}, "generated_at": utcnow(),
            "coverage": coverage(session, area.path), "sections": out_sections,
            "weeks": win.weeks, "trend": [{"name": k, "values": v} for k, v in trend.items()]}


def export_rows(data: dict):
    """The dashboard as a CSV: the headline figures, then coverage per community and grid."""
    yield ("section", "metric", "label", "value")
    c = data["coverage"]
    for key in ("households", "registered", "verified", "rate"):
        yield ("coverage", key, data["area"]["name"], c[key])
    for s in data["sections"]:
        for m in s["metrics"]:
            yield (s["key"], m["key"], m["label"], m["value"])
    for t in data["trend"]:
        for week, value in zip(data["weeks"], t["values"], strict=True):
            yield ("trend", week.isoformat(), t["name"], value)
    for kind in ("communities", "grids"):
        for row in c[kind]:
            label = f"{row.get('community') or ''} {row['name']}".strip()
            yield (f"coverage.{kind}", "households", label, row["households"])
            yield (f"coverage.{kind}", "registered", label, row["registered"])
            yield (f"coverage.{kind}", "verified", label, row["verified"])
            yield (f"coverage.{kind}", "rate", label, row["rate"])


