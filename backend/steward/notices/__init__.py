"""Notices and guides (通知公告 / 办事指南): categories, Markdown sanitised on save, attachments, audiences,
publish and expiry times, read receipts per person and per household."""
