"""Webhooks: subscriptions, the outbox written with each case change, delivery with retries, the log."""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from itertools import groupby

import orjson
from flask import current_app
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from ..alliances.models import Unit
from ..audit.service import record
from ..cases.models import Case, CaseEvent
from ..cases.service import on_case_event
from ..core.errors import Conflict, invalid
from ..core.pagination import Page, paginate
from ..core.txhooks import on_commit
from ..db import unit_of_work, utcnow
from ..notifications.service import kind as notice_kind
from ..notifications.service import notify
from ..partners.access import unit_member
from ..scope import Principal, find_for, get_for, manages, scoped
from . import signing, transport
from .models import PING, DeliveryStatus, WebhookDelivery, WebhookEvent, WebhookSubscription

S = DeliveryStatus
N_FAILED = notice_kind("webhook.failed", "Webhook not delivered: {url}",
                       "A {event} event could not be delivered for 24 hours ({error}). Fix the receiver, then replay "
                       "it from the delivery log.")
RETRY_FOR = timedelta(hours=24)  # after this long since the event, a delivery is given up
FIRST_RETRY = 30  # seconds before the second attempt; doubled each time (with jitter) ...
MAX_BACKOFF = 3600  # ... up to an hour between attempts
LEASE = timedelta(seconds=60)  # an attempt older than this (a worker died mid-way) may be taken over
USER_AGENT = "Steward-Webhooks/1.0"
NOT_ANNOUNCED = frozenset({"submitted", "followed"})  # before dispatch, or nothing a unit must act on


def _settings() -> dict:
    cfg = current_app.config
    return {"allow_private": bool(cfg.get("WEBHOOKS_ALLOW_PRIVATE")), "allow_http": bool(cfg.get("WEBHOOKS_ALLOW_HTTP"))}


def may_manage_unit(p: Principal, unit_id: int, area_path: str) -> bool:
    """Staff managing the unit's area, or a partner account (a person, not an API client) of the unit."""
    return manages(p, area_path) or unit_member(p, unit_id)


# ------------------------------------------------------------------ subscriptions
def _check_url(url: str) -> None:
    try:
        transport.check_url(url, **_settings())
    except transport.Refused as e:
        raise invalid({"url": [str(e)]}) from None


def create_subscription(session: Session, *, user: Principal, data: dict) -> tuple[WebhookSubscription, str]:
    """A new subscription; returns it with its signing secret (shown once)."""
    unit = find_for(session, user, Unit, data["unit_id"])
    if unit is None or not unit.is_active or not may_manage_unit(user, unit.id, unit.area_path):
        raise invalid({"unit_id": ["Pick an active unit you manage."]})
    _check_url(data["url"])
    secret = signing.new_secret()
    sub = WebhookSubscription(unit_id=unit.id, area_path=unit.area_path, url=data["url"],
                              description=data.get("description"), events=sorted(set(data["events"])),
                              secret_cipher=signing.seal(secret), is_active=data.get("is_active", True),
                              created_by_id=user.id)
    session.add(sub)
    session.flush()
    record(session, actor=user, action="webhook.create", resource_type="webhook_subscription", resource_id=sub.id,
           area_path=sub.area_path, detail={"unit_id": unit.id, "url": sub.url[:200], "events": sub.events})
    return sub, secret


def list_subscriptions(session: Session, *, user: Principal, unit_id: int | None = None, cursor: str | None,
                       limit: int) -> Page[WebhookSubscription]:
    stmt = scoped(user, WebhookSubscription)
    if unit_id is not None:
        stmt = stmt.where(WebhookSubscription.unit_id == unit_id)
    return paginate(session, stmt, keys=[WebhookSubscription.id], cursor=cursor, limit=limit, descending=True)


def get_subscription(session: Session, *, user: Principal, subscription_id: int,
                     action: str = "read") -> WebhookSubscription:
    return get_for(session, user, WebhookSubscription, subscription_id, action)


