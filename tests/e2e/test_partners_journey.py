"""Partner systems at a desktop (1440 × 900): staff issue an API key (the secret shown once), the partner's
system trades it for an OAuth2 token and reads its unit's cases, staff revoke the key and the token stops
working; a private webhook address is refused in words; the unit's partner account manages its own unit's
keys and webhooks. No serious axe-core finding on those screens."""
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect

from .a11y import serious_violations, use_axe

pytestmark = pytest.mark.e2e


@pytest.fixture
def desk(browser, server):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", base_url=server)
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert violations == [], violations


def _login(page, phone: str) -> None:
    page.goto("/login")
    page.get_by_test_id("login-phone").fill(phone)
    page.get_by_test_id("login-password").fill("Steward@2026")
    page.get_by_test_id("login-submit").click()
    expect(page).to_have_url(__import__("re").compile(r"/console"))


def _token(server: str, client_id: str, secret: str) -> tuple[int, dict]:
    data = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": client_id,
                                   "client_secret": secret}).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(server + "/api/v1/oauth/token", data=data), timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def _cases(server: str, token: str) -> int:
    req = urllib.request.Request(server + "/api/v1/cases?limit=5", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def test_staff_issue_and_revoke_a_key_and_a_private_webhook_address_is_refused(desk, server, shot):
    page = desk
    use_axe(page)
    _login(page, "13800000002")
    page.get_by_test_id("nav-console-api-clients").click()
    expect(page.get_by_test_id("client-row").first).to_be_visible()  # the demo client
    page.get_by_test_id("client-name").fill("物业报修系统（联调）")
    page.get_by_test_id("client-unit").select_option(label="丽水湾物业服务中心")
    page.get_by_test_id("client-create").click()
    expect(page.get_by_test_id("secret-once")).to_contain_text("只显示这一次")
    client_id = page.get_by_test_id("secret-client-id").inner_text()
    secret = page.get_by_test_id("secret-client-secret").inner_text()
    problems = [f"/console/api-clients: {v}" for v in serious_violations(page)]
    shot(page, "console-api-clients")

    status, body = _token(server, client_id, secret)
    assert status == 200 and body["token_type"] == "Bearer", body
    assert _cases(server, body["access_token"]) == 200

    page.get_by_test_id("secret-dismiss").click()
    expect(page.get_by_test_id("secret-once")).to_have_count(0)
    row = page.get_by_test_id("client-row").filter(has_text="物业报修系统（联调）")
    row.get_by_test_id("client-revoke").click()
    row.get_by_test_id("client-confirm").click()
    expect(page.get_by_test_id("clients-message")).to_have_text("已吊销“物业报修系统（联调）”")
    expect(row).to_have_count(0)  # revoked keys are listed on request
    page.get_by_test_id("clients-show-revoked").check()
    expect(row.get_by_test_id("client-state")).to_have_text("已吊销")
    assert _cases(server, body["access_token"]) == 401  # the very next request
    assert _token(server, client_id, secret)[0] == 401

    page.get_by_test_id("nav-console-webhooks").click()
    page.get_by_test_id("webhook-unit").select_option(label="丽水湾物业服务中心")
    page.get_by_test_id("webhook-url").fill("https://10.0.0.5/hooks")
    page.get_by_test_id("webhook-create").click()
    expect(page.get_by_text("该网址指向内网或保留地址，不能使用。")).to_be_visible()
    expect(page.get_by_test_id("secret-once")).to_have_count(0)
    problems += [f"/console/webhooks: {v}" for v in serious_violations(page)]
    shot(page, "console-webhooks")
    assert problems == [], problems


def test_a_partner_account_manages_its_own_units_keys_and_webhooks(desk):
    page = desk
    _login(page, "13800000006")
    page.get_by_test_id("nav-console-api-clients").click()
    expect(page.get_by_test_id("client-row").first).to_contain_text("丽水湾物业服务中心")  # the demo client
    expect(page.get_by_test_id("client-unit")).to_have_count(0)  # its own unit, no choice
    page.get_by_test_id("nav-console-webhooks").click()
    expect(page.get_by_test_id("webhook-url")).to_be_visible()
    expect(page.get_by_test_id("webhook-unit")).to_have_count(0)  # its own unit, no choice
