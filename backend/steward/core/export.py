"""CSV downloads: streamed, UTF-8 with a BOM (so Excel and WPS read the Chinese), formula-safe, audited."""
from __future__ import annotations

import csv
import io
from typing import Iterable

from flask import Response, stream_with_context
from flask_jwt_extended import current_user

# A cell starting with one of these is read as a formula by spreadsheet programs (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def csv_response(rows: Iterable[Iterable], filename: str, *, audit: dict | None = None) -> Response:
    """Stream ``rows`` (the first is the header) as a CSV attachment; record the export in the audit log
    before the first byte leaves (the request's unit of work commits it)."""
    if audit is not None:
        from ..audit.service import record
        from ..db import db

        detail = {k: v for k, v in audit.items() if k != "action"}
        record(db.session, actor=current_user, action=audit["action"], resource_type="export",
               area_path=current_user.area_path, detail=_jsonable(detail))
    rows = iter(rows)
    header = next(rows)  # runs the query's checks now, inside the request's unit of work

    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")
        writer.writerow(header)
        for i, row in enumerate(rows):
            writer.writerow([_safe(v) for v in row])
            if i % 200 == 199:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(stream_with_context(generate()), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "no-store"})


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)
