"""Open311 GeoReport v2 (``/open311/v2/``): the case categories as services and the cases as service
requests, so existing civic-tech clients work unchanged. Not JWT: the API client's key is ``api_key``."""


def init_app(app) -> None:
    from .api import bp

    app.register_blueprint(bp)
