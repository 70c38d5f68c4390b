"""A new resident registers, sees the pending notice; the committee verifies the claim through the API."""
import pytest
from playwright.sync_api import expect

from ..live_server import call

pytestmark = pytest.mark.e2e


def test_register_wait_for_verification_then_see_the_household(page, server, shot):
    page.goto("/register")
    page.get_by_test_id("register-phone").fill("13655550001")
    page.get_by_test_id("register-password").fill("Neighbour2026")
    page.get_by_test_id("register-name").fill("钱阿姨")
    page.get_by_test_id("register-community").select_option(label="丽水湾")
    page.get_by_test_id("register-building").fill("5")
    page.get_by_test_id("register-unit").fill("2")
    page.get_by_test_id("register-room").fill("301")
    page.get_by_test_id("register-submit").click()
    expect(page.get_by_test_id("claim-pending")).to_be_visible()
    expect(page.get_by_test_id("claim-pending")).to_contain_text("丽水湾5号楼2单元301室")
    shot(page, "registered-pending")

    staff = call(server, "POST", "/auth/login", body={"phone": "13800000002", "password": "Steward@2026"})[1]["access_token"]
    claims = call(server, "GET", "/household-claims?status=pending&limit=100", staff)[1]["items"]
    claim = next(c for c in claims if c["user"]["name"] == "钱阿姨")
    status, review, _ = call(server, "POST", f"/household-claims/{claim['id']}/review", staff, {"decision": "approve"})
    assert status == 200 and review["status"] == "approved"

    page.reload()
    expect(page.get_by_test_id("home-title")).to_be_visible()
    expect(page.get_by_test_id("claim-pending")).to_have_count(0)
    page.get_by_test_id("entry-household").click()
    expect(page.get_by_text("钱阿姨")).to_be_visible()
    shot(page, "registered-household")
