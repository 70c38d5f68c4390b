"""Webhook subscriptions of partner units, their delivery log, replay and ping. Routes with an id check no
role: the scope rule (access.py) decides, so for anyone outside the unit's managers the item does not exist (404)."""
from __future__ import annotations

from flask_jwt_extended import current_user
from flask_restx import Namespace

from ..core.http import Resource, body, errors, no_idempotency, query, response, roles
from ..db import db
from ..extensions import api
from ..people.models import STAFF_ROLES
from . import messages, service  # noqa: F401  (messages: the Chinese strings of this domain)
from .schemas import (
    DeliveryOut,
    DeliveryQuery,
    SubscriptionCreated,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPatch,
    SubscriptionQuery,
)

WHO = (*STAFF_ROLES, "partner")
ns = Namespace("webhook-subscriptions", description="Signed POSTs to a unit's system when its cases change")
deliveries_ns = Namespace("webhook-deliveries", description="The webhook delivery log")


class _WithSecret:
    """A subscription and its signing secret, for the one answer that shows it."""

    def __init__(self, sub, secret: str) -> None:
        self._sub = sub
        self.secret = secret

    def __getattr__(self, name: str):
        return getattr(self._sub, name)


@ns.route("")
class SubscriptionList(Resource):
    @roles(*WHO)
    @query(SubscriptionQuery)
    @response(SubscriptionOut, paginated=True)
    def get(self, args):
        """The webhook subscriptions of the units you manage (a partner account: its own unit's)."""
        return service.list_subscriptions(db.session, user=current_user, **args)

    @roles(*WHO)
    @no_idempotency
    @body(SubscriptionIn)
    @response(SubscriptionCreated, 201)
    def post(self, data):
        """Subscribe a unit's https URL to case events. The answer holds the signing secret, shown once."""
        sub, secret = service.create_subscription(db.session, user=current_user, data=data)
        return _WithSecret(sub, secret), {"Location": api.url_for(SubscriptionItem, subscription_id=sub.id)}


@ns.route("/<int:subscription_id>")
class SubscriptionItem(Resource):
    @errors(404)
    @response(SubscriptionOut)
    def get(self, subscription_id):
        """One subscription (for anyone but its unit's managers it does not exist)."""
        return service.get_subscription(db.session, user=current_user, subscription_id=subscription_id)

    @errors(404)
    @body(SubscriptionPatch)
    @response(SubscriptionOut)
    def patch(self, subscription_id, data):
        """Change the URL (checked again), the events, the description, or switch it off and on."""
        return service.update_subscription(db.session, user=current_user, subscription_id=subscription_id, data=data)

    @errors(404)
    @response(None, 204)
    def delete(self, subscription_id):
        """Delete the subscription and its delivery log."""
        service.delete_subscription(db.session, user=current_user, subscription_id=subscription_id)


@ns.route("/<int:subscription_id>/rotate-secret")
class SubscriptionRotate(Resource):
    @no_idempotency
    @errors(404)
    @response(SubscriptionCreated)
    def post(self, subscription_id):
        """A new signing secret, used from the next delivery on (shown once)."""
        sub, secret = service.rotate_secret(db.session, user=current_user, subscription_id=subscription_id)
        return _WithSecret(sub, secret)


@ns.route("/<int:subscription_id>/ping")
class SubscriptionPing(Resource):
    @errors(404)
    @response(DeliveryOut, 202)
    def post(self, subscription_id):
        """Send a `ping` event to this subscription now, to test the receiver and its signature check."""
        return service.ping(db.session, user=current_user, subscription_id=subscription_id)


@ns.route("/<int:subscription_id>/deliveries")
class SubscriptionDeliveries(Resource):
    @errors(404)
    @query(DeliveryQuery)
    @response(DeliveryOut, paginated=True)
    def get(self, subscription_id, args):
        """The delivery log of a subscription, newest first: status, HTTP status, latency, answer, attempts."""
        return service.list_deliveries(db.session, user=current_user, subscription_id=subscription_id, **args)


@deliveries_ns.route("/<int:delivery_id>")
class DeliveryItem(Resource):
    @errors(404)
    @response(DeliveryOut)
    def get(self, delivery_id):
        """One delivery."""
        return service.get_delivery(db.session, user=current_user, delivery_id=delivery_id)


@deliveries_ns.route("/<int:delivery_id>/replay")
class DeliveryReplay(Resource):
    @errors(404, 409)
    @response(DeliveryOut, 202)
    def post(self, delivery_id):
        """Send the delivery's event again, as a new delivery (same event id, new delivery id)."""
        return service.replay(db.session, user=current_user, delivery_id=delivery_id)


api.add_namespace(ns, "/webhook-subscriptions")
api.add_namespace(deliveries_ns, "/webhook-deliveries")