def update_subscription(session: Session, *, user: Principal, subscription_id: int, data: dict) -> WebhookSubscription:
    sub = get_subscription(session, user=user, subscription_id=subscription_id, action="manage")
    if "url" in data and data["url"] != sub.url:
        _check_url(data["url"])
    for field in ("url", "description", "is_active"):
        if field in data:
            setattr(sub, field, data[field])
    if "events" in data:
        sub.events = sorted(set(data["events"]))
    sub.updated_at = utcnow()
    record(session, actor=user, action="webhook.update", resource_type="webhook_subscription", resource_id=sub.id,
           area_path=sub.area_path, detail={k: v for k, v in data.items() if k != "description"})
    return sub


def rotate_secret(session: Session, *, user: Principal, subscription_id: int) -> tuple[WebhookSubscription, str]:
    """A new signing secret at once (shown once); deliveries from now on are signed with it."""
    sub = get_subscription(session, user=user, subscription_id=subscription_id, action="manage")
    secret = signing.new_secret()
    sub.secret_cipher, sub.updated_at = signing.seal(secret), utcnow()
    record(session, actor=user, action="webhook.rotate_secret", resource_type="webhook_subscription",
           resource_id=sub.id, area_path=sub.area_path)
    return sub, secret


def delete_subscription(session: Session, *, user: Principal, subscription_id: int) -> None:
    sub = get_subscription(session, user=user, subscription_id=subscription_id, action="manage")
    record(session, actor=user, action="webhook.delete", resource_type="webhook_subscription", resource_id=sub.id,
           area_path=sub.area_path, detail={"url": sub.url[:200]})
    session.delete(sub)


# ------------------------------------------------------------------ the outbox
def event_type(event: CaseEvent) -> str | None:
    """The webhook event a timeline event is, or ``None`` when it is not announced."""
    if event.internal or event.kind in NOT_ANNOUNCED:
        return None
    if event.kind == "dispatch":
        return "case.dispatched"
    if event.kind == "escalated":
        return "case.escalated"
    if event.to_status == "closed":
        return "case.closed"
    return "case.updated"


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None


def case_data(case: Case, event: CaseEvent) -> dict:
    """What a unit is told: the case's state (no personal data: fetch the case for details) and the change."""
    return {
        "case": {"id": case.id, "title": case.title, "status": case.status, "level": case.level, "mode": case.mode,
                 "category": case.category.code, "due_at": _iso(case.due_at), "updated_at": _iso(case.updated_at),
                 "url": f"/api/v1/cases/{case.id}",
                 "parts": [{"id": p.id, "unit_id": p.unit_id, "status": p.status} for p in case.parts]},
        "change": {"event_id": event.id, "kind": event.kind, "from_status": event.from_status,
                   "to_status": event.to_status, "note": event.note, "at": _iso(event.at)},
    }


@on_case_event
def case_changed(session: Session, case: Case, event: CaseEvent) -> None:
    """The outbox: one webhook event per subscribed unit and one delivery per subscription, in the
    transaction of the change itself; the deliveries are queued when it commits."""
    kind = event_type(event)
    if kind is None:
        return
    # A dispatch is `case.dispatched` for the units it adds, `case.updated` for those already on the case.
    added = set((event.data or {}).get("unit_ids", [])) if kind == "case.dispatched" else set()
    unit_ids = {p.unit_id for p in case.parts} | added
    if not unit_ids:
        return
    kind_of = {u: "case.dispatched" if u in added else ("case.updated" if added else kind) for u in unit_ids}
    subs = [s for s in session.scalars(select(WebhookSubscription).where(
        WebhookSubscription.unit_id.in_(unit_ids), WebhookSubscription.is_active.is_(True))
        .order_by(WebhookSubscription.unit_id, WebhookSubscription.id)) if kind_of[s.unit_id] in (s.events or ())]
    data = case_data(case, event) if subs else None
    for each in sorted({kind_of[s.unit_id] for s in subs}):
        _enqueue(session, each, case.id, data, [s for s in subs if kind_of[s.unit_id] == each])


