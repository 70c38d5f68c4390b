"""Questions to the committee (咨询): ask, answer in a thread (staff or the grid's volunteer), follow up, close;
the staff queue; answers kept as guides."""
import io
import json

import pytest
from sqlalchemy import func, select

from steward.areas.models import Area, Household
from steward.notifications.models import Notification
from steward.people.models import User
from steward.questions import service
from steward.questions.models import Question

API = "/api/v1/questions"


def _ask(client, headers, body="请问老年人乘车卡在哪里办理？需要带什么材料？"):
    r = client.post(API, json={"body": body}, headers=headers)
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def test_a_resident_asks_staff_answer_and_the_asker_is_notified(client, auth, session):
    q = _ask(client, auth.headers("resident"))
    assert q["status"] == "open" and q["thread"] == [] and q["may_follow_up"] is True
    staff = auth.headers("lsw_staff")
    assert session.scalar(select(func.count()).select_from(Notification).where(
        Notification.kind == "question.asked", Notification.subject_id == q["id"])) >= 1
    r = client.post(f"{API}/{q['id']}/messages", json={"body": "带身份证到镇社区事务受理中心办理，当场可取。"},
                    headers=staff)
    assert r.status_code == 201 and r.get_json()["status"] == "answered"
    assert r.get_json()["thread"][0]["is_answer"] is True
    told = session.scalars(select(Notification.user_id).where(Notification.kind == "question.answered",
                                                             Notification.subject_id == q["id"])).all()
    assert told == [auth.me("resident")["id"]]
    # the asker follows up: open again, at the top of the queue; then closes it
    r = client.post(f"{API}/{q['id']}/messages", json={"body": "周末可以办吗？"}, headers=auth.headers("resident"))
    assert r.get_json()["status"] == "open" and [m["is_answer"] for m in r.get_json()["thread"]] == [True, False]
    r = client.post(f"{API}/{q['id']}/close", headers=auth.headers("resident"))
    assert r.status_code == 200 and r.get_json()["status"] == "closed" and r.get_json()["may_close"] is False
    assert client.post(f"{API}/{q['id']}/close", headers=auth.headers("resident")).status_code == 409
    # answering a closed question is refused (the asker may reopen it by following up)
    assert client.post(f"{API}/{q['id']}/messages", json={"body": "补充"}, headers=staff).status_code == 409
    mine = client.get(API, headers=auth.headers("resident")).get_json()["items"]
    assert mine[0]["id"] == q["id"] and mine[0]["messages_count"] == 2


def test_the_grids_volunteer_answers_but_another_grids_does_not_see_it(client, auth, session, make):
    volunteer = session.scalar(select(User).where(User.phone == "13800000004"))
    household = session.scalar(select(Household).where(Household.area_path == volunteer.area_path).limit(1))
    lsw = session.scalar(select(Area).where(Area.code == "LSW"))
    asker = make.user("resident", lsw, household=household)
    q = _ask(client, make.headers(asker))
    assert q["id"] in [x["id"] for x in client.get(f"{API}/queue", headers=auth.headers("volunteer")).get_json()["items"]]
    r = client.post(f"{API}/{q['id']}/messages", json={"body": "我是网格员，明天上门帮您办。"},
                    headers=auth.headers("volunteer"))
    assert r.status_code == 201 and r.get_json()["status"] == "answered"
    other_grid = session.scalar(select(Area).where(Area.kind == "grid", Area.path.startswith(lsw.path),
                                                   Area.path != volunteer.area_path).limit(1))
    stranger = make.user("volunteer", other_grid)
    assert client.get(f"{API}/{q['id']}", headers=make.headers(stranger)).status_code == 404
    # the demo resident (another household) does not see a neighbour's question either
    assert client.get(f"{API}/{q['id']}", headers=auth.headers("resident")).status_code == 404


