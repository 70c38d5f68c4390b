"""Test factories: a small area tree, a user of any role, a token — without the demo town.

    tree = make.tree()                       # town → 2 communities → section → 2 grids → stairwells → households
    staff = make.user("staff", tree.communities[0].area)
    client.get("/api/v1/residents", headers=make.headers(staff))
"""
from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy.orm import Session

from steward.areas.models import Area, AreaKind, Household, Stairwell
from steward.auth.models import AuthSession
from steward.auth.passwords import hash_password
from steward.auth.service import _mint
from steward.db import utcnow
from steward.people.models import Resident, User

PASSWORD = "Factory2026x"
_seq = itertools.count(1)


@dataclass
class Community:
    area: Area
    section: Area
    grids: list[Area]
    stairwells: list[Stairwell]
    households: list[Household]


@dataclass
class Tree:
    town: Area
    communities: list[Community] = field(default_factory=list)


class Factory:
    """Each public method commits: in the tests that only releases a SAVEPOINT (the test's own
    transaction is still rolled back afterwards), but it keeps the rows when a request made in the
    same app context fails and rolls its unit of work back."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._hash = hash_password(PASSWORD)

    def area(self, parent: Area | None, kind: AreaKind, name: str | None = None) -> Area:
        n = next(_seq)
        area = Area(parent_id=parent.id if parent else None, kind=kind, name=name or f"{kind}{n}",
                    code=f"F{uuid.uuid4().hex[:10]}", path=f"/pending-{n}-{uuid.uuid4().hex}/",
                    depth=parent.depth + 1 if parent else 0)
        self.session.add(area)
        self.session.flush()
        area.path = f"{parent.path if parent else '/'}{area.id}/"
        self.session.flush()
        return area

    def tree(self, communities: int = 2, grids: int = 2, stairwells_per_grid: int = 1,
             households_per_stairwell: int = 2) -> Tree:
        tree = Tree(town=self.area(None, AreaKind.TOWN, "测试镇"))
        for c in range(communities):
            area = self.area(tree.town, AreaKind.COMMUNITY, f"测试小区{c + 1}")
            section = self.area(area, AreaKind.SECTION, "第一标段")
            community = Community(area=area, section=section, grids=[], stairwells=[], households=[])
            for g in range(grids):
                grid = self.area(section, AreaKind.GRID, f"{g + 1}号网格")
                community.grids.append(grid)
                for s in range(stairwells_per_grid):
                    stairwell = Stairwell(grid_id=grid.id, community_id=area.id, building=str(g * 10 + s + 1),
                                          unit="1", area_path=grid.path)
                    self.session.add(stairwell)
                    self.session.flush()
                    community.stairwells.append(stairwell)
                    for h in range(households_per_stairwell):
                        household = Household(stairwell_id=stairwell.id, room=f"{h + 1}01",
                                              area_path=stairwell.area_path)
                        self.session.add(household)
                        community.households.append(household)
            self.session.flush()
            tree.communities.append(community)
        self.session.commit()
        return tree

    def resident(self, household: Household, name: str | None = None, **values) -> Resident:
        resident = Resident(household_id=household.id, area_path=household.area_path,
                            name=name or f"居民{next(_seq)}", **values)
        self.session.add(resident)
        self.session.commit()
        return resident

    def user(self, role: str, area: Area, *, household: Household | None = None, **values) -> User:
        """An account of ``role`` in ``area``; a resident (or volunteer) given a household lives there."""
        n = next(_seq)
        resident = self.resident(household) if household is not None else None
        user = User(phone=values.pop("phone", f"139{n:08d}"), name=values.pop("name", f"用户{n}"), role=role,
                    area_id=area.id, area_path=area.path, password_hash=self._hash,
                    resident_id=resident.id if resident else None, **values)
        self.session.add(user)
        self.session.commit()
        return user

    def headers(self, user: User, **extra) -> dict:
        """A fresh signed-in session for ``user``, as an Authorization header."""
        sid = str(uuid.uuid4())
        tokens, jti = _mint(user, sid)
        self.session.add(AuthSession(id=sid, user_id=user.id, refresh_jti=jti,
                                     expires_at=utcnow() + current_app.config["JWT_REFRESH_TOKEN_EXPIRES"]))
        self.session.commit()
        return {"Authorization": f"Bearer {tokens['access_token']}", **extra}
