"""A new resident registers (SMS code, address pickers, consent), waits for verification; the committee
approves in the console after seeing who already lives there; a rejected claimant corrects the address."""
import re

import pytest
from playwright.sync_api import expect

from ..live_server import call

pytestmark = pytest.mark.e2e


def pick_address(page, building: str, unit: str, room: str) -> None:
    page.get_by_test_id("pick-community").select_option(label="丽水湾")
    page.get_by_test_id("pick-building").select_option(label=f"{building}号楼")
    unit_select = page.get_by_test_id("pick-unit")
    if unit_select.input_value() == "":
        unit_select.select_option(label=f"{unit}单元")
    page.get_by_test_id("pick-room").select_option(label=f"{room}室")


def test_register_wait_for_verification_then_see_the_household(page, server, shot):
    page.goto("/register")
    page.get_by_test_id("register-phone").fill("13655550001")
    page.get_by_test_id("sms-send").click()
    page.get_by_test_id("demo-sms-show").click()
    expect(page.get_by_test_id("demo-sms-code")).to_have_text(re.compile(r"^\d{4,6}$"))
    page.get_by_test_id("demo-sms-fill").click()
    page.get_by_test_id("register-name").fill("钱阿姨")
    pick_address(page, "5", "2", "301")
    page.get_by_test_id("register-password").fill("Neighbour2026")
    page.get_by_test_id("register-password2").fill("Neighbour2026")
    page.get_by_test_id("register-consent").check()
    shot(page, "register-filled")
    page.get_by_test_id("register-submit").click()
    expect(page.get_by_test_id("claim-pending")).to_be_visible()
    expect(page.get_by_test_id("claim-pending")).to_contain_text("5号楼2单元301室")
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


def test_rejected_claimant_sees_the_note_and_sends_a_corrected_address(page, server, shot):
    page.goto("/login")
    page.get_by_test_id("login-phone").fill("13800000008")
    page.get_by_test_id("login-password").fill("Steward@2026")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("claim-pending")).to_be_visible()
    # a pending claimant cannot add household members
    page.goto("/household/members/new")
    expect(page.get_by_test_id("claim-pending")).to_be_visible()
    expect(page.get_by_test_id("household-add-member")).to_have_count(0)

    staff = call(server, "POST", "/auth/login", body={"phone": "13800000002", "password": "Steward@2026"})[1]["access_token"]
    claims = call(server, "GET", "/household-claims?status=pending&limit=100", staff)[1]["items"]
    claim = next(c for c in claims if c["user"]["phone"].endswith("0008"))
    note = "经上门核实，该户无此人"
    call(server, "POST", f"/household-claims/{claim['id']}/review", staff, {"decision": "reject", "note": note})

    page.goto("/household")
    expect(page.get_by_test_id("claim-rejected")).to_contain_text("经上门核实，该户无此人")
    expect(page.get_by_text("等待居委会核实")).to_have_count(0)
    pick_address(page, "5", "2", "302")
    page.get_by_test_id("claim-resubmit-submit").click()
    expect(page.get_by_test_id("claim-pending")).to_contain_text("302室")
    shot(page, "claim-resubmitted")
