"""社区活动 in the browser: a resident signs up and gets a check-in code (text and QR); a grid volunteer in 长辈版
opens the door check-in, types that code, and the resident is checked in. axe-core on each screen and the
elder-mode size targets on the volunteer's. (Scanning the QR code uses the phone's camera, which a headless
browser has not; typing is the same request.)"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from .test_bookings_journey import PASSWORD, _call, elder_problems, login, phone_context, scan

pytestmark = pytest.mark.e2e
RESIDENT, VOLUNTEER, STAFF = "13800000005", "13800000004", "13800000002"


@pytest.fixture(scope="module")
def soon_activity(server) -> int:
    """A published activity of 丽水湾 starting in 30 minutes (check-in opens an hour before the start)."""
    token = _call(server, "POST", "/auth/login", body={"phone": STAFF, "password": PASSWORD})["access_token"]
    community = _call(server, "GET", "/me", token)["area"]["id"]
    start = datetime.now(timezone.utc) + timedelta(minutes=30)
    activity = _call(server, "POST", "/activities", token, {
        "area_id": community, "kind": "culture", "title": "读报会（试）", "description": "志愿者读报，一起聊聊身边事。",
        "place": "丽水湾睦邻点", "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat(),
        "capacity": 20, "audience": "all",
    })
    _call(server, "POST", f"/activities/{activity['id']}/publish", token, {})
    return activity["id"]


def test_sign_up_and_volunteer_checks_in_by_code(browser, server, soon_activity, shot):
    problems: list[str] = []
    res_ctx, resident, res_csp = phone_context(browser, server, elder=False)
    vol_ctx, volunteer, vol_csp = phone_context(browser, server, elder=True)
    try:
        login(resident, RESIDENT)
        resident.get_by_test_id("entry-activities").click()
        card = resident.locator(f"[data-testid=activity-card][data-activity-id='{soon_activity}']")
        expect(card).to_contain_text("读报会")
        problems += scan(resident, "/activities")
        card.get_by_test_id("activity-open").click()
        resident.get_by_test_id("activity-signup-submit").click()
        expect(resident.get_by_test_id("activity-done")).to_contain_text("报名成功")
        code = resident.get_by_test_id("signup-code").inner_text().strip()
        expect(resident.get_by_test_id("qr-code")).to_be_visible()
        problems += scan(resident, "/activities/:id")

        login(volunteer, VOLUNTEER)
        volunteer.goto(f"/activities/{soon_activity}")
        volunteer.get_by_test_id("activity-door").click()
        expect(volunteer.get_by_test_id("checkin-count")).to_have_text("已签到 0 人 / 报名 1 人")
        problems += elder_problems(volunteer, "/activities/:id/check-in (elder)")
        problems += scan(volunteer, "/activities/:id/check-in (elder)")
        volunteer.get_by_test_id("checkin-code").fill(code.lower())
        volunteer.get_by_test_id("checkin-submit").click()
        expect(volunteer.get_by_test_id("checkin-done")).to_contain_text("已签到")
        expect(volunteer.get_by_test_id("checkin-count")).to_have_text("已签到 1 人 / 报名 1 人")
        shot(volunteer, "volunteer-door-elder")

        resident.reload()
        expect(resident.get_by_test_id("activity-signup")).to_have_attribute("data-status", "checked_in")
    finally:
        res_ctx.close()
        vol_ctx.close()
    assert res_csp == [] and vol_csp == [], res_csp + vol_csp
    assert problems == [], "\n".join(problems)
