"""Self-governance topics (自治议题 / 金点子): one support per verified resident, the threshold that opens
discussion, comment moderation by reports, staff decisions that supporters hear of, links to projects and cases."""
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from steward.areas.models import Area, Household
from steward.cases.models import Category
from steward.notifications.models import Notification
from steward.topics.models import Topic, TopicComment, TopicSettings, TopicSupport

API = "/api/v1/topics"


@pytest.fixture
def lsw(session):
    return session.scalar(select(Area).where(Area.code == "LSW"))


@pytest.fixture
def neighbours(session, make, lsw):
    """Verified residents of 丽水湾 (households of their own)."""
    households = session.scalars(select(Household).where(Household.area_path.startswith(lsw.path))
                                 .order_by(Household.id.desc()).limit(6)).all()
    return [make.user("resident", lsw, household=h) for h in households]


def _threshold(session, community, support=3, report=2):
    session.merge(TopicSettings(community_id=community.id, support_threshold=support, report_threshold=report))
    session.commit()


def _propose(client, headers, **extra):
    r = client.post(API, json={"title": "小区东门增设电动自行车充电桩", "body": "东门车棚没有充电桩，大家只能飞线充电。",
                               **extra}, headers=headers)
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def test_a_verified_resident_proposes_and_supports_it_from_the_start(client, auth, session):
    topic = _propose(client, auth.headers("resident"), kind="idea")
    assert topic["status"] == "proposed" and topic["kind"] == "idea"
    assert topic["supports_count"] == 1 and topic["supported_by_me"] is True
    assert topic["author"]["name"] and topic["community"]["code"] == "LSW"
    # an unverified resident (claim pending) may not propose nor support
    r = client.post(API, json={"title": "题目", "body": "内容内容"}, headers=auth.headers("pending"))
    assert r.status_code == 403
    r = client.post(f"{API}/{topic['id']}/support", json={"supported": True}, headers=auth.headers("pending"))
    assert r.status_code == 403


def test_one_support_per_resident_withdrawable(client, auth, session, make, neighbours):
    topic = _propose(client, auth.headers("resident"))
    h = make.headers(neighbours[0])
    for _ in range(3):
        r = client.post(f"{API}/{topic['id']}/support", json={"supported": True}, headers=h)
        assert r.status_code == 200 and r.get_json()["supports_count"] == 2
    r = client.post(f"{API}/{topic['id']}/support", json={"supported": False}, headers=h)
    assert r.get_json()["supports_count"] == 1 and r.get_json()["supported_by_me"] is False
    r = client.post(f"{API}/{topic['id']}/support", json={"supported": False}, headers=h)
    assert r.get_json()["supports_count"] == 1
    assert session.scalar(select(func.count()).select_from(TopicSupport)
                          .where(TopicSupport.topic_id == topic["id"])) == 1


def test_the_database_refuses_a_second_support_row(client, auth, session, neighbours):
    """Two requests at the same instant both pass any check in Python; the primary key keeps one row."""
    topic = _propose(client, auth.headers("resident"))
    session.add(TopicSupport(topic_id=topic["id"], user_id=neighbours[0].id))
    session.flush()
    with pytest.raises(IntegrityError):
        with session.begin_nested():
            session.add(TopicSupport(topic_id=topic["id"], user_id=neighbours[0].id))
            session.flush()


def test_the_threshold_moves_a_topic_to_discussion_and_tells_people(client, auth, session, make, lsw, neighbours):
    _threshold(session, lsw, support=3)
    author = auth.headers("resident")
    topic = _propose(client, author)
    r = client.post(f"{API}/{topic['id']}/support", json={"supported": True}, headers=make.headers(neighbours[0]))
    assert r.get_json()["status"] == "proposed" and r.get_json()["support_threshold"] == 3
    r = client.post(f"{API}/{topic['id']}/support", json={"supported": True}, headers=make.headers(neighbours[1]))
    assert r.get_json()["status"] == "discussing" and r.get_json()["discussing_at"]
    # a withdrawal afterwards does not send it back; more supports do not move it again
    client.post(f"{API}/{topic['id']}/support", json={"supported": False}, headers=make.headers(neighbours[1]))
    r = client.post(f"{API}/{topic['id']}/support", json={"supported": True}, headers=make.headers(neighbours[2]))
    assert r.get_json()["status"] == "discussing"
    told = session.scalars(select(Notification.user_id).where(Notification.kind == "topic.discussing",
                                                             Notification.subject_id == topic["id"])).all()
    assert auth.me("resident")["id"] in told and neighbours[0].id in told and len(told) == len(set(told))
    r = client.get(f"{API}?status=discussing", headers=author)
    assert topic["id"] in [t["id"] for t in r.get_json()["items"]]


