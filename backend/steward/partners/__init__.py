"""Partners: the API clients of alliance units (a client acts for one unit, with scopes; its key is also
the Open311 ``api_key``). Webhooks and OAuth2 client-credentials tokens come next."""
