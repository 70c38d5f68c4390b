"""Large exports of a form's submissions, built on the queue."""
from __future__ import annotations

from ..jobs import JobContext, job
from ..people.models import User
from . import service
from .models import FormExport


@job(key="form-export:{export_id}")
def build_form_export(ctx: JobContext, export_id: int, user_id: int) -> str:
    """Build the file in the requester's scope (what they could see when they asked)."""
    export = ctx.session.get(FormExport, export_id)
    requester = ctx.session.get(User, user_id)
    if export is None or requester is None or export.status == "done":
        return "nothing to do"
    service.build_export(ctx.session, export, requester)
    return f"{export.rows} rows"