def _enqueue(session: Session, kind: str, case_id: int | None, data: dict,
             subs: list[WebhookSubscription]) -> list[WebhookDelivery]:
    now = utcnow()
    deliveries = []
    for unit_id, group in groupby(subs, key=lambda s: s.unit_id):
        event = WebhookEvent(unit_id=unit_id, type=kind, case_id=case_id, data=data, created_at=now)
        session.add(event)
        session.flush()
        for sub in group:
            delivery = WebhookDelivery(subscription_id=sub.id, event_id=event.id, unit_id=unit_id,
                                       area_path=sub.area_path, status=S.PENDING, next_attempt_at=now, created_at=now)
            session.add(delivery)
            deliveries.append(delivery)
    session.flush()
    _queue_after_commit(session, [d.id for d in deliveries])
    return deliveries


def _queue_after_commit(session: Session, ids: list[int]) -> None:
    from .tasks import deliver

    on_commit(lambda: [deliver(i) for i in ids], session=session)


def ping(session: Session, *, user: Principal, subscription_id: int) -> WebhookDelivery:
    """A ``ping`` event to this subscription alone, to test the receiver and the signature check."""
    sub = get_subscription(session, user=user, subscription_id=subscription_id, action="manage")
    data = {"subscription_id": sub.id, "unit_id": sub.unit_id, "message": "Steward webhook test"}
    delivery, = _enqueue(session, PING, None, data, [sub])
    return delivery


# ------------------------------------------------------------------ the delivery log
def list_deliveries(session: Session, *, user: Principal, subscription_id: int, status: str | None = None,
                    cursor: str | None, limit: int) -> Page[WebhookDelivery]:
    sub = get_subscription(session, user=user, subscription_id=subscription_id)
    stmt = scoped(user, WebhookDelivery).where(WebhookDelivery.subscription_id == sub.id)
    if status is not None:
        stmt = stmt.where(WebhookDelivery.status == status)
    return paginate(session, stmt, keys=[WebhookDelivery.id], cursor=cursor, limit=limit, descending=True)


def get_delivery(session: Session, *, user: Principal, delivery_id: int, action: str = "read") -> WebhookDelivery:
    return get_for(session, user, WebhookDelivery, delivery_id, action)


def replay(session: Session, *, user: Principal, delivery_id: int) -> WebhookDelivery:
    """Send a delivery's event again, as a new delivery (the same event id: receivers may deduplicate)."""
    original = get_delivery(session, user=user, delivery_id=delivery_id, action="replay")
    sub = session.get(WebhookSubscription, original.subscription_id)
    if not sub.is_active:
        raise Conflict("The subscription is switched off; switch it on first.", type="subscription-inactive")
    now = utcnow()
    delivery = WebhookDelivery(subscription_id=sub.id, event_id=original.event_id, unit_id=original.unit_id,
                               area_path=original.area_path, status=S.PENDING, next_attempt_at=now, created_at=now,
                               replay_of_id=original.id)
    session.add(delivery)
    session.flush()
    record(session, actor=user, action="webhook.replay", resource_type="webhook_delivery", resource_id=delivery.id,
           area_path=delivery.area_path, detail={"replay_of": original.id})
    _queue_after_commit(session, [delivery.id])
    return delivery


# ------------------------------------------------------------------ delivering
def body_of(event: WebhookEvent) -> bytes:
    """The exact bytes sent (and signed)."""
    return orjson.dumps({"id": f"evt_{event.id}", "type": event.type, "created_at": _iso(event.created_at),
                         "unit_id": event.unit_id, "data": event.data})


def backoff(attempt: int, *, rng: random.Random | None = None) -> float:
    """Seconds before the attempt after ``attempt``: 30 s doubling to at most an hour, ±25 % jitter (so
    deliveries that failed together do not all come back at the same second)."""
    base = min(MAX_BACKOFF, FIRST_RETRY * 2 ** (attempt - 1))
    return base * (rng or random).uniform(0.75, 1.25)


def _claim(session: Session, delivery_id: int, now: datetime):
    due = or_(and_(WebhookDelivery.status == S.PENDING, WebhookDelivery.next_attempt_at <= now),
              and_(WebhookDelivery.status == S.SENDING, WebhookDelivery.lease_until < now))
    return session.execute(update(WebhookDelivery).where(WebhookDelivery.id == delivery_id, due).values(
        status=S.SENDING, lease_until=now + LEASE, attempts=WebhookDelivery.attempts + 1)
        .execution_options(synchronize_session=False)).rowcount == 1


