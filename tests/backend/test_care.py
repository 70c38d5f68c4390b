"""Care pairs (结对关爱): pairing, visits in three taps, hours, the overdue flag, scope."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from steward.areas.models import Area, Household
from steward.care.models import CarePair
from steward.db import utcnow
from steward.notifications.models import Notification
from steward.people.models import Resident, ResidentTag

API = "/api/v1/care"


def _tagged_household(session, code="LSW", tagged=True):
    grid = session.scalar(select(Area).where(Area.code == code))
    tagged_ids = select(Resident.household_id).join(ResidentTag).where(ResidentTag.tag == "elderly_alone")
    paired = select(CarePair.household_id)
    cond = Household.id.in_(tagged_ids) if tagged else Household.id.not_in(tagged_ids)
    return session.scalar(select(Household.id).where(Household.area_path.startswith(grid.path), cond,
                                                     Household.id.not_in(paired)).order_by(Household.id))


def _pair(client, auth, session, **body):
    body.setdefault("household_id", _tagged_household(session))
    body.setdefault("volunteer_id", auth.me("volunteer")["id"])
    return client.post(f"{API}/pairs", json=body, headers=auth.headers("lsw_staff"))


def test_staff_pair_a_volunteer_with_a_household_in_need(client, auth, session):
    r = _pair(client, auth, session, note="每周二送午餐")
    assert r.status_code == 201, r.get_json()
    pair = r.get_json()
    assert pair["volunteer"]["id"] == auth.me("volunteer")["id"] and pair["overdue"] is False
    assert _pair(client, auth, session, household_id=pair["household"]["id"]).status_code == 409
    assert _pair(client, auth, session, household_id=_tagged_household(session, tagged=False)).status_code == 422
    assert _pair(client, auth, session, household_id=_tagged_household(session, "ZXXY")).status_code == 422
    r = _pair(client, auth, session, unit_id=1)
    assert r.status_code == 422  # a volunteer or a team, not both


def test_a_volunteer_logs_a_visit_in_three_taps_and_hours_add_up(client, auth, session):
    pair = _pair(client, auth, session).get_json()
    volunteer = auth.headers("volunteer")
    before = client.get(f"{API}/hours", headers=volunteer).get_json()
    r = client.post(f"{API}/pairs/{pair['id']}/visits", json={"kind": "lunch", "minutes": 30}, headers=volunteer)
    assert r.status_code == 201, r.get_json()
    after = client.get(f"{API}/pairs/{pair['id']}", headers=volunteer).get_json()
    assert after["visits_count"] == 1 and after["last_visit_at"] is not None
    hours = client.get(f"{API}/hours", headers=volunteer).get_json()
    assert hours["visits"] == before["visits"] + 1 and hours["hours"] == pytest.approx(before["hours"] + 0.5, abs=0.06)
    for bad in ({"kind": "party", "minutes": 30}, {"kind": "visit", "minutes": 0}, {"kind": "visit", "minutes": 10**12},
                {"kind": "visit", "minutes": 30, "visited_at": (utcnow() + timedelta(days=1)).isoformat()},
                {"kind": "visit", "minutes": 30, "visited_at": "2026-01-01T10:00:00"}):
        assert client.post(f"{API}/pairs/{pair['id']}/visits", json=bad, headers=volunteer).status_code == 422, bad
    assert client.get(f"{API}/pairs/{pair['id']}", headers=volunteer).get_json()["visits_count"] == 1
    assert client.get(f"{API}/hours", headers=volunteer).get_json()["visits"] == before["visits"] + 1


def test_the_household_sees_who_cares_for_it(client, auth, session, make):
    pair = _pair(client, auth, session).get_json()
    household = session.get(Household, pair["household"]["id"])
    grid = session.scalar(select(Area).where(Area.code == "LSW-G01"))
    community = session.scalar(select(Area).where(Area.code == "LSW"))
    member = make.user("resident", community, household=household)
    mine = client.get(f"{API}/my-household", headers=make.headers(member)).get_json()["items"]
    assert [p["volunteer"]["name"] for p in mine] == [auth.me("volunteer")["name"]]
    assert "phone" not in str(mine)
    other = client.get(f"{API}/my-household", headers=auth.headers("resident")).get_json()["items"]
    assert pair["id"] not in [p["id"] for p in other]
    # a volunteer of the same grid but not paired does not see the pair
    stranger = make.user("volunteer", grid)
    assert client.get(f"{API}/pairs/{pair['id']}", headers=make.headers(stranger)).status_code == 404


@pytest.mark.parametrize("who", ["zxxy_staff", "zxxy_resident", "partner", "resident"])
def test_another_communitys_or_someone_elses_pair_is_404(client, auth, session, who):
    pair = _pair(client, auth, session).get_json()
    for method, suffix, body in (("get", "", None), ("get", "/visits", None),
                                 ("post", "/visits", {"kind": "visit", "minutes": 20}),
                                 ("post", "/end", {"reason": "搬走了"})):
        r = getattr(client, method)(f"{API}/pairs/{pair['id']}{suffix}", headers=auth.headers(who),
                                    **({"json": body} if body else {}))
        assert r.status_code in (403, 404), (who, suffix, r.status_code)
        if r.status_code == 403:
            assert suffix == "/end" or (suffix == "/visits" and who.endswith("resident")), (who, suffix)


def test_households_nobody_visited_in_14_days_are_flagged_once_a_day(client, auth, session):
    from steward.care import tasks

    pair_id = _pair(client, auth, session).get_json()["id"]
    pair = session.get(CarePair, pair_id)
    pair.started_at = utcnow() - timedelta(days=20)
    session.commit()
    flagged = client.get(f"{API}/pairs?overdue=true&limit=100", headers=auth.headers("lsw_staff")).get_json()
    assert pair_id in [p["id"] for p in flagged["items"]] and all(p["overdue"] for p in flagged["items"])
    tasks.flag_overdue_visits.run_now()
    tasks.flag_overdue_visits.run_now()
    volunteer = auth.me("volunteer")["id"]
    assert session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == volunteer, Notification.kind == "care.overdue",
        Notification.subject_id == pair_id)) == 1
    client.post(f"{API}/pairs/{pair_id}/visits", json={"kind": "visit", "minutes": 20}, headers=auth.headers("volunteer"))
    flagged = client.get(f"{API}/pairs?overdue=true&limit=100", headers=auth.headers("lsw_staff")).get_json()
    assert pair_id not in [p["id"] for p in flagged["items"]]


def test_ending_a_pair_stops_visits(client, auth, session):
    pair = _pair(client, auth, session).get_json()
    r = client.post(f"{API}/pairs/{pair['id']}/end", json={"reason": "老人搬去女儿家"}, headers=auth.headers("lsw_staff"))
    assert r.status_code == 200 and r.get_json()["active"] is False
    r = client.post(f"{API}/pairs/{pair['id']}/visits", json={"kind": "visit", "minutes": 20},
                    headers=auth.headers("volunteer"))
    assert r.status_code == 403


def test_pair_list_statement_count_does_not_grow_with_page_size(client, auth, count_queries):
    headers = auth.headers("lsw_staff")
    client.get(f"{API}/pairs?limit=1", headers=headers)
    counts = {}
    for limit in (3, 10):
        with count_queries() as statements:
            r = client.get(f"{API}/pairs?limit={limit}", headers=headers)
        assert len(r.get_json()["items"]) == limit
        counts[limit] = len(statements)
    assert counts[3] == counts[10], counts


def test_hours_count_care_visits_and_activities_served_together(client, auth, session):
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import update

    from steward.activities.models import Activity

    from .test_activities_requests import new_activity, sign_up

    volunteer = auth.headers("volunteer")
    me = auth.me("volunteer")["id"]
    before = client.get(f"{API}/hours", headers=volunteer).get_json()
    activity = new_activity(client, auth, kind="volunteer", title="楼道清洁志愿服务", volunteer_minutes=90, capacity=5)
    mine = sign_up(client, auth, activity["id"], who="volunteer").get_json()
    session.execute(update(Activity).where(Activity.id == activity["id"]).values(
        starts_at=datetime.now(timezone.utc) - timedelta(minutes=10)))
    session.commit()
    staff = auth.headers("lsw_staff")
    assert client.post(f"/api/v1/activities/{activity['id']}/check-in", headers=staff,
                       json={"code": mine["code"]}).status_code == 200
    assert client.post(f"/api/v1/activities/{activity['id']}/complete", headers=staff, json={}).status_code == 200

    after = client.get(f"{API}/hours", headers=volunteer).get_json()
    assert after["activity_hours"] == pytest.approx(before["activity_hours"] + 1.5, abs=0.06)
    assert after["total_hours"] == pytest.approx(after["hours"] + after["activity_hours"], abs=0.11)
    assert [v["id"] for v in after["volunteers"]] == [me]  # a volunteer sees their own
    row = next(v for v in client.get(f"{API}/hours", headers=staff).get_json()["volunteers"] if v["id"] == me)
    assert row["activities"] >= 1 and row["total_hours"] == pytest.approx(row["hours"] + row["activity_hours"], abs=0.11)
    zxxy = client.get(f"{API}/hours", headers=auth.headers("zxxy_staff")).get_json()["volunteers"]
    assert me not in [v["id"] for v in zxxy]


def test_hours_take_the_same_statements_whatever_the_number_of_volunteers(client, auth, count_queries):
    with count_queries() as town:
        client.get(f"{API}/hours", headers=auth.headers("town"))
    with count_queries() as one:
        client.get(f"{API}/hours", headers=auth.headers("zxxy_staff"))
    assert len(town) == len(one), (town, one)
