"""The dashboard: coverage computed from the data (checked against a direct count), sections contributed
by the domains, town staff see the town, a constant number of statements whatever the number of grids."""
import csv
import io

import pytest
from sqlalchemy import distinct, func, select

from steward.areas.models import Area, Household
from steward.audit.models import AuditEvent
from steward.dashboard import registry
from steward.people.models import Resident, User

API = "/api/v1/dashboard"


def _direct_coverage(session, path):
    households = session.scalar(select(func.count()).select_from(Household).where(Household.area_path.startswith(path)))
    verified = session.scalar(select(func.count(distinct(Resident.household_id))).select_from(Resident)
                              .join(User, User.resident_id == Resident.id)
                              .where(User.is_active.is_(True), Resident.area_path.startswith(path)))
    return households, verified


def test_the_demo_towns_coverage_is_computed_from_the_data(client, auth, session):
    town = session.scalar(select(Area).where(Area.kind == "town"))
    data = client.get(API, headers=auth.headers("town")).get_json()
    households, verified = _direct_coverage(session, town.path)
    assert data["area"]["id"] == town.id
    c = data["coverage"]
    assert (c["households"], c["verified"]) == (households, verified) and households > 2100
    assert c["rate"] == round(verified / households, 4)
    assert c["registered"] >= c["verified"]
    lsw = next(x for x in c["communities"] if x["name"] == "丽水湾")
    assert lsw["households"] == 2100 and lsw["verified"] == _direct_coverage(
        session, session.scalar(select(Area.path).where(Area.code == "LSW")))[1]
    assert sum(g["households"] for g in c["grids"]) == households
    # 沙港湾's 红管家 counts its followers at 70% of households; the demo has it so, counted from the rows
    sgw_area = session.scalar(select(Area).where(Area.code == "SGW"))
    sgw_path = sgw_area.path
    sgw = next(x for x in c["communities"] if x["id"] == sgw_area.id)
    sgw_households, sgw_verified = _direct_coverage(session, sgw_path)
    assert (sgw["households"], sgw["verified"]) == (sgw_households, sgw_verified) and sgw["rate"] == 0.7
    assert {s["key"] for s in data["sections"]} >= {"cases", "bookings", "care", "forms"}
    assert len(data["weeks"]) == 8 and all(len(t["values"]) == 8 for t in data["trend"])


def test_staff_see_their_own_community_only(client, auth, session):
    data = client.get(API, headers=auth.headers("lsw_staff")).get_json()
    assert data["area"]["name"] == "丽水湾" and [c["name"] for c in data["coverage"]["communities"]] == ["丽水湾"]
    assert len(data["coverage"]["grids"]) == 16
    zxxy = session.scalar(select(Area).where(Area.code == "ZXXY"))
    assert client.get(f"{API}?area_id={zxxy.id}", headers=auth.headers("lsw_staff")).status_code == 404
    assert client.get(f"{API}?area_id={zxxy.id}", headers=auth.headers("town")).get_json()["area"]["id"] == zxxy.id
    for who in ("resident", "volunteer", "partner"):
        assert client.get(API, headers=auth.headers(who)).status_code == 403


def test_registering_a_household_moves_the_figure(client, auth, session, make):
    lsw = session.scalar(select(Area).where(Area.code == "LSW"))
    before = client.get(API, headers=auth.headers("lsw_staff")).get_json()["coverage"]["verified"]
    covered = select(Resident.household_id).join(User, User.resident_id == Resident.id)
    household = session.scalar(select(Household).where(Household.area_path.startswith(lsw.path),
                                                       Household.id.not_in(covered)).limit(1))
    make.user("resident", lsw, household=household)
    after = client.get(API, headers=auth.headers("lsw_staff")).get_json()["coverage"]["verified"]
    assert after == before + 1


def test_statements_do_not_grow_with_the_number_of_grids(client, auth, session, count_queries, make):
    town_h = auth.headers("town")
    client.get(API, headers=town_h)
    with count_queries() as statements:
        assert client.get(API, headers=town_h).status_code == 200
    before = len(statements)
    tree = make.tree(communities=2, grids=5)  # ten more grids in the town
    assert tree.communities
    with count_queries() as statements:
        data = client.get(API, headers=town_h).get_json()
    assert len(statements) == before, (before, len(statements))
    assert len(data["coverage"]["grids"]) >= 26


def test_the_csv_export_is_audited(client, auth, session):
    before = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "dashboard.export"))
    r = client.get(f"{API}/export.csv", headers=auth.headers("lsw_staff"))
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert rows[0] == ["section", "metric", "label", "value"] and rows[1][:2] == ["coverage", "households"]
    assert any(row[0] == "coverage.grids" for row in rows)
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "dashboard.export")) == before + 1


def test_a_domain_contributes_a_section(client, auth, monkeypatch):
    monkeypatch.setitem(registry.SECTIONS, "notices", registry.Registered(
        "notices", "通知", 5, lambda session, win: {"metrics": [registry.metric("read_rate", "阅读率", 0.5, "ratio")]}))
    data = client.get(API, headers=auth.headers("lsw_staff")).get_json()
    assert data["sections"][0]["key"] == "notices" and data["sections"][0]["metrics"][0]["value"] == 0.5


@pytest.mark.parametrize("area_id", ["x", 0, 2**40])
def test_bad_area_is_4xx(client, auth, area_id):
    assert client.get(f"{API}?area_id={area_id}", headers=auth.headers("town")).status_code in (400, 404, 422)
