"""议事 in the browser: a resident of 丽水湾 proposes a topic, two neighbours support it past the community's
threshold (3 in the demo: the author's own support and two more), and everyone sees it move to 讨论中. The
neighbours' screens are checked in 长辈版 against the elder-mode size targets, and the pages pass axe-core."""
import re
import sqlite3

import pytest
from playwright.sync_api import expect

from ..live_server import call, live_server
from .a11y import elder_sizes, serious_violations, use_axe

pytestmark = pytest.mark.e2e
PASSWORD = "Steward@2026"
AUTHOR = "13800000005"
# Two neighbours the demo gives accounts to (topics/demo.py); the journey gives them the demo password.
NEIGHBOURS = ("13900001001", "13900001002")
THIRD_NEIGHBOUR = "13900001003"  # a third reporter for the moderation journey


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A demo town of this journey's own (it signs neighbours in and changes their passwords)."""
    db_file = tmp_path_factory.mktemp("topics-e2e") / "steward.db"
    with live_server(f"sqlite:///{db_file}") as base:
        with sqlite3.connect(db_file) as db:
            db.execute("UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE phone = ?) "
                       "WHERE phone IN (?, ?, ?)", (AUTHOR, *NEIGHBOURS, THIRD_NEIGHBOUR))
            assert db.execute("SELECT support_threshold FROM topic_settings ts JOIN areas a ON a.id = ts.community_id "
                              "WHERE a.code = 'LSW'").fetchone() == (3,)
        yield base


def phone_context(browser, server, elder=False):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="zh-CN",
                                  is_mobile=True, has_touch=True, base_url=server)
    page = context.new_page()
    use_axe(page)
    if elder:
        page.add_init_script("localStorage.setItem('steward.elder', '1')")
    return context, page


def login(page, phone: str) -> None:
    page.goto("/login")
    page.get_by_test_id("login-phone").fill(phone)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("home-title")).to_be_visible()


def scan(page, where: str) -> list[str]:
    return [f"{where}: {v['id']} ({v['impact']}) {v['help']} at {v['nodes']}" for v in serious_violations(page)]


def test_a_resident_proposes_and_two_neighbours_support_it_into_discussion(browser, server, shot):
    problems: list[str] = []
    author_ctx, author = phone_context(browser, server)
    login(author, AUTHOR)
    author.get_by_test_id("entry-topics").click()
    expect(author.get_by_test_id("topic-propose")).to_be_visible()
    problems += scan(author, "/topics")
    author.get_by_test_id("topic-propose").click()
    author.get_by_test_id("topic-kind-idea").click()
    author.get_by_test_id("topic-title").fill("单元门口加装扶手")
    author.get_by_test_id("topic-body").fill("12号楼单元门口有三级台阶，老人进出不方便，建议加装不锈钢扶手。")
    problems += scan(author, "/topics/new")
    author.get_by_test_id("topic-submit").click()

    expect(author.get_by_test_id("topic-detail")).to_be_visible()
    expect(author.get_by_test_id("topic-note")).to_contain_text("您已自动支持")
    expect(author.get_by_test_id("topic-status").first).to_have_text(re.compile("征集支持"))
    expect(author.get_by_test_id("topic-supports")).to_have_text("1 / 3 人支持")
    topic_url = author.url.split("?")[0]
    topic_id = int(re.search(r"/topics/(\d+)", topic_url).group(1))
    shot(author, "topic-proposed")

    for n, phone in enumerate(NEIGHBOURS, start=2):
        ctx, page = phone_context(browser, server, elder=True)
        login(page, phone)
        page.get_by_test_id("entry-topics").click()
        card = page.locator(f'[data-testid="topic-card"][data-topic-id="{topic_id}"]')
        expect(card).to_be_visible()
        card.get_by_test_id("topic-open").click()
        expect(page.get_by_test_id("topic-title")).to_have_text("单元门口加装扶手")
        support = page.get_by_test_id("topic-support")
        expect(support).to_have_attribute("aria-pressed", "false")
        sizes = elder_sizes(page)
        assert sizes["body"] >= 18 and sizes["heading"] >= 30, sizes
        assert sizes["small"] == [], sizes["small"]
        problems += scan(page, f"/topics/{topic_id} (elder)")
        support.click()
        expect(page.get_by_test_id("topic-support")).to_have_attribute("aria-pressed", "true")
        expect(page.get_by_test_id("topic-supports")).to_have_text(f"{n} / 3 人支持")
        if n == 3:
            expect(page.get_by_test_id("topic-status").first).to_have_text(re.compile("讨论中"))
            expect(page.get_by_test_id("support-progress")).to_contain_text("已进入讨论")
            shot(page, "topic-discussing-elder")
        else:
            expect(page.get_by_test_id("topic-status").first).to_have_text(re.compile("征集支持"))
        ctx.close()

    # the author sees it too, in the list under 讨论中
    author.goto("/topics")
    author.get_by_test_id("topic-tab-discussing").click()
    card = author.locator(f'[data-testid="topic-card"][data-topic-id="{topic_id}"]')
    expect(card).to_be_visible()
    expect(card.get_by_test_id("topic-status")).to_have_text(re.compile("讨论中"))
    card.get_by_test_id("topic-open").click()
    expect(author.get_by_test_id("topic-supports")).to_have_text("3 / 3 人支持")
    author_ctx.close()
    assert problems == [], "\n".join(problems)


