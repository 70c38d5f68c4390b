"""The SPA is served beside the API with a history-mode fallback."""
import pytest


@pytest.fixture
def dist(app, tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>红管家</title><div id=app></div>", encoding="utf-8")
    (tmp_path / "assets" / "app.js").write_text("console.log(1)")
    old = app.config["FRONTEND_DIST"]
    app.config["FRONTEND_DIST"] = tmp_path
    yield tmp_path
    app.config["FRONTEND_DIST"] = old


def test_spa_routes_fall_back_to_index(client, dist):
    for path in ("/", "/login", "/console/residents"):
        r = client.get(path)
        assert r.status_code == 200 and "红管家" in r.get_data(as_text=True)


def test_assets_are_cached_forever(client, dist):
    r = client.get("/assets/app.js")
    assert r.status_code == 200 and "immutable" in r.headers["Cache-Control"]


def test_api_paths_never_fall_back_to_html(client, dist):
    r = client.get("/api/v1/nothing-here")
    assert r.status_code == 404 and r.headers["Content-Type"] == "application/problem+json"


def test_the_app_may_run_only_its_own_scripts(client, dist):
    csp = client.get("/login").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert client.get("/api/v1/public/communities").headers["Content-Security-Policy"].startswith("default-src 'none'")
