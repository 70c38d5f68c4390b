"""An overdue case is escalated by the job and shows at the next level: a resident's report passes its
deadline at the grid, the escalation job (the same one the worker runs every 5 minutes, run here by the
`enqueue --now` command) raises it to the section, and staff see the new level and why in the console."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from ..live_server import ROOT, call
from .test_cases_journey import PASSWORD, RESIDENT, STAFF, login, token

pytestmark = pytest.mark.e2e


def test_an_overdue_case_is_raised_by_the_job_and_shows_at_the_next_level(browser, server, server_db, shot):
    resident = token(server, RESIDENT)
    categories = call(server, "GET", "/case-categories", resident)[1]["items"]
    litter = next(c for c in categories if c["code"] == "litter")
    household = call(server, "GET", "/me", resident)[1]["household_id"]
    stairwell = call(server, "GET", f"/households/{household}", resident)[1]["stairwell"]["id"]
    status, case, _ = call(server, "POST", "/cases", resident,
                           {"category_id": litter["id"], "stairwell_id": stairwell,
                            "description": "垃圾厢房旁堆了好几袋垃圾，一直没人清。"})
    assert status == 201 and case["level"] == "grid", case

    # Time passes: the deadline at the grid level is two hours gone.
    past = (datetime.now(timezone.utc) - timedelta(hours=2)).strftime("%Y-%m-%d %H:%M:%S.%f")
    with sqlite3.connect(server_db) as db:
        db.execute("UPDATE cases SET due_at = ? WHERE id = ?", (past, case["id"]))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{server_db}"}
    run = subprocess.run([sys.executable, "-m", "steward", "enqueue", "cases.escalate_overdue", "--now"],
                         cwd=ROOT / "backend", env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "raised" in run.stdout, run.stdout + run.stderr

    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", base_url=server)
    desktop = context.new_page()
    try:
        login(desktop, STAFF)
        expect(desktop.get_by_test_id("console-title")).to_be_visible()
        desktop.goto(f"/console/cases/{case['id']}")
        expect(desktop.get_by_test_id("case-detail")).to_be_visible()
        expect(desktop.get_by_text("标段处理")).to_be_visible()
        raised = desktop.locator('[data-testid="timeline-item"][data-kind="escalated"]')
        expect(raised).to_contain_text("网格 → 标段")
        expect(raised).to_contain_text("自动上报")
        shot(desktop, "case-escalated-by-the-job")
    finally:
        context.close()
    assert call(server, "GET", f"/cases/{case['id']}", token(server, STAFF))[1]["level"] == "section"
    assert PASSWORD  # the demo password, shared with the cases journey