def test_the_queue_puts_unanswered_first_oldest_first_and_pages(client, auth, session, make):
    staff = auth.headers("lsw_staff")
    first = _ask(client, auth.headers("resident"), "第一个问题：垃圾分类时间？")
    second = _ask(client, auth.headers("resident"), "第二个问题：停车位申请？")
    third = _ask(client, auth.headers("resident"), "第三个问题：门禁卡补办？")
    client.post(f"{API}/{first['id']}/messages", json={"body": "早7-9点，晚6-8点。"}, headers=staff)
    seen, cursor = [], None
    while True:
        r = client.get(f"{API}/queue?limit=1" + (f"&cursor={cursor}" if cursor else ""), headers=staff).get_json()
        seen += [i["id"] for i in r["items"]]
        cursor = r["next_cursor"]
        if not cursor:
            break
    mine = [i for i in seen if i in (first["id"], second["id"], third["id"])]
    assert mine == [second["id"], third["id"], first["id"]]
    statuses = [session.get(Question, i).status for i in seen]
    assert statuses == sorted(statuses, key=["open", "answered", "closed"].index)
    assert client.get(f"{API}/queue?status=open", headers=staff).get_json()["items"][0]["status"] == "open"
    assert first["id"] not in [i["id"] for i in client.get(f"{API}/queue", headers=auth.headers("zxxy_staff"))
                               .get_json()["items"]]


def test_staff_keep_an_answer_as_a_guide(client, auth, session):
    q = _ask(client, auth.headers("resident"), "请问居住证怎么办理？")
    staff = auth.headers("lsw_staff")
    assert client.post(f"{API}/{q['id']}/guide", json={}, headers=staff).status_code == 409
    client.post(f"{API}/{q['id']}/messages", json={"body": "带租房合同和身份证到居委会登记。"}, headers=staff)
    r = client.post(f"{API}/{q['id']}/guide", json={"title": "居住证办理"}, headers=staff)
    assert r.status_code == 200 and r.get_json()["saved_as_guide"] is True
    assert client.post(f"{API}/{q['id']}/guide", json={}, headers=auth.headers("resident")).status_code == 403
    candidate = client.get(f"{API}/{q['id']}/guide", headers=staff).get_json()
    assert candidate["title"] == "居住证办理" and "带租房合同" in candidate["body"] and "居住证怎么办理" in candidate["body"]
    names = {u for u in session.scalars(select(User.name).where(User.phone.in_(["13800000005", "13800000002"])))}
    assert not any(n in candidate["body"] for n in names)
    assert any(c["question_id"] == q["id"] for c in service.guide_candidates(session))

    # it became a draft 办事指南 notice of the community: staff publish it and residents find it in the library
    notice_id = r.get_json()["guide_notice_id"]
    draft = client.get(f"/api/v1/notices/{notice_id}", headers=staff).get_json()
    assert draft["category"] == "guide" and draft["status"] == "draft" and draft["title"] == "居住证办理"
    assert "带租房合同" in draft["body_html"] and not any(n in draft["body_html"] for n in names)
    assert client.get(f"/api/v1/notices/{notice_id}", headers=auth.headers("resident")).status_code == 404
    assert client.post(f"/api/v1/notices/{notice_id}/publish", json={}, headers=staff).status_code == 200
    found = client.get("/api/v1/notices?category=guide&q=居住证", headers=auth.headers("resident")).get_json()["items"]
    assert notice_id in [n["id"] for n in found]
    again = client.post(f"{API}/{q['id']}/guide", json={"title": "居住证办理"}, headers=staff).get_json()
    assert again["guide_notice_id"] == notice_id  # keeping it twice makes one guide


