"""Browser checks shared by the journeys: an axe-core scan and the elder-mode (长辈版) size targets."""
from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"

# The main controls of a phone page: what a finger has to hit.
CONTROLS = ("button, select, input:not([type=checkbox]):not([type=radio]):not([type=hidden]), a.big-link, "
            "a.text-link, a.member__edit, .van-tabbar-item, label.choice, label.consent__label, a.entry-grid__item")


def use_axe(page) -> None:
    """Loads axe-core into every page of this tab. An init script runs outside the page's
    Content-Security-Policy (a <script> tag with the code inline would be refused, and rightly)."""
    if not AXE.is_file():
        raise AssertionError(f"{AXE} is missing: run npm ci in frontend/ (axe-core is a dev dependency)")
    page.add_init_script(path=str(AXE))


def serious_violations(page) -> list[dict]:
    """axe-core's serious and critical findings on the page as it is now (WCAG 2.x A and AA rules)."""
    found = page.evaluate("""async () => {
        const r = await axe.run(document, { resultTypes: ['violations'],
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
        return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) }))
    }""")
    return [v for v in found if v["impact"] in ("serious", "critical")]


def elder_sizes(page) -> dict:
    """Body text size, the largest heading, and every visible main control smaller than 60 × 60 px."""
    return page.evaluate("""(selector) => {
        const px = (e) => parseFloat(getComputedStyle(e).fontSize)
        const visible = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0
            && getComputedStyle(e).visibility !== 'hidden' && !e.closest('[aria-hidden="true"], .sr-only') }
        const headings = [...document.querySelectorAll('h1, .nav-title, .page-title')].filter(visible)
        const small = [...document.querySelectorAll(selector)].filter(visible).filter((e) => {
            const r = e.getBoundingClientRect(); return r.height < 59.5 || r.width < 59.5
        }).map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}[${e.dataset.testid || ''}] `
            + `${Math.round(e.getBoundingClientRect().width)}x${Math.round(e.getBoundingClientRect().height)}`)
        const texts = [...document.querySelectorAll('main p, main label, main li, main dd, main .van-cell__title')]
            .filter(visible).filter((e) => e.textContent.trim())
        return { body: px(document.body), heading: Math.max(0, ...headings.map(px)),
                 smallestText: Math.min(99, ...texts.map(px)), small }
    }""", CONTROLS)
