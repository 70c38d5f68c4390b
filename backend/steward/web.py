"""Serve the built single-page app (frontend/dist) beside the API, with history-mode fallback.

The build writes NAME.br and NAME.gz beside each text file (frontend/scripts/compress.mjs); we send the
best one the client accepts, as it is, with `Content-Encoding` and `Vary: Accept-Encoding`. Hashed files
under /assets/ never change, so browsers keep them a year without asking; everything else (index.html,
the manifest, icons) is revalidated every time (`no-cache`) against its ETag / Last-Modified (304).
deploy/nginx.conf does the same in production.
"""
from __future__ import annotations

import mimetypes

from flask import Flask, current_app, request, send_from_directory
from sqlalchemy import text
from werkzeug.routing import PathConverter

from .core.errors import not_found, problem_response
from .db import db

# The app loads only its own scripts, so an injected script cannot run (tokens live in localStorage).
# Vant sets inline style attributes, hence 'unsafe-inline' for styles only.
SPA_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
           "connect-src 'self'; font-src 'self' data:; manifest-src 'self'; object-src 'none'; base-uri 'self'; "
           "form-action 'self'; frame-ancestors 'none'")
API_CSP = "default-src 'none'; frame-ancestors 'none'"
# Sent only over HTTPS (browsers ignore it over plain HTTP); behind a TLS proxy, TRUSTED_PROXIES makes
# request.is_secure true. Keep in step with deploy/nginx.conf.
mimetypes.add_type("application/manifest+json", ".webmanifest")
HSTS = "max-age=63072000; includeSubDomains"
ASSET_MAX_AGE = 365 * 24 * 3600
# Best first: brotli is ~10 % smaller than gzip -9 on our bundle.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


def accepted_encodings(header: str) -> set[str]:
    """Content codings the client takes (q > 0), from an Accept-Encoding header; `*` stands for any."""
    accepted, refused, star = set(), set(), False
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        name = name.strip().lower()
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if name == "*":
            star = q > 0
        elif name:
            (accepted if q > 0 else refused).add(name)
    if star:
        accepted |= {coding for coding, _ in ENCODINGS} - refused
    return accepted


def send_static(path: str, *, immutable: bool):
    """Send dist/`path` (or its precompressed variant) with the caching rules above; 304 when unchanged."""
    dist = current_app.config["FRONTEND_DIST"]
    variants = [(coding, ext) for coding, ext in ENCODINGS if (dist / (path + ext)).is_file()]
    accepted = accepted_encodings(request.headers.get("Accept-Encoding", "")) if variants else set()
    coding, ext = next(((c, e) for c, e in variants if c in accepted), (None, ""))
    mimetype = mimetypes.guess_type(path)[0] or "application/octet-stream"  # of the file, not of .br/.gz
    resp = send_from_directory(dist, path + ext, mimetype=mimetype, conditional=True, etag=True,
                               max_age=ASSET_MAX_AGE if immutable else None)
    if coding:
        resp.headers["Content-Encoding"] = coding
    if variants:
        resp.vary.add("Accept-Encoding")
    if immutable:
        resp.cache_control.public = True
        resp.cache_control.immutable = True
        resp.cache_control.no_cache = None
    else:
        resp.cache_control.no_cache = True
        resp.cache_control.max_age = None
    return resp


class SpaPath(PathConverter):
    regex = r"(?!api(?:/|$))[^/].*?"


def security_headers(path: str, secure: bool) -> tuple[tuple[str, str], ...]:
    """The default headers of a response at ``path``: each is added unless the response set its own
    (see app._headers)."""
    api = path.startswith("/api/")
    return _SECURITY[(api, path == "/api/docs", secure)]


def _security(api: bool, docs: bool, secure: bool) -> tuple[tuple[str, str], ...]:
    headers = [] if docs else [("Content-Security-Policy", API_CSP if api else SPA_CSP)]  # docs: an inline script
    headers += [("Referrer-Policy", "same-origin"), ("X-Frame-Options", "DENY"), ("X-Content-Type-Options", "nosniff")]
    if secure:
        headers.append(("Strict-Transport-Security", HSTS))
    if api:
        headers.append(("Cache-Control", "no-store"))
    return tuple(headers)


_SECURITY = {(api, docs, secure): _security(api, docs, secure)
             for api in (False, True) for docs in (False, True) for secure in (False, True)}


def init_app(app: Flask) -> None:
    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.get("/readyz")
    def readyz():
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any database failure means not ready
            return problem_response(503, detail="Please retry later.")
        return {"status": "ready"}

    # /api/… is never the app's: a miss there is a problem+json 404 for every method, and an
    # OPTIONS or 405 there lists only the API's methods.
    app.url_map.converters["spa_path"] = SpaPath

    @app.get("/", defaults={"path": ""})
    @app.get("/<spa_path:path>")
    def spa(path: str):
        dist = current_app.config["FRONTEND_DIST"]
        if path and (dist / path).is_file():
            return send_static(path, immutable=path.startswith("assets/"))
        if path.startswith("assets/"):  # a hashed file from another build: not the app page in its place
            raise not_found()
        if not (dist / "index.html").is_file():
            return ("<!doctype html><meta charset=utf-8><title>红管家</title>"
                    "<p>前端尚未构建：请运行 <code>make run</code>。The front end is not built; run make run.</p>"), 200
        return send_static("index.html", immutable=False)
