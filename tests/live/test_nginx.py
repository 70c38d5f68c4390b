"""deploy/nginx.conf in a real nginx (Debian's, with the brotli_static module; `make nginx` installs them):
precompressed files, cache rules, 304s and security headers — what production serves."""
from __future__ import annotations

import gzip
import http.client
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX = "/usr/sbin/nginx"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
INDEX = "<!doctype html><title>红管家</title><div id=app></div>" + "<!-- padding -->" * 40
APP_JS = "console.log('红管家');" * 100


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Api(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        body = json.dumps({"path": self.path, "proto": self.headers.get("X-Forwarded-Proto")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    if not (os.access(NGINX, os.X_OK) and BROTLI_MODULE.is_file()):
        if os.environ.get("CI") == "true":
            pytest.fail("nginx or its brotli_static module is missing: `make nginx` installs them")
        pytest.skip("nginx with brotli_static is not installed (`make nginx`)")
    tmp = tmp_path_factory.mktemp("nginx")
    dist = tmp / "html"
    (dist / "assets").mkdir(parents=True)
    for name, text in (("index.html", INDEX), ("assets/app.js", APP_JS)):
        (dist / name).write_text(text, encoding="utf-8")
        (dist / f"{name}.gz").write_bytes(gzip.compress(text.encode()))
        (dist / f"{name}.br").write_bytes(b"brotli:" + name.encode())  # sent as it is
    (dist / "robots.txt").write_text("User-agent: *\n")

    api = ThreadingHTTPServer(("127.0.0.1", 0), _Api)
    threading.Thread(target=api.serve_forever, daemon=True).start()
    port = _free_port()

    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    for old, new in (("listen 80;", f"listen 127.0.0.1:{port};"), ("root /usr/share/nginx/html;", f"root {dist};"),
                     ("http://api:8000", f"http://127.0.0.1:{api.server_address[1]}"),
                     ("/etc/nginx/snippets/steward-headers.conf", str(ROOT / "deploy" / "nginx-headers.conf"))):
        assert old in conf, f"deploy/nginx.conf no longer has {old!r}: update this test"
        conf = conf.replace(old, new)
    (tmp / "steward.conf").write_text(conf)
    temp_paths = "".join(f"{kind}_temp_path {tmp}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp / "nginx.conf").write_text(f"""
{"user root;" if os.geteuid() == 0 else ""}
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
load_module {BROTLI_MODULE};
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    {temp_paths}
    include {tmp}/steward.conf;
}}
""")
    proc = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    proc.kill()
                    log = (tmp / "error.log").read_text() if (tmp / "error.log").exists() else ""
                    raise RuntimeError("nginx did not start: " + proc.stdout.read().decode() + log) from None
                time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        api.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)


def get(port: int, path: str, **headers) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", path, headers={k.replace("_", "-"): v for k, v in headers.items()})
    resp = conn.getresponse()
    resp.body = resp.read()
    conn.close()
    return resp


def directives(resp) -> set[str]:
    return {d.strip() for d in (resp.getheader("Cache-Control") or "").split(",") if d.strip()}


def test_brotli_then_gzip_then_identity(nginx):
    r = get(nginx, "/assets/app.js", Accept_Encoding="gzip, deflate, br")
    assert r.status == 200 and r.getheader("Content-Encoding") == "br" and r.body == b"brotli:assets/app.js"
    assert "Accept-Encoding" in r.getheader("Vary", "")
    assert r.getheader("Content-Type").startswith(("application/javascript", "text/javascript"))
    r = get(nginx, "/assets/app.js", Accept_Encoding="gzip")
    assert r.getheader("Content-Encoding") == "gzip" and gzip.decompress(r.body).decode() == APP_JS
    assert "Accept-Encoding" in r.getheader("Vary", "")
    r = get(nginx, "/assets/app.js")
    assert r.getheader("Content-Encoding") is None and r.body.decode() == APP_JS


def test_app_routes_get_the_compressed_app_page(nginx):
    r = get(nginx, "/console/residents", Accept_Encoding="br")
    assert r.status == 200 and r.getheader("Content-Encoding") == "br" and r.body == b"brotli:index.html"
    r = get(nginx, "/login", Accept_Encoding="gzip")
    assert gzip.decompress(r.body).decode() == INDEX


def test_hashed_assets_are_cached_for_a_year(nginx):
    r = get(nginx, "/assets/app.js", Accept_Encoding="br")
    assert directives(r) == {"public", "max-age=31536000", "immutable"}, r.getheader("Cache-Control")
    assert get(nginx, "/assets/index-OLDHASH.js").status == 404


def test_the_rest_is_revalidated_with_304(nginx):
    for path in ("/", "/login", "/robots.txt"):
        for accept in ("br", "gzip", "identity"):
            r = get(nginx, path, Accept_Encoding=accept)
            assert r.status == 200 and directives(r) == {"no-cache"}, (path, r.getheader("Cache-Control"))
            assert r.getheader("ETag") and r.getheader("Last-Modified")
            assert get(nginx, path, Accept_Encoding=accept, If_None_Match=r.getheader("ETag")).status == 304
            assert get(nginx, path, Accept_Encoding=accept, If_Modified_Since=r.getheader("Last-Modified")).status == 304


def test_security_headers_everywhere(nginx):
    for path in ("/", "/login", "/assets/app.js", "/api/v1/me", "/assets/missing.js"):
        r = get(nginx, path, Accept_Encoding="br, gzip")
        hsts = r.getheader("Strict-Transport-Security") or ""
        assert hsts.startswith("max-age=") and int(hsts.split("=")[1].split(";")[0]) >= 31536000, path
        if not path.startswith("/api/"):
            assert "script-src 'self'" in r.getheader("Content-Security-Policy", ""), path
            assert r.getheader("X-Frame-Options") == "DENY" and r.getheader("X-Content-Type-Options") == "nosniff"
    r = get(nginx, "/api/v1/me")
    assert json.loads(r.body)["path"] == "/api/v1/me" and r.getheader("Cache-Control") is None
