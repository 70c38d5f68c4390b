"""Self-governance topics (自治议题) and good ideas (金点子)."""
from __future__ import annotations

from flask_jwt_extended import current_user
from flask_restx import Namespace

from .. import media
from ..core.http import Resource, body, errors, file_response, query, response, roles
from ..db import db
from ..extensions import api
from . import service
from .schemas import (
    CommentModerateIn,
    CommentReportIn,
    TopicCaseIn,
    TopicCommentIn,
    TopicCommentOut,
    TopicCommentQuery,
    TopicDecisionIn,
    TopicIn,
    TopicModerationItem,
    TopicModerationQuery,
    TopicOut,
    TopicPhotoQuery,
    TopicProjectIn,
    TopicQuery,
    TopicSettingsIn,
    TopicSettingsOut,
    TopicSupportIn,
)

STAFF = ("admin", "town_staff", "staff")
ns = Namespace("topics", description="自治议题 and 金点子: propose, support, discuss, decide")


@ns.route("")
class TopicList(Resource):
    @query(TopicQuery)
    @response(TopicOut, paginated=True)
    def get(self, args):
        """Your community's topics, newest first (filter by status, kind, or your own)."""
        return service.list_topics(db.session, user=current_user, **args)

    @roles("resident")
    @body(TopicIn, files="photos", max_files=service.MAX_PHOTOS)
    @response(TopicOut, 201)
    def post(self, data, photos):
        """Propose a topic or an idea (verified residents); you support it from the start.

        JSON, or multipart/form-data with the JSON in a part `data` and up to 6 photos under `photos`."""
        return service.propose(db.session, user=current_user, data=data, photos=photos)


@ns.route("/moderation")
class Moderation(Resource):
    @roles(*STAFF)
    @query(TopicModerationQuery)
    @response(TopicModerationItem, paginated=True)
    def get(self, args):
        """Comments hidden by residents' reports and waiting for you (or those removed), oldest first."""
        return service.moderation_queue(db.session, user=current_user, **args)


@ns.route("/settings/<int:community_id>")
class Settings(Resource):
    @roles(*STAFF)
    @errors(404)
    @response(TopicSettingsOut)
    def get(self, community_id):
        """A community's thresholds: supports that open discussion, reports that hide a comment."""
        return service.get_settings(db.session, user=current_user, community_id=community_id)

    @roles(*STAFF)
    @errors(404)
    @body(TopicSettingsIn)
    @response(TopicSettingsOut)
    def put(self, community_id, data):
        """Set a community's thresholds."""
        return service.put_settings(db.session, user=current_user, community_id=community_id, data=data)


@ns.route("/<int:topic_id>")
class TopicItem(Resource):
    @errors(404)
    @response(TopicOut)
    def get(self, topic_id):
        """One topic."""
        return service.get_topic(db.session, user=current_user, topic_id=topic_id)


@ns.route("/<int:topic_id>/support")
class TopicSupport(Resource):
    @roles("resident")
    @errors(404, 409)
    @body(TopicSupportIn)
    @response(TopicOut)
    def post(self, topic_id, data):
        """Support a topic (once; again is a no-op) or withdraw your support (verified residents)."""
        topic = service.get_topic(db.session, user=current_user, topic_id=topic_id)
        return service.support(db.session, user=current_user, topic=topic, **data)


@ns.route("/<int:topic_id>/decision")
class TopicDecision(Resource):
    @roles(*STAFF)
    @errors(404, 409)
    @body(TopicDecisionIn)
    @response(TopicOut)
    def post(self, topic_id, data):
        """Answer a topic: adopted, declined or done, with text; its supporters are notified."""
        topic = service.get_topic(db.session, user=current_user, topic_id=topic_id, action="decide")
        return service.decide(db.session, user=current_user, topic=topic, **data)


@ns.route("/<int:topic_id>/project")
class TopicProject(Resource):
    @roles(*STAFF)
    @errors(404, 409)
    @body(TopicProjectIn)
    @response(TopicOut, 201)
    def post(self, topic_id, data):
        """Turn an adopted topic into a joint project (linked)."""
        topic = service.get_topic(db.session, user=current_user, topic_id=topic_id, action="link")
        return service.to_project(db.session, user=current_user, topic=topic, **data)


@ns.route("/<int:topic_id>/case")
class TopicCase(Resource):
    @roles(*STAFF)
    @errors(404, 409)
    @body(TopicCaseIn)
    @response(TopicOut, 201)
    def post(self, topic_id, data):
        """Turn an adopted topic into a case of its community (linked)."""
        topic = service.get_topic(db.session, user=current_user, topic_id=topic_id, action="link")
        return service.to_case(db.session, user=current_user, topic=topic, **data)


@ns.route("/<int:topic_id>/photos/<int:photo_id>")
class TopicPhotoFile(Resource):
    @errors(404)
    @query(TopicPhotoQuery)
    @file_response("image/jpeg", "image/webp", description="The photo, re-encoded without EXIF/GPS; private cache.")
    def get(self, topic_id, photo_id, args):
        """A photo of a topic you may see; `size=thumb` for the thumbnail."""
        photo = service.photo_of(db.session, user=current_user, topic_id=topic_id, photo_id=photo_id)
        return media.send_photo(photo.thumb_key if args["size"] == "thumb" else photo.key,
                                content_type=photo.content_type)


@ns.route("/<int:topic_id>/comments")
class TopicComments(Resource):
    @errors(404)
    @query(TopicCommentQuery)
    @response(TopicCommentOut, paginated=True)
    def get(self, topic_id, args):
        """Comments, oldest first (staff also see hidden and removed ones, marked)."""
        topic = service.get_topic(db.session, user=current_user, topic_id=topic_id)
        return service.list_comments(db.session, user=current_user, topic=topic, **args)

    @roles("resident", "volunteer", *STAFF)
    @errors(404, 409)
    @body(TopicCommentIn)
    @response(TopicCommentOut, 201)
    def post(self, topic_id, data):
        """Comment on a topic (verified residents, volunteers, staff)."""
        topic = service.get_topic(db.session, user=current_user, topic_id=topic_id, action="comment")
        return service.comment(db.session, user=current_user, topic=topic, **data)


@ns.route("/<int:topic_id>/comments/<int:comment_id>/report")
class CommentReport(Resource):
    @roles("resident")
    @errors(404)
    @body(CommentReportIn)
    @response(TopicCommentOut)
    def post(self, topic_id, comment_id, data):
        """Report a comment (once); enough reports hide it until staff decide."""
        topic = service.get_topic(db.session, user=current_user, topic_id=topic_id)
        return service.report_comment(db.session, user=current_user, topic=topic, comment_id=comment_id, **data)


@ns.route("/<int:topic_id>/comments/<int:comment_id>/moderate")
class CommentModerate(Resource):
    @roles(*STAFF)
    @errors(404, 409)
    @body(CommentModerateIn)
    @response(TopicCommentOut)
    def post(self, topic_id, comment_id, data):
        """Restore a hidden comment, or remove a comment."""
        topic = service.get_topic(db.session, user=current_user, topic_id=topic_id, action="moderate")
        return service.moderate(db.session, user=current_user, topic=topic, comment_id=comment_id, **data)


api.add_namespace(ns, "/topics")
