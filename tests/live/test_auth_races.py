"""Sign-in races against the real server, on SQLite and on PostgreSQL."""
import threading

from ..live_server import call

RESIDENT = {"phone": "13800000007", "password": "Steward@2026"}


def in_parallel(n, fn):
    results = [None] * n
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait()
        results[i] = fn(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_ten_parallel_refreshes_of_one_token_rotate_it_once(server):
    _, login, _ = call(server, "POST", "/auth/login", body=RESIDENT)
    refresh = login["refresh_token"]
    answers = in_parallel(10, lambda _: call(server, "POST", "/auth/refresh", refresh))
    statuses = sorted(status for status, _, _ in answers)
    assert statuses == [200] + [401] * 9, [(s, b.get("type")) for s, b, _ in answers]
    assert {b["type"].rsplit("/", 1)[-1] for s, b, _ in answers if s == 401} == {"refresh-superseded"}
    # the session survives: the winner's tokens work and rotate again
    winner = next(b for s, b, _ in answers if s == 200)
    assert call(server, "GET", "/me", winner["access_token"])[0] == 200
    assert call(server, "POST", "/auth/refresh", winner["refresh_token"])[0] == 200


def test_a_code_is_used_once_even_by_parallel_requests(server):
    _, login, _ = call(server, "POST", "/auth/login", body=RESIDENT)
    token, new = login["access_token"], "13766660001"
    assert call(server, "POST", "/auth/sms-codes", token, {"phone": new, "purpose": "change_phone"})[0] == 202
    code = call(server, "GET", f"/demo/sms-codes?phone={new}")[1]["items"][0]["code"]
    body = {"new_phone": new, "code": code, "password": RESIDENT["password"]}
    answers = in_parallel(8, lambda _: call(server, "POST", "/me/phone", token, body))
    statuses = sorted(status for status, _, _ in answers)
    assert statuses == [200] + [422] * 7, [(s, b) for s, b, _ in answers]
    assert call(server, "GET", "/me", token)[1]["phone"] == new
