"""Supports under real concurrency: the real server on SQLite and on PostgreSQL, real HTTP from many threads.

Eight neighbours each tap "support" three times at the same instant on a topic of 丽水湾 (threshold 3): every
request answers 200, each neighbour holds one support (the primary key), the counter equals the rows, the topic
moved to discussion once, and nobody was told twice."""
import os

import pytest
from sqlalchemy import create_engine, text

from ..live_server import call, fresh_postgres, live_server, postgres_answers
from .test_bookings_live import parallel

PASSWORD = "Steward@2026"
AUTHOR = "13800000005"
NEIGHBOURS = [f"1390000100{i}" for i in range(1, 9)]  # topics/demo.py gives 丽水湾 eight neighbour accounts


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def topics_server(request, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('live-topics') / 'steward.db'}"
    elif postgres_answers():
        url = fresh_postgres(os.environ.get("PG_LIVE_DB", "steward_live_test") + "_topics")
    elif os.environ.get("CI") == "true":
        pytest.fail("PostgreSQL at 127.0.0.1:5432 does not answer and CI=true")
    else:
        pytest.skip("PostgreSQL at 127.0.0.1:5432 does not answer")
    saved = os.environ.get("LOGIN_LIMIT_PER_IP")
    os.environ["LOGIN_LIMIT_PER_IP"] = "100000"  # the neighbours all sign in from 127.0.0.1
    try:
        with live_server(url) as base:
            engine = create_engine(url)
            with engine.begin() as conn:  # the neighbours get the demo password
                conn.execute(text("UPDATE users SET password_hash = (SELECT u.password_hash FROM users u "
                                  "WHERE u.phone = :author) WHERE phone LIKE '1390000%'"), {"author": AUTHOR})
            engine.dispose()
            yield base, url
    finally:
        if saved is None:
            os.environ.pop("LOGIN_LIMIT_PER_IP", None)
        else:
            os.environ["LOGIN_LIMIT_PER_IP"] = saved


def _token(base, phone):
    status, body, _ = call(base, "POST", "/auth/login", body={"phone": phone, "password": PASSWORD})
    assert status == 200, body
    return body["access_token"]


def _rows(url, sql, **params):
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).all()
    finally:
        engine.dispose()


def test_neighbours_tapping_support_at_once_count_once_each(topics_server):
    base, url = topics_server
    author = _token(base, AUTHOR)
    status, topic, _ = call(base, "POST", "/topics", author, {"title": "楼下增设休息长椅", "body": "老人散步累了没地方坐。"})
    assert status == 201 and topic["support_threshold"] == 3, topic
    tokens = [_token(base, phone) for phone in NEIGHBOURS]
    taps = [tokens[i % len(tokens)] for i in range(3 * len(tokens))]
    answers = parallel(len(taps), lambda i: call(base, "POST", f"/topics/{topic['id']}/support", taps[i],
                                                 {"supported": True}))
    assert sorted({a[0] for a in answers}) == [200], [a[:2] for a in answers if a[0] != 200]

    status, now, _ = call(base, "GET", f"/topics/{topic['id']}", author)
    [(rows,)] = _rows(url, "SELECT count(*) FROM topic_supports WHERE topic_id = :t", t=topic["id"])
    assert rows == now["supports_count"] == 1 + len(NEIGHBOURS)
    assert now["status"] == "discussing"
    told = _rows(url, "SELECT user_id, count(*) FROM notifications WHERE kind = 'topic.discussing' "
                      "AND subject_id = :t GROUP BY user_id", t=topic["id"])
    assert told and all(n == 1 for _, n in told), told


def test_one_neighbour_double_tapping_support_and_withdraw(topics_server):
    base, url = topics_server
    author = _token(base, AUTHOR)
    status, topic, _ = call(base, "POST", "/topics", author, {"title": "垃圾房加装洗手池", "body": "倒完垃圾没处洗手。"})
    assert status == 201
    token = _token(base, NEIGHBOURS[0])
    answers = parallel(10, lambda i: call(base, "POST", f"/topics/{topic['id']}/support", token, {"supported": True}))
    assert {a[0] for a in answers} == {200}
    answers = parallel(10, lambda i: call(base, "POST", f"/topics/{topic['id']}/support", token, {"supported": False}))
    assert {a[0] for a in answers} == {200}
    [(rows,)] = _rows(url, "SELECT count(*) FROM topic_supports WHERE topic_id = :t", t=topic["id"])
    [(count,)] = _rows(url, "SELECT supports_count FROM topics WHERE id = :t", t=topic["id"])
    assert rows == count == 1  # the author's own support is all that is left
