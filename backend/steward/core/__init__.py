"""Cross-cutting machinery: errors, i18n, HTTP conventions, pagination, rate limits."""
