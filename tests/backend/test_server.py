"""The server's thread pool (steward.server): short requests are computed one at a time on a warm thread,
and a request that waits never holds up the others for longer than the stall time.

Each test runs a real waitress server on loopback with a small WSGI app of its own."""
from __future__ import annotations

import http.client
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from steward.server import WAITRESS, create, waiting


class Probe:
    """A WSGI app: /busy computes for a few ms, /block waits for ``release``, /stream returns at once and
    waits inside its body, /fast answers at once. It records how many requests it computes at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now = self.most = 0
        self.threads: set[int] = set()
        self.release = threading.Event()
        self.blocked = threading.Semaphore(0)

    def __call__(self, environ, start_response):
        path = environ["PATH_INFO"]
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
            self.threads.add(threading.get_ident())
        try:
            if path == "/busy":
                end = time.perf_counter() + 0.002
                while time.perf_counter() < end:
                    pass
            elif path == "/block":
                self.blocked.release()
                self.release.wait(10)
            elif path == "/round-trip":  # as a statement to a database server is run (steward.db)
                with waiting():
                    self.blocked.release()
                    self.release.wait(10)
            elif path == "/stream":
                start_response("200 OK", [("Content-Type", "text/plain")])
                return self._stream()
        finally:
            with self.lock:
                self.now -= 1
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]

    def _stream(self):
        self.blocked.release()
        self.release.wait(10)
        yield b"done"


@pytest.fixture
def serve():
    servers = []

    def start(app, stall):
        server = create(app, host="127.0.0.1", port=0, stall=stall)
        threading.Thread(target=server.run, daemon=True).start()
        servers.append(server)
        return server, server.effective_port

    yield start
    for server in servers:
        server.task_dispatcher.shutdown()
        server.close()


def get(port: int, path: str, timeout: float = 10) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def test_short_requests_are_computed_one_at_a_time(serve):
    probe = Probe()
    _, port = serve(probe, stall=1.0)  # no 2 ms request looks stalled
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda _: get(port, "/busy"), range(160)))
    assert answers == [(200, b"ok")] * 160
    assert probe.most == 1  # waitress's own pool ran up to 8 at once here


def test_a_waiting_request_does_not_hold_up_the_others(serve):
    probe = Probe()
    _, port = serve(probe, stall=0.05)
    with ThreadPoolExecutor(1) as pool:
        slow = pool.submit(get, port, "/block")
        assert probe.blocked.acquire(timeout=10)
        started = time.monotonic()
        assert [get(port, "/fast", timeout=5) for _ in range(5)] == [(200, b"ok")] * 5
        assert time.monotonic() - started < 4  # well before the blocked request's 10 s
        assert not slow.done()
        probe.release.set()
        assert slow.result() == (200, b"ok")


def test_every_thread_waiting_queues_the_rest_until_one_is_free(serve):
    probe = Probe()
    _, port = serve(probe, stall=0.01)
    threads = WAITRESS["threads"]
    with ThreadPoolExecutor(threads + 1) as pool:
        blocked = [pool.submit(get, port, "/block") for _ in range(threads)]
        started = time.monotonic()
        for _ in range(threads):
            assert probe.blocked.acquire(timeout=10)
        assert time.monotonic() - started < 5  # each was started about `stall` after the one before
        queued = pool.submit(get, port, "/fast")
        time.sleep(0.3)
        assert not queued.done()  # all 8 threads wait: the 9th request is queued, not lost
        probe.release.set()
        assert queued.result() == (200, b"ok")
        assert [f.result() for f in blocked] == [(200, b"ok")] * threads


@pytest.mark.parametrize(("path", "body"), [
    ("/stream", b"done"),  # a response being written out does not count as computing
    ("/round-trip", b"ok"),  # a declared wait (a database round trip) lets the others compute at once
], ids=["response-being-written-out", "declared-wait"])
def test_others_compute_meanwhile_without_waiting_for_the_stall(serve, path, body):
    probe = Probe()
    _, port = serve(probe, stall=60.0)  # only the end of the computation or a declared wait lets another start
    with ThreadPoolExecutor(1) as pool:
        slow = pool.submit(get, port, path)
        assert probe.blocked.acquire(timeout=10)
        assert get(port, "/fast", timeout=5) == (200, b"ok")
        probe.release.set()
        assert slow.result() == (200, body)


def test_waiting_outside_a_server_thread_does_nothing():
    with waiting():
        pass


def test_closing_the_server_stops_its_threads(serve):
    probe = Probe()
    server, port = serve(probe, stall=0.01)
    assert get(port, "/fast") == (200, b"ok")
    dispatcher = server.task_dispatcher
    assert len(dispatcher.threads) == WAITRESS["threads"]
    dispatcher.shutdown()
    assert dispatcher.threads == set()
