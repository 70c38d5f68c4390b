"""Staff at a desktop (1440 × 900): residents as a table, the audit log, claims asking to confirm, 我的 inside
the console; no serious axe-core finding on those screens."""
import re

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


def test_staff_console_screens(desk, shot):
    page = desk
    use_axe(page)
    page.goto("/login")
    page.get_by_test_id("login-phone").fill("13800000002")
    page.get_by_test_id("login-password").fill("Steward@2026")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("stats-residents")).to_be_visible()
    problems = [f"/console: {v}" for v in serious_violations(page)]

    page.get_by_test_id("nav-console-residents").click()
    expect(page.get_by_test_id("resident-row").first).to_be_visible()
    headers = page.locator("table[data-testid=residents-list] thead th").all_inner_texts()
    assert headers == ["姓名", "标签", "电话", "身份证", "住址", "网格"], headers
    expect(page.get_by_test_id("residents-note")).to_contain_text("一户可以有多名居民")
    page.get_by_test_id("tag-elderly_alone").click()
    expect(page.get_by_test_id("resident-row").first).to_contain_text("独居老人")
    problems += [f"/console/residents: {v}" for v in serious_violations(page)]
    shot(page, "console-residents")

    # reveal one number: a reason first, then the full phone, and the audit log has the reason
    page.get_by_test_id("resident-link").first.click()
    expect(page.get_by_test_id("resident-detail")).to_be_visible()
    page.get_by_test_id("reveal-phone").click()
    page.get_by_test_id("reveal-confirm").click()
    expect(page.get_by_test_id("reveal-panel")).to_contain_text("请填写查看原因")
    page.get_by_test_id("reveal-reason").fill("上门走访前电话联系")
    page.get_by_test_id("reveal-confirm").click()
    expect(page.get_by_test_id("resident-phone")).to_have_text(re.compile(r"^1\d{10}$"))
    expect(page.get_by_test_id("resident-id-card")).to_contain_text("*")
    expect(page.get_by_test_id("reveal-audit-note")).to_be_visible()
    shot(page, "console-reveal")

    page.get_by_test_id("nav-console-claims").click()
    expect(page.get_by_test_id("claim-row").first).to_be_visible()
    page.get_by_test_id("claim-approve").first.click()
    expect(page.get_by_test_id("claim-approve-box")).to_contain_text("确认")
    page.get_by_test_id("claim-approve-cancel").click()
    expect(page.get_by_test_id("claim-approve-box")).to_have_count(0)
    problems += [f"/console/claims: {v}" for v in serious_violations(page)]

    page.get_by_test_id("nav-console-audit").click()
    expect(page.get_by_role("heading", name="审计日志")).to_be_visible()
    expect(page.get_by_test_id("audit-row").first).to_be_visible()
    page.get_by_test_id("audit-action").fill("resident.reveal")
    page.get_by_test_id("audit-search").click()
    expect(page.get_by_test_id("audit-row").first).to_contain_text("上门走访前电话联系")
    problems += [f"/console/audit: {v}" for v in serious_violations(page)]
    shot(page, "console-audit")

    page.goto("/me")
    expect(page).to_have_url(re.compile(r"/console/me$"))
    expect(page.get_by_test_id("console-title")).to_be_visible()
    page.get_by_test_id("me-password").click()
    expect(page.get_by_test_id("password-form")).to_be_visible()
    expect(page.get_by_test_id("console-title")).to_be_visible()
    assert problems == [], "\n".join(problems)
