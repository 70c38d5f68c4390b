"""Notices in the browser: staff publish an important notice in the console and a resident's unread badge
changes without a reload (server-sent events opened with a stream ticket); the resident opens it from the
inbox and reads it, in 长辈版, within the elder-mode size targets."""
import re

import pytest
from playwright.sync_api import expect

from ..live_server import live_server
from .a11y import elder_sizes, serious_violations, use_axe

pytestmark = pytest.mark.e2e
PASSWORD = "Steward@2026"
RESIDENT, STAFF = "13800000005", "13800000002"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db_file = tmp_path_factory.mktemp("notices-e2e") / "steward.db"
    with live_server(f"sqlite:///{db_file}") as base:
        yield base


def login(page, phone: str, ready: str) -> None:
    page.goto("/login")
    page.get_by_test_id("login-phone").fill(phone)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id(ready)).to_be_visible()


def unread(page) -> int:
    badge = page.get_by_test_id("unread-badge")
    return int(re.sub(r"\D", "", badge.inner_text()) or 0) if badge.count() else 0


def test_an_important_notice_reaches_an_open_app_without_a_reload(browser, server, shot):
    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="zh-CN",
                                is_mobile=True, has_touch=True, base_url=server)
    desk = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", base_url=server)
    resident, staff = phone.new_page(), desk.new_page()
    try:
        use_axe(resident)
        login(resident, RESIDENT, "home-title")
        expect(resident.get_by_test_id("pinned-notices")).to_be_visible()
        expect(resident.get_by_test_id("inbox-bell")).to_have_attribute("data-live", "live", timeout=15_000)
        resident.wait_for_timeout(500)  # the count read when the stream opened
        before = unread(resident)
        navigations = []
        resident.on("framenavigated", lambda f: navigations.append(f.url) if f == resident.main_frame else None)

        login(staff, STAFF, "console-title")
        staff.goto("/console/notices/new")
        expect(staff.get_by_test_id("ne-area").locator("option").first).to_be_attached()
        staff.get_by_test_id("ne-title").fill("今晚 22:00 起小区临时停电检修")
        staff.get_by_test_id("ne-category").select_option("important")
        staff.get_by_test_id("ne-area").select_option(label="丽水湾（居民区）")
        staff.get_by_test_id("ne-body").fill("因变电设备检修，**今晚 22:00 至明早 6:00** 停电。<script>alert(1)</script>")
        staff.get_by_test_id("ne-preview").click()
        expect(staff.get_by_test_id("ne-preview-html").locator("strong")).to_have_text("今晚 22:00 至明早 6:00")
        staff.get_by_test_id("ne-publish").click()
        expect(staff.get_by_test_id("notice-rate")).to_be_visible()
        shot(staff, "notices-console-read-rate")

        # the resident's open app hears of it: the badge goes up, no reload
        expect(resident.get_by_test_id("unread-badge")).to_have_text(str(before + 1), timeout=15_000)
        assert navigations == [], navigations
        shot(resident, "notices-badge-live")

        # open it from the inbox, in 长辈版
        resident.evaluate("localStorage.setItem('steward.elder', '1'); document.documentElement.classList.add('elder')")
        resident.get_by_test_id("inbox-bell").click()
        item = resident.get_by_test_id("inbox-item").first
        expect(item).to_contain_text("今晚 22:00 起小区临时停电检修")
        problems = [f"/inbox: {v['id']} {v['help']}" for v in serious_violations(resident)]
        item.click()
        expect(resident.get_by_test_id("notice-title")).to_have_text("今晚 22:00 起小区临时停电检修")
        body = resident.get_by_test_id("notice-body")
        expect(body.locator("strong")).to_have_text("今晚 22:00 至明早 6:00")
        assert "script" not in body.inner_html()
        problems += [f"/notices/:id: {v['id']} {v['help']}" for v in serious_violations(resident)]
        sizes = elder_sizes(resident)
        if sizes["body"] < 18 or sizes["smallestText"] < 18 or sizes["heading"] < 30 or sizes["small"]:
            problems.append(f"/notices/:id in 长辈版: {sizes}")
        shot(resident, "notices-reader-elder")
        assert problems == [], "\n".join(problems)

        # the staff page's read rate counts the household now
        staff.reload()
        expect(staff.get_by_test_id("notice-rate")).not_to_have_text("0%")
    finally:
        phone.close()
        desk.close()
