"""A new resident registers, sees the pending notice; the committee verifies the claim through the API."""
import json
import urllib.request

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def _api(server, method, path, token=None, body=None):
    req = urllib.request.Request(server + "/api/v1" + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json"})
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")


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

    staff = _api(server, "POST", "/auth/login", body={"phone": "13800000002", "password": "Steward@2026"})["access_token"]
    claims = _api(server, "GET", "/household-claims?status=pending&limit=100", staff)["items"]
    claim = next(c for c in claims if c["user"]["name"] == "钱阿姨")
    assert _api(server, "POST", f"/household-claims/{claim['id']}/review", staff, {"decision": "approve"})["status"] == "approved"

    page.reload()
    expect(page.get_by_test_id("home-title")).to_be_visible()
    expect(page.get_by_test_id("claim-pending")).to_have_count(0)
    page.get_by_test_id("entry-household").click()
    expect(page.get_by_text("钱阿姨")).to_be_visible()
    shot(page, "registered-household")
