"""Who sees and changes forms, submissions and exports.

Staff see the forms of their area (and the town's staff the town's); a resident (or a volunteer, who
lives somewhere too) the published forms whose audience holds their household: under the form's area,
and, for a tagged form, with a member of the household so tagged. Submissions: the staff of the area
where the household lives, and the submitter."""
from __future__ import annotations

from sqlalchemy import ColumnElement, exists, false, or_, select

from ..areas.models import Household
from ..people.models import Resident, ResidentTag
from ..scope import MANAGER_ROLES, Principal, action, manages, rule, under
from .models import Form, FormExport, FormStatus, FormSubmission

LIVING_ROLES = frozenset({"resident", "volunteer"})


@rule(Form)
def _forms(p: Principal) -> ColumnElement[bool]:
    if p.role in MANAGER_ROLES:
        return under(Form.area_path, p.area_path)
    if p.role in LIVING_ROLES and p.household_id is not None:
        home = select(Household.area_path).where(Household.id == p.household_id).scalar_subquery()
        tagged = exists().where(ResidentTag.tag == Form.tag, ResidentTag.resident_id == Resident.id,
                                Resident.household_id == p.household_id)
        return (Form.status.in_((FormStatus.PUBLISHED, FormStatus.CLOSED))
                & home.like(Form.area_path + "%")
                & or_(Form.tag.is_(None), tagged))
    return false()


@rule(FormSubmission)
def _submissions(p: Principal) -> ColumnElement[bool]:
    if p.role in MANAGER_ROLES:
        return under(FormSubmission.area_path, p.area_path)
    if p.id is not None and p.role in LIVING_ROLES:
        return FormSubmission.user_id == p.id
    return false()


@rule(FormExport)
def _exports(p: Principal) -> ColumnElement[bool]:
    if p.role in MANAGER_ROLES:
        return under(FormExport.area_path, p.area_path)
    return false()


@action(Form, "edit", "publish", "close", "export", "submissions", "reveal")
def _manage(p: Principal, form: Form) -> bool:
    return manages(p, form.area_path)


@action(Form, "submit")
def _submit(p: Principal, form: Form) -> bool:
    return p.role in LIVING_ROLES and p.household_id is not None


@action(FormSubmission, "edit")
def _edit(p: Principal, submission: FormSubmission) -> bool:
    return submission.user_id is not None and submission.user_id == p.id


@action(FormExport, "download")
def _download(p: Principal, export: FormExport) -> bool:
    return manages(p, export.area_path)
