from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, ForeignKey, String, Table, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..areas.models import Area
from ..db import Base, UTCDateTime, utcnow

# The case categories a unit takes (the dispatch screen suggests it for them).
unit_categories = Table(
    "unit_categories", Base.metadata,
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("case_categories.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class UnitKind(StrEnum):
    PARTY_BRANCH = "party_branch"                    # 党组织
    PROPERTY_COMPANY = "property_company"            # 物业公司
    VOLUNTEER_TEAM = "volunteer_team"                # 志愿者队伍
    GOVERNMENT_DEPARTMENT = "government_department"  # 职能部门
    LEGAL_SERVICE = "legal_service"                  # 法律服务
    ENTERPRISE = "enterprise"                        # 企业
    SOCIAL_ORGANISATION = "social_organisation"      # 社会组织


class Unit(Base):
    """A member unit of the alliance. ``area`` is where it serves: a community, or the whole town."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"), index=True)
    area_path: Mapped[str] = mapped_column(String(255), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    contact_name: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(String(500))
    is_active: Mapped[bool] = mapped_column(default=True)
    # The services it provides: codes of services.models.Category (lunch, haircut, legal …).
    service_kinds: Mapped[list] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    area: Mapped[Area] = relationship(lazy="joined")
    categories: Mapped[list["Category"]] = relationship(  # noqa: F821 - cases.models
        secondary=unit_categories, lazy="selectin", order_by="Category.sort_order, Category.id")
