"""Who sees and handles services, slots' bookings and on-request services.

Staff manage the services of their area (town staff: the town's own and every community's); the
provider unit (a partner) manages the services it provides. Residents and volunteers see the
published services of their community and the town-wide ones. A booking is seen by the resident who
holds it, by whoever manages its service, and by the community's volunteers (they check people in).
Another community's service, booking or request is not found.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, false, literal, or_, select

from ..scope import MANAGER_ROLES, Principal, action, community_path, manages, rule, under
from .models import Booking, CalendarFeed, Service, ServiceRequest, ServiceStatus


def _serves(p: Principal, column) -> ColumnElement[bool]:
    """Located in the principal's community, or above it (a town-wide service)."""
    home = community_path(p)
    return or_(under(column, home), literal(home).startswith(column))


def _provided_by(p: Principal, service_id) -> ColumnElement[bool]:
    if p.role != "partner" or p.unit_id is None:
        return false()
    return exists(select(Service.id).where(Service.id == service_id, Service.provider_unit_id == p.unit_id))


@rule(Service)
def _services(p: Principal) -> ColumnElement[bool]:
    published = Service.status == ServiceStatus.PUBLISHED
    if p.role in MANAGER_ROLES:
        return or_(under(Service.area_path, p.area_path), and_(published, _serves(p, Service.area_path)))
    if p.role == "partner" and p.unit_id is not None:
        return or_(Service.provider_unit_id == p.unit_id, and_(published, _serves(p, Service.area_path)))
    return and_(published, _serves(p, Service.area_path))


def manages_service(p: Principal, service: Service) -> bool:
    if p.role == "partner":
        return p.unit_id is not None and service.provider_unit_id == p.unit_id
    return manages(p, service.area_path)


@action(Service, "update", "schedule", "roster", "report")
def _manage_service(p: Principal, service: Service) -> bool:
    return manages_service(p, service)


@action(Service, "check_in")
def _check_in_at(p: Principal, service: Service) -> bool:
    """Staff and the provider; and the volunteers of the community where it is held (not town-wide ones)."""
    if p.role == "volunteer":
        return service.area_path.startswith(community_path(p))
    return manages_service(p, service)


@action(Service, "book")
def _book(p: Principal, service: Service) -> bool:
    return p.role in ("resident", "volunteer")


@rule(Booking)
def _bookings(p: Principal) -> ColumnElement[bool]:
    mine = Booking.user_id == p.id if p.id is not None else false()
    if p.role in MANAGER_ROLES:
        return or_(mine, under(Booking.area_path, p.area_path))
    if p.role == "volunteer":
        # the community's bookings, for check-in at the door
        return or_(mine, under(Booking.area_path, community_path(p)))
    if p.role == "partner":
        return or_(mine, _provided_by(p, Booking.service_id))
    return mine


@action(Booking, "cancel")
def _cancel(p: Principal, booking: Booking) -> bool:
    return booking.user_id == p.id or manages_service(p, booking.slot.service)


@action(Booking, "staff_cancel", "no_show")
def _staff_cancel(p: Principal, booking: Booking) -> bool:
    return manages_service(p, booking.slot.service)


@action(Booking, "check_in")
def _check_in(p: Principal, booking: Booking) -> bool:
    return _check_in_at(p, booking.slot.service)


@rule(ServiceRequest)
def _requests(p: Principal) -> ColumnElement[bool]:
    mine = ServiceRequest.user_id == p.id if p.id is not None else false()
    if p.role in MANAGER_ROLES:
        return or_(mine, under(ServiceRequest.area_path, p.area_path))
    if p.role == "partner":
        return or_(mine, _provided_by(p, ServiceRequest.service_id))
    return mine


@action(ServiceRequest, "accept", "schedule", "complete", "decline", "comment_staff")
def _handle_request(p: Principal, req: ServiceRequest) -> bool:
    return manages_service(p, req.service)


@action(ServiceRequest, "cancel", "rate")
def _requester(p: Principal, req: ServiceRequest) -> bool:
    return req.user_id == p.id


@action(ServiceRequest, "comment")
def _comment(p: Principal, req: ServiceRequest) -> bool:
    return req.user_id == p.id or manages_service(p, req.service)


@rule(CalendarFeed)
def _feeds(p: Principal) -> ColumnElement[bool]:
    return CalendarFeed.user_id == p.id if p.id is not None else false()
