from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from ..db import Base, UTCDateTime, utcnow


class AreaKind(StrEnum):
    TOWN = "town"
    COMMUNITY = "community"
    SECTION = "section"
    GRID = "grid"


PARENT_KIND = {
    AreaKind.TOWN: None,
    AreaKind.COMMUNITY: AreaKind.TOWN,
    AreaKind.SECTION: AreaKind.COMMUNITY,
    AreaKind.GRID: AreaKind.SECTION,
}
KIND_LABEL_ZH = {"town": "镇", "community": "居民区", "section": "标段", "grid": "网格"}


class Area(Base):
    """A node of the area tree. ``path`` is ``/1/7/12/`` (ids from the root), so a subtree is a prefix."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    code: Mapped[str] = mapped_column(String(32), unique=True)
    path: Mapped[str] = mapped_column(String(255), unique=True)
    depth: Mapped[int] = mapped_column(default=0)
    # The committee's phone (a community's office; landline or mobile), shown to residents.
    office_phone: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped[Area | None] = relationship(remote_side=[id])

    def community_id(self) -> int | None:
        ids = [int(p) for p in self.path.strip("/").split("/")]
        return ids[1] if len(ids) > 1 else None

    @property
    def full_name(self) -> str:
        """The name qualified by its community ("丽水湾 1号网格"); a town or community is its own name.

        The community comes from the session's identity map when the query joined it, so listing many
        areas of one community costs at most one extra lookup.
        """
        if self.kind in (AreaKind.TOWN, AreaKind.COMMUNITY):
            return self.name
        community_id = self.community_id()
        session = object_session(self)
        community = session.get(Area, community_id) if session is not None and community_id else None
        return f"{community.name} {self.name}" if community is not None else self.name


class Stairwell(Base):
    """楼道: one unit (单元) of one building (楼), looked after by one grid."""

    __tablename__ = "stairwells"
    __table_args__ = (UniqueConstraint("community_id", "building", "unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"))
    building: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str] = mapped_column(String(20))
    area_path: Mapped[str] = mapped_column(String(255), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    grid: Mapped[Area] = relationship(foreign_keys=[grid_id])
    community: Mapped[Area] = relationship(foreign_keys=[community_id])

    @property
    def label(self) -> str:
        return f"{self.building}号楼{self.unit}单元"


class Household(Base):
    """户: one flat (室) in a stairwell."""

    __tablename__ = "households"
    __table_args__ = (UniqueConstraint("stairwell_id", "room"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stairwell_id: Mapped[int] = mapped_column(ForeignKey("stairwells.id", ondelete="RESTRICT"))
    room: Mapped[str] = mapped_column(String(20))
    area_path: Mapped[str] = mapped_column(String(255), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    stairwell: Mapped[Stairwell] = relationship()

    @property
    def address(self) -> str:
        s = self.stairwell
        return Household.compose_address(s.community.name, s.label, self.room)

    @staticmethod
    def compose_address(community_name: str, stairwell_label: str, room: str) -> str:
        return f"{community_name}{stairwell_label}{room}室"
