"""Red Grid cases in the browser: a resident reports a problem at 390 px, staff accept it and assign the
grid volunteer in the console at 1440 px, the volunteer starts and resolves it on the phone, the resident
confirms and rates it; a 联合办 case dispatched to two units is finished part by part. The resident's
screens pass an axe-core scan and, in elder mode (长辈版), the size targets."""
from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from ..live_server import call
from .a11y import CONTROLS, serious_violations, use_axe

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Steward@2026"
RESIDENT, STAFF, VOLUNTEER, PARTNER = "13800000005", "13800000002", "13800000004", "13800000006"

# The main controls of the cases screens, on top of the shared ones: what a finger has to hit (≥ 60 × 60 px).
CASE_CONTROLS = (CONTROLS + ", main textarea, main a.outline-link, main label.category-option, main label.rating__option, "
                 "main .case-card__link, main .segmented__item, main .photo-picker__button, .van-nav-bar__left")


def photos_in_spec() -> bool:
    """The API takes case photos (the screens show the picker only then)."""
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    return "/cases/{case_id}/photos" in spec.get("paths", {})


def tiny_png() -> bytes:
    """A valid 8 × 8 red PNG, made here so the test needs no fixture file."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xc8\x16\x1d" * 8 for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def elder_sizes(page) -> dict:
    """Body text, the page heading, the smallest main text, and every visible main control under 60 × 60 px."""
    return page.evaluate("""(selector) => {
        const px = (e) => parseFloat(getComputedStyle(e).fontSize)
        const visible = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0
            && getComputedStyle(e).visibility !== 'hidden' && !e.closest('[aria-hidden="true"], .sr-only') }
        const headings = [...document.querySelectorAll('h1, .nav-title')].filter(visible)
        const small = [...document.querySelectorAll(selector)].filter(visible).filter((e) => {
            const r = e.getBoundingClientRect(); return r.height < 59.5 || r.width < 59.5
        }).map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}[${e.dataset.testid || ''}] `
            + `${Math.round(e.getBoundingClientRect().width)}x${Math.round(e.getBoundingClientRect().height)}`)
        const texts = [...document.querySelectorAll('main p, main label, main li, main dd, main dt, main legend')]
            .filter(visible).filter((e) => e.textContent.trim())
        return { body: px(document.body), heading: Math.max(0, ...headings.map(px)),
                 smallestText: Math.min(99, ...texts.map(px)), small }
    }""", CASE_CONTROLS)


def assert_elder(page, where: str) -> None:
    sizes = elder_sizes(page)
    assert sizes["body"] >= 18 and sizes["smallestText"] >= 18 and sizes["heading"] >= 30, (where, sizes)
    assert sizes["small"] == [], (where, sizes["small"])


def login(page, phone: str) -> None:
    page.goto("/login")
    page.get_by_test_id("login-phone").fill(phone)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()


def token(server, phone: str) -> str:
    return call(server, "POST", "/auth/login", body={"phone": phone, "password": PASSWORD})[1]["access_token"]


@pytest.fixture
def desktop(browser, server):
    """A second window at the console's size, for staff and partners."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", base_url=server)
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert violations == [], violations


@pytest.fixture
def phone2(browser, server):
    """Another phone (the volunteer's)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="zh-CN",
                                  is_mobile=True, has_touch=True, base_url=server)
    yield context.new_page()
    context.close()


def test_report_accept_assign_resolve_confirm_and_rate(page, desktop, phone2, server, shot):
    use_axe(page)
    # The resident reports from the home screen, where the hazard alerts are shown too.
    login(page, RESIDENT)
    expect(page.get_by_test_id("home-title")).to_be_visible()
    expect(page.get_by_test_id("hazard-alerts")).to_contain_text("钜庭路窨井盖缺失")
    page.get_by_test_id("entry-case-report").click()
    page.get_by_test_id("report-category-clutter").click()
    page.get_by_test_id("report-description").fill("1号楼1单元一楼楼道堆满纸箱，老人进出不方便。")
    expect(page.get_by_test_id("report-where-home")).to_contain_text("1号楼1单元")
    if photos_in_spec():
        page.get_by_test_id("photo-input").set_input_files(
            files=[{"name": "stairwell.png", "mimeType": "image/png", "buffer": tiny_png()}])
        expect(page.locator(".photo-picker__img")).to_have_count(1)
    assert serious_violations(page) == []
    shot(page, "case-report")
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_test_id("report-done")).to_be_visible()
    case_id = int(re.search(r"(\d+)", page.get_by_test_id("report-done-body").inner_text()).group(1))

    # Staff accept it and give it to the grid volunteer, in the console.
    volunteer = call(server, "GET", "/me", token(server, VOLUNTEER))[1]
    login(desktop, STAFF)
    expect(desktop.get_by_test_id("console-title")).to_be_visible()
    desktop.get_by_test_id("nav-console-cases").click()
    desktop.locator(f'[data-testid="board-row"][data-case-id="{case_id}"] [data-testid="board-open"]').click()
    expect(desktop.get_by_test_id("case-detail")).to_be_visible()
    if photos_in_spec():  # loaded with the session's token, shown from a blob: URL
        expect(desktop.get_by_test_id("case-photo").locator("img")).to_have_attribute("src", re.compile(r"^blob:"))
    desktop.get_by_test_id("action-accept").click()
    desktop.get_by_test_id("action-submit").click()
    expect(desktop.get_by_test_id("case-done")).to_contain_text("受理")
    desktop.get_by_test_id("action-assign").click()
    desktop.get_by_test_id("action-volunteer").select_option(value=str(volunteer["id"]))
    desktop.get_by_test_id("action-note").fill("请今天去看一下。")
    desktop.get_by_test_id("action-submit").click()
    expect(desktop.get_by_test_id("case-assignee")).to_have_text(volunteer["name"])
    expect(desktop.get_by_test_id("case-status")).to_have_text(re.compile("已派单"))
    shot(desktop, "case-console-assigned")

    # The volunteer starts (one tap) and resolves it (two taps) on the phone.
    login(phone2, VOLUNTEER)
    expect(phone2.get_by_test_id("home-title")).to_be_visible()
    phone2.get_by_test_id("entry-grid-cases").click()
    phone2.get_by_test_id("cases-filter-assigned").click()
    phone2.locator(f'[data-testid="case-card"][data-case-id="{case_id}"] a').click()
    phone2.get_by_test_id("case-start").click()
    expect(phone2.get_by_test_id("case-done")).to_contain_text("已开始处理")
    phone2.get_by_test_id("case-resolve").click()
    phone2.get_by_test_id("case-resolve-note").fill("已联系住户搬走纸箱，楼道已畅通。")
    if photos_in_spec():
        phone2.get_by_test_id("photo-input").set_input_files(
            files=[{"name": "fixed.png", "mimeType": "image/png", "buffer": tiny_png()}])
    phone2.get_by_test_id("case-resolve-confirm").click()
    expect(phone2.get_by_test_id("case-status")).to_have_text(re.compile("已办结"))
    if photos_in_spec():
        expect(phone2.get_by_test_id("case-photo")).to_have_count(2)
    shot(phone2, "case-volunteer-resolved")

    # The resident confirms the fix and rates it, in elder mode: big text, big targets.
    page.goto("/")
    page.get_by_test_id("elder-switch").click()
    expect(page.locator("html.elder")).to_have_count(1)
    page.get_by_test_id("entry-my-cases").click()
    card = page.locator(f'[data-testid="case-card"][data-case-id="{case_id}"]')
    expect(card.get_by_test_id("case-waiting-you")).to_be_visible()
    assert_elder(page, "my cases")
    card.locator("a").click()
    expect(page.get_by_test_id("case-confirm-box")).to_be_visible()
    expect(page.get_by_test_id("case-timeline")).to_contain_text("已联系住户搬走纸箱")
    assert_elder(page, "case detail")
    assert serious_violations(page) == []
    page.get_by_test_id("case-confirm").click()
    expect(page.get_by_test_id("case-status")).to_have_text(re.compile("已结案"))
    page.get_by_test_id("case-rate-5").click()
    page.get_by_test_id("case-rate-comment").fill("处理很及时，谢谢网格员。")
    page.get_by_test_id("case-rate-submit").click()
    expect(page.get_by_test_id("case-rated")).to_contain_text("5 星")
    assert serious_violations(page) == []
    shot(page, "case-rated-elder")

    # The report screen in elder mode meets the targets too.
    page.goto("/cases/new")
    page.get_by_test_id("report-category-facility_damage").click()
    expect(page.get_by_test_id("report-q-danger")).to_be_visible()
    assert_elder(page, "report")


def test_joint_case_finished_part_by_part(page, desktop, browser, server, shot):
    staff = token(server, STAFF)
    resident = token(server, RESIDENT)
    units = call(server, "GET", "/units?limit=100", staff)[1]["items"]
    property_co = next(u for u in units if u["name"] == "丽水湾物业服务中心")
    other = next(u for u in units if u["id"] != property_co["id"] and u["kind"] == "government_department")
    categories = call(server, "GET", "/case-categories", resident)[1]["items"]
    building = next(c for c in categories if c["code"] == "illegal_building")
    status, created, _ = call(server, "POST", "/cases", resident, {
        "category_id": building["id"], "description": "钜庭路边的空地上有人在搭彩钢板房。",
        "answers": {"stage": "正在施工"}, "address": "钜庭路近庄行路口空地"})
    assert status == 201, created
    case_id = created["id"]

    # Staff accept it and pass it to two units.
    login(desktop, STAFF)
    expect(desktop.get_by_test_id("console-title")).to_be_visible()
    desktop.goto(f"/console/cases/{case_id}")
    desktop.get_by_test_id("action-accept").click()
    desktop.get_by_test_id("action-mode").select_option("joint")
    desktop.get_by_test_id("action-submit").click()
    expect(desktop.get_by_test_id("case-done")).to_be_visible()
    desktop.get_by_test_id("action-dispatch").click()
    desktop.get_by_test_id(f"action-unit-{property_co['id']}").check()
    desktop.get_by_test_id(f"action-unit-{other['id']}").check()
    desktop.get_by_test_id("action-task").fill("核实搭建情况，依法处置。")
    desktop.get_by_test_id("action-submit").click()
    expect(desktop.get_by_test_id("case-part")).to_have_count(2)

    # The property company (a partner) finishes its own part from "my unit's cases".
    partner_ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", base_url=server)
    partner = partner_ctx.new_page()
    try:
        login(partner, PARTNER)
        expect(partner.get_by_test_id("console-title")).to_be_visible()
        partner.get_by_test_id("nav-console-unit-cases").click()
        partner.locator(f'[data-testid="board-row"][data-case-id="{case_id}"] [data-testid="board-open"]').click()
        own = partner.locator(f'[data-testid="case-part"][data-unit-id="{property_co["id"]}"]')
        part_id = own.get_by_role("radio").first.get_attribute("name").split("-")[1]
        partner.get_by_test_id(f"part-{part_id}-done").check()
        partner.get_by_test_id(f"part-{part_id}-note").fill("已协助城管中队拆除。")
        partner.get_by_test_id(f"part-{part_id}-save").click()
        expect(own.get_by_test_id("part-status")).to_have_text("已完成")
        # the other unit's part is not theirs to change
        theirs = partner.locator(f'[data-testid="case-part"][data-unit-id="{other["id"]}"]')
        expect(theirs.locator("form")).to_have_count(0)
        shot(partner, "case-partner-part-done")
    finally:
        partner_ctx.close()

    # Staff finish the other part for the town's unit: every part done resolves the case.
    desktop.reload()
    theirs = desktop.locator(f'[data-testid="case-part"][data-unit-id="{other["id"]}"]')
    other_part = theirs.get_by_role("radio").first.get_attribute("name").split("-")[1]
    desktop.get_by_test_id(f"part-{other_part}-done").check()
    desktop.get_by_test_id(f"part-{other_part}-save").click()
    expect(desktop.get_by_test_id("case-status")).to_have_text(re.compile("已办结"))
    expect(desktop.get_by_test_id("case-timeline")).to_contain_text("办结")
    shot(desktop, "case-joint-resolved")
