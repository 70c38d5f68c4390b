"""Who sees and changes residents, household claims and accounts."""
from __future__ import annotations

from sqlalchemy import ColumnElement, false

from ..areas.access import PEOPLE_ROLES
from ..scope import MANAGER_ROLES, Principal, action, manages, rule, under
from .models import HouseholdClaim, Resident, Role, User

# Who may read a resident's full phone / ID-card number (always audited).
REVEAL_ROLES = {
    "phone": frozenset({Role.ADMIN, Role.TOWN_STAFF, Role.STAFF, Role.VOLUNTEER}),
    "id_card": frozenset({Role.ADMIN, Role.TOWN_STAFF, Role.STAFF}),
}
# May add and edit the members of their own household (a volunteer lives somewhere too).
SELF_SERVICE = frozenset({Role.RESIDENT, Role.VOLUNTEER})
# A user may manage accounts of a lower rank only (admins manage everyone).
RANK = {Role.RESIDENT: 0, Role.VOLUNTEER: 0, Role.PARTNER: 0, Role.STAFF: 1, Role.TOWN_STAFF: 2, Role.ADMIN: 3}


@rule(Resident)
def _residents(p: Principal) -> ColumnElement[bool]:
    """Staff see their subtree, volunteers their grid, residents their own household."""
    if p.role in PEOPLE_ROLES:
        return under(Resident.area_path, p.area_path)
    if p.role == Role.RESIDENT and p.household_id is not None:
        return Resident.household_id == p.household_id
    return false()


@rule(HouseholdClaim)
def _claims(p: Principal) -> ColumnElement[bool]:
    if p.role in PEOPLE_ROLES:
        return under(HouseholdClaim.area_path, p.area_path)
    if p.role == Role.RESIDENT:
        return HouseholdClaim.user_id == p.id
    return false()


@rule(User)
def _users(p: Principal) -> ColumnElement[bool]:
    if p.role in MANAGER_ROLES:
        return under(User.area_path, p.area_path)
    return User.id == p.id if p.id is not None else false()


@action(Resident, "update")
def _update_resident(p: Principal, resident: Resident) -> bool:
    if p.role in SELF_SERVICE and p.household_id == resident.household_id:
        return True
    return manages(p, resident.area_path)


@action(Resident, "delete", "move", "tag")
def _manage_resident(p: Principal, resident: Resident) -> bool:
    # tags are the committee's judgement, not self-declared
    return manages(p, resident.area_path)


@action(Resident, "reveal_phone")
def _reveal_phone(p: Principal, resident: Resident) -> bool:
    return p.role in REVEAL_ROLES["phone"]


@action(Resident, "reveal_id_card")
def _reveal_id_card(p: Principal, resident: Resident) -> bool:
    return p.role in REVEAL_ROLES["id_card"]


@action(HouseholdClaim, "review")
def _review_claim(p: Principal, claim: HouseholdClaim) -> bool:
    return manages(p, claim.area_path)


@action(User, "update")
def _update_user(p: Principal, target: User) -> bool:
    if not manages(p, target.area_path):
        return False
    return p.role == Role.ADMIN or target.id == p.id or RANK[Role(target.role)] < RANK[Role(p.role)]


@action(User, "reset_password")
def _reset_password(p: Principal, target: User) -> bool:
    """Staff set the password of accounts below them — never their own (that needs the current one)."""
    return target.id != p.id and _update_user(p, target)
