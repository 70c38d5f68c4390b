"""Photos: checked by content, re-encoded without metadata, stored under random keys, served by scoped routes.

In a view that takes a report with photos (multipart/form-data)::

    from .. import media

    @media.with_photos("photos", max_count=6)     # every part checked first, or a 422:
    def post(self, photos):                       #   {"errors": {"photos.2": ["不是有效的图片文件…"]}}
        data = ReportIn().load(request.form)      # other fields after (the body may hold the photos)
        case = service.report(db.session, user=current_user, data=data)
        for stored in media.store_photos(photos): # files deleted again if the unit of work does not commit
            db.session.add(CasePhoto(case=case, stage="report", **stored.columns()))

(``media.photos_from_request("photos", max_count=6)`` is the same without the decorator)
and to show one, after the scope check of the case it belongs to::

    photo = ...  # found through the case the user may see
    return media.send_photo(photo.thumb_key if thumb else photo.key, content_type=photo.content_type)

``media.delete_after_commit([photo.key, photo.thumb_key])`` removes files once their rows are gone.
``media.process_image(bytes)`` and ``media.get_storage()`` are the parts underneath.
"""
from .images import ImageRejected, Limits, ProcessedImage, process_image
from .storage import LocalStorage, Storage, get_storage
from .uploads import (
    StoredPhoto,
    accept_uploads,
    delete_after_commit,
    part_key,
    photos_from_request,
    send_photo,
    store_photos,
    with_photos,
)

__all__ = ["ImageRejected", "Limits", "LocalStorage", "ProcessedImage", "Storage", "StoredPhoto", "accept_uploads",
           "delete_after_commit", "get_storage", "part_key", "photos_from_request", "process_image", "send_photo",
           "store_photos", "with_photos"]
