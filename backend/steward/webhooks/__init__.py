"""Webhooks: a partner unit's system is told when a case dispatched to the unit changes.

Subscriptions (unit, https URL, events, a signing secret shown once) are managed by the staff of the
unit's area and the unit's partner accounts. Case changes write an outbox row per subscribed unit in the
*same transaction* as the change (``webhook_events`` + one ``webhook_deliveries`` row per subscription),
so a change is never announced without being stored, nor stored without being announced. A Huey job
delivers each row, signed (``Steward-Signature``), retried with backoff for 24 hours, logged."""
