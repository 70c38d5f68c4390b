"""Log in as each kind of user at a phone viewport and land on the right home screen."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
PASSWORD = "Steward@2026"


def login(page, phone: str) -> None:
    page.goto("/login")
    page.get_by_test_id("login-phone").fill(phone)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()


def test_resident_logs_in_and_sees_the_chinese_home(page, shot):
    login(page, "13800000005")
    expect(page.get_by_test_id("home-title")).to_be_visible()
    expect(page.get_by_test_id("home-community")).to_contain_text("丽水湾")
    expect(page.get_by_text("通知公告")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    shot(page, "resident-home")
    # a resident never reaches the console
    page.goto("/console")
    expect(page.get_by_test_id("home-title")).to_be_visible()


def test_staff_logs_in_to_the_console_with_live_numbers(page, shot):
    login(page, "13800000002")
    expect(page.get_by_test_id("console-title")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/console"))
    expect(page.get_by_test_id("stats-residents")).to_contain_text(re.compile(r"\d{3}"))
    shot(page, "staff-console")


def test_wrong_password_says_so_in_words(page):
    page.goto("/login")
    page.get_by_test_id("login-phone").fill("13800000005")
    page.get_by_test_id("login-password").fill("wrong-pass-1")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_text("手机号或密码不正确")).to_be_visible()


def test_elder_mode_meets_the_size_targets(page, shot):
    login(page, "13800000005")
    expect(page.get_by_test_id("home-title")).to_be_visible()
    page.get_by_test_id("elder-switch").click()
    expect(page.locator("html.elder")).to_have_count(1)
    title_px = page.get_by_test_id("home-title").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    body_px = page.locator("body").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert title_px >= 30 and body_px >= 18, (title_px, body_px)
    box = page.get_by_test_id("elder-switch").bounding_box()
    assert box["width"] >= 60 and box["height"] >= 60, box
    shot(page, "resident-home-elder")


def test_language_switch_to_english(page):
    login(page, "13800000005")
    expect(page.get_by_test_id("home-title")).to_be_visible()
    page.goto("/me")
    page.get_by_test_id("lang-en").click()
    expect(page.locator("html[lang=en]")).to_have_count(1)
