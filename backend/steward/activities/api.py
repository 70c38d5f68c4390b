"""Activities (文化活动 / 志愿服务): list, run, sign up, check in, volunteer hours."""
from __future__ import annotations

from flask_jwt_extended import current_user
from flask_restx import Namespace

from ..core.http import Resource, body, check_if_match, errors, file_response, if_match, query, response, roles
from ..core.pagination import PageArgs
from ..core.schemas import StrictSchema
from ..db import db
from ..extensions import api
from ..gallery.schemas import GalleryPhotoList, GalleryPhotoQuery, GalleryPhotosIn
from ..gallery.service import send as send_photo
from . import messages, service  # noqa: F401  (messages: the Chinese strings of this domain)
from .schemas import (
    ActivityFields,
    ActivityHoursOut,
    ActivityHoursQuery,
    ActivityIn,
    ActivityOut,
    ActivityQuery,
    ActivityStepIn,
    CheckInCodeIn,
    NoBodyIn,
    SignupIn,
    SignupList,
    SignupOut,
)

STAFF = ("admin", "town_staff", "staff")
DOOR = (*STAFF, "volunteer")
ns = Namespace("activities", description="文化活动 and 志愿服务: one-off sessions with sign-up and check-in")
signup_ns = Namespace("activity-signups", description="Sign-ups to activities")


class MyQuery(PageArgs, StrictSchema):
    pass


@ns.route("")
class ActivityCollection(Resource):
    @query(ActivityQuery)
    @response(ActivityOut, paginated=True)
    def get(self, args):
        """Activities of your community and the town: upcoming soonest first, else latest first."""
        return service.list_activities(db.session, user=current_user, **args)

    @roles(*STAFF)
    @errors(404)
    @body(ActivityIn)
    @response(ActivityOut, 201, etag=True)
    def post(self, data):
        """Add an activity (a draft): time, place, capacity, sign-up deadline, who may join, volunteer hours."""
        activity = service.create_activity(db.session, user=current_user, data=data)
        return activity, {"Location": api.url_for(ActivityItem, activity_id=activity.id)}


@ns.route("/volunteer-hours")
class VolunteerHours(Resource):
    @roles(*STAFF)
    @query(ActivityHoursQuery)
    @response(ActivityHoursOut)
    def get(self, args):
        """Volunteer hours credited by completed activities, per volunteer (your area)."""
        return {"items": service.volunteer_hours(db.session, user=current_user, **args)}


@ns.route("/<int:activity_id>")
class ActivityItem(Resource):
    @errors(404)
    @response(ActivityOut, etag=True)
    def get(self, activity_id):
        """One activity, with places left and whether you may sign up."""
        return service.get_activity(db.session, user=current_user, activity_id=activity_id)

    @roles(*STAFF)
    @errors(404, 409)
    @if_match
    @body(ActivityFields)
    @response(ActivityOut, etag=True)
    def patch(self, activity_id, data):
        """Change an activity (capacity never below the places taken)."""
        activity = service.get_activity(db.session, user=current_user, activity_id=activity_id, action="update")
        check_if_match(activity)
        return service.update_activity(db.session, user=current_user, activity=activity, data=data)


@ns.route("/<int:activity_id>/signups")
class ActivitySignups(Resource):
    @roles(*DOOR)
    @errors(404)
    @response(SignupList)
    def get(self, activity_id):
        """The roster: who signed up, with codes and check-in states."""
        activity = service.get_activity(db.session, user=current_user, activity_id=activity_id)
        return {"items": service.roster(db.session, user=current_user, activity=activity)}

    @roles("resident", "volunteer")
    @errors(403, 404, 409)
    @body(SignupIn)
    @response(SignupOut, 201)
    def post(self, activity_id, data):
        """Sign up (409 `activity-full`, `signup-closed` after the deadline, `already-booked`; 403 `not-eligible`)."""
        activity = service.get_activity(db.session, user=current_user, activity_id=activity_id)
        return service.sign_up(db.session, user=current_user, activity=activity, **data)


