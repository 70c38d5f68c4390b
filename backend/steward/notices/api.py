"""Notices and guides (通知公告, 办事指南)."""
from __future__ import annotations

from flask_jwt_extended import current_user
from flask_restx import Namespace

from .. import media
from ..core.http import (
    Resource,
    body,
    check_if_match,
    errors,
    file_response,
    if_match,
    query,
    response,
    roles,
    writes,
)
from ..db import db
from ..extensions import api
from . import rendering, service
from .files import with_files
from .schemas import (
    NoticeAttachmentQuery,
    NoticeBrief,
    NoticeCategoryList,
    NoticeIn,
    NoticeInformIn,
    NoticeOut,
    NoticePatch,
    NoticePreviewIn,
    NoticePreviewOut,
    NoticeQuery,
    NoticeStats,
    NoticeUnreadCount,
    NoticeUnreadHousehold,
    NoticeUnreadHouseholdQuery,
)

STAFF = ("admin", "town_staff", "staff")
ns = Namespace("notices", description="通知公告 and 办事指南: the committee's notices, guides and read receipts")


@ns.route("")
class NoticeList(Resource):
    @query(NoticeQuery)
    @response(NoticeBrief, paginated=True)
    def get(self, args):
        """Notices for me, newest first (staff: their area's, in every state). `category=guide&q=…` searches
        the guide library."""
        return service.list_notices(db.session, user=current_user, **args)

    @roles(*STAFF)
    @body(NoticeIn)
    @response(NoticeOut, 201, etag=True)
    def post(self, data):
        """Write a notice (a draft, or published / scheduled with `publish: true`); the Markdown is sanitised."""
        return service.create_notice(db.session, user=current_user, data=data)


@ns.route("/categories")
class Categories(Resource):
    @response(NoticeCategoryList)
    def get(self):
        """The categories with their labels in the reader's language."""
        return {"items": service.categories()}


@ns.route("/preview")
class NoticePreview(Resource):
    @roles(*STAFF)
    @writes(False)
    @body(NoticePreviewIn)
    @response(NoticePreviewOut)
    def post(self, data):
        """The editor's preview: the HTML a Markdown body becomes, sanitised exactly as on save."""
        return {"body_html": rendering.render(data["body_md"])}


@ns.route("/unread-count")
class NoticesUnread(Resource):
    @response(NoticeUnreadCount)
    def get(self):
        """How many live notices for me I have not opened yet."""
        return {"unread": service.unread_count(db.session, user=current_user)}


@ns.route("/<int:notice_id>")
class NoticeItem(Resource):
    @writes()
    @errors(404)
    @response(NoticeOut, etag=True)
    def get(self, notice_id):
        """Read a notice; opening a live one marks it read for me and my household."""
        return service.open_notice(db.session, user=current_user, notice_id=notice_id)

    @roles(*STAFF)
    @if_match
    @errors(404, 409)
    @body(NoticePatch)
    @response(NoticeOut, etag=True)
    def patch(self, notice_id, data):
        """Change a notice (If-Match: the ETag you read)."""
        notice = service.get_notice(db.session, user=current_user, notice_id=notice_id, action="edit")
        check_if_match(notice)
        return service.update_notice(db.session, user=current_user, notice=notice, data=data)


@ns.route("/<int:notice_id>/publish")
class NoticePublish(Resource):
    @roles(*STAFF)
    @errors(404, 409)
    @response(NoticeOut, etag=True)
    def post(self, notice_id):
        """Publish now, or schedule when publish_at is ahead; an important notice notifies its audience once."""
        notice = service.get_notice(db.session, user=current_user, notice_id=notice_id, action="publish")
        return service.publish(db.session, user=current_user, notice=notice)


@ns.route("/<int:notice_id>/withdraw")
class NoticeWithdraw(Resource):
    @roles(*STAFF)
    @errors(404, 409)
    @response(NoticeOut, etag=True)
    def post(self, notice_id):
        """Take a notice down (it stays in the staff list, marked withdrawn)."""
        notice = service.get_notice(db.session, user=current_user, notice_id=notice_id, action="withdraw")
        return service.withdraw(db.session, user=current_user, notice=notice)


@ns.route("/<int:notice_id>/stats")
class NoticeStatsView(Resource):
    @roles(*STAFF, "volunteer")
    @errors(404)
    @response(NoticeStats)
    def get(self, notice_id):
        """Read rate: households in the audience and how many know, per grid (within your area)."""
        notice = service.get_notice(db.session, user=current_user, notice_id=notice_id, action="stats")
        return service.stats(db.session, user=current_user, notice=notice)


@ns.route("/<int:notice_id>/unread-households")
class NoticeUnreadHouseholds(Resource):
    @roles(*STAFF, "volunteer")
    @errors(404)
    @query(NoticeUnreadHouseholdQuery)
    @response(NoticeUnreadHousehold, paginated=True)
    def get(self, notice_id, args):
        """The households nobody of which has read it, by grid: the doors to knock on."""
        notice = service.get_notice(db.session, user=current_user, notice_id=notice_id, action="stats")
        return service.unread_households(db.session, user=current_user, notice=notice, **args)


@ns.route("/<int:notice_id>/informed")
class NoticeInformed(Resource):
    @roles(*STAFF, "volunteer")
    @errors(404)
    @body(NoticeInformIn)
    @response(NoticeStats)
    def post(self, notice_id, data):
        """Mark a household told at the door (it counts as read); answers the new read rate."""
        notice = service.get_notice(db.session, user=current_user, notice_id=notice_id, action="inform")
        return service.inform(db.session, user=current_user, notice=notice, **data)


@ns.route("/<int:notice_id>/attachments")
class NoticeAttachments(Resource):
    @roles(*STAFF)
    @errors(404)
    @with_files("files")
    @response(NoticeOut, 201, etag=True)
    def post(self, notice_id, files):
        """Attach PDFs or images (multipart/form-data, up to 5 under `files`), checked by content."""
        notice = service.get_notice(db.session, user=current_user, notice_id=notice_id, action="attach")
        return service.add_attachments(db.session, user=current_user, notice=notice, files=files)


@ns.route("/<int:notice_id>/attachments/<int:attachment_id>")
class NoticeAttachmentItem(Resource):
    @errors(404)
    @query(NoticeAttachmentQuery)
    @file_response("application/pdf", "image/jpeg", "image/webp",
                   description="The file: images re-encoded without EXIF/GPS, PDFs as a download; private cache.")
    def get(self, notice_id, attachment_id, args):
        """An attachment of a notice you can see (`size=thumb` for an image's thumbnail)."""
        a = service.attachment_of(db.session, user=current_user, notice_id=notice_id, attachment_id=attachment_id)
        key = a.thumb_key if args["size"] == "thumb" and a.thumb_key else a.key
        return media.send_photo(key, content_type=a.content_type, filename=f"notice-{notice_id}-{a.id}",
                                disposition="attachment" if a.kind == "pdf" else "inline")

    @roles(*STAFF)
    @errors(404)
    @response(None, 204)
    def delete(self, notice_id, attachment_id):
        """Remove an attachment."""
        notice = service.get_notice(db.session, user=current_user, notice_id=notice_id, action="attach")
        service.delete_attachment(db.session, user=current_user, notice=notice, attachment_id=attachment_id)


api.add_namespace(ns, "/notices")