def test_staff_decide_and_supporters_are_notified(client, auth, session, make, neighbours):
    topic = _propose(client, auth.headers("resident"))
    client.post(f"{API}/{topic['id']}/support", json={"supported": True}, headers=make.headers(neighbours[0]))
    r = client.post(f"{API}/{topic['id']}/decision", json={"decision": "adopted", "text": "居委会采纳，下月施工。"},
                    headers=auth.headers("resident"))
    assert r.status_code == 403
    r = client.post(f"{API}/{topic['id']}/decision", json={"decision": "adopted", "text": "居委会采纳，下月施工。"},
                    headers=auth.headers("lsw_staff"))
    assert r.status_code == 200 and r.get_json()["status"] == "adopted"
    told = set(session.scalars(select(Notification.user_id).where(Notification.kind == "topic.decided",
                                                                 Notification.subject_id == topic["id"])))
    assert told == {auth.me("resident")["id"], neighbours[0].id}
    inbox = client.get("/api/v1/notifications", headers=make.headers(neighbours[0])).get_json()["items"]
    assert any("已采纳" in n["title"] for n in inbox), inbox
    # guarded: adopted → declined is refused with the steps allowed now; adopted → done is fine
    r = client.post(f"{API}/{topic['id']}/decision", json={"decision": "declined", "text": "不做了"},
                    headers=auth.headers("lsw_staff"))
    assert r.status_code == 409 and r.get_json()["allowed"] == ["done"]
    r = client.post(f"{API}/{topic['id']}/decision", json={"decision": "done", "text": "已完工"},
                    headers=auth.headers("lsw_staff"))
    assert r.get_json()["status"] == "done"
    # a decided topic takes no more supports
    r = client.post(f"{API}/{topic['id']}/support", json={"supported": True}, headers=make.headers(neighbours[1]))
    assert r.status_code == 403


def test_an_adopted_topic_becomes_a_project_or_a_case(client, auth, session):
    topic = _propose(client, auth.headers("resident"))
    staff = auth.headers("lsw_staff")
    r = client.post(f"{API}/{topic['id']}/project", json={}, headers=staff)
    assert r.status_code == 409
    client.post(f"{API}/{topic['id']}/decision", json={"decision": "adopted", "text": "采纳"}, headers=staff)
    r = client.post(f"{API}/{topic['id']}/project", json={"summary": "东门车棚加装充电桩"}, headers=staff)
    assert r.status_code == 201 and r.get_json()["project_id"]
    project = client.get(f"/api/v1/projects/{r.get_json()['project_id']}", headers=auth.headers("resident")).get_json()
    assert project["title"] == topic["title"]
    assert client.post(f"{API}/{topic['id']}/project", json={}, headers=staff).status_code == 409
    category = session.scalar(select(Category.id).where(Category.code == "flying_charging"))
    r = client.post(f"{API}/{topic['id']}/case", json={"category_id": category}, headers=staff)
    assert r.status_code == 201, r.get_json()["errors"]
    assert client.get(f"/api/v1/cases/{r.get_json()['case_id']}", headers=staff).status_code == 200


def test_reported_comments_hide_until_staff_restore_or_remove(client, auth, session, make, lsw, neighbours):
    _threshold(session, lsw, support=10, report=2)
    topic = _propose(client, auth.headers("resident"))
    c = client.post(f"{API}/{topic['id']}/comments", json={"body": "加微信买低价充电器"},
                    headers=make.headers(neighbours[0])).get_json()
    url = f"{API}/{topic['id']}/comments/{c['id']}/report"
    # the author cannot report their own; the same resident counts once
    assert client.post(url, json={}, headers=make.headers(neighbours[0])).status_code == 403
    for _ in range(2):
        r = client.post(url, json={"reason": "广告"}, headers=make.headers(neighbours[1]))
        assert r.status_code == 200 and r.get_json()["status"] == "visible" and r.get_json()["reports_count"] == 1
    r = client.post(url, json={}, headers=make.headers(neighbours[2]))
    assert r.get_json()["status"] == "hidden"
    assert client.get(f"{API}/{topic['id']}/comments", headers=auth.headers("resident")).get_json()["items"] == []
    assert client.get(f"{API}/{topic['id']}", headers=auth.headers("resident")).get_json()["comments_count"] == 0
    queue = client.get(f"{API}/moderation", headers=auth.headers("lsw_staff")).get_json()["items"]
    assert [q["id"] for q in queue] == [c["id"]] and queue[0]["topic_title"] == topic["title"]
    assert client.get(f"{API}/moderation", headers=auth.headers("zxxy_staff")).get_json()["items"] == []
    assert session.scalar(select(func.count()).select_from(Notification)
                          .where(Notification.kind == "topic.comment_hidden")) >= 1
    r = client.post(f"{API}/{topic['id']}/comments/{c['id']}/moderate", json={"action": "restore"},
                    headers=auth.headers("lsw_staff"))
    assert r.status_code == 200 and r.get_json()["status"] == "visible"
    # restored by staff: a further report does not hide it again
    client.post(url, json={}, headers=make.headers(neighbours[3]))
    assert session.get(TopicComment, c["id"]).status == "visible"
    r = client.post(f"{API}/{topic['id']}/comments/{c['id']}/moderate", json={"action": "remove", "note": "广告"},
                    headers=auth.headers("lsw_staff"))
    assert r.get_json()["status"] == "removed"
    r = client.post(f"{API}/{topic['id']}/comments/{c['id']}/moderate", json={"action": "restore"},
                    headers=auth.headers("lsw_staff"))
    assert r.status_code == 409
    assert client.get(f"{API}/{topic['id']}/comments", headers=auth.headers("resident")).get_json()["items"] == []
    staff_view = client.get(f"{API}/{topic['id']}/comments", headers=auth.headers("lsw_staff")).get_json()["items"]
    assert [x["status"] for x in staff_view] == ["removed"]


