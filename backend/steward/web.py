"""Serve the built single-page app (frontend/dist) beside the API, with history-mode fallback."""
from __future__ import annotations

from flask import Flask, current_app, request, send_from_directory
from sqlalchemy import text
from werkzeug.routing import PathConverter

from .core.errors import problem_response
from .db import db

# The app loads only its own scripts, so an injected script cannot run (tokens live in localStorage).
# Vant sets inline style attributes, hence 'unsafe-inline' for styles only.
SPA_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
           "connect-src 'self'; font-src 'self' data:; manifest-src 'self'; object-src 'none'; base-uri 'self'; "
           "form-action 'self'; frame-ancestors 'none'")
API_CSP = "default-src 'none'; frame-ancestors 'none'"


class SpaPath(PathConverter):
    regex = r"(?!api(?:/|$))[^/].*?"


def init_app(app: Flask) -> None:
    @app.after_request
    def _security_headers(resp):
        if request.path != "/api/docs":  # the docs UI boots with an inline script
            resp.headers.setdefault("Content-Security-Policy",
                                    API_CSP if request.path.startswith("/api/") else SPA_CSP)
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        return resp

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
            resp = send_from_directory(dist, path)
            if path.startswith("assets/"):
                resp.cache_control.max_age = 31536000
                resp.cache_control.immutable = True
            return resp
        if not (dist / "index.html").is_file():
            return ("<!doctype html><meta charset=utf-8><title>红管家</title>"
                    "<p>前端尚未构建：请运行 <code>make run</code>。The front end is not built; run make run.</p>"), 200
        resp = send_from_directory(dist, "index.html")
        resp.cache_control.no_cache = True
        return resp
