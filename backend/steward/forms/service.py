"""Registration forms: build, publish, submit (once or many times), edit before the deadline,
masked lists, audited reveals and exports (on the queue when large)."""
from __future__ import annotations

import csv
import io
import json
import math
import re
from datetime import date, datetime

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session, aliased

from ..areas.models import Area, AreaKind, Household
from ..audit.service import record
from ..core.errors import Conflict, invalid, not_found
from ..core.export import _safe
from ..core.pagination import Page, paginate
from ..db import utcnow
from ..notifications.service import kind, notify
from ..people import pii
from ..people.models import Resident, ResidentTag, User
from ..scope import Principal, find_for, get_for, require, scoped
from ..services.schedule import local_text
from .models import PERSONAL, FieldType, Form, FormExport, FormStatus, FormSubmission

INLINE_EXPORT_MAX = 1000  # more rows than this: the export is built on the queue
CHOICE_TYPES = (FieldType.SINGLE, FieldType.MULTI)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


# ------------------------------------------------------------------ building forms
def check_fields(defs: list[dict]) -> None:
    """Keys unique; choice fields have options; ranges in order."""
    errors: dict = {}
    seen: set[str] = set()
    for i, f in enumerate(defs):
        if f["key"] in seen:
            errors[f"fields.{i}.key"] = ["Each field needs its own key."]
        seen.add(f["key"])
        if f["type"] in CHOICE_TYPES and len(f.get("options") or []) < 2:
            errors[f"fields.{i}.options"] = ["Give at least two options."]
        if f["type"] in CHOICE_TYPES and len(set(f.get("options") or [])) != len(f.get("options") or []):
            errors[f"fields.{i}.options"] = ["Options must differ."]
        if f.get("min") is not None and f.get("max") is not None and f["min"] > f["max"]:
            errors[f"fields.{i}.max"] = ["The maximum is below the minimum."]
    if errors:
        raise invalid(errors)


def _audience(session: Session, user: Principal, area_id: int) -> Area:
    area = find_for(session, user, Area, area_id)
    if area is None or area.kind == AreaKind.TOWN and user.role not in ("admin", "town_staff"):
        raise invalid({"area_id": ["Pick a community, section or grid you manage."]})
    return area


def create_form(session: Session, *, user: Principal, data: dict) -> Form:
    check_fields(data["fields"])
    area = _audience(session, user, data.pop("area_id"))
    form = Form(**data, area_id=area.id, area_path=area.path, created_by_id=user.id)
    require(user, "edit", form)
    session.add(form)
    session.flush()
    record(session, actor=user, action="form.create", resource_type="form", resource_id=form.id,
           area_path=form.area_path, detail={"title": form.title})
    return form


def update_form(session: Session, *, user: Principal, form: Form, data: dict) -> Form:
    """Title, description, deadline and "many times" change any time; fields and audience only in draft
    (answers already given must keep their meaning)."""
    if form.status != FormStatus.DRAFT and ({"fields", "area_id", "tag"} & set(data)):
        raise Conflict("Fields and audience can change only while the form is a draft.", type="form-published")
    if "fields" in data:
        check_fields(data["fields"])
    if "area_id" in data:
        area = _audience(session, user, data.pop("area_id"))
        form.area_id, form.area_path = area.id, area.path
        require(user, "edit", form)
    for key, value in data.items():
        setattr(form, key, value)
    record(session, actor=user, action="form.update", resource_type="form", resource_id=form.id,
           area_path=form.area_path, detail={"fields": sorted(data)})
    return form


N_PUBLISHED = kind("form.published", "New registration form: {title}", "Please fill it in by {deadline}.")
N_PUBLISHED_OPEN = kind("form.published_open", "New registration form: {title}", "Please fill it in on the app.")


def _tell_audience(session: Session, form: Form) -> None:
    """The residents (and volunteers) whose household the form is for: one inbox message each."""
    member = aliased(Resident)
    homes = (select(User.id).join(Resident, Resident.id == User.resident_id)
             .join(Household, Household.id == Resident.household_id)
             .where(User.is_active.is_(True), User.role.in_(("resident", "volunteer")),
                    Household.area_path.startswith(form.area_path, autoescape=True)))
    if form.tag is not None:
        homes = homes.where(exists().where(ResidentTag.resident_id == member.id, member.household_id == Household.id,
                                           ResidentTag.tag == form.tag))
    params = {"title": form.title}
    if form.deadline is not None:
        params["deadline"] = local_text(form.deadline)
    notify(session, user_ids=session.scalars(homes), kind=N_PUBLISHED if form.deadline else N_PUBLISHED_OPEN,
           params=params, subject_type="form", subject_id=form.id)


