"""Privacy rights (PIPL arts. 44–47): what the platform holds about a resident, a JSON copy, consent
withdrawal, deletion requests, and the erasure staff confirm.

Erasure removes or anonymises personal fields and keeps every row other people's work depends on:
cases keep their rows and timelines (the reporter reads 已注销居民), bookings and sign-ups keep their
counts, the audit log is untouched (it is append-only and names accounts by id)."""
from __future__ import annotations

import secrets

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..activities.models import Activity, Signup
from ..areas.models import Household
from ..audit.service import record
from ..auth.passwords import hash_password
from ..auth.service import revoke_all
from ..care.models import CarePair
from ..cases.models import Case
from ..core.errors import Conflict
from ..core.pagination import Page, paginate
from ..db import utcnow
from ..forms.models import Form, FormSubmission
from ..notifications.models import Notification
from ..notifications.service import kind, notify
from ..people import pii
from ..people.models import HouseholdClaim, Resident, Role, User
from ..scope import Principal, get_for, require, scoped
from ..services.models import Booking, CalendarFeed, RequestEvent, Service, ServiceRequest
from .models import DeletionRequest, RequestStatus

ERASED_NAME = "已注销居民"
N_REQUESTED = kind("privacy.deletion_requested", "A resident asks to delete their data",
                   "{name} asked to delete their personal information. Please confirm or explain.")
N_REJECTED = kind("privacy.deletion_rejected", "Your deletion request was not accepted", "{note}")


# ------------------------------------------------------------------ what we hold
def _account(session: Session, principal) -> User:
    """The caller's own row (the request's principal may be a frozen snapshot of it)."""
    return principal if isinstance(principal, User) else session.get(User, principal.id)


def _household(session: Session, user: User) -> Household | None:
    return session.get(Household, user.resident.household_id) if user.resident else None


def my_data(session: Session, *, user: User, full: bool = False) -> dict:
    """Everything the platform holds about the caller and their household. ``full`` (the downloaded
    copy) carries the full ID-card numbers; the screen shows them masked."""
    user = _account(session, user)
    household = _household(session, user)
    members = []
    if household is not None:
        for m in session.scalars(select(Resident).where(Resident.household_id == household.id).order_by(Resident.id)):
            id_card = pii.decrypt(m.id_card_cipher) if full and m.id_card_cipher else m.id_card_hint
            members.append({"id": m.id, "name": m.name, "gender": m.gender,
                            "birth_date": m.birth_date.isoformat() if m.birth_date else None,
                            "phone": m.phone if m.id == user.resident_id or full else pii.mask_phone(m.phone),
                            "id_card": id_card, "tags": m.tags, "is_me": m.id == user.resident_id})
    cases = [{"id": c.id, "title": c.title, "description": c.description, "status": c.status,
              "created_at": c.created_at}
             for c in session.scalars(select(Case).where(Case.reporter_id == user.id).order_by(Case.id))]
    bookings = [{"id": b.id, "service": title, "starts_at": b.starts_at, "status": b.status}
                for b, title in session.execute(select(Booking, Service.title).join(Service, Service.id == Booking.service_id)
                                                .where(Booking.user_id == user.id).order_by(Booking.id))]
    signups = [{"id": s.id, "activity": title, "status": s.status, "created_at": s.created_at}
               for s, title in session.execute(select(Signup, Activity.title).join(Activity, Activity.id == Signup.activity_id)
                                               .where(Signup.user_id == user.id).order_by(Signup.id))]
    requests = [{"id": r.id, "details": r.details, "status": r.status, "created_at": r.created_at}
                for r in session.scalars(select(ServiceRequest).where(ServiceRequest.user_id == user.id)
                                         .order_by(ServiceRequest.id))]
    submissions = []
    for s, title in session.execute(select(FormSubmission, Form.title).join(Form, Form.id == FormSubmission.form_id)
                                    .where(FormSubmission.user_id == user.id).order_by(FormSubmission.id)):
        answers = dict(s.answers or {})
        if full and s.sealed:
            import json

            answers.update(json.loads(pii.decrypt(s.sealed)))
        submissions.append({"id": s.id, "form": title, "answers": answers, "created_at": s.created_at})
    care = [{"id": p.id, "volunteer": p.volunteer.name if p.volunteer else None,
             "unit": p.unit.name if p.unit else None, "started_at": p.started_at}
            for p in session.scalars(select(CarePair).where(CarePair.household_id == household.id,
                                                            CarePair.active.is_(True)))] if household else []
    claims = [{"id": c.id, "status": c.status, "created_at": c.created_at}
              for c in session.scalars(select(HouseholdClaim).where(HouseholdClaim.user_id == user.id))]
    notifications = session.scalar(select(Notification.id).where(Notification.user_id == user.id)
                                   .order_by(Notification.id.desc()).limit(1))
    record(session, actor=user, action="privacy.export" if full else "privacy.view", resource_type="user",
           resource_id=user.id, area_path=user.area_path)
    return {
        "generated_at": utcnow(),
        "account": {"id": user.id, "name": user.name, "phone": user.phone, "role": user.role,
                    "created_at": user.created_at, "last_login_at": user.last_login_at,
                    "privacy_version": user.privacy_version, "privacy_accepted_at": user.privacy_accepted_at,
                    "consent_withdrawn_at": user.consent_withdrawn_at},
        "household": {"id": household.id, "address": household.address, "members": members} if household else None,
        "claims": claims, "cases": cases, "bookings": bookings, "activity_signups": signups,
        "service_requests": requests, "form_submissions": submissions, "care": care,
        "has_notifications": notifications is not None,
        "deletion_request": _latest_brief(session, user),
    }


