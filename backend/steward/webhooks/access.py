"""Who sees and manages webhooks: the staff of the unit's area (as for API clients), and the unit's own
partner accounts. Nobody else learns a subscription exists (404). API clients manage none."""
from __future__ import annotations

from sqlalchemy import ColumnElement, false

from ..scope import MANAGER_ROLES, Principal, action, rule, under
from .models import WebhookDelivery, WebhookSubscription
from .service import may_manage_unit


def _sees(p: Principal, area_path, unit_id) -> ColumnElement[bool]:
    if p.role in MANAGER_ROLES:
        return under(area_path, p.area_path)
    if p.role == "partner" and p.id is not None and p.unit_id is not None:
        return unit_id == p.unit_id
    return false()


@rule(WebhookSubscription)
def _subscriptions(p: Principal) -> ColumnElement[bool]:
    return _sees(p, WebhookSubscription.area_path, WebhookSubscription.unit_id)


@rule(WebhookDelivery)
def _deliveries(p: Principal) -> ColumnElement[bool]:
    return _sees(p, WebhookDelivery.area_path, WebhookDelivery.unit_id)


@action(WebhookSubscription, "manage")
def _manage(p: Principal, sub: WebhookSubscription) -> bool:
    return may_manage_unit(p, sub.unit_id, sub.area_path)


@action(WebhookDelivery, "replay")
def _replay(p: Principal, delivery: WebhookDelivery) -> bool:
    return may_manage_unit(p, delivery.unit_id, delivery.area_path)