def publish(session: Session, *, user: Principal, form: Form) -> Form:
    if form.status != FormStatus.DRAFT:
        raise Conflict("The form is already published.", type="form-published")
    if form.deadline is not None and form.deadline <= utcnow():
        raise invalid({"deadline": ["The deadline has passed; set a later one first."]})
    form.status, form.published_at = FormStatus.PUBLISHED, utcnow()
    record(session, actor=user, action="form.publish", resource_type="form", resource_id=form.id,
           area_path=form.area_path)
    _tell_audience(session, form)
    return form


def close(session: Session, *, user: Principal, form: Form) -> Form:
    if form.status != FormStatus.PUBLISHED:
        raise Conflict("Only a published form can be closed.", type="form-not-open")
    form.status = FormStatus.CLOSED
    record(session, actor=user, action="form.close", resource_type="form", resource_id=form.id,
           area_path=form.area_path)
    return form


def list_forms(session: Session, *, user: Principal, status: str | None = None, open: bool | None = None,
               cursor: str | None, limit: int) -> Page[Form]:
    stmt = scoped(user, Form)
    if status is not None:
        stmt = stmt.where(Form.status == status)
    if open:
        stmt = stmt.where(Form.status == FormStatus.PUBLISHED,
                          (Form.deadline.is_(None)) | (Form.deadline > utcnow()))
    page = paginate(session, stmt, keys=[Form.id], cursor=cursor, limit=limit, descending=True)
    _attach_mine(session, user, page.items)
    return page


def _attach_mine(session: Session, user: Principal, forms: list[Form]) -> None:
    """How often the caller answered each form (one statement for the page)."""
    counts = {}
    if forms and user.id is not None:
        counts = dict(session.execute(select(FormSubmission.form_id, func.count()).where(
            FormSubmission.user_id == user.id, FormSubmission.form_id.in_([f.id for f in forms]))
            .group_by(FormSubmission.form_id)).all())
    for f in forms:
        f.my_submissions = counts.get(f.id, 0)


def get_form(session: Session, *, user: Principal, form_id: int, action: str = "read") -> Form:
    form = get_for(session, user, Form, form_id, action)
    _attach_mine(session, user, [form])
    return form


