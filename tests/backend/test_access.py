"""The access mechanism: every scoped model has a rule beside its domain; the system principal."""
from sqlalchemy import select

from steward import scope
from steward.db import Base
from steward.people.models import Resident


def test_every_model_located_in_the_area_tree_has_a_read_rule(app):
    located = {m.class_ for m in Base.registry.mappers
               if {"area_path", "path"} & set(m.columns.keys())}
    assert located, "the area-located models should be found"
    missing = sorted(m.__name__ for m in located - scope.registered_models())
    assert missing == [], f"models without a scope rule: {missing}"


def test_a_background_job_sees_every_community(session):
    everyone = session.scalar(select(Resident.id).limit(1))
    assert everyone is not None
    job = scope.SystemPrincipal(reason="test")
    seen = session.scalars(scope.scoped(job, Resident).with_only_columns(Resident.area_path)).all()
    communities = {path.split("/")[2] for path in seen}
    assert len(communities) >= 2


def test_actions_are_declared_not_guessed(app):
    job = scope.SystemPrincipal(reason="test")
    assert scope.can(job, "delete", Resident())
    assert "reveal_id_card" in scope.registered_actions(Resident)


def test_a_read_only_unit_of_work_cannot_write(app):
    """The intent is stated, and held to: a read-only unit that writes fails loudly (and on SQLite a
    writing unit takes the write lock when it begins instead of failing 'database is locked' later)."""
    import pytest

    from steward.db import ReadOnlyViolation, unit_of_work
    from steward.people.models import Resident as R

    with app.app_context():
        with pytest.raises(ReadOnlyViolation), unit_of_work(write=False) as session:
            resident = session.scalar(select(R).limit(1))
            resident.name = "改名"
            session.flush()
        with pytest.raises(ReadOnlyViolation), unit_of_work(write=False) as session:
            from sqlalchemy import update
            session.execute(update(R).where(R.id == -1).values(name="x"))
        with unit_of_work(write=True) as session:
            assert session.scalar(select(R.name).limit(1))
