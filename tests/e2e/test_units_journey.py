"""Alliance units at a desktop (1440 × 900): staff open 丽水湾物业服务中心, see the case categories it takes
and its services, give it one more category, add a partner account with a first password and make it the
unit's admin; the new account signs in and must choose its own password. No serious axe-core finding."""
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


def _login(page, phone: str, password: str = "Steward@2026") -> None:
    page.goto("/login")
    page.get_by_test_id("login-phone").fill(phone)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()


def test_staff_edit_a_units_categories_and_accounts(desk, shot):
    page = desk
    use_axe(page)
    _login(page, "13800000002")
    expect(page).to_have_url(re.compile(r"/console"))
    page.get_by_test_id("nav-console-units").click()
    row = page.get_by_test_id("unit-row").filter(has_text="丽水湾物业服务中心")
    expect(row.get_by_test_id("unit-row-categories")).to_contain_text("乱堆物")
    row.get_by_test_id("unit-link").click()
    expect(page.get_by_test_id("unit-services")).to_have_text("上门维修")
    admin = page.get_by_test_id("unit-member").filter(has_text="钱志明")
    expect(admin.get_by_test_id("unit-member-admin")).to_have_text("单位管理员")
    problems = [f"/console/units/N: {v}" for v in serious_violations(page)]

    page.get_by_test_id("unit-edit").click()
    page.get_by_test_id("unit-service-health").check()
    page.get_by_test_id("unit-save").click()
    expect(page.get_by_test_id("unit-saved")).to_be_visible()
    expect(page.get_by_test_id("unit-services")).to_have_text("健康咨询、上门维修")

    page.get_by_test_id("unit-add-phone").fill("13912340016")
    page.get_by_test_id("unit-add-name").fill("物业 周师傅")
    page.get_by_test_id("unit-add-password").fill("Repair@2026x")
    page.get_by_test_id("unit-add-submit").click()
    expect(page.get_by_test_id("unit-added")).to_contain_text("物业 周师傅")
    new = page.get_by_test_id("unit-member").filter(has_text="物业 周师傅")
    expect(new).to_contain_text("尚未修改初始密码")
    new.get_by_test_id("unit-member-toggle").click()
    expect(new.get_by_test_id("unit-member-admin")).to_have_text("单位管理员")
    problems += [f"/console/units/N (edited): {v}" for v in serious_violations(page)]
    shot(page, "console-unit")
    assert problems == [], problems

    page.context.clear_cookies()
    page.evaluate("localStorage.clear(); sessionStorage.clear()")
    _login(page, "13912340016", "Repair@2026x")
    expect(page).to_have_url(re.compile(r"password"))  # a first password is changed before anything else
