"""The application factory."""
from __future__ import annotations

import itertools
import os
import weakref

from flask import Flask, g, request
from flask.sessions import SessionInterface

from .config import Config

# Request IDs: unique, not secret — a random prefix per process and a counter (uuid4 reads the OS's
# random source on every request).
_ID_PREFIX = os.urandom(8).hex()
_ids = itertools.count(1)


def _new_prefix() -> None:  # forked workers (gunicorn) each get their own
    global _ID_PREFIX
    _ID_PREFIX = os.urandom(8).hex()


os.register_at_fork(after_in_child=_new_prefix)


def new_request_id() -> str:
    return f"{_ID_PREFIX}{next(_ids):016x}"


class NoCookieSession(SessionInterface):
    """The app keeps no state in cookies (tokens are bearer headers): no Flask session is opened or
    signed per request (that cost ~5 % of a simple request). Writing to ``flask.session`` fails loudly."""

    def open_session(self, app, request):
        return None  # Flask then uses a NullSession, which refuses writes

    def save_session(self, app, session, response) -> None:
        pass


class StewardFlask(Flask):
    """Flask, remembering which functions are plain (not coroutines): Flask asks ``inspect`` that of
    every hook and view on every request, about a dozen times per request here (~3 % of ``GET /me``)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._plain: weakref.WeakSet = weakref.WeakSet()  # weak: a per-request closure is not kept

    def ensure_sync(self, func):
        try:
            if func in self._plain:
                return func
        except TypeError:  # not weakly referenceable
            return super().ensure_sync(func)
        wrapped = super().ensure_sync(func)
        if wrapped is func:
            self._plain.add(func)
        return wrapped


def create_app(config: type[Config] | None = None) -> Flask:
    app = StewardFlask(__name__, static_folder=None)
    app.session_interface = NoCookieSession()
    app.config.from_object(config or Config)
    app.json.ensure_ascii = False
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    from .core import logs
    from .core.errors import register_error_handlers
    from .extensions import api_blueprint, db, jwt, limiter

    db.init_app(app)
    jwt.init_app(app)
    app.extensions["steward.limiter"] = limiter

    # Importing the domains registers their scope rules, namespaces and callbacks on `api` / `jwt`.
    from . import domains, jobs, openapi, web

    domains.init_app(app)
    jobs.init_app(app)  # after the domains: their tasks modules are imported

    if "api" not in app.blueprints:
        app.register_blueprint(api_blueprint)
    openapi.init_app(app)
    web.init_app(app)

    @app.before_request
    def _request_id() -> None:
        rid = request.headers.get("X-Request-ID", "")
        g.request_id = rid if 0 < len(rid) <= 64 and rid.isprintable() else new_request_id()

    @app.after_request
    def _headers(resp):
        # One pass over the response's headers (werkzeug's setdefault scans them once per call).
        headers = resp.headers
        present = {name.lower() for name in headers.keys()}
        if "x-request-id" in present:
            headers["X-Request-ID"] = g.get("request_id", "")
        else:
            headers.add("X-Request-ID", g.get("request_id", ""))
        path = request.path
        for name, value in web.security_headers(path, request.is_secure):
            if name.lower() not in present:
                headers.add(name, value)
        if path.startswith("/api/"):
            if "vary" in present:
                resp.vary.add("Accept-Language")
            else:
                headers.add("Vary", "Accept-Language")
        return resp

    register_error_handlers(app)  # after _request_id: its request guards answer problems with the id
    logs.init_app(app)
    return app
