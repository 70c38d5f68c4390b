"""Auth: passwords, tokens with rotating refresh, sessions that logout revokes, login rate limits."""