def attempt(delivery_id: int, *, now: datetime | None = None) -> str:
    """One attempt at one delivery, in three steps: claim it (a short transaction: a guarded UPDATE, so
    two workers never send it at once and a delivered one is never sent again), POST it with no
    transaction open, record the outcome (a second short transaction). Returns what happened."""
    now = now or utcnow()
    with unit_of_work(write=True) as session:
        if not _claim(session, delivery_id, now):
            return "not due"
        delivery = session.get(WebhookDelivery, delivery_id, populate_existing=True)
        sub = session.get(WebhookSubscription, delivery.subscription_id, populate_existing=True)
        if not sub.is_active:
            delivery.status, delivery.error, delivery.lease_until, delivery.next_attempt_at = \
                S.FAILED, "subscription switched off", None, None
            return "cancelled"
        body, number = body_of(delivery.event), delivery.attempts
        url, secret, kind, event_id, created = sub.url, signing.unseal(sub.secret_cipher), delivery.event.type, \
            delivery.event_id, delivery.created_at
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, signing.HEADER: signing.sign(secret, body),
               "Steward-Event": kind, "Steward-Event-Id": f"evt_{event_id}", "Steward-Delivery-Id": f"dlv_{delivery_id}",
               "Steward-Attempt": str(number)}
    result = transport.post(url, body, headers, **_settings())
    finished = now + timedelta(milliseconds=result.latency_ms)
    with unit_of_work(write=True) as session:
        delivery = session.get(WebhookDelivery, delivery_id, populate_existing=True)
        if delivery.status != S.SENDING or delivery.attempts != number:
            return "taken over"  # our lease ran out and another worker made a newer attempt
        delivery.last_attempt_at, delivery.status_code, delivery.latency_ms = finished, result.status_code, result.latency_ms
        delivery.response_excerpt = result.excerpt.replace("\x00", "") if result.excerpt is not None else None
        delivery.error = result.error if not result.ok else None
        delivery.lease_until = None
        if result.ok:
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = S.DELIVERED, finished, None
            return "delivered"
        if result.status_code is not None:
            delivery.error = f"HTTP {result.status_code}"
        wait = backoff(number)
        if finished + timedelta(seconds=wait) > created + RETRY_FOR:
            delivery.status, delivery.next_attempt_at = S.FAILED, None
            _tell_gave_up(session, delivery, kind)
            return "failed"
        delivery.status, delivery.next_attempt_at = S.PENDING, finished + timedelta(seconds=wait)
        from .tasks import deliver

        on_commit(lambda: deliver.schedule((delivery_id,), delay=wait), session=session)
        return "retrying"


def _tell_gave_up(session: Session, delivery: WebhookDelivery, kind: str) -> None:
    """The unit's partner accounts and whoever subscribed hear that a delivery was given up (once: the
    delivery leaves the retry cycle here)."""
    from ..people.models import User

    sub = session.get(WebhookSubscription, delivery.subscription_id)
    people = list(session.scalars(select(User.id).where(User.role == "partner", User.unit_id == delivery.unit_id,
                                                        User.is_active.is_(True))))
    notify(session, user_ids=[*people, sub.created_by_id], kind=N_FAILED, subject_type="webhook_subscription",
           subject_id=sub.id, params={"url": sub.url[:120], "event": kind, "error": (delivery.error or "")[:80]})


def due_deliveries(session: Session, *, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Deliveries whose attempt is due (or whose worker died mid-attempt): the sweep re-queues them, so a
    lost queue entry (a restart, Redis flushed) delays a delivery but never loses it."""
    now = now or utcnow()
    return list(session.scalars(select(WebhookDelivery.id).where(or_(
        and_(WebhookDelivery.status == S.PENDING, WebhookDelivery.next_attempt_at <= now),
        and_(WebhookDelivery.status == S.SENDING, WebhookDelivery.lease_until < now)))
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit)))
