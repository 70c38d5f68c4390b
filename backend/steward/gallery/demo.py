"""Demo photos: a few pictures of the completed activities and of the e-bike shed going up, drawn here
(simple shapes, no text) so the galleries of the demo town are not empty."""
from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import media
from .models import GalleryPhoto

ACTIVITY_CAPTIONS = ("活动现场", "大家一起动手", "合影留念")
SHED_CAPTIONS = ("原来的飞线充电", "充电棚基础施工", "充电棚投入使用")


def _picture(rng: random.Random, step: int) -> bytes:
    """A sky, the ground and a shed-like block that grows with ``step``: enough to tell photos apart."""
    im = Image.new("RGB", (960, 720), (rng.randint(150, 200), rng.randint(190, 220), 240))
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 470, 960, 720), fill=(rng.randint(90, 130), rng.randint(140, 170), 90))
    for i in range(step + 1):
        x = 140 + i * 240
        draw.rectangle((x, 300, x + 200, 470), fill=(200, 60 + 40 * i, 60))
        draw.polygon([(x - 20, 300), (x + 100, 230), (x + 220, 300)], fill=(120, 120, 130))
    for _ in range(6):
        cx, cy = rng.randint(40, 920), rng.randint(500, 690)
        draw.ellipse((cx - 18, cy - 40, cx + 18, cy), fill=(rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def _add(session: Session, subject_type: str, subject_id: int, captions: tuple[str, ...], rng: random.Random) -> int:
    for step, caption in enumerate(captions):
        [stored] = media.store_photos([media.process_image(_picture(rng, step))], session=session)
        session.add(GalleryPhoto(subject_type=subject_type, subject_id=subject_id, caption=caption, **stored.columns()))
    return len(captions)


def seed_photos(session: Session) -> int:
    from ..activities.models import Activity, ActivityStatus
    from ..projects.models import Project

    rng = random.Random(20261127)
    count = 0
    done = session.scalars(select(Activity).where(Activity.status == ActivityStatus.COMPLETED)
                           .order_by(Activity.starts_at.desc()).limit(3))
    for activity in done:
        count += _add(session, "activity", activity.id, ACTIVITY_CAPTIONS[:2], rng)
    shed = session.scalar(select(Project).where(Project.title == "电动自行车集中充电棚"))
    if shed is not None:
        count += _add(session, "project", shed.id, SHED_CAPTIONS, rng)
    session.flush()
    return count
