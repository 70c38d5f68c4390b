"""The SPA is served beside the API with a history-mode fallback, precompressed and with cache rules
(hashed assets kept a year, everything else revalidated)."""
import gzip

import pytest

from steward.web import accepted_encodings

INDEX = "<!doctype html><title>红管家</title><div id=app></div>" + "<!-- padding -->" * 40
APP_JS = "console.log('红管家');" * 100
YEAR = "max-age=31536000"


@pytest.fixture
def dist(app, tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(INDEX, encoding="utf-8")
    (tmp_path / "index.html.gz").write_bytes(gzip.compress(INDEX.encode()))
    (tmp_path / "index.html.br").write_bytes(b"brotli:index")  # served as is: the content does not matter here
    (tmp_path / "assets" / "app.js").write_text(APP_JS, encoding="utf-8")
    (tmp_path / "assets" / "app.js.gz").write_bytes(gzip.compress(APP_JS.encode()))
    (tmp_path / "assets" / "app.js.br").write_bytes(b"brotli:app")
    (tmp_path / "assets" / "tiny.js").write_text("1")  # too small to be worth compressing: no variants
    (tmp_path / "robots.txt").write_text("User-agent: *\n")
    old = app.config["FRONTEND_DIST"]
    app.config["FRONTEND_DIST"] = tmp_path
    yield tmp_path
    app.config["FRONTEND_DIST"] = old


def cache_directives(resp) -> set[str]:
    return {d.strip() for d in resp.headers.get("Cache-Control", "").split(",") if d.strip()}


def test_spa_routes_fall_back_to_index(client, dist):
    for path in ("/", "/login", "/console/residents"):
        r = client.get(path)
        assert r.status_code == 200 and "红管家" in r.get_data(as_text=True)


def test_brotli_is_preferred_when_accepted(client, dist):
    r = client.get("/assets/app.js", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert r.status_code == 200
    assert r.headers["Content-Encoding"] == "br" and r.data == b"brotli:app"
    assert r.headers["Content-Length"] == str(len(b"brotli:app"))
    assert r.mimetype in ("text/javascript", "application/javascript")
    assert "Accept-Encoding" in r.headers["Vary"]


def test_gzip_when_brotli_is_not_accepted(client, dist):
    for accept in ("gzip, deflate", "br;q=0, gzip", "*;q=0.5, br;q=0"):
        r = client.get("/assets/app.js", headers={"Accept-Encoding": accept})
        assert r.headers["Content-Encoding"] == "gzip", accept
        assert gzip.decompress(r.data).decode() == APP_JS
        assert "Accept-Encoding" in r.headers["Vary"]


def test_identity_when_nothing_is_accepted(client, dist):
    for headers in ({}, {"Accept-Encoding": "identity"}, {"Accept-Encoding": "gzip;q=0, br;q=0"}):
        r = client.get("/assets/app.js", headers=headers)
        assert "Content-Encoding" not in r.headers and r.get_data(as_text=True) == APP_JS
        assert "Accept-Encoding" in r.headers["Vary"]  # another client would get another body


def test_accept_encoding_parsing():
    assert accepted_encodings("gzip, deflate, br, zstd") >= {"gzip", "br"}
    assert accepted_encodings("GZIP;q=0.8, br;q=0") == {"gzip"}
    assert accepted_encodings("*") >= {"gzip", "br"}
    assert accepted_encodings("*, gzip;q=0") == {"br"}
    assert accepted_encodings("br;q=nonsense") == set()
    assert accepted_encodings("") == set()


def test_the_app_page_is_compressed_too(client, dist):
    r = client.get("/console/residents", headers={"Accept-Encoding": "gzip"})
    assert r.headers["Content-Encoding"] == "gzip" and gzip.decompress(r.data).decode() == INDEX
    assert r.mimetype == "text/html"


def test_hashed_assets_are_cached_for_a_year_without_revalidation(client, dist):
    for path in ("/assets/app.js", "/assets/tiny.js"):
        r = client.get(path, headers={"Accept-Encoding": "br"})
        assert cache_directives(r) == {"public", YEAR, "immutable"}, r.headers["Cache-Control"]


def test_unhashed_files_are_revalidated_and_304_when_unchanged(client, dist):
    for path in ("/", "/login", "/robots.txt"):
        for accept in ("br, gzip", ""):
            r = client.get(path, headers={"Accept-Encoding": accept})
            assert r.status_code == 200
            assert "no-cache" in cache_directives(r) and "immutable" not in cache_directives(r)
            assert r.headers["ETag"] and r.headers["Last-Modified"]
            again = client.get(path, headers={"Accept-Encoding": accept, "If-None-Match": r.headers["ETag"]})
            assert again.status_code == 304 and again.data == b""
            again = client.get(path, headers={"Accept-Encoding": accept, "If-Modified-Since": r.headers["Last-Modified"]})
            assert again.status_code == 304


def test_each_encoding_has_its_own_etag(client, dist):
    etags = {client.get("/", headers={"Accept-Encoding": a}).headers["ETag"] for a in ("br", "gzip", "identity")}
    assert len(etags) == 3
    # a stale ETag of another encoding is no match: the full body is sent
    br = client.get("/", headers={"Accept-Encoding": "br"}).headers["ETag"]
    assert client.get("/", headers={"Accept-Encoding": "gzip", "If-None-Match": br}).status_code == 200


def test_a_missing_asset_is_404_not_the_app_page(client, dist):
    r = client.get("/assets/index-OLDHASH.js")
    assert r.status_code == 404 and "红管家" not in r.get_data(as_text=True)


def test_hsts_only_over_https(client, dist):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    for path in ("/login", "/api/v1/public/communities"):
        r = client.get(path, base_url="https://localhost")
        assert r.headers["Strict-Transport-Security"].startswith("max-age=")
        assert int(r.headers["Strict-Transport-Security"].split("=")[1].split(";")[0]) >= 31536000


def test_api_paths_never_fall_back_to_html(client, dist):
    r = client.get("/api/v1/nothing-here")
    assert r.status_code == 404 and r.headers["Content-Type"] == "application/problem+json"


def test_the_app_may_run_only_its_own_scripts(client, dist):
    csp = client.get("/login").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert client.get("/api/v1/public/communities").headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_no_cookie_session_is_kept(app, client, auth):
    import flask

    r = client.get("/api/v1/me", headers=auth.headers("resident"))
    assert r.status_code == 200 and "Set-Cookie" not in r.headers
    with app.test_request_context(), pytest.raises(RuntimeError):
        flask.session["x"] = 1  # a NullSession: writing to it is a bug