def test_a_question_is_answered_and_the_asker_reads_it_then_closes_it(browser, server, shot):
    """咨询: a resident asks; the committee answers (from the console); the resident reads it and closes it."""
    ctx, page = phone_context(browser, server)
    login(page, AUTHOR)
    page.get_by_test_id("entry-questions").click()
    page.get_by_test_id("question-ask").click()
    page.get_by_test_id("question-body-input").fill("请问小区的共享单车停放点在哪里？")
    page.get_by_test_id("question-submit").click()
    expect(page.get_by_test_id("question-asked")).to_be_visible()
    expect(page.get_by_test_id("question-status")).to_have_text(re.compile("待回复"))
    question_url = page.url.split("?")[0]

    staff_ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", base_url=server)
    staff = staff_ctx.new_page()
    staff.goto("/login")
    staff.get_by_test_id("login-phone").fill("13800000002")
    staff.get_by_test_id("login-password").fill(PASSWORD)
    staff.get_by_test_id("login-submit").click()
    expect(staff.get_by_test_id("console-title")).to_be_visible()
    staff.goto("/console/questions")
    row = staff.get_by_test_id("question-row").filter(has_text="共享单车停放点")
    expect(row).to_be_visible()
    expect(staff.get_by_test_id("question-row").first).to_contain_text("待回复")  # unanswered first
    row.get_by_test_id("question-link").click()
    staff.get_by_test_id("question-message-body").fill("在东门外侧的非机动车停放区，已画线标出。")
    staff.get_by_test_id("question-send").click()
    expect(staff.get_by_test_id("question-status")).to_have_text(re.compile("已回复"))
    staff_ctx.close()

    page.goto(question_url)
    expect(page.get_by_test_id("question-message")).to_contain_text("东门外侧")
    expect(page.get_by_test_id("question-status")).to_have_text(re.compile("已回复"))
    page.get_by_test_id("question-close").click()
    expect(page.get_by_test_id("question-status")).to_have_text(re.compile("已结束"))
    shot(page, "question-closed")
    ctx.close()


@pytest.mark.parametrize("path", ["/topics", "/topics/new", "/questions", "/questions/new"])
def test_resident_screens_are_large_in_elder_mode(browser, server, path):
    ctx, page = phone_context(browser, server, elder=True)
    login(page, AUTHOR)
    page.goto(path)
    expect(page.locator("html.elder")).to_have_count(1)
    expect(page.locator("main")).to_be_visible()
    page.wait_for_load_state("networkidle")
    sizes = elder_sizes(page)
    assert sizes["body"] >= 18 and sizes["heading"] >= 30 and sizes["smallestText"] >= 18, sizes
    assert sizes["small"] == [], sizes["small"]
    problems = scan(page, f"{path} (elder)")
    ctx.close()
    assert problems == [], "\n".join(problems)


def test_staff_review_a_reported_comment_and_answer_the_topic(browser, server, shot):
    """Three neighbours report a comment (it hides itself); staff find it under 留言审核 and remove it, then answer
    the topic (adopted) from the console; the author reads the answer in the app."""
    def token(phone):
        return call(server, "POST", "/auth/login", body={"phone": phone, "password": PASSWORD})[1]["access_token"]

    author = token(AUTHOR)
    status, topic, _ = call(server, "POST", "/topics", author, {"title": "中心花园增设遮阳棚", "body": "夏天太晒，老人坐不住。"})
    assert status == 201
    spammer = token(NEIGHBOURS[0])
    status, comment, _ = call(server, "POST", f"/topics/{topic['id']}/comments", spammer, {"body": "加微信低价卖遮阳棚"})
    assert status == 201
    for phone in (AUTHOR, NEIGHBOURS[1], THIRD_NEIGHBOUR):
        status, body, _ = call(server, "POST", f"/topics/{topic['id']}/comments/{comment['id']}/report", token(phone), {})
        assert status == 200, body
    assert body["status"] == "hidden"

    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", base_url=server)
    page = context.new_page()
    use_axe(page)
    page.goto("/login")
    page.get_by_test_id("login-phone").fill("13800000002")
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("console-title")).to_be_visible()
    page.goto("/console/topics")
    expect(page.get_by_test_id("topic-row").first).to_be_visible()
    problems = scan(page, "/console/topics")
    page.get_by_test_id("topic-moderation-link").click()
    item = page.locator(f'[data-testid="moderation-item"][data-comment-id="{comment["id"]}"]')
    expect(item).to_contain_text("加微信低价卖遮阳棚")
    expect(item).to_contain_text("3 人举报")
    problems += scan(page, "/console/topics/moderation")
    item.get_by_test_id("moderation-remove").click()
    expect(item).to_have_count(0)

    page.goto(f"/console/topics/{topic['id']}")
    expect(page.get_by_test_id("topic-decide")).to_be_visible()
    page.get_by_test_id("topic-decision-adopted").click()
    page.get_by_test_id("topic-decision-text").fill("居委会采纳，已请物业报价，下月施工。")
    page.get_by_test_id("topic-decision-submit").click()
    expect(page.get_by_test_id("topic-decided")).to_contain_text("支持者会收到通知")
    expect(page.get_by_test_id("topic-link")).to_be_visible()
    problems += scan(page, f"/console/topics/{topic['id']}")
    shot(page, "console-topic-answered")
    context.close()

    ctx, phone = phone_context(browser, server)
    login(phone, AUTHOR)
    phone.goto(f"/topics/{topic['id']}")
    expect(phone.get_by_test_id("topic-decision")).to_contain_text("下月施工")
    expect(phone.get_by_test_id("topic-comments")).not_to_contain_text("加微信")
    ctx.close()
    assert problems == [], "\n".join(problems)
