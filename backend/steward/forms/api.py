"""Registration forms (信息登记)."""
from __future__ import annotations

from flask import Response
from flask_jwt_extended import current_user
from flask_restx import Namespace

from ..core.http import (
    Resource,
    api_meta,
    body,
    dumps,
    errors,
    file_response,
    query,
    response,
    roles,
    sensitive,
    writes,
)
from ..db import db
from ..extensions import api
from . import messages, service  # noqa: F401  (messages: the Chinese strings of this domain)
from .schemas import (
    AnswerRevealIn,
    AnswerRevealOut,
    AnswersIn,
    ExportIn,
    ExportOut,
    FormIn,
    FormOut,
    FormPatch,
    FormQuery,
    SubmissionOut,
    SubmissionQuery,
)

STAFF = ("admin", "town_staff", "staff")
LIVING = ("resident", "volunteer")


def queued(schema, *, description: str):
    """Documents a 202 answer the view builds itself (besides its usual one)."""

    def decorator(func):
        api_meta(func)["responses"][202] = {"schema": schema(), "paginated": False, "description": description,
                                            "etag": False}
        return func

    return decorator


ns = Namespace("forms", description="信息登记: staff build forms, residents answer, staff export (masked, audited)")
subs = Namespace("form-submissions", description="Answers to registration forms")
exports = Namespace("form-exports", description="Export files of a form's answers")


@ns.route("")
class FormList(Resource):
    @query(FormQuery)
    @response(FormOut, paginated=True)
    def get(self, args):
        """Forms you can see: staff their area's, a resident the published ones addressed to their household."""
        return service.list_forms(db.session, user=current_user, **args)

    @roles(*STAFF)
    @body(FormIn)
    @response(FormOut, 201)
    def post(self, data):
        """Build a form (a draft): fields, audience, deadline, once or many times."""
        return service.create_form(db.session, user=current_user, data=data)


@ns.route("/<int:form_id>")
class FormItem(Resource):
    @errors(404)
    @response(FormOut)
    def get(self, form_id):
        """One form with its fields."""
        return service.get_form(db.session, user=current_user, form_id=form_id)

    @roles(*STAFF)
    @errors(404, 409)
    @body(FormPatch, partial=True)
    @response(FormOut)
    def patch(self, form_id, data):
        """Change a form (fields and audience only while it is a draft)."""
        form = service.get_form(db.session, user=current_user, form_id=form_id, action="edit")
        return service.update_form(db.session, user=current_user, form=form, data=data)


@ns.route("/<int:form_id>/publish")
class FormPublish(Resource):
    @roles(*STAFF)
    @errors(404, 409)
    @response(FormOut)
    def post(self, form_id):
        """Publish a draft: its audience can answer it until the deadline."""
        form = service.get_form(db.session, user=current_user, form_id=form_id, action="publish")
        return service.publish(db.session, user=current_user, form=form)


@ns.route("/<int:form_id>/close")
class FormClose(Resource):
    @roles(*STAFF)
    @errors(404, 409)
    @response(FormOut)
    def post(self, form_id):
        """Stop taking answers now."""
        form = service.get_form(db.session, user=current_user, form_id=form_id, action="close")
        return service.close(db.session, user=current_user, form=form)


@ns.route("/<int:form_id>/submissions")
class FormSubmissions(Resource):
    @roles(*STAFF)
    @errors(404)
    @query(SubmissionQuery)
    @response(SubmissionOut, paginated=True)
    def get(self, form_id, args):
        """The answers, newest first, phones and ID-card numbers masked."""
        form = service.get_form(db.session, user=current_user, form_id=form_id, action="submissions")
        return service.list_submissions(db.session, user=current_user, form=form, **args)

    @roles(*LIVING)
    @errors(404, 409)
    @body(AnswersIn)
    @response(SubmissionOut, 201)
    def post(self, form_id, data):
        """Answer a form (409 after its deadline, or when it is answered once and you already did)."""
        form = service.get_form(db.session, user=current_user, form_id=form_id, action="submit")
        return service.submit(db.session, user=current_user, form=form, **data)


@ns.route("/<int:form_id>/exports")
class FormExports(Resource):
    @roles(*STAFF)
    @errors(404)
    @body(ExportIn)
    @response(ExportOut, 201, description="Built at once: download it.")
    @queued(ExportOut, description="More than 1000 answers: built on the queue; poll, then download.")
    def post(self, form_id, data):
        """Export the answers (masked) as XLSX or CSV; audited."""
        form = service.get_form(db.session, user=current_user, form_id=form_id, action="export")
        export, ready = service.create_export(db.session, user=current_user, form=form, **data)
        if not ready:
            return Response(dumps(ExportOut().dump(export)), status=202, mimetype="application/json")
        return export


@subs.route("")
class MySubmissions(Resource):
    @query(SubmissionQuery)
    @response(SubmissionOut, paginated=True)
    def get(self, args):
        """My answers to forms, newest first."""
        return service.my_submissions(db.session, user=current_user, **args)


@subs.route("/<int:submission_id>")
class SubmissionItem(Resource):
    @errors(404)
    @response(SubmissionOut)
    def get(self, submission_id):
        """One submission: in full for its author, masked for staff."""
        found = service.get_submission(db.session, user=current_user, submission_id=submission_id)
        return service.view(found, current_user)

    @roles(*LIVING)
    @errors(404, 409)
    @body(AnswersIn)
    @response(SubmissionOut)
    def put(self, submission_id, data):
        """Change my answers before the deadline (after it: 409, nothing changed)."""
        found = service.get_submission(db.session, user=current_user, submission_id=submission_id, action="edit")
        return service.update_submission(db.session, user=current_user, submission=found, **data)


@subs.route("/<int:submission_id>/reveal")
class SubmissionReveal(Resource):
    @roles(*STAFF)
    @errors(404)
    @sensitive
    @body(AnswerRevealIn)
    @response(AnswerRevealOut)
    def post(self, submission_id, data):
        """A masked answer in full, with the reason (audited)."""
        found = service.get_submission(db.session, user=current_user, submission_id=submission_id)
        return service.reveal(db.session, user=current_user, submission=found, **data)


@exports.route("/<int:export_id>")
class ExportItem(Resource):
    @roles(*STAFF)
    @errors(404)
    @response(ExportOut)
    def get(self, export_id):
        """An export's state (poll a queued one until `done`)."""
        return service.get_export(db.session, user=current_user, export_id=export_id)


@exports.route("/<int:export_id>/download")
class ExportDownload(Resource):
    @roles(*STAFF)
    @errors(404, 409)
    @writes()  # the download is written to the audit log
    @file_response("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv")
    def get(self, export_id):
        """The export file (masked answers); every download is audited."""
        found = service.get_export(db.session, user=current_user, export_id=export_id, action="download")
        content, mime, name = service.download(db.session, user=current_user, export=found)
        return Response(content, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                         "Cache-Control": "no-store"})


api.add_namespace(ns, "/forms")
api.add_namespace(subs, "/form-submissions")
api.add_namespace(exports, "/form-exports")
