"""A new resident registers with an SMS code (shown by the demo helper) and the address pickers, sees the
pending notice; the committee, seeing who already lives there, verifies the claim through the API."""
import re

import pytest
from playwright.sync_api import expect

from ..live_server import call

pytestmark = pytest.mark.e2e


def test_register_wait_for_verification_then_see_the_household(page, server, shot):
    page.goto("/register")
    page.get_by_test_id("register-phone").fill("13655550001")
    page.get_by_test_id("sms-send").click()
    page.get_by_test_id("demo-sms-show").click()
    code = page.get_by_test_id("demo-sms-code")
    expect(code).to_have_text(re.compile(r"^\d{6}$"))
    page.get_by_test_id("sms-code").fill(code.inner_text())
    page.get_by_test_id("register-name").fill("钱阿姨")
    page.get_by_test_id("pick-community").select_option(label="丽水湾")
    page.get_by_test_id("pick-building").select_option(label="5号楼")
    page.get_by_test_id("pick-unit").select_option(label="2单元")
    page.get_by_test_id("pick-room").select_option(label="301室")
    page.get_by_test_id("register-password").fill("Neighbour2026")
    page.get_by_test_id("register-password2").fill("Neighbour2026")
    page.get_by_test_id("register-consent").check()
    page.get_by_test_id("register-submit").click()
    expect(page.get_by_test_id("claim-pending")).to_be_visible()
    expect(page.get_by_test_id("claim-pending")).to_contain_text("丽水湾5号楼2单元301室")
    shot(page, "registered-pending")

    staff = call(server, "POST", "/auth/login", body={"phone": "13800000002", "password": "Steward@2026"})[1]["access_token"]
    claims = call(server, "GET", "/household-claims?status=pending&limit=100", staff)[1]["items"]
    claim = next(c for c in claims if c["user"]["name"] == "钱阿姨")
    assert all(not o["has_account"] for o in claim["occupants"])
    status, review, _ = call(server, "POST", f"/household-claims/{claim['id']}/review", staff, {"decision": "approve"})
    assert status == 200 and review["status"] == "approved"

    page.reload()
    expect(page.get_by_test_id("home-title")).to_be_visible()
    expect(page.get_by_test_id("claim-pending")).to_have_count(0)
    page.get_by_test_id("entry-household").click()
    expect(page.get_by_text("钱阿姨")).to_be_visible()
    shot(page, "registered-household")
