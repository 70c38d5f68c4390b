"""Webhooks: subscriptions (SSRF-checked), the outbox written with the case change, signed delivery with
retries, the delivery log, replay and ping, scoping. No test connects anywhere but 127.0.0.1: the
resolver is stubbed, and the one function that opens sockets refuses any other address."""
from __future__ import annotations

import ipaddress
import json
import socket
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from steward.alliances.models import Unit
from steward.cases import service as cases
from steward.cases.models import Case
from steward.db import unit_of_work, utcnow
from steward.scope import SystemPrincipal
from steward.webhooks import service, signing, transport
from steward.webhooks.models import WebhookDelivery, WebhookEvent, WebhookSubscription

from .test_cases import _report, _step, _units

API = "/api/v1"
SUBS = f"{API}/webhook-subscriptions"
PUBLIC_IP = "8.8.8.8"  # what "hooks.partner.cn" resolves to: never connected to (see `net`)


class Net:
    """A fake DNS and a record of every socket the code tried to open."""

    def __init__(self) -> None:
        self.dns: dict[str, list[str]] = {"hooks.partner.cn": [PUBLIC_IP]}
        self.opened: list[tuple[str, int]] = []
        self.resolved: list[str] = []

    def resolve(self, host: str, port: int) -> list[str]:
        self.resolved.append(host)
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            pass
        if host not in self.dns:
            raise socket.gaierror("no such host")
        return list(self.dns[host])

    def open(self, ip: str, port: int, timeout: float):
        self.opened.append((ip, port))
        if ip != "127.0.0.1":
            raise ConnectionRefusedError(f"test guard: no connection to {ip}")
        return socket.create_connection((ip, port), timeout)


@pytest.fixture(autouse=True)
def net(monkeypatch):
    n = Net()
    monkeypatch.setattr(transport, "resolve", n.resolve)
    monkeypatch.setattr(transport, "open_socket", n.open)
    return n