def is_open(form: Form, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return form.status == FormStatus.PUBLISHED and (form.deadline is None or now < form.deadline)


def _require_open(form: Form) -> None:
    if not is_open(form):
        raise Conflict("This registration has closed; nothing was saved.", type="form-closed")


# ------------------------------------------------------------------ answers
def _text(value) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip()


def check_answers(defs: list[dict], answers: dict) -> tuple[dict, dict]:
    """Validate ``answers`` against the form's fields: (clear answers, personal answers). Each wrong
    answer is reported under ``answers.<key>``."""
    errors: dict[str, list[str]] = {}
    clear: dict = {}
    personal: dict = {}
    known = {f["key"] for f in defs}
    for key in answers:
        if key not in known:
            errors[f"answers.{key}"[:80]] = ["Unknown field."]
    for f in defs:
        key, kind = f["key"], f["type"]
        value = answers.get(key)
        if value is None or value == "" or value == [] or (kind == FieldType.CONSENT and value is False):
            if f.get("required"):
                errors[f"answers.{key}"] = ["Please tick to agree." if kind == FieldType.CONSENT
                                            else "This field is required."]
            continue
        problem, out = _check_one(f, value)
        if problem:
            errors[f"answers.{key}"] = [problem]
        elif kind in PERSONAL:
            personal[key] = out
        else:
            clear[key] = out
    if errors:
        raise invalid(errors)
    return clear, personal


def _check_one(f: dict, value):  # noqa: C901 - one branch per field type, read as a table
    kind = f["type"]
    if kind == FieldType.CONSENT:
        return (None, True) if value is True else ("Please tick to agree.", None)
    if kind == FieldType.NUMBER:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                or abs(value) > 1e12:
            return "Enter a number.", None
        if f.get("min") is not None and value < f["min"] or f.get("max") is not None and value > f["max"]:
            return "The number is out of the allowed range.", None
        return None, value
    if kind == FieldType.MULTI:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or len(value) > 50:
            return "Choose from the options.", None
        if len(set(value)) != len(value) or not set(value) <= set(f["options"]):
            return "Choose from the options.", None
        return None, [o for o in f["options"] if o in value]
    text = _text(value)
    if text is None or _CONTROL.search(text):
        return "Enter text without control characters.", None
    if kind == FieldType.TEXT:
        if len(text) > (f.get("max_length") or 200):
            return "The text is too long.", None
        return None, text
    if kind == FieldType.SINGLE:
        return (None, text) if text in f["options"] else ("Choose from the options.", None)
    if kind == FieldType.DATE:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return "Enter a date as YYYY-MM-DD.", None
        if not 1900 <= day.year <= 2100 or len(text) != 10:
            return "Enter a date as YYYY-MM-DD.", None
        return None, text
    if kind == FieldType.PHONE:
        return (None, text) if pii.PHONE_RX.match(text) else \
            ("Enter a mainland mobile number of 11 digits starting with 1.", None)
    if kind == FieldType.ID_CARD:
        text = text.upper()
        return (pii.id_card_error(text), None) if pii.id_card_error(text) else (None, text)
    return "Unknown field type.", None


def _masked(defs: list[dict], clear: dict, personal: dict) -> dict:
    out = dict(clear)
    kinds = {f["key"]: f["type"] for f in defs}
    for key, value in personal.items():
        out[key] = pii.mask_phone(value) if kinds[key] == FieldType.PHONE else pii.mask_id_card(value)
    return out


def _seal(personal: dict) -> str | None:
    return pii.encrypt(json.dumps(personal, ensure_ascii=False)) if personal else None


def _unseal(submission: FormSubmission) -> dict:
    return json.loads(pii.decrypt(submission.sealed)) if submission.sealed else {}


def _household_path(session: Session, user: Principal) -> str:
    from ..areas.models import Household

    return session.scalar(select(Household.area_path).where(Household.id == user.household_id))


def submit(session: Session, *, user: Principal, form: Form, answers: dict) -> FormSubmission:
    """Answer a form; once per resident unless the form allows more. Nothing is written when late."""
    _require_open(form)
    clear, personal = check_answers(form.fields, answers)
    if not form.multiple and session.scalar(select(FormSubmission.id).where(
            FormSubmission.form_id == form.id, FormSubmission.once_key == user.id)) is not None:
        raise Conflict("You have already registered; edit your answers instead.", type="already-submitted")
    now = utcnow()
    submission = FormSubmission(form_id=form.id, user_id=user.id, once_key=None if form.multiple else user.id,
                                household_id=user.household_id, area_path=_household_path(session, user),
                                answers=_masked(form.fields, clear, personal), sealed=_seal(personal),
                                created_at=now, updated_at=now)
    session.add(submission)
    session.execute(update(Form).where(Form.id == form.id).values(submissions_count=Form.submissions_count + 1)
                    .execution_options(synchronize_session=False))
    session.flush()
    record(session, actor=user, action="form.submit", resource_type="form_submission", resource_id=submission.id,
           area_path=submission.area_path, detail={"form_id": form.id})
    return OwnSubmission(submission, {**submission.answers, **personal})


class OwnSubmission:
    """A submission as its author sees it: their own full answers (they typed them)."""

    def __init__(self, submission: FormSubmission, answers: dict) -> None:
        self._s = submission
        self.answers = answers
        self.editable = is_open(submission.form)

    def __getattr__(self, name):
        return getattr(self._s, name)


class StaffSubmission:
    """A submission as staff see it: personal answers masked."""

    def __init__(self, submission: FormSubmission) -> None:
        self._s = submission
        self.answers = submission.answers
        self.editable = False

    def __getattr__(self, name):
        return getattr(self._s, name)


def view(submission: FormSubmission, user: Principal):
    if submission.user_id is not None and submission.user_id == user.id:
        return OwnSubmission(submission, {**submission.answers, **_unseal(submission)})
    return StaffSubmission(submission)


def get_submission(session: Session, *, user: Principal, submission_id: int, action: str = "read") -> FormSubmission:
    return get_for(session, user, FormSubmission, submission_id, action)


def update_submission(session: Session, *, user: Principal, submission: FormSubmission, answers: dict):
    """The author changes their answers while the form is open (after the deadline: 409, nothing written)."""
    _require_open(submission.form)
    clear, personal = check_answers(submission.form.fields, answers)
    submission.answers = _masked(submission.form.fields, clear, personal)
    submission.sealed = _seal(personal)
    submission.updated_at = utcnow()
    session.flush()
    record(session, actor=user, action="form.resubmit", resource_type="form_submission", resource_id=submission.id,
           area_path=submission.area_path, detail={"form_id": submission.form_id})
    return OwnSubmission(submission, {**submission.answers, **personal})


def my_submissions(session: Session, *, user: Principal, cursor: str | None, limit: int) -> Page:
    stmt = select(FormSubmission).where(FormSubmission.user_id == user.id)
    page = paginate(session, stmt, keys=[FormSubmission.id], cursor=cursor, limit=limit, descending=True)
    items = []
    for s in page.items:
        item = StaffSubmission(s)  # masked in lists; the author opens one to see it in full
        item.editable = is_open(s.form)
        items.append(item)
    return Page(items, page.next_cursor)


def list_submissions(session: Session, *, user: Principal, form: Form, cursor: str | None, limit: int) -> Page:
    """A form's submissions, personal answers masked (reveal one with a reason)."""
    stmt = scoped(user, FormSubmission).where(FormSubmission.form_id == form.id)
    page = paginate(session, stmt, keys=[FormSubmission.id], cursor=cursor, limit=limit, descending=True)
    return Page([StaffSubmission(s) for s in page.items], page.next_cursor)


def reveal(session: Session, *, user: Principal, submission: FormSubmission, field: str, reason: str) -> dict:
    """One personal answer in full, for staff who need it; audited with the reason."""
    require(user, "reveal", submission.form)
    kinds = {f["key"]: f["type"] for f in submission.form.fields}
    if kinds.get(field) not in PERSONAL:
        raise invalid({"field": ["Only phone and ID-card answers are masked."]})
    if kinds[field] == FieldType.ID_CARD and user.role not in ("admin", "town_staff", "staff"):
        raise not_found()
    record(session, actor=user, action="form.reveal", resource_type="form_submission", resource_id=submission.id,
           area_path=submission.area_path, detail={"field": field, "reason": reason})
    return {"field": field, "value": _unseal(submission).get(field)}


# ------------------------------------------------------------------ exports
def export_rows(session: Session, form: Form, principal: Principal):
    """Header, then one row per submission (masked), streamed from the database in batches."""
    defs = form.fields
    yield ["编号", "提交人", "提交时间", "最后修改", *[f["label"] for f in defs]]
    stmt = (scoped(principal, FormSubmission).where(FormSubmission.form_id == form.id)
            .order_by(FormSubmission.id).execution_options(yield_per=500))
    for s in session.scalars(stmt):
        answers = s.answers or {}
        yield [s.id, s.user.name if s.user else "", _local(s.created_at), _local(s.updated_at),
               *[_cell(f, answers.get(f["key"])) for f in defs]]


def _local(at: datetime) -> str:
    from zoneinfo import ZoneInfo

    return at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")


def _cell(f: dict, value):
    if value is None:
        return ""
    if f["type"] == FieldType.CONSENT:
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(value)
    return value


def render(rows, fmt: str) -> tuple[bytes, int]:
    """The rows as a CSV (UTF-8 with BOM, formula-safe) or XLSX file; returns (bytes, data rows)."""
    count = -1  # the header is not a row of data
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        for row in rows:
            writer.writerow([_safe(v) if isinstance(v, str) else v for v in row])
            count += 1
        return buffer.getvalue().encode(), count
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("登记")
    for row in rows:
        sheet.append([_safe(v) if isinstance(v, str) else v for v in row])
        count += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), count


