"""忘记密码 with an SMS code (demo helper), then logging in with the new password; the birth-date picker."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_forgot_password_then_log_in_with_the_new_one(page, shot):
    page.goto("/login")
    page.get_by_test_id("to-forgot").click()
    page.get_by_test_id("forgot-phone").fill("13800000007")
    page.get_by_test_id("sms-send").click()
    page.get_by_test_id("demo-sms-show").click()
    page.get_by_test_id("demo-sms-fill").click()
    page.get_by_test_id("forgot-password").fill("NewSecret2026")
    page.get_by_test_id("forgot-password2").fill("NewSecret2026")
    page.get_by_test_id("forgot-submit").click()
    expect(page.get_by_test_id("login-done")).to_contain_text("新密码已设置")
    expect(page.get_by_test_id("login-phone")).to_have_value("13800000007")
    page.get_by_test_id("login-password").fill("NewSecret2026")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("home-title")).to_be_visible()


def test_birth_date_is_picked_year_first(page, shot):
    page.goto("/login")
    page.get_by_test_id("login-phone").fill("13800000005")
    page.get_by_test_id("login-password").fill("Steward@2026")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("home-title")).to_be_visible()
    page.goto("/household/members/new")
    page.get_by_test_id("rf-name").fill("孙老伯")
    page.get_by_test_id("rf-birth-date").click()
    picker = page.get_by_test_id("rf-birth-date-picker")
    expect(picker).to_be_visible()
    expect(picker.locator(".van-picker-column").first).to_contain_text("1960年")
    shot(page, "birth-date-picker")
    picker.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("rf-birth-date")).to_have_attribute("data-value", "1960-01-01")
    page.get_by_test_id("rf-submit").click()
    expect(page.get_by_test_id("household-done")).to_contain_text("孙老伯")
    expect(page.get_by_text("1960年1月1日出生")).to_be_visible()
