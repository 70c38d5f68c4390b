"""The API docs (Swagger UI at /api/docs) render under their own strict Content-Security-Policy and
make no request outside the site (the page fixture fails on any CSP violation)."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_api_docs_render_under_their_csp_without_outside_requests(page, server, shot):
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((server, "data:", "blob:")) else outside.append(r.url))
    response = page.goto("/api/docs")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "default-src 'none'" in csp
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Steward API")
    expect(page.locator(".opblock").first).to_be_visible()
    page.locator(".opblock-summary").first.click()  # an operation opens (React renders under the CSP)
    expect(page.locator(".opblock-body").first).to_be_visible()
    shot(page, "api-docs")
    assert outside == []