@ns.route("/<int:activity_id>/check-in")
class ActivityCheckIn(Resource):
    @roles(*DOOR)
    @errors(404, 409)
    @body(CheckInCodeIn)
    @response(SignupOut)
    def post(self, activity_id, data):
        """Check someone in at the door by the code they show (typed or scanned)."""
        activity = service.get_activity(db.session, user=current_user, activity_id=activity_id)
        return service.check_in_by_code(db.session, user=current_user, activity=activity, code=data["code"])


def _step(name: str, doc: str) -> None:
    def post(self, activity_id, data):
        activity = service.get_activity(db.session, user=current_user, activity_id=activity_id)
        return service.activity_step(db.session, user=current_user, activity=activity, step=name, **data)

    class_name = "Activity" + name.title()
    post.__doc__, post.__qualname__, post.__name__ = doc, f"{class_name}.post", "post"
    post = roles(*STAFF)(response(ActivityOut)(body(ActivityStepIn)(errors(404, 409)(post))))
    ns.route(f"/<int:activity_id>/{name}")(type(class_name, (Resource,), {"post": post}))


_step("publish", "Publish: residents see it and may sign up.")
_step("cancel", "Cancel, saying why: everyone signed up is told.")
_step("complete", "Complete (after the start), with a summary: volunteers who checked in are credited hours; "
                  "those who never came are no-shows.")


@signup_ns.route("")
class MySignups(Resource):
    @query(MyQuery)
    @response(SignupOut, paginated=True)
    def get(self, args):
        """My sign-ups, newest first, with their check-in codes."""
        return service.my_signups(db.session, user=current_user, **args)


@signup_ns.route("/<int:signup_id>")
class SignupItem(Resource):
    @errors(404)
    @response(SignupOut)
    def get(self, signup_id):
        """One sign-up."""
        return service.get_signup(db.session, user=current_user, signup_id=signup_id)


@signup_ns.route("/<int:signup_id>/cancel")
class SignupCancel(Resource):
    @errors(404, 409)
    @body(NoBodyIn)
    @response(SignupOut)
    def post(self, signup_id, data):
        """Withdraw a sign-up before the start (staff: any time); the place frees up."""
        signup = service.get_signup(db.session, user=current_user, signup_id=signup_id)
        return service.cancel_signup(db.session, user=current_user, signup=signup)


@signup_ns.route("/<int:signup_id>/check-in")
class SignupCheckIn(Resource):
    @roles(*DOOR)
    @errors(404, 409)
    @body(NoBodyIn)
    @response(SignupOut)
    def post(self, signup_id, data):
        """Check someone in from the roster."""
        signup = service.get_signup(db.session, user=current_user, signup_id=signup_id)
        return service.check_in(db.session, user=current_user, signup=signup)


api.add_namespace(ns, "/activities")
api.add_namespace(signup_ns, "/activity-signups")


@ns.route("/<int:activity_id>/photos")
class ActivityPhotos(Resource):
    @errors(404)
    @response(GalleryPhotoList)
    def get(self, activity_id):
        """The photos, oldest first (whoever may see the activity)."""
        return {"items": service.photos(db.session, user=current_user, activity_id=activity_id)}

    @roles(*STAFF)
    @errors(404)
    @body(GalleryPhotosIn, files="photos", max_files=6)
    @response(GalleryPhotoList, 201)
    def post(self, activity_id, data, photos):
        """Add photos after the activity has begun (those who run it).

        multipart/form-data: `data` = {"caption": "…"} (optional) and 1–6 files under `photos`."""
        return {"items": service.add_photos(db.session, user=current_user, activity_id=activity_id, photos=photos, **data)}


@ns.route("/<int:activity_id>/photos/<int:photo_id>")
class ActivityPhotoFile(Resource):
    @errors(404)
    @query(GalleryPhotoQuery)
    @file_response("image/jpeg", "image/webp", description="The photo, re-encoded without EXIF/GPS; private cache.")
    def get(self, activity_id, photo_id, args):
        """One photo (`size=thumb` for the thumbnail); the same 404 as the activity otherwise."""
        photo = service.photo(db.session, user=current_user, activity_id=activity_id, photo_id=photo_id)
        return send_photo(photo, args["size"])

    @roles(*STAFF)
    @errors(404)
    @response(None, 204)
    def delete(self, activity_id, photo_id):
        """Remove a photo."""
        service.remove_photo(db.session, user=current_user, activity_id=activity_id, photo_id=photo_id)
