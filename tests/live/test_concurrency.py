"""Concurrent requests against the real server: nothing fails spuriously, nothing is written twice."""
import threading

from ..live_server import call

DEMO = {"phone": "13800000002", "password": "Steward@2026"}


def run_parallel(n, fn):
    threads = [threading.Thread(target=fn, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _setup(server):
    _, login, _ = call(server, "POST", "/auth/login", body=DEMO)
    token = login["access_token"]
    households = [h["id"] for h in call(server, "GET", "/households?limit=20", token)[1]["items"]]
    return token, households, login["user"]["area"]["id"]


def _residents(server, token, area):
    return call(server, "GET", f"/areas/{area}/stats", token)[1]["residents"]


def test_parallel_writers_all_succeed(server):
    token, households, area = _setup(server)
    before = _residents(server, token, area)
    statuses: list[int] = []

    def writer(n: int) -> None:
        for i in range(8):
            status, _, _ = call(server, "POST", "/residents", token,
                                {"household_id": households[(n + i) % len(households)], "name": f"并发{n}-{i}"},
                                {"Idempotency-Key": f"parallel-{n}-{i}"})
            statuses.append(status)
            call(server, "GET", "/residents?limit=20", token)

    run_parallel(6, writer)
    assert statuses.count(201) == 48, statuses
    assert _residents(server, token, area) == before + 48


def test_same_idempotency_key_in_parallel_creates_once(server):
    token, households, area = _setup(server)
    before = _residents(server, token, area)
    answers: list[tuple[int, dict]] = []
    body = {"household_id": households[0], "name": "只建一次"}

    def retry(_: int) -> None:
        status, payload, _ = call(server, "POST", "/residents", token, body, {"Idempotency-Key": "flaky-network-1"})
        answers.append((status, payload))

    run_parallel(6, retry)
    statuses = sorted(s for s, _ in answers)
    assert set(statuses) <= {201, 409} and 201 in statuses, statuses
    assert len({p["id"] for s, p in answers if s == 201}) == 1
    assert _residents(server, token, area) == before + 1
    # once the first has finished, a further retry replays it
    status, payload, headers = call(server, "POST", "/residents", token, body, {"Idempotency-Key": "flaky-network-1"})
    assert status == 201 and headers.get("Idempotent-Replayed") == "true"
    assert payload["id"] == next(p["id"] for s, p in answers if s == 201)


def test_two_reviewers_approving_one_claim_at_once_make_one_decision(server):
    """Read-check-write would let both approvals pass and create two residents; the guarded UPDATE
    lets exactly one through and answers 409 to the others."""
    token, _, area = _setup(server)
    _, admin, _ = call(server, "POST", "/auth/login", body={"phone": "13800000000", "password": DEMO["password"]})
    tokens = [token, admin["access_token"]] * 3
    pending = call(server, "GET", "/household-claims?status=pending", token)[1]["items"]
    claim = next(c for c in pending if c["user"]["phone"].endswith("0008"))
    before = _residents(server, token, area)
    statuses: list[int] = []

    def approve(n: int) -> None:
        status, _, _ = call(server, "POST", f"/household-claims/{claim['id']}/review", tokens[n],
                            {"decision": "approve" if n % 2 else "reject"})
        statuses.append(status)

    run_parallel(len(tokens), approve)
    assert sorted(statuses) == [200] + [409] * (len(tokens) - 1), statuses
    decided = call(server, "GET", "/household-claims?status=pending", token)[1]["items"]
    assert claim["id"] not in [c["id"] for c in decided]
    assert _residents(server, token, area) in (before, before + 1)
