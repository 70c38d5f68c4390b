"""The embedded server (waitress threads on one SQLite file) takes concurrent writes without losing any."""
import json
import threading
import urllib.error
import urllib.request


def _call(base, method, path, token=None, body=None, headers=None):
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body else None,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def test_parallel_writers_all_succeed(server):
    base = server + "/api/v1"
    _, login = _call(base, "POST", "/auth/login", body={"phone": "13800000002", "password": "Steward@2026"})
    token = login["access_token"]
    households = [h["id"] for h in _call(base, "GET", "/households?limit=20", token)[1]["items"]]
    area = login["user"]["area"]["id"]
    before = _call(base, "GET", f"/areas/{area}/stats", token)[1]["residents"]
    statuses: list[int] = []

    def writer(n: int) -> None:
        for i in range(8):
            status, _ = _call(base, "POST", "/residents", token, {"household_id": households[(n + i) % 20],
                                                                    "name": f"并发{n}-{i}"},
                              {"Idempotency-Key": f"concurrency-{n}-{i}"})
            statuses.append(status)
            _call(base, "GET", "/residents?limit=20", token)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses.count(201) == 48, statuses
    assert _call(base, "GET", f"/areas/{area}/stats", token)[1]["residents"] == before + 48
