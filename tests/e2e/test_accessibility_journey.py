"""The main resident screens, as a resident and in 长辈版: no serious axe-core finding; elder-mode sizes."""
import pytest
from playwright.sync_api import expect

from .a11y import elder_sizes, serious_violations, use_axe

pytestmark = pytest.mark.e2e
PASSWORD = "Steward@2026"

SIGNED_IN = [("/", "home-title"), ("/household", "household-members"), ("/me", "logout"),
             ("/me/password", "password-form"), ("/me/phone", "phone-form"), ("/household/members/new", "resident-form"),
             ("/privacy", "privacy-body")]


def login(page, phone: str) -> None:
    page.goto("/login")
    page.get_by_test_id("login-phone").fill(phone)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("home-title")).to_be_visible()


def scan(page, where: str) -> list[str]:
    return [f"{where}: {v['id']} ({v['impact']}) {v['help']} at {v['nodes']}" for v in serious_violations(page)]


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_main_screens_have_no_serious_accessibility_finding(page, elder):
    use_axe(page)
    if elder:
        page.add_init_script("localStorage.setItem('steward.elder', '1')")
    problems: list[str] = []
    for path, ready in (("/login", "login-submit"), ("/register", "register-submit"), ("/forgot-password", "forgot-submit")):
        page.goto(path)
        expect(page.get_by_test_id(ready)).to_be_visible()
        problems += scan(page, path)
    login(page, "13800000005")
    for path, ready in SIGNED_IN:
        page.goto(path)
        expect(page.get_by_test_id(ready).first).to_be_visible()
        problems += scan(page, path)
    assert problems == [], "\n".join(problems)


def test_elder_mode_sizes_on_every_resident_screen(page, shot):
    page.add_init_script("localStorage.setItem('steward.elder', '1')")
    failures: list[str] = []

    def measure(path: str, ready: str) -> None:
        page.goto(path)
        expect(page.get_by_test_id(ready).first).to_be_visible()
        expect(page.locator("html.elder")).to_have_count(1)
        s = elder_sizes(page)
        if s["body"] < 18 or s["smallestText"] < 18:
            failures.append(f"{path}: text {s['body']} px, smallest {s['smallestText']} px")
        if s["heading"] < 30:
            failures.append(f"{path}: largest heading {s['heading']} px")
        if s["small"]:
            failures.append(f"{path}: controls under 60 × 60 px: {s['small']}")

    measure("/login", "login-submit")
    measure("/register", "register-submit")
    measure("/forgot-password", "forgot-submit")
    login(page, "13800000005")
    for path, ready in SIGNED_IN:
        measure(path, ready)
    shot(page, "elder-member-form")
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_volunteer_grid_screen(page, elder, shot):
    use_axe(page)
    if elder:
        page.add_init_script("localStorage.setItem('steward.elder', '1')")
    login(page, "13800000004")
    page.get_by_test_id("entry-grid").click()
    expect(page.get_by_test_id("grid-area")).to_be_visible()
    expect(page.get_by_test_id("grid-resident").first.or_(page.get_by_test_id("grid-empty"))).to_be_visible()
    page.get_by_test_id("grid-tag-all").click()
    expect(page.get_by_test_id("grid-resident").first).to_be_visible()
    problems = scan(page, "/grid")
    if elder:
        s = elder_sizes(page)
        assert s["body"] >= 18 and s["smallestText"] >= 18 and s["heading"] >= 30, s
        problems += [f"/grid: small controls {s['small']}"] if s["small"] else []
        shot(page, "volunteer-grid-elder")
    assert problems == [], "\n".join(problems)


def test_english_home_fits_the_phone_and_the_title_is_english(page, shot):
    login(page, "13800000005")
    page.goto("/me")
    page.get_by_test_id("lang-en").click()
    expect(page).to_have_title("Me · Steward")
    page.goto("/")
    expect(page.get_by_test_id("home-title")).to_have_text("Steward")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.title() == "Steward"
    # no Chinese punctuation inside the English interface text (what residents wrote is marked lang="zh-CN")
    text = page.locator("main").evaluate(
        "m => { const c = m.cloneNode(true); c.querySelectorAll('[lang]').forEach((e) => e.remove()); return c.textContent }")
    assert not any(ch in text for ch in "：（），。；"), text
    shot(page, "resident-home-en")
