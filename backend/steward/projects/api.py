"""Joint projects (联合项目)."""
from __future__ import annotations

from flask_jwt_extended import current_user
from flask_restx import Namespace

from ..core.http import Resource, body, check_if_match, errors, file_response, if_match, query, response, roles
from ..core.pagination import Page
from ..db import db
from ..extensions import api
from ..gallery.schemas import GalleryPhotoList, GalleryPhotoQuery, GalleryPhotosIn
from ..gallery.service import send as send_photo
from . import service
from .schemas import (
    CommentHideIn,
    MilestoneIn,
    MilestonePatch,
    ProjectCaseIn,
    ProjectCommentIn,
    ProjectCommentOut,
    ProjectCommentQuery,
    ProjectFields,
    ProjectIn,
    ProjectLikeIn,
    ProjectOut,
    ProjectQuery,
)

STAFF = ("admin", "town_staff", "staff")
ns = Namespace("projects", description="联合项目: the alliance's joint projects, with milestones, likes and comments")


@ns.route("")
class ProjectList(Resource):
    @query(ProjectQuery)
    @response(ProjectOut, paginated=True)
    def get(self, args):
        """Your community's joint projects, newest first."""
        page = service.list_projects(db.session, user=current_user, **args)
        service.attach_viewer_facts(db.session, current_user, list(page.items))
        return Page(page.items, page.next_cursor)

    @roles(*STAFF)
    @body(ProjectIn)
    @response(ProjectOut, 201, etag=True)
    def post(self, data):
        """Start a joint project with the units involved and its milestones."""
        return service.create_project(db.session, user=current_user, data=data)


@ns.route("/<int:project_id>")
class ProjectItem(Resource):
    @errors(404)
    @response(ProjectOut, etag=True)
    def get(self, project_id):
        """One project."""
        return service.get_project(db.session, user=current_user, project_id=project_id)

    @roles(*STAFF)
    @errors(404)
    @if_match
    @body(ProjectFields)
    @response(ProjectOut, etag=True)
    def patch(self, project_id, data):
        """Change a project (status, dates, units, text)."""
        project = service.get_project(db.session, user=current_user, project_id=project_id, action="edit")
        check_if_match(project)
        return service.update_project(db.session, user=current_user, project=project, data=data)


@ns.route("/<int:project_id>/milestones")
class MilestoneList(Resource):
    @roles(*STAFF)
    @errors(404)
    @body(MilestoneIn)
    @response(ProjectOut, 201)
    def post(self, project_id, data):
        """Add a milestone."""
        project = service.get_project(db.session, user=current_user, project_id=project_id, action="edit")
        return service.add_milestone(db.session, user=current_user, project=project, data=data)


@ns.route("/<int:project_id>/milestones/<int:milestone_id>")
class MilestoneItem(Resource):
    @roles(*STAFF, "partner")
    @errors(404)
    @body(MilestonePatch)
    @response(ProjectOut)
    def patch(self, project_id, milestone_id, data):
        """Mark a milestone done (staff, or a unit involved in the project)."""
        project = service.get_project(db.session, user=current_user, project_id=project_id,
                                      action="update_milestone")
        return service.update_milestone(db.session, user=current_user, project=project, milestone_id=milestone_id,
                                        **data)


@ns.route("/<int:project_id>/cases")
class ProjectCases(Resource):
    @roles(*STAFF)
    @errors(404)
    @body(ProjectCaseIn)
    @response(ProjectOut)
    def post(self, project_id, data):
        """Link a case that prompted the project."""
        project = service.get_project(db.session, user=current_user, project_id=project_id, action="link_case")
        return service.link_case(db.session, user=current_user, project=project, **data)


@ns.route("/<int:project_id>/like")
class ProjectLike(Resource):
    @errors(404)
    @body(ProjectLikeIn)
    @response(ProjectOut)
    def post(self, project_id, data):
        """Like (or unlike) a project."""
        project = service.get_project(db.session, user=current_user, project_id=project_id, action="like")
        return service.like(db.session, user=current_user, project=project, **data)


@ns.route("/<int:project_id>/comments")
class ProjectComments(Resource):
    @errors(404)
    @query(ProjectCommentQuery)
    @response(ProjectCommentOut, paginated=True)
    def get(self, project_id, args):
        """Comments on a project, newest first (hidden ones show as hidden to staff only)."""
        project = service.get_project(db.session, user=current_user, project_id=project_id)
        return service.list_comments(db.session, user=current_user, project=project, **args)

    @errors(404)
    @body(ProjectCommentIn)
    @response(ProjectCommentOut, 201)
    def post(self, project_id, data):
        """Comment on a project."""
        project = service.get_project(db.session, user=current_user, project_id=project_id, action="comment")
        return service.comment(db.session, user=current_user, project=project, **data)


@ns.route("/<int:project_id>/comments/<int:comment_id>/hide")
class ProjectCommentHide(Resource):
    @roles(*STAFF)
    @errors(404, 409)
    @body(CommentHideIn)
    @response(ProjectCommentOut)
    def post(self, project_id, comment_id, data):
        """Hide a comment (moderation), saying why."""
        project = service.get_project(db.session, user=current_user, project_id=project_id, action="moderate")
        return service.hide_comment(db.session, user=current_user, project=project, comment_id=comment_id, **data)


api.add_namespace(ns, "/projects")


@ns.route("/<int:project_id>/photos")
class ProjectPhotos(Resource):
    @errors(404)
    @response(GalleryPhotoList)
    def get(self, project_id):
        """The photos, oldest first (whoever may see the project)."""
        return {"items": service.photos(db.session, user=current_user, project_id=project_id)}

    @roles(*STAFF, "partner")
    @errors(404)
    @body(GalleryPhotosIn, files="photos", max_files=6)
    @response(GalleryPhotoList, 201)
    def post(self, project_id, data, photos):
        """Add photos of the work (staff and the units involved).

        multipart/form-data: `data` = {"caption": "…"} (optional) and 1–6 files under `photos`."""
        return {"items": service.add_photos(db.session, user=current_user, project_id=project_id, photos=photos, **data)}


@ns.route("/<int:project_id>/photos/<int:photo_id>")
class ProjectPhotoFile(Resource):
    @errors(404)
    @query(GalleryPhotoQuery)
    @file_response("image/jpeg", "image/webp", description="The photo, re-encoded without EXIF/GPS; private cache.")
    def get(self, project_id, photo_id, args):
        """One photo (`size=thumb` for the thumbnail); the same 404 as the project otherwise."""
        photo = service.photo(db.session, user=current_user, project_id=project_id, photo_id=photo_id)
        return send_photo(photo, args["size"])

    @roles(*STAFF)
    @errors(404)
    @response(None, 204)
    def delete(self, project_id, photo_id):
        """Remove a photo."""
        service.remove_photo(db.session, user=current_user, project_id=project_id, photo_id=photo_id)
