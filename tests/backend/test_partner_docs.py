"""docs/partners.md: its signature checks (Python and Node.js) are run, as written, against a real signed
delivery to a receiver on 127.0.0.1; README links the page."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from steward.webhooks import signing

from .test_webhooks import _subscribe, net, receiver  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "partners.md"
SUBS = "/api/v1/webhook-subscriptions"

PY_HARNESS = """
import os, sys
print(verify_steward_signature(os.environ["SECRET"], os.environ["HEADER"], sys.stdin.buffer.read()))
"""
JS_HARNESS = """
const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", () => console.log(
  verifyStewardSignature(process.env.SECRET, process.env.HEADER, Buffer.concat(chunks)) ? "True" : "False"));
"""


def _snippet(lang: str) -> str:
    found = re.findall(rf"```{lang} verify\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert len(found) == 1, f"one ```{lang} verify block in docs/partners.md"
    return found[0]


def _run(lang: str, secret: str, header: str, body: bytes) -> str:
    if lang == "python":
        cmd = [sys.executable, "-c", _snippet("python") + PY_HARNESS]
    else:
        cmd = [shutil.which("node") or "node", "-e", _snippet("js") + JS_HARNESS]
    env = {**os.environ, "SECRET": secret, "HEADER": header}
    out = subprocess.run(cmd, input=body, env=env, capture_output=True, timeout=30, check=True)
    return out.stdout.decode().strip()


@pytest.fixture
def delivery(client, auth, session, receiver):  # noqa: F811
    sub = _subscribe(client, auth, session, receiver.url).get_json()
    assert client.post(f"{SUBS}/{sub['id']}/ping", headers=auth.headers("lsw_staff")).status_code == 202
    got = receiver.received[-1]
    return sub["secret"], got["headers"]["Steward-Signature"], got["body"]


@pytest.mark.parametrize("lang", ["python", "js"])
def test_the_documented_signature_checks_accept_a_real_delivery_and_nothing_else(delivery, lang):
    if lang == "js" and shutil.which("node") is None:
        pytest.skip("node is not installed")
    secret, header, body = delivery
    assert _run(lang, secret, header, body) == "True"
    assert _run(lang, secret, header, body.replace(b"ping", b"pong")) == "False"
    assert _run(lang, "whsec_" + "x" * 43, header, body) == "False"
    stale = signing.sign(secret, body, int(header.split(",")[0][2:]) - 301)
    assert _run(lang, secret, stale, body) == "False"
    assert _run(lang, secret, "t=abc,v1=00", body) == "False"


def test_the_readme_links_the_partner_guide():
    assert "docs/partners.md" in (ROOT / "README.md").read_text(encoding="utf-8")
