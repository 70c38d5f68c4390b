"""Questions to the committee (咨询)."""
from __future__ import annotations

from flask_jwt_extended import current_user
from flask_restx import Namespace

from .. import media
from ..core.http import Resource, body, errors, file_response, query, response, roles
from ..db import db
from ..extensions import api
from . import service
from .schemas import (
    GuideCandidateOut,
    QuestionBrief,
    QuestionGuideIn,
    QuestionIn,
    QuestionMessageIn,
    QuestionOut,
    QuestionPhotoQuery,
    QuestionQuery,
)

STAFF = ("admin", "town_staff", "staff")
ns = Namespace("questions", description="咨询: residents ask the committee; staff or the grid's volunteer answer")


@ns.route("")
class QuestionList(Resource):
    @roles("resident")
    @query(QuestionQuery)
    @response(QuestionBrief, paginated=True)
    def get(self, args):
        """The questions I asked, newest first."""
        return service.list_mine(db.session, user=current_user, **args)

    @roles("resident")
    @body(QuestionIn, files="photos", max_files=service.MAX_PHOTOS)
    @response(QuestionOut, 201)
    def post(self, data, photos):
        """Ask the committee. JSON, or multipart/form-data with the JSON in a part `data` and up to 3 photos
        under `photos`."""
        return service.ask(db.session, user=current_user, photos=photos, **data)


@ns.route("/queue")
class QuestionQueue(Resource):
    @roles(*STAFF, "volunteer")
    @query(QuestionQuery)
    @response(QuestionBrief, paginated=True)
    def get(self, args):
        """Questions to answer in your area: unanswered first, oldest first."""
        return service.queue(db.session, user=current_user, **args)


@ns.route("/<int:question_id>")
class QuestionItem(Resource):
    @errors(404)
    @response(QuestionOut)
    def get(self, question_id):
        """One question with its thread."""
        return service.get_question(db.session, user=current_user, question_id=question_id)


@ns.route("/<int:question_id>/messages")
class QuestionMessages(Resource):
    @roles("resident", "volunteer", *STAFF)
    @errors(404, 409)
    @body(QuestionMessageIn)
    @response(QuestionOut, 201)
    def post(self, question_id, data):
        """Add to the thread: an answer (staff, the grid's volunteer; the asker is notified) or the asker's
        follow-up (the question opens again)."""
        q = service.get_question(db.session, user=current_user, question_id=question_id)
        if q.may_answer:
            return service.answer(db.session, user=current_user, question=q, **data)
        q = service.get_question(db.session, user=current_user, question_id=question_id, action="follow_up")
        return service.follow_up(db.session, user=current_user, question=q, **data)


@ns.route("/<int:question_id>/close")
class QuestionClose(Resource):
    @roles("resident", *STAFF)
    @errors(404, 409)
    @response(QuestionOut)
    def post(self, question_id):
        """Close a question (its asker, or staff)."""
        q = service.get_question(db.session, user=current_user, question_id=question_id, action="close")
        return service.close(db.session, user=current_user, question=q)


@ns.route("/<int:question_id>/guide")
class QuestionGuide(Resource):
    @roles(*STAFF)
    @errors(404, 409)
    @body(QuestionGuideIn)
    @response(QuestionOut)
    def post(self, question_id, data):
        """Keep (or stop keeping) an answered question as guide material for the 办事指南 library."""
        q = service.get_question(db.session, user=current_user, question_id=question_id, action="save_guide")
        return service.save_as_guide(db.session, user=current_user, question=q, **data)

    @roles(*STAFF)
    @errors(404)
    @response(GuideCandidateOut)
    def get(self, question_id):
        """What a guide made from this question would say (title and Markdown body, without names)."""
        q = service.get_question(db.session, user=current_user, question_id=question_id, action="save_guide")
        return service.guide_candidate(q, db.session)


@ns.route("/<int:question_id>/photos/<int:photo_id>")
class QuestionPhotoFile(Resource):
    @errors(404)
    @query(QuestionPhotoQuery)
    @file_response("image/jpeg", "image/webp", description="The photo, re-encoded without EXIF/GPS; private cache.")
    def get(self, question_id, photo_id, args):
        """A photo of a question you may see; `size=thumb` for the thumbnail."""
        photo = service.photo_of(db.session, user=current_user, question_id=question_id, photo_id=photo_id)
        return media.send_photo(photo.thumb_key if args["size"] == "thumb" else photo.key,
                                content_type=photo.content_type)


api.add_namespace(ns, "/questions")