def create_export(session: Session, *, user: Principal, form: Form, format: str) -> tuple[FormExport, bool]:
    """Export the masked submissions. Small: built now (True). Large: queued, built by a job (False).
    Either way it is on the audit record, with the number of rows."""
    total = session.scalar(select(func.count()).select_from(scoped(user, FormSubmission)
                                                          .where(FormSubmission.form_id == form.id).subquery()))
    export = FormExport(form_id=form.id, requested_by_id=user.id, area_path=form.area_path, format=format)
    session.add(export)
    session.flush()
    record(session, actor=user, action="form.export", resource_type="form", resource_id=form.id,
           area_path=form.area_path, detail={"export_id": export.id, "format": format, "rows": total,
                                             "masked": True})
    if total <= INLINE_EXPORT_MAX:
        build_export(session, export, user)
        return export, True
    from .tasks import build_form_export

    build_form_export.after_commit(export.id, user.id)
    return export, False


def build_export(session: Session, export: FormExport, principal: Principal) -> None:
    content, rows = render(export_rows(session, export.form, principal), export.format)
    export.content, export.rows, export.status, export.finished_at = content, rows, "done", utcnow()


def get_export(session: Session, *, user: Principal, export_id: int, action: str = "read") -> FormExport:
    return get_for(session, user, FormExport, export_id, action)


def download(session: Session, *, user: Principal, export: FormExport) -> tuple[bytes, str, str]:
    if export.status != "done":
        raise Conflict("The export is not ready yet; try again in a moment.", type="export-pending")
    record(session, actor=user, action="form.export_download", resource_type="form_export", resource_id=export.id,
           area_path=export.area_path, detail={"form_id": export.form_id, "format": export.format,
                                               "rows": export.rows})
    return export.content, MIME[export.format], f"form-{export.form_id}-{export.id}.{export.format}"

