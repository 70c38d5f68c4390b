"""Notifications: one table every domain writes to (case steps, reminders, decisions); the inbox reads it."""
