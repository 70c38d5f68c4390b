"""Configuration: one env-driven ``Config`` and a ``TestConfig`` for the test-suite."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


class Config:
    # Embedded default: an SQLite file beside the repo; production sets DATABASE_URL.
    DATABASE_URL = _env("DATABASE_URL", f"sqlite:///{REPO_ROOT / 'var' / 'steward.db'}")
    SECRET_KEY = _env("SECRET_KEY", "dev-only-secret-change-me-in-production-0123456789")
    JWT_SECRET_KEY = _env("JWT_SECRET_KEY", SECRET_KEY)
    # Key for personal data at rest (ID-card numbers): 32 bytes, hex. Dev default only.
    DATA_KEY = _env("DATA_KEY", "6d9c1f0e3b7a4c2d8e5f60718293a4b5c6d7e8f90a1b2c3d4e5f607182930a1b")
    # The id of DATA_KEY (stored with each ciphertext) and retired keys still needed to decrypt,
    # "k1=<hex>,k0=<hex>", after a rotation until `python -m steward rekey` has run.
    DATA_KEY_ID = _env("DATA_KEY_ID", "k1")
    DATA_KEYS_RETIRED = _env("DATA_KEYS_RETIRED", "")
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(minutes=int(_env("ACCESS_TOKEN_MINUTES", "15")))
    JWT_REFRESH_TOKEN_EXPIRES = timedelta(days=int(_env("REFRESH_TOKEN_DAYS", "30")))
    JWT_TOKEN_LOCATION = ["headers"]
    # restx would otherwise swallow or re-raise errors depending on debug mode; we always
    # turn them into problem+json ourselves (see core/errors.py), so the value is pinned.
    PROPAGATE_EXCEPTIONS = False
    MAX_CONTENT_LENGTH = 1 * 1024 * 1024  # JSON bodies; uploads get their own limit later
    TIMEZONE = "Asia/Shanghai"
    # Login rate limit: attempts per window, per phone and per client address.
    LOGIN_LIMIT_PER_PHONE = int(_env("LOGIN_LIMIT_PER_PHONE", "10"))
    LOGIN_LIMIT_PER_IP = int(_env("LOGIN_LIMIT_PER_IP", "50"))
    LOGIN_LIMIT_WINDOW_SECONDS = int(_env("LOGIN_LIMIT_WINDOW_SECONDS", "300"))
    # argon2id parameters (argon2-cffi's RFC 9106 "low memory" profile by default).
    ARGON2_TIME_COST = int(_env("ARGON2_TIME_COST", "3"))
    ARGON2_MEMORY_COST = int(_env("ARGON2_MEMORY_COST", "65536"))
    IDEMPOTENCY_TTL_HOURS = 24
    # A refresh token replaced less than this long ago is refused without revoking the session.
    REFRESH_REUSE_GRACE_SECONDS = int(_env("REFRESH_REUSE_GRACE_SECONDS", "30"))
    FRONTEND_DIST = Path(_env("FRONTEND_DIST", str(REPO_ROOT / "frontend" / "dist")))
    SQL_ECHO = _env("SQL_ECHO", "") == "1"
    LOG_FORMAT = _env("LOG_FORMAT", "text")  # "json" for one JSON object per line
    LOG_LEVEL = _env("LOG_LEVEL", "INFO")
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted (0 = none).
    TRUSTED_PROXIES = int(_env("TRUSTED_PROXIES", "0"))


class TestConfig(Config):
    TESTING = True
    DATABASE_URL = _env("TEST_DATABASE_URL", "sqlite://")
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    LOGIN_LIMIT_PER_PHONE = 5
    LOGIN_LIMIT_PER_IP = 1000
    LOG_LEVEL = "WARNING"
