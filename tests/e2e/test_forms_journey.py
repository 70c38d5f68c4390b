"""Registration forms in the browser: a resident fills in 丽水湾's 返沪人员登记 in 长辈版 (elder mode) — text,
phone, ID number with its check digit, date, choices, consent — sees a wrong ID number said in words beside
the field, sends it, and changes an answer before the deadline. The screens pass axe-core and the
elder-mode size targets; staff then read the answer masked."""
import pytest
from playwright.sync_api import expect

from ..live_server import live_server
from .a11y import elder_sizes, serious_violations, use_axe

pytestmark = pytest.mark.e2e
PASSWORD = "Steward@2026"
RESIDENT, STAFF_LSW = "13800000005", "13800000002"
GOOD_ID, BAD_ID = "310226195503120021", "310226195503120020"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A demo town of this journey's own (it answers a demo form)."""
    db_file = tmp_path_factory.mktemp("forms-e2e") / "steward.db"
    with live_server(f"sqlite:///{db_file}") as base:
        yield base


def login(page, phone: str, ready: str = "home-title") -> None:
    page.goto("/login")
    page.get_by_test_id("login-phone").fill(phone)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id(ready)).to_be_visible()


def elder_problems(page, where: str) -> list[str]:
    problems = [f"{where}: {v['id']} ({v['impact']}) {v['help']} at {v['nodes']}" for v in serious_violations(page)]
    expect(page.locator("html.elder")).to_have_count(1)
    s = elder_sizes(page)
    if s["body"] < 18 or s["smallestText"] < 18:
        problems.append(f"{where}: text {s['body']} px, smallest {s['smallestText']} px")
    if s["heading"] < 30:
        problems.append(f"{where}: largest heading {s['heading']} px")
    if s["small"]:
        problems.append(f"{where}: controls under 60 × 60 px: {s['small']}")
    return problems


def test_a_resident_fills_a_registration_form_in_elder_mode(page, browser, server, shot):
    use_axe(page)
    page.add_init_script("localStorage.setItem('steward.elder', '1')")
    login(page, RESIDENT)
    page.get_by_test_id("entry-forms").click()
    card = page.get_by_test_id("form-card").filter(has_text="返沪人员登记")
    expect(card).to_be_visible()
    problems = elder_problems(page, "/forms")
    shot(page, "elder-forms")
    card.get_by_role("link").click()
    expect(page.get_by_test_id("form-submit")).to_be_visible()
    problems += elder_problems(page, "/forms/:id")

    page.get_by_test_id("field-name").fill("王阿婆")
    page.get_by_test_id("field-phone").fill("13912345678")
    page.get_by_test_id("field-id_card").fill(BAD_ID)
    page.get_by_test_id("field-back_on").fill("2026-11-25")
    page.get_by_test_id("field-from_where").get_by_text("外省市").click()
    page.get_by_test_id("field-people").fill("1")
    page.get_by_test_id("field-health").get_by_text("正常").click()
    page.get_by_test_id("form-submit").click()
    # the consent box not ticked and the ID number's check digit wrong: both said in words
    expect(page.get_by_test_id("form-fill")).to_contain_text("请勾选同意")
    expect(page.get_by_test_id("form-fill")).to_contain_text("校验")
    problems += elder_problems(page, "/forms/:id with errors")
    shot(page, "elder-form-errors")

    page.get_by_test_id("field-id_card").fill(GOOD_ID)
    page.get_by_test_id("field-agree").get_by_role("checkbox").check()
    page.get_by_test_id("form-submit").click()
    expect(page.get_by_test_id("form-saved")).to_contain_text("登记已提交")
    shot(page, "elder-form-sent")

    # before the deadline the answer can still change
    page.get_by_test_id("form-back-to-list").click()
    mine = page.get_by_test_id("my-submission").filter(has_text="返沪人员登记")
    expect(mine).to_be_visible()
    mine.get_by_role("link").click()
    expect(page.get_by_test_id("field-id_card")).to_have_value(GOOD_ID)  # the author sees their own answer in full
    page.get_by_test_id("field-people").fill("2")
    page.get_by_test_id("form-submit").click()
    expect(page.get_by_test_id("form-saved")).to_contain_text("修改已保存")
    assert problems == [], "\n".join(problems)

    # staff read it masked
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", base_url=server)
    staff = context.new_page()
    login(staff, STAFF_LSW, ready="console-title")
    staff.get_by_test_id("nav-console-forms").click()
    staff.get_by_test_id("forms-row").filter(has_text="返沪人员登记").get_by_role("link").click()
    row = staff.get_by_test_id("submission-row").filter(has_text="王阿婆")
    expect(row).to_contain_text("139****5678")
    expect(row).to_contain_text("310***********0021")
    expect(row).not_to_contain_text(GOOD_ID)
    shot(staff, "console-form-submissions")
    context.close()
