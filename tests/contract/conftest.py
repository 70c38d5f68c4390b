"""The contract run reuses the back-end fixtures (one migrated, seeded database; a rolled-back
transaction around each test) and reports what it covered at the end."""
from collections import Counter, defaultdict

from ..backend.conftest import _rollback, app, auth, client  # noqa: F401

#: operation label → Counter of (role, status) for every request the fuzzer sent
COVERED: dict[str, Counter] = defaultdict(Counter)


def pytest_terminal_summary(terminalreporter):
    if not COVERED:
        return
    write = terminalreporter.write_line
    total = sum(sum(c.values()) for c in COVERED.values())
    roles = sorted({role for c in COVERED.values() for role, _ in c})
    write("")
    write(f"contract fuzzing: {total} requests over {len(COVERED)} operations as {', '.join(roles)}")
    for label in sorted(COVERED, key=lambda s: (s.split(" ", 1)[1], s)):
        by_status = Counter()
        for (_role, status), n in COVERED[label].items():
            by_status[status] += n
        statuses = " ".join(f"{s}×{n}" for s, n in sorted(by_status.items()))
        write(f"  {label:<48} {sum(by_status.values()):>5}  {statuses}")