def _latest_brief(session: Session, user: User) -> dict | None:
    r = latest_request(session, user=user)
    return {"id": r.id, "status": r.status, "created_at": r.created_at, "note": r.note} if r else None


# ------------------------------------------------------------------ consent and deletion requests
def latest_request(session: Session, *, user: User) -> DeletionRequest | None:
    return session.scalar(select(DeletionRequest).where(DeletionRequest.user_id == user.id)
                          .order_by(DeletionRequest.id.desc()).limit(1))


def _home_path(user: User) -> str:
    return user.resident.household.area_path if user.resident else user.area_path


def request_deletion(session: Session, *, user: User, reason: str | None = None,
                     withdrew_consent: bool = False) -> DeletionRequest:
    """Ask the committee to erase my personal information (one open request at a time)."""
    user = _account(session, user)
    if user.role not in (Role.RESIDENT, Role.VOLUNTEER):
        raise Conflict("Staff and partner accounts are closed by an administrator.", type="not-a-resident")
    pending = session.scalar(select(DeletionRequest).where(DeletionRequest.user_id == user.id,
                                                           DeletionRequest.status == RequestStatus.PENDING))
    if pending is not None:
        if withdrew_consent:
            pending.withdrew_consent = True
            return pending
        raise Conflict("You have already asked; the committee will answer soon.", type="already-requested")
    req = DeletionRequest(user_id=user.id, reason=reason, withdrew_consent=withdrew_consent,
                          area_path=_home_path(user))
    session.add(req)
    session.flush()
    record(session, actor=user, action="privacy.deletion_request", resource_type="deletion_request",
           resource_id=req.id, area_path=req.area_path, detail={"withdrew_consent": withdrew_consent})
    community = "/".join(req.area_path.split("/")[:3]) + "/"
    staff = session.scalars(select(User.id).where(User.role == Role.STAFF, User.area_path == community,
                                                  User.is_active.is_(True))).all()
    notify(session, user_ids=staff, kind=N_REQUESTED, subject_type="deletion_request", subject_id=req.id,
           params={"name": user.name})
    return req


def withdraw_consent(session: Session, *, user: User, reason: str | None = None) -> DeletionRequest:
    """Withdraw the consent given at sign-up: processing stops at once (the account is closed and every
    session ends) and the committee is asked to erase the data (PIPL art. 47)."""
    req = request_deletion(session, user=user, reason=reason, withdrew_consent=True)
    user = _account(session, user)
    user.consent_withdrawn_at = utcnow()
    user.is_active = False
    revoke_all(session, user_id=user.id, reason="consent_withdrawn")
    record(session, actor=user, action="privacy.consent_withdraw", resource_type="user", resource_id=user.id,
           area_path=req.area_path, detail={"privacy_version": user.privacy_version})
    return req