@pytest.mark.parametrize("who", ["zxxy_resident", "zxxy_staff", "volunteer", "partner", "resident", "lsw_staff"])
def test_another_communitys_topic_is_404_for_every_role(client, auth, session, who):
    owner = "resident" if who.startswith("zxxy") else "zxxy_resident"
    topic = _propose(client, auth.headers(owner))
    c = client.post(f"{API}/{topic['id']}/comments", json={"body": "同意"}, headers=auth.headers(owner)).get_json()
    h = auth.headers(who)
    for method, suffix, body in (("get", "", None), ("get", "/comments", None),
                                 ("post", "/support", {"supported": True}), ("post", "/comments", {"body": "好"}),
                                 ("post", f"/comments/{c['id']}/report", {}),
                                 ("post", f"/comments/{c['id']}/moderate", {"action": "remove"}),
                                 ("post", "/decision", {"decision": "declined", "text": "不行"}),
                                 ("post", "/project", {}), ("post", "/case", {"category_id": 1}),
                                 ("get", "/photos/1", None)):
        r = getattr(client, method)(f"{API}/{topic['id']}{suffix}", headers=h,
                                    **({"json": body} if body is not None else {}))
        # 403 only where the role itself may never do it (checked before anything is looked up)
        assert r.status_code in ((404,) if method == "get" or who.endswith("resident")
                                 and suffix in ("/support", "/comments", f"/comments/{c['id']}/report")
                                 else (403, 404)), (who, suffix, r.status_code)
    assert topic["id"] not in [t["id"] for t in client.get(API, headers=h).get_json()["items"]]
    assert client.get(f"{API}/settings/{topic['community']['id']}", headers=h).status_code in (403, 404)


def test_town_staff_see_every_community_and_the_settings_are_per_community(client, auth, session, lsw):
    topic = _propose(client, auth.headers("zxxy_resident"))
    assert topic["support_threshold"] == 10 or topic["support_threshold"] > 0
    assert topic["id"] in [t["id"] for t in client.get(API, headers=auth.headers("town")).get_json()["items"]]
    r = client.put(f"{API}/settings/{lsw.id}", json={"support_threshold": 5}, headers=auth.headers("lsw_staff"))
    assert r.status_code == 200 and r.get_json()["support_threshold"] == 5 and r.get_json()["report_threshold"] >= 1
    assert client.get(f"{API}/settings/{lsw.id}", headers=auth.headers("zxxy_staff")).status_code == 404
    assert client.put(f"{API}/settings/{lsw.id}", json={"support_threshold": 0},
                      headers=auth.headers("lsw_staff")).status_code == 422


def test_topic_lists_take_a_fixed_number_of_queries(client, auth, session, make, neighbours, count_queries):
    headers = auth.headers("resident")
    for i in range(4):
        _propose(client, make.headers(neighbours[i]), title=f"议题{i}号：楼道照明")
    for n in (2, 20):
        with count_queries() as statements:
            r = client.get(f"{API}?limit={n}", headers=headers)
        assert r.status_code == 200
        if n == 2:
            first = len(statements)
        else:
            assert len(statements) == first, statements
    topic = client.get(API, headers=headers).get_json()["items"][0]
    for i in range(4):
        client.post(f"{API}/{topic['id']}/comments", json={"body": f"留言{i}"}, headers=make.headers(neighbours[i]))
    sizes = []
    for n in (1, 20):
        with count_queries() as statements:
            assert client.get(f"{API}/{topic['id']}/comments?limit={n}", headers=headers).status_code == 200
        sizes.append(len(statements))
    assert sizes[0] == sizes[1]
    staff = auth.headers("lsw_staff")
    sizes = []
    for n in (1, 20):
        with count_queries() as statements:
            assert client.get(f"{API}/moderation?limit={n}&status=removed", headers=staff).status_code == 200
        sizes.append(len(statements))
    assert sizes[0] == sizes[1]