class Receiver:
    """A partner's endpoint on 127.0.0.1: records what it receives; can be down, slow or failing."""

    def __init__(self) -> None:
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.received: list[dict] = []
        self.status = 200
        self.answer = b'{"ok":true}'
        self.delay = 0.0
        self.server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        me = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                me.received.append({"headers": dict(self.headers), "body": body})
                time.sleep(me.delay)
                self.send_response(me.status)
                self.send_header("Content-Length", str(len(me.answer)))
                self.end_headers()
                self.wfile.write(me.answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.server.handle_error = lambda request, address: None  # a client that hung up (timeout test)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    @property
    def url(self) -> str:
        return f"http://receiver.test:{self.port}/hooks"

    def deliveries(self) -> list[str]:
        return [r["headers"]["Steward-Delivery-Id"] for r in self.received]


@pytest.fixture
def receiver(app, net, monkeypatch):
    """A running receiver, reachable as receiver.test (→ 127.0.0.1), private addresses and http allowed."""
    monkeypatch.setitem(app.config, "WEBHOOKS_ALLOW_PRIVATE", True)
    monkeypatch.setitem(app.config, "WEBHOOKS_ALLOW_HTTP", True)
    net.dns["receiver.test"] = ["127.0.0.1"]
    r = Receiver()
    r.start()
    yield r
    r.stop()


def _unit(session, name="丽水湾物业服务中心"):
    return session.scalar(select(Unit.id).where(Unit.name == name))


def _subscribe(client, auth, session, url, who="lsw_staff", **extra):
    return client.post(SUBS, json={"unit_id": _unit(session), "url": url, **extra}, headers=auth.headers(who))


def _dispatch(client, auth, session):
    cid = _report(client, auth, session).get_json()["id"]
    unit, = _units(session, "丽水湾物业服务中心")
    r = _step(client, auth, cid, "dispatch", "lsw_staff", unit_ids=[unit])
    assert r.status_code == 200, r.get_json()
    return cid, next(p["id"] for p in r.get_json()["parts"] if p["unit"]["id"] == unit)


def _count(session, model):
    return session.scalar(select(func.count()).select_from(model))


# ------------------------------------------------------------------ SSRF
@pytest.mark.parametrize("url, dns", [
    ("http://hooks.partner.cn/x", None),                       # https only
    ("https://user:pw@hooks.partner.cn/x", None),              # no credentials in the URL
    ("https://10.0.0.5/x", None),
    ("https://192.168.1.1/", None),
    ("https://127.0.0.1/", None),
    ("https://[::1]/", None),
    ("https://169.254.169.254/latest/meta-data", None),        # cloud metadata
    ("https://100.64.0.1/", None),                             # carrier-grade NAT
    ("https://0.0.0.0/", None),
    ("https://[::ffff:10.0.0.1]/", None),                      # IPv4-mapped IPv6
    ("https://[fe80::1]/", None),
    ("https://224.0.0.1/", None),
    ("https://internal.partner.cn/", ["10.1.2.3"]),            # a name resolving inside
    ("https://mixed.partner.cn/", [PUBLIC_IP, "192.168.0.2"]),  # one private answer is enough to refuse
    ("https://nowhere.partner.cn/", None),                     # does not resolve
    ("https://hooks.partner.cn:99999/", None),                 # bad port
    ("not a url", None),
])
def test_private_and_bad_urls_are_refused_at_subscription_before_any_connection(client, auth, session, net, url, dns):
    if dns:
        net.dns[url.split("/")[2]] = dns
    before = _count(session, WebhookSubscription)
    r = _subscribe(client, auth, session, url)
    assert r.status_code == 422 and "url" in r.get_json()["errors"], r.get_json()
    assert _count(session, WebhookSubscription) == before and net.opened == []


def test_a_public_https_url_is_accepted_and_the_secret_shown_once(client, auth, session, net):
    r = _subscribe(client, auth, session, "https://hooks.partner.cn/steward", events=["case.closed"])
    assert r.status_code == 201, r.get_json()
    created = r.get_json()
    assert created["secret"].startswith("whsec_") and created["events"] == ["case.closed"]
    row = session.get(WebhookSubscription, created["id"])
    assert created["secret"] not in row.secret_cipher and signing.unseal(row.secret_cipher) == created["secret"]
    for body in (client.get(f"{SUBS}/{created['id']}", headers=auth.headers("lsw_staff")).get_json(),
                 *client.get(SUBS, headers=auth.headers("lsw_staff")).get_json()["items"]):
        assert "secret" not in body and "secret_cipher" not in body
    assert net.opened == []


def test_a_name_that_later_resolves_inside_is_refused_at_delivery(client, auth, session, net):
    """DNS rebinding: public when subscribed, private when delivered. Nothing connects."""
    sub = _subscribe(client, auth, session, "https://hooks.partner.cn/steward").get_json()
    net.dns["hooks.partner.cn"] = ["10.0.0.7"]
    r = client.post(f"{SUBS}/{sub['id']}/ping", headers=auth.headers("lsw_staff"))
    assert r.status_code == 202
    delivery = session.get(WebhookDelivery, r.get_json()["id"])
    session.refresh(delivery)
    assert delivery.status == "pending" and delivery.attempts == 1
    assert delivery.error.startswith("refused: ") and net.opened == []


def test_the_connection_goes_to_the_address_that_was_checked(app, monkeypatch, net):
    """The socket is opened to the resolved, checked address (resolved once), never re-resolved by the
    HTTP library: a second answer cannot move it."""
    answers = iter([[PUBLIC_IP], ["127.0.0.1"]])
    monkeypatch.setattr(transport, "resolve", lambda host, port: next(answers))
    result = transport.post("https://rebind.partner.cn/x", b"{}", {})
    assert net.opened == [(PUBLIC_IP, 443)] and result.error and not result.ok


# ------------------------------------------------------------------ delivering
def test_a_dispatched_case_is_delivered_signed(client, auth, session, receiver, net):
    sub = _subscribe(client, auth, session, receiver.url).get_json()
    cid, _ = _dispatch(client, auth, session)
    assert len(receiver.received) == 1
    got = receiver.received[0]
    assert signing.verify(sub["secret"], got["headers"]["Steward-Signature"], got["body"])
    assert not signing.verify(sub["secret"], got["headers"]["Steward-Signature"], got["body"] + b" ")
    assert not signing.verify("whsec_wrong", got["headers"]["Steward-Signature"], got["body"])
    t = int(got["headers"]["Steward-Signature"].split(",")[0][2:])
    assert not signing.verify(sub["secret"], got["headers"]["Steward-Signature"], got["body"], now=t + 301)
    payload = json.loads(got["body"])
    assert payload["type"] == "case.dispatched" and payload["data"]["case"]["id"] == cid
    assert payload["id"] == got["headers"]["Steward-Event-Id"] and got["headers"]["Steward-Event"] == "case.dispatched"
    assert [p["unit_id"] for p in payload["data"]["case"]["parts"]] == [_unit(session)]
    assert got["headers"]["Host"] == f"receiver.test:{receiver.port}" and net.opened == [("127.0.0.1", receiver.port)]
    assert "reporter" not in got["body"].decode() and "phone" not in got["body"].decode()
    log = client.get(f"{SUBS}/{sub['id']}/deliveries", headers=auth.headers("lsw_staff")).get_json()["items"]
    assert log[0]["status"] == "delivered" and log[0]["status_code"] == 200 and log[0]["attempts"] == 1
    assert log[0]["response_excerpt"] == '{"ok":true}' and log[0]["latency_ms"] >= 0
    assert log[0]["event"]["type"] == "case.dispatched" and log[0]["event"]["case_id"] == cid


def test_each_case_change_is_its_event_and_only_subscribed_events_are_sent(client, auth, session, receiver):
    _subscribe(client, auth, session, receiver.url)
    _subscribe(client, auth, session, receiver.url + "/closed-only", events=["case.closed"])
    cid, part = _dispatch(client, auth, session)
    assert client.patch(f"{API}/cases/{cid}/parts/{part}", json={"status": "done"},
                        headers=auth.headers("partner")).status_code == 200
    assert _step(client, auth, cid, "close", "lsw_staff").status_code == 200
    assert _step(client, auth, cid, "reopen", "resident", reason="又堆满了").status_code == 200
    assert _step(client, auth, cid, "escalate", "lsw_staff", reason="反复出现").status_code == 200
    client.post(f"{API}/cases/{cid}/comments", json={"note": "内部记录", "internal": True},
                headers=auth.headers("lsw_staff"))
    kinds = [(json.loads(r["body"])["type"], json.loads(r["body"])["data"]["change"]["kind"]) for r in receiver.received]
    assert ("case.dispatched", "dispatch") in kinds and ("case.updated", "part_updated") in kinds
    assert ("case.updated", "resolve") in kinds and ("case.updated", "reopen") in kinds
    assert ("case.escalated", "escalated") in kinds
    assert kinds.count(("case.closed", "close")) == 2  # both subscriptions
    assert all(k != "comment" for _, k in kinds)  # internal notes stay inside


def test_the_outbox_is_written_in_the_transaction_of_the_change(client, auth, session, net):
    _subscribe(client, auth, session, "https://hooks.partner.cn/steward")
    cid = _report(client, auth, session).get_json()["id"]
    unit = _unit(session)
    events, deliveries = _count(session, WebhookEvent), _count(session, WebhookDelivery)
    with pytest.raises(RuntimeError), unit_of_work(write=True) as s:
        case = s.get(Case, cid)
        cases.dispatch(s, user=SystemPrincipal(reason="test"), case=case, unit_ids=[unit])
        assert s.scalar(select(func.count()).select_from(WebhookDelivery)) == deliveries + 1
        raise RuntimeError("the change fails after the outbox row was written")
    assert (_count(session, WebhookEvent), _count(session, WebhookDelivery)) == (events, deliveries)
    assert session.get(Case, cid).status == "submitted"


def test_a_receiver_that_is_down_gets_everything_once_when_it_comes_back(client, auth, session, app, net, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOKS_ALLOW_PRIVATE", True)
    monkeypatch.setitem(app.config, "WEBHOOKS_ALLOW_HTTP", True)
    net.dns["receiver.test"] = ["127.0.0.1"]
    receiver = Receiver()  # not started: connections are refused
    sub = _subscribe(client, auth, session, receiver.url).get_json()
    cid, part = _dispatch(client, auth, session)
    client.patch(f"{API}/cases/{cid}/parts/{part}", json={"status": "in_progress"}, headers=auth.headers("partner"))
    rows = session.scalars(select(WebhookDelivery).where(WebhookDelivery.subscription_id == sub["id"])
                           .order_by(WebhookDelivery.id)).all()
    assert len(rows) == 3  # dispatched; the part in progress; the case thereby started
    for row in rows:
        session.refresh(row)
        assert row.status == "pending" and row.attempts == 1 and row.error and row.next_attempt_at > utcnow()
        assert service.attempt(row.id) == "not due"  # its retry is not due yet
    receiver.start()
    try:
        later = max(r.next_attempt_at for r in rows) + timedelta(seconds=1)
        due = service.due_deliveries(session, now=later)
        assert sorted(due) == [r.id for r in rows]
        assert [service.attempt(i, now=later) for i in due + due] == ["delivered"] * 3 + ["not due"] * 3
        assert service.due_deliveries(session, now=later + timedelta(hours=1)) == []
    finally:
        receiver.stop()
    assert sorted(receiver.deliveries()) == sorted(f"dlv_{r.id}" for r in rows)  # each once, none lost
    assert [r["headers"]["Steward-Attempt"] for r in receiver.received] == ["2", "2", "2"]


def test_a_failing_receiver_is_retried_with_backoff_then_given_up_after_a_day(client, auth, session, receiver):
    receiver.status, receiver.answer = 500, b"x" * 5000
    sub = _subscribe(client, auth, session, receiver.url).get_json()
    delivery = client.post(f"{SUBS}/{sub['id']}/ping", headers=auth.headers("lsw_staff")).get_json()
    row = session.get(WebhookDelivery, delivery["id"])
    session.refresh(row)
    assert row.status == "pending" and row.status_code == 500 and row.error == "HTTP 500"
    assert len(row.response_excerpt) == 1024
    first_wait = (row.next_attempt_at - row.last_attempt_at).total_seconds()
    assert 22 <= first_wait <= 38
    waits = [service.backoff(n) for n in range(1, 12)]
    assert all(0.75 * min(3600, 30 * 2 ** (n - 1)) <= w <= 1.25 * min(3600, 30 * 2 ** (n - 1))
               for n, w in zip(range(1, 12), waits, strict=True))
    row.created_at = utcnow() - timedelta(hours=24)  # a day old: the next failure is the last
    session.commit()
    assert service.attempt(row.id, now=row.next_attempt_at + timedelta(seconds=1)) == "failed"
    session.refresh(row)
    assert row.status == "failed" and row.next_attempt_at is None and row.attempts == 2
    from steward.notifications.models import Notification
    from steward.people.models import User

    told = session.scalars(select(Notification.user_id).where(Notification.kind == "webhook.failed")).all()
    partner = session.scalar(select(User.id).where(User.phone == "13800000006"))
    staff = session.scalar(select(User.id).where(User.phone == "13800000002"))
    assert sorted(told) == sorted({partner, staff})  # the unit's partner account and who subscribed


def test_a_worker_that_died_mid_attempt_is_taken_over_after_its_lease(client, auth, session, receiver):
    sub = _subscribe(client, auth, session, receiver.url).get_json()
    receiver.stop()
    delivery = client.post(f"{SUBS}/{sub['id']}/ping", headers=auth.headers("lsw_staff")).get_json()
    row = session.get(WebhookDelivery, delivery["id"])
    row.status, row.lease_until = "sending", utcnow() + timedelta(seconds=30)
    session.commit()
    assert row.id not in service.due_deliveries(session)
    assert row.id in service.due_deliveries(session, now=utcnow() + timedelta(seconds=61))


def test_replay_and_ping(client, auth, session, receiver):
    sub = _subscribe(client, auth, session, receiver.url).get_json()
    r = client.post(f"{SUBS}/{sub['id']}/ping", headers=auth.headers("partner"))
    assert r.status_code == 202 and r.get_json()["event"]["type"] == "ping"
    assert json.loads(receiver.received[-1]["body"])["type"] == "ping"
    r = client.post(f"{API}/webhook-deliveries/{r.get_json()['id']}/replay", headers=auth.headers("lsw_staff"))
    assert r.status_code == 202 and r.get_json()["replay_of_id"]
    first, again = receiver.received[-2:]
    assert first["headers"]["Steward-Event-Id"] == again["headers"]["Steward-Event-Id"]
    assert first["headers"]["Steward-Delivery-Id"] != again["headers"]["Steward-Delivery-Id"]
    assert client.get(f"{API}/webhook-deliveries/{r.get_json()['id']}",
                      headers=auth.headers("lsw_staff")).get_json()["status"] == "delivered"
    client.patch(f"{SUBS}/{sub['id']}", json={"is_active": False}, headers=auth.headers("lsw_staff"))
    r = client.post(f"{API}/webhook-deliveries/{r.get_json()['id']}/replay", headers=auth.headers("lsw_staff"))
    assert r.status_code == 409


def test_a_switched_off_subscription_gets_nothing_and_its_pending_deliveries_stop(client, auth, session, receiver):
    sub = _subscribe(client, auth, session, receiver.url).get_json()
    receiver.stop()
    delivery = client.post(f"{SUBS}/{sub['id']}/ping", headers=auth.headers("lsw_staff")).get_json()
    client.patch(f"{SUBS}/{sub['id']}", json={"is_active": False}, headers=auth.headers("lsw_staff"))
    _dispatch(client, auth, session)
    assert _count(session, WebhookDelivery) == 1
    row = session.get(WebhookDelivery, delivery["id"])
    assert service.attempt(row.id, now=utcnow() + timedelta(hours=1)) == "cancelled"


def test_timeouts_and_the_response_cap(receiver):
    receiver.answer = b"y" * (300 * 1024)
    result = transport.post(receiver.url, b"{}", {}, allow_private=True, allow_http=True)
    assert result.ok and len(result.excerpt) == 1024
    receiver.delay = 2
    started = time.monotonic()
    result = transport.post(receiver.url, b"{}", {}, allow_private=True, allow_http=True, total_timeout=0.5)
    assert not result.ok and "timeout" in result.error and time.monotonic() - started < 1.5


# ------------------------------------------------------------------ the API
def test_subscriptions_crud_and_rotation(client, auth, session, net):
    sub = _subscribe(client, auth, session, "https://hooks.partner.cn/a", who="partner").get_json()
    assert sub["unit"]["id"] == _unit(session) and sub["is_active"]
    r = client.patch(f"{SUBS}/{sub['id']}", json={"url": "https://10.9.9.9/"}, headers=auth.headers("partner"))
    assert r.status_code == 422
    r = client.patch(f"{SUBS}/{sub['id']}", json={"events": ["case.escalated"], "description": "升级提醒"},
                     headers=auth.headers("lsw_staff"))
    assert r.status_code == 200 and r.get_json()["events"] == ["case.escalated"]
    r = client.post(f"{SUBS}/{sub['id']}/rotate-secret", headers=auth.headers("partner"))
    assert r.status_code == 200 and r.get_json()["secret"] != sub["secret"]
    assert signing.unseal(session.get(WebhookSubscription, sub["id"]).secret_cipher) == r.get_json()["secret"]
    assert client.delete(f"{SUBS}/{sub['id']}", headers=auth.headers("partner")).status_code == 204
    assert client.get(f"{SUBS}/{sub['id']}", headers=auth.headers("lsw_staff")).status_code == 404


@pytest.mark.parametrize("body, field", [
    ({"url": "https://hooks.partner.cn/a", "secret": "mine"}, "secret"),
    ({"url": "https://hooks.partner.cn/a", "events": ["case.deleted"]}, "events"),
    ({"url": "https://hooks.partner.cn/a", "events": []}, "events"),
    ({"url": "https://hooks.partner.cn/\x00"}, "url"),
    ({"url": "https://hooks.partner.cn/" + "a" * 600}, "url"),
    ({"url": "https://hooks.partner.cn/a", "unit_id": 2**40}, "unit_id"),
    ({"url": "https://hooks.partner.cn/a", "unit_id": None}, "unit_id"),
])
def test_hostile_input_is_refused_and_nothing_written(client, auth, session, body, field):
    before = _count(session, WebhookSubscription)
    r = client.post(SUBS, json={"unit_id": _unit(session), **body}, headers=auth.headers("lsw_staff"))
    assert r.status_code in (400, 422) and any(k.split(".")[0] == field for k in r.get_json().get("errors", {})), \
        r.get_json()
    assert _count(session, WebhookSubscription) == before


@pytest.mark.parametrize("who", ["volunteer", "resident"])
def test_only_staff_and_the_units_partners_use_webhooks(client, auth, session, who):
    assert client.get(SUBS, headers=auth.headers(who)).status_code == 403
    assert _subscribe(client, auth, session, "https://hooks.partner.cn/a", who=who).status_code == 403


def test_a_partner_cannot_subscribe_for_another_unit(client, auth, session):
    r = client.post(SUBS, json={"unit_id": _unit(session, "庄行镇城建中心"), "url": "https://hooks.partner.cn/a"},
                    headers=auth.headers("partner"))
    assert r.status_code == 422 and "unit_id" in r.get_json()["errors"]


def test_api_client_tokens_cannot_manage_webhooks(client):
    from .test_oauth import _bearer, _token

    r = client.get(SUBS, headers=_bearer(_token(client)))
    assert r.status_code == 403 and r.get_json()["type"].endswith("client-not-allowed")


def test_the_delivery_log_pages_with_a_constant_number_of_statements(client, auth, session, net, count_queries):
    sub = _subscribe(client, auth, session, "https://hooks.partner.cn/a").get_json()
    for _ in range(7):
        client.post(f"{SUBS}/{sub['id']}/ping", headers=auth.headers("lsw_staff"))
    headers = auth.headers("lsw_staff")
    url = f"{SUBS}/{sub['id']}/deliveries"
    client.get(f"{url}?limit=1", headers=headers)
    counts, seen, cursor = {}, [], None
    for limit in (2, 7):
        with count_queries() as statements:
            r = client.get(f"{url}?limit={limit}", headers=headers)
        assert len(r.get_json()["items"]) == limit
        counts[limit] = len(statements)
    assert counts[2] == counts[7] and counts[7] <= 6, counts
    while True:
        page = client.get(f"{url}?limit=3" + (f"&cursor={cursor}" if cursor else ""), headers=headers).get_json()
        seen += [d["id"] for d in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 7 and seen == sorted(seen, reverse=True)
    r = client.get(f"{url}?status=pending", headers=headers).get_json()["items"]
    assert len(r) == 7 and all(d["error"].startswith("refused") or "test guard" in d["error"] for d in r)


# ------------------------------------------------------------------ scope
@pytest.fixture
def foreign(make, session, net):
    """A subscription and a delivery of a unit in another community than everyone in ``people``."""
    tree = make.tree()
    mine, other = tree.communities
    unit = Unit(area_id=other.area.id, area_path=other.area.path, kind="property_company", name="别处物业")
    session.add(unit)
    session.flush()
    sub = WebhookSubscription(unit_id=unit.id, area_path=unit.area_path, url="https://hooks.partner.cn/x",
                              events=["case.closed"], secret_cipher=signing.seal(signing.new_secret()))
    session.add(sub)
    session.flush()
    event = WebhookEvent(unit_id=unit.id, type="ping", data={})
    session.add(event)
    session.flush()
    delivery = WebhookDelivery(subscription_id=sub.id, event_id=event.id, unit_id=unit.id, area_path=unit.area_path,
                               status="delivered", next_attempt_at=None)
    session.add(delivery)
    session.commit()
    people = {role: make.user(role, mine.area) for role in ("admin", "town_staff", "staff", "resident")}
    own_unit = Unit(area_id=mine.area.id, area_path=mine.area.path, kind="property_company", name="本处物业")
    session.add(own_unit)
    session.flush()
    people["partner"] = make.user("partner", mine.area, unit_id=own_unit.id)
    people["volunteer"] = make.user("volunteer", mine.grids[0])
    people["admin"].area_id, people["admin"].area_path = mine.area.id, mine.area.path
    people["town_staff"].area_id, people["town_staff"].area_path = mine.area.id, mine.area.path
    session.commit()
    return sub, delivery, people, make.user("staff", other.area)


@pytest.mark.parametrize("role", ["admin", "town_staff", "staff", "volunteer", "resident", "partner"])
def test_another_units_subscriptions_and_deliveries_are_404_for_every_role(client, make, session, foreign, role, net):
    sub, delivery, people, _ = foreign
    headers = make.headers(people[role])
    expected = 404
    for r in (client.get(f"{SUBS}/{sub.id}", headers=headers),
              client.patch(f"{SUBS}/{sub.id}", json={"is_active": False}, headers=headers),
              client.delete(f"{SUBS}/{sub.id}", headers=headers),
              client.post(f"{SUBS}/{sub.id}/ping", headers=headers),
              client.post(f"{SUBS}/{sub.id}/rotate-secret", headers=headers),
              client.get(f"{SUBS}/{sub.id}/deliveries", headers=headers),
              client.get(f"{API}/webhook-deliveries/{delivery.id}", headers=headers),
              client.post(f"{API}/webhook-deliveries/{delivery.id}/replay", headers=headers)):
        assert r.status_code == expected and r.headers["Content-Type"] == "application/problem+json", r.get_json()
    listed = client.get(SUBS, headers=headers)
    assert listed.status_code == 403 or sub.id not in {s["id"] for s in listed.get_json()["items"]}
    session.refresh(sub)
    assert sub.is_active and _count(session, WebhookDelivery) == 1 and net.opened == []


def test_the_units_own_community_staff_see_it(client, make, foreign):
    sub, delivery, _, home_staff = foreign
    assert client.get(f"{SUBS}/{sub.id}", headers=make.headers(home_staff)).status_code == 200
    assert client.get(f"{API}/webhook-deliveries/{delivery.id}", headers=make.headers(home_staff)).status_code == 200


def test_a_second_dispatch_is_dispatched_for_the_new_unit_and_updated_for_the_first(client, auth, session, receiver):
    mine = _subscribe(client, auth, session, receiver.url).get_json()
    town_unit = _unit(session, "庄行镇城建中心")
    other = client.post(SUBS, json={"unit_id": town_unit, "url": receiver.url + "/town"}, headers=auth.headers("town"))
    assert other.status_code == 201, other.get_json()
    cid, _ = _dispatch(client, auth, session)
    assert _step(client, auth, cid, "dispatch", "lsw_staff", unit_ids=[town_unit]).status_code == 200
    got = [(json.loads(r["body"])["unit_id"], json.loads(r["body"])["type"]) for r in receiver.received]
    unit = _unit(session)
    assert got[0] == (unit, "case.dispatched")
    assert sorted(got[1:]) == sorted([(unit, "case.updated"), (town_unit, "case.dispatched")]), got
    assert mine["id"] != other.get_json()["id"]