def cancel_request(session: Session, *, user: User) -> DeletionRequest:
    req = latest_request(session, user=user)
    if req is None or req.status != RequestStatus.PENDING:
        raise Conflict("There is no open request to cancel.", type="no-open-request")
    req.status, req.decided_at = RequestStatus.CANCELLED, utcnow()
    record(session, actor=user, action="privacy.deletion_cancel", resource_type="deletion_request",
           resource_id=req.id, area_path=req.area_path)
    return req


def list_requests(session: Session, *, user: Principal, status: str | None = None, cursor: str | None,
                  limit: int) -> Page[DeletionRequest]:
    stmt = scoped(user, DeletionRequest)
    if status is not None:
        stmt = stmt.where(DeletionRequest.status == status)
    return paginate(session, stmt, keys=[DeletionRequest.id], cursor=cursor, limit=limit, descending=True)


def get_request(session: Session, *, user: Principal, request_id: int, action: str = "read") -> DeletionRequest:
    return get_for(session, user, DeletionRequest, request_id, action)


def _open(req: DeletionRequest) -> None:
    if req.status != RequestStatus.PENDING:
        raise Conflict("This request has already been decided.", type="request-decided")


def reject(session: Session, *, user: Principal, req: DeletionRequest, note: str) -> DeletionRequest:
    """Refuse, saying why (e.g. a legal duty to keep the data for now); the resident is told."""
    _open(req)
    req.status, req.decided_by_id, req.decided_at, req.note = RequestStatus.REJECTED, user.id, utcnow(), note
    record(session, actor=user, action="privacy.deletion_reject", resource_type="deletion_request",
           resource_id=req.id, area_path=req.area_path, detail={"note": note})
    notify(session, user_ids=[req.user_id], kind=N_REJECTED, subject_type="deletion_request", subject_id=req.id,
           params={"note": note})
    return req


def confirm(session: Session, *, user: Principal, req: DeletionRequest) -> DeletionRequest:
    """Staff confirm: the resident's personal information is erased."""
    _open(req)
    require(user, "decide", req)
    counts = erase(session, target=req.user, actor=user)
    req.status, req.decided_by_id, req.decided_at = RequestStatus.CONFIRMED, user.id, utcnow()
    record(session, actor=user, action="privacy.erase", resource_type="user", resource_id=req.user_id,
           area_path=req.area_path, detail={"request_id": req.id, **counts})
    return req


def erase(session: Session, *, target: User, actor: Principal) -> dict:
    """Erase or anonymise ``target``'s personal fields; keep the rows history depends on."""
    uid = target.id
    counts = {}
    counts["cases"] = session.execute(update(Case).where(Case.reporter_id == uid).values(
        reporter_name=ERASED_NAME, reporter_phone=None).execution_options(synchronize_session=False)).rowcount
    # Case timelines are append-only (a database trigger refuses any UPDATE): their events keep the
    # actor's id and the name they had then; the account behind the id now reads 已注销居民.
    session.execute(update(RequestEvent).where(RequestEvent.actor_id == uid).values(actor_name=ERASED_NAME)
                    .execution_options(synchronize_session=False))
    counts["form_submissions"] = session.execute(
        update(FormSubmission).where(FormSubmission.user_id == uid)
        .values(answers={}, sealed=None, erased=True).execution_options(synchronize_session=False)).rowcount
    session.execute(delete(Notification).where(Notification.user_id == uid))
    session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == uid))
    session.execute(delete(HouseholdClaim).where(HouseholdClaim.user_id == uid))
    resident_id = target.resident_id
    revoke_all(session, user_id=uid, reason="erased")
    target.name = ERASED_NAME
    target.phone = f"erased{uid}"[:20]  # unique, never a phone number: nobody signs in with it
    target.password_hash = hash_password(secrets.token_urlsafe(32))
    target.is_active = False
    target.resident_id = None
    target.erased_at = utcnow()
    session.flush()
    if resident_id is not None:
        # The person leaves the household's records; bookings and sign-ups keep their rows (SET NULL).
        session.execute(delete(Resident).where(Resident.id == resident_id))
    counts["resident_removed"] = resident_id is not None
    session.expire(target)
    return counts