@pytest.mark.parametrize("payload", [
    {"title": "好", "body": "x" * 2001},
    {"title": "a\x00b", "body": "内容内容"},
    {"title": "标题标题", "body": "内容内容", "status": "adopted"},
    {"title": "标题标题", "body": "内容内容", "supports_count": 999},
    {"title": "标题标题", "body": "内容内容", "kind": "petition"},
    {"title": "x" * 81, "body": "内容内容"},
])
def test_hostile_proposals_write_nothing(client, auth, session, payload):
    before = session.scalar(select(func.count()).select_from(Topic))
    r = client.post(API, json=payload, headers=auth.headers("resident"))
    assert r.status_code == 422, r.get_json()
    assert session.scalar(select(func.count()).select_from(Topic)) == before


def test_hostile_ids_and_bodies_elsewhere(client, auth, session):
    h = auth.headers("resident")
    assert client.get(f"{API}/99999999999999999999", headers=h).status_code == 404
    assert client.get(f"{API}/2147483648", headers=h).status_code == 404
    topic = _propose(client, h)
    assert client.post(f"{API}/{topic['id']}/support", json={"supported": "yes"}, headers=h).status_code == 422
    assert client.post(f"{API}/{topic['id']}/support", json={"supported": True, "user_id": 1},
                       headers=h).status_code == 422
    assert client.post(f"{API}/{topic['id']}/comments", json={"body": "x" * 501}, headers=h).status_code == 422
    assert client.post(f"{API}/{topic['id']}/comments", json={"body": "\x00"}, headers=h).status_code == 422
    assert client.get(f"{API}?status=nope", headers=h).status_code == 422
    assert client.get(f"{API}?cursor=%%%", headers=h).status_code == 400
    assert client.post(f"{API}/{topic['id']}/decision", json={"decision": "adopted", "text": "x" * 3000},
                       headers=auth.headers("lsw_staff")).status_code == 422
    assert session.get(Topic, topic["id"]).status == "proposed"


def test_a_proposal_may_carry_photos(client, auth, session):
    import io
    import json

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buf, "JPEG")
    r = client.post(API, headers=auth.headers("resident"), content_type="multipart/form-data", data={
        "data": json.dumps({"title": "东门台阶破损", "body": "台阶缺角，老人容易绊倒。"}),
        "photos": [(io.BytesIO(buf.getvalue()), "a.jpg")]})
    assert r.status_code == 201, r.get_json()
    photo = r.get_json()["photos"][0]
    assert client.get(photo["thumbnail_url"], headers=auth.headers("resident")).status_code == 200
    assert client.get(photo["url"], headers=auth.headers("zxxy_resident")).status_code == 404


def test_the_demo_has_topics_at_every_stage_with_counters_that_agree(session):
    statuses = set(session.scalars(select(Topic.status)))
    assert {"proposed", "discussing", "adopted", "declined", "done"} <= statuses
    for topic in session.scalars(select(Topic)):
        supports = session.scalar(select(func.count()).select_from(TopicSupport).where(TopicSupport.topic_id == topic.id))
        visible = session.scalar(select(func.count()).select_from(TopicComment).where(
            TopicComment.topic_id == topic.id, TopicComment.status == "visible"))
        assert (topic.supports_count, topic.comments_count) == (supports, visible), topic.title
        threshold = session.get(TopicSettings, topic.community_id).support_threshold
        assert (topic.status == "proposed") == (supports < threshold), topic.title


def test_topic_participation_on_the_dashboard(client, auth, session):
    lsw = session.scalar(select(Area).where(Area.code == "LSW"))
    data = client.get("/api/v1/dashboard", headers=auth.headers("lsw_staff")).get_json()
    section = next(s for s in data["sections"] if s["key"] == "topics")
    metrics = {m["key"]: m["value"] for m in section["metrics"]}
    topics = session.scalars(select(Topic).where(Topic.area_path == lsw.path)).all()
    assert metrics["topics"] == len(topics) and metrics["discussing"] == sum(t.status == "discussing" for t in topics)
    supporters = session.scalar(select(func.count(func.distinct(TopicSupport.user_id))).join(Topic)
                                .where(Topic.area_path == lsw.path))
    assert metrics["supporters"] == supporters > 0
