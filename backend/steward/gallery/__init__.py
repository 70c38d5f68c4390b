"""Photo galleries of things that are not cases: an activity's photos afterwards, a joint project's
progress. One table keyed by (subject type, subject id); the owning domain checks who may see or add
(its own ``get_for``), then hands the subject here. The files themselves go through ``steward.media``
(checked by content, re-encoded without EXIF/GPS, thumbnails)."""