@pytest.mark.parametrize("who", ["zxxy_staff", "zxxy_resident", "partner", "volunteer", "lsw_staff"])
def test_another_communitys_question_is_404_for_every_role(client, auth, session, who):
    asker = "resident" if who.startswith("zxxy") or who == "partner" else "zxxy_resident"
    q = _ask(client, auth.headers(asker))
    h = auth.headers(who)
    for method, suffix, body in (("get", "", None), ("post", "/messages", {"body": "好"}), ("post", "/close", None),
                                 ("post", "/guide", {}), ("get", "/guide", None), ("get", "/photos/1", None)):
        r = getattr(client, method)(f"{API}/{q['id']}{suffix}", headers=h, **({"json": body} if body is not None else {}))
        assert r.status_code in (403, 404), (who, suffix, r.status_code)
        if method == "get" and suffix != "/guide":
            assert r.status_code == 404


def test_question_lists_take_a_fixed_number_of_queries(client, auth, session, count_queries):
    for i in range(4):
        _ask(client, auth.headers("resident"), f"问题{i}：小区快递柜在哪里？")
    for url, who in ((API, "resident"), (f"{API}/queue", "lsw_staff")):
        sizes, headers = [], auth.headers(who)
        for n in (1, 20):
            with count_queries() as statements:
                assert client.get(f"{url}?limit={n}", headers=headers).status_code == 200
            sizes.append(len(statements))
        assert sizes[0] == sizes[1], url


@pytest.mark.parametrize("payload", [{"body": "x" * 1001}, {"body": "\x00好的"}, {"body": "问题问题", "status": "closed"},
                                     {"body": "问题问题", "asker_id": 1}, {}, {"body": 12}])
def test_hostile_questions_write_nothing(client, auth, session, payload):
    before = session.scalar(select(func.count()).select_from(Question))
    r = client.post(API, json=payload, headers=auth.headers("resident"))
    assert r.status_code == 422
    assert session.scalar(select(func.count()).select_from(Question)) == before
    assert client.get(f"{API}/2147483648", headers=auth.headers("resident")).status_code == 404
    assert client.get(f"{API}/queue?cursor=abc", headers=auth.headers("lsw_staff")).status_code == 400


def test_up_to_three_photos(client, auth, session):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (30, 30), "blue").save(buf, "JPEG")
    raw = buf.getvalue()
    r = client.post(API, headers=auth.headers("resident"), content_type="multipart/form-data", data={
        "data": json.dumps({"body": "楼道灯坏了归谁修？"}),
        "photos": [(io.BytesIO(raw), f"{i}.jpg") for i in range(4)]})
    assert r.status_code == 422
    r = client.post(API, headers=auth.headers("resident"), content_type="multipart/form-data", data={
        "data": json.dumps({"body": "楼道灯坏了归谁修？"}), "photos": [(io.BytesIO(raw), "a.jpg")]})
    assert r.status_code == 201 and len(r.get_json()["photos"]) == 1
    url = r.get_json()["photos"][0]["url"]
    assert client.get(url, headers=auth.headers("lsw_staff")).status_code == 200
    assert client.get(url, headers=auth.headers("zxxy_staff")).status_code == 404


def test_the_demo_has_answered_open_and_closed_questions(session):
    rows = session.scalars(select(Question)).all()
    assert {"open", "answered", "closed"} <= {q.status for q in rows}
    assert any(q.saved_as_guide for q in rows)
    assert all(q.messages_count == 0 for q in rows if q.status == "open" and q.answered_at is None)


def test_questions_on_the_dashboard(client, auth, session):
    before = client.get("/api/v1/dashboard", headers=auth.headers("lsw_staff")).get_json()
    waiting = {m["key"]: m["value"] for m in next(s for s in before["sections"] if s["key"] == "questions")["metrics"]}
    _ask(client, auth.headers("resident"), "小区里可以装充电桩吗？")
    after = client.get("/api/v1/dashboard", headers=auth.headers("lsw_staff")).get_json()
    now = {m["key"]: m["value"] for m in next(s for s in after["sections"] if s["key"] == "questions")["metrics"]}
    assert now["waiting"] == waiting["waiting"] + 1 and now["answered"] >= 1
