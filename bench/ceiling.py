"""The ceiling for bench/speed.py: the smallest Flask JSON endpoint on the same waitress settings as
`python -m steward serve`. A separate app, so production has no such route.
Usage: python bench/ceiling.py PORT"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

from flask import Flask  # noqa: E402

from steward.server import serve  # noqa: E402

app = Flask(__name__)


@app.get("/ping")
def ping():
    return {"status": "ok"}


if __name__ == "__main__":
    serve(app, host="127.0.0.1", port=int(sys.argv[1]))
