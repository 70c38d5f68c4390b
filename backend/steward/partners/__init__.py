"""Partners: the API clients of alliance units (a client acts for one unit, with scopes; its key is also
the Open311 ``api_key``, and it trades its id and secret for OAuth2 client-credentials tokens)."""


def init_app(app) -> None:
    from flask import g

    @app.after_request
    def _audit_client_calls(response):
        """Every call made with a client's token is on record, refused ones too (see oauth.audit_call)."""
        principal, refused = g.pop("api_client", None), g.pop("api_client_refused", None)
        if principal is not None or refused is not None:
            from . import oauth

            oauth.audit_call(principal or refused, response.status_code, refused=principal is None)
        return response
