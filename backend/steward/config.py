"""Configuration: one env-driven ``Config`` and a ``TestConfig`` for the test-suite."""
from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def var_dir(database_url: str) -> Path:
    """Where files that live beside the database go: the SQLite file's folder, else var/ in the repo."""
    if database_url.startswith("sqlite:///") and database_url not in ("sqlite:///", "sqlite:///:memory:"):
        return Path(database_url.removeprefix("sqlite:///")).resolve().parent
    return REPO_ROOT / "var"


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
    # …and a stranger's failures do not lock the owner out: the per-phone limit above counts failures of
    # one phone from one address; across all addresses a phone only slows down, to one attempt per
    # LOGIN_PHONE_BACKOFF_SECONDS once it has had LOGIN_PHONE_BACKOFF_AFTER failures in the window.
    LOGIN_PHONE_BACKOFF_AFTER = int(_env("LOGIN_PHONE_BACKOFF_AFTER", "20"))
    LOGIN_PHONE_BACKOFF_SECONDS = int(_env("LOGIN_PHONE_BACKOFF_SECONDS", "30"))
    # Registration and password-reset attempts, per phone and per client address.
    REGISTER_LIMIT_PER_PHONE = int(_env("REGISTER_LIMIT_PER_PHONE", "5"))
    REGISTER_LIMIT_PER_IP = int(_env("REGISTER_LIMIT_PER_IP", "20"))
    REGISTER_LIMIT_WINDOW_SECONDS = int(_env("REGISTER_LIMIT_WINDOW_SECONDS", "3600"))
    # Public reads without a token (address pickers, demo codes), per client address per minute.
    PUBLIC_LIMIT_PER_IP = int(_env("PUBLIC_LIMIT_PER_IP", "300"))
    # One-time SMS codes. SMS_SENDER is "log" (the embedded default: the code goes to the log and to the
    # demo-only endpoint GET /api/v1/demo/sms-codes) or "package.module:factory" for a real provider;
    # the factory gets the app config and returns a steward.verification.senders.Sender.
    SMS_SENDER = _env("SMS_SENDER", "log")
    SMS_CODE_TTL_SECONDS = 300
    SMS_RESEND_SECONDS = 60
    SMS_MAX_ATTEMPTS = 5
    SMS_LIMIT_PER_PHONE = int(_env("SMS_LIMIT_PER_PHONE", "5"))
    SMS_LIMIT_PER_IP = int(_env("SMS_LIMIT_PER_IP", "20"))
    SMS_LIMIT_WINDOW_SECONDS = int(_env("SMS_LIMIT_WINDOW_SECONDS", "3600"))
    PRIVACY_POLICY_VERSION = _env("PRIVACY_POLICY_VERSION", "2026-11")
    # Key of the HMAC under which API client secrets are stored (empty: derived from SECRET_KEY).
    # Changing it invalidates every client's key.
    API_CLIENT_KEY = _env("API_CLIENT_KEY", "")
    # Calls per minute of one API client (Open311); calls without a key count against PUBLIC_LIMIT_PER_IP.
    OPEN311_LIMIT_PER_CLIENT = int(_env("OPEN311_LIMIT_PER_CLIENT", "600"))
    # Lifetime of an OAuth2 client-credentials token (POST /api/v1/oauth/token), in seconds.
    OAUTH_TOKEN_SECONDS = int(_env("OAUTH_TOKEN_SECONDS", "900"))
    # Webhooks (steward/webhooks/transport.py): deliver to private/loopback addresses (tests, a receiver on
    # this machine) and over plain http. Both off in production: a URL is a request to connect somewhere.
    WEBHOOKS_ALLOW_PRIVATE = _env("WEBHOOKS_ALLOW_PRIVATE", "") == "1"
    WEBHOOKS_ALLOW_HTTP = _env("WEBHOOKS_ALLOW_HTTP", "") == "1"
    # argon2id parameters (argon2-cffi's RFC 9106 "low memory" profile by default).
    ARGON2_TIME_COST = int(_env("ARGON2_TIME_COST", "3"))
    ARGON2_MEMORY_COST = int(_env("ARGON2_MEMORY_COST", "65536"))
    IDEMPOTENCY_TTL_HOURS = 24
    IDEMPOTENCY_MAX_KEYS = int(_env("IDEMPOTENCY_MAX_KEYS", "1000"))  # live keys per caller
    # A refresh token replaced less than this long ago is refused without revoking the session.
    REFRESH_REUSE_GRACE_SECONDS = int(_env("REFRESH_REUSE_GRACE_SECONDS", "30"))
    FRONTEND_DIST = Path(_env("FRONTEND_DIST", str(REPO_ROOT / "frontend" / "dist")))
    SQL_ECHO = _env("SQL_ECHO", "") == "1"
    LOG_FORMAT = _env("LOG_FORMAT", "text")  # "json" for one JSON object per line
    LOG_LEVEL = _env("LOG_LEVEL", "INFO")
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted (0 = none).
    TRUSTED_PROXIES = int(_env("TRUSTED_PROXIES", "0"))

    # Background jobs (Huey, see steward/jobs). RedisHuey when REDIS_URL is set, else SqliteHuey in
    # HUEY_FILE (default: huey.db beside the SQLite database, var/huey-<database>.db otherwise).
    REDIS_URL = _env("REDIS_URL", "")
    HUEY_NAME = _env("HUEY_NAME", "steward")
    HUEY_FILE = _env("HUEY_FILE", "")
    HUEY_IMMEDIATE = _env("HUEY_IMMEDIATE", "") == "1"  # run each task at once, in the caller (tests)
    HUEY_WORKERS = int(_env("HUEY_WORKERS", "2"))
    HUEY_IMPORTS = _env("HUEY_IMPORTS", "")  # extra modules holding tasks, comma-separated
    SERVE_WORKER = _env("SERVE_WORKER", "1") != "0"  # `steward serve` also runs the job worker
    JOB_RUNS_KEEP_DAYS = int(_env("JOB_RUNS_KEEP_DAYS", "90"))  # how long a done key is remembered
    AUTH_SESSIONS_KEEP_DAYS = int(_env("AUTH_SESSIONS_KEEP_DAYS", "30"))  # after a session expired

    # Photos (steward/media): never served from a public path; MEDIA_DIR defaults to media/ beside
    # the SQLite database (var/media otherwise).
    MEDIA_DIR = _env("MEDIA_DIR", "")
    MEDIA_MAX_BYTES = int(_env("MEDIA_MAX_BYTES", str(10 * 1024 * 1024)))  # per file
    MEDIA_MAX_PIXELS = int(_env("MEDIA_MAX_PIXELS", "40000000"))
    MEDIA_MAX_FILES = int(_env("MEDIA_MAX_FILES", "6"))
    MEDIA_MAX_EDGE = int(_env("MEDIA_MAX_EDGE", "2048"))
    MEDIA_THUMB_EDGE = int(_env("MEDIA_THUMB_EDGE", "320"))
    MEDIA_FORMAT = _env("MEDIA_FORMAT", "JPEG")  # JPEG (every phone) or WEBP (smaller)
    MEDIA_QUALITY = int(_env("MEDIA_QUALITY", "82"))
    MEDIA_CACHE_SECONDS = int(_env("MEDIA_CACHE_SECONDS", "3600"))  # private browser cache only
    MEDIA_DECODE_SLOTS = int(_env("MEDIA_DECODE_SLOTS", "2"))  # photos decoded at once per process (memory)

    # The live inbox (notifications/live.py): server-sent events fanned out in this process, over Redis
    # pub/sub when REDIS_URL is set. An open stream holds a server thread (waitress serves with 8), so the
    # caps are modest; beyond them the app polls the unread count instead. Streams end after
    # SSE_MAX_SECONDS (the browser reconnects), which also frees threads held by vanished phones.
    SSE_MAX_CONNECTIONS = int(_env("SSE_MAX_CONNECTIONS", "4"))
    SSE_MAX_PER_USER = int(_env("SSE_MAX_PER_USER", "2"))
    SSE_HEARTBEAT_SECONDS = float(_env("SSE_HEARTBEAT_SECONDS", "15"))
    SSE_MAX_SECONDS = float(_env("SSE_MAX_SECONDS", "300"))
    SSE_TICKET_SECONDS = int(_env("SSE_TICKET_SECONDS", "60"))


class TestConfig(Config):
    TESTING = True
    DATABASE_URL = _env("TEST_DATABASE_URL", "sqlite://")
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    LOGIN_LIMIT_PER_PHONE = 5
    LOGIN_LIMIT_PER_IP = 1000
    LOGIN_PHONE_BACKOFF_AFTER = 10
    SMS_SENDER = "log"
    LOG_LEVEL = "WARNING"
    HUEY_IMMEDIATE = True
    WEBHOOKS_OFFLINE = True  # no DNS lookup, no connection but to 127.0.0.1 (steward/webhooks/transport.py)
    MEDIA_DIR = _env("TEST_MEDIA_DIR", str(Path(tempfile.gettempdir()) / f"steward-test-media-{os.getpid()}"))
