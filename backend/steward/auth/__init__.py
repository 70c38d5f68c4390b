"""Auth: passwords, tokens with rotating refresh, sessions that logout revokes, login rate limits."""


def init_app(app) -> None:
    from . import tokens  # noqa: F401  (JWT callbacks on the shared JWTManager)
