"""Scoping on a tree built by the factories: every role, its own and another community."""
import pytest

ROLES_SEEING_PEOPLE = ("staff", "volunteer")


@pytest.fixture
def world(make):
    tree = make.tree()
    mine, other = tree.communities
    people = {
        "staff": make.user("staff", mine.area),
        "volunteer": make.user("volunteer", mine.grids[0], household=mine.households[0]),
        "resident": make.user("resident", mine.area, household=mine.households[2]),
        "partner": make.user("partner", mine.area),
    }
    foreign = make.resident(other.households[0], name="别人家")
    neighbour = make.resident(mine.households[3], name="邻居")  # same community, second grid
    return tree, people, foreign, neighbour


@pytest.mark.parametrize("role", ["staff", "volunteer", "resident", "partner"])
def test_another_communitys_resident_is_404_for_every_role(client, make, world, role):
    _, people, foreign, _ = world
    r = client.get(f"/api/v1/residents/{foreign.id}", headers=make.headers(people[role]))
    assert r.status_code == 404 and r.headers["Content-Type"] == "application/problem+json"
    r = client.get(f"/api/v1/households/{foreign.household_id}", headers=make.headers(people[role]))
    assert r.status_code == 404


@pytest.mark.parametrize("role, sees_neighbour", [("staff", True), ("volunteer", False), ("resident", False)])
def test_who_sees_a_neighbour_in_the_same_community(client, make, world, role, sees_neighbour):
    _, people, _, neighbour = world
    r = client.get(f"/api/v1/residents/{neighbour.id}", headers=make.headers(people[role]))
    assert r.status_code == (200 if sees_neighbour else 404)


def test_a_volunteer_lists_exactly_their_grid(client, make, world):
    tree, people, _, _ = world
    mine = tree.communities[0]
    in_grid = {h.id for h in mine.households if h.area_path == mine.grids[0].path}
    body = client.get("/api/v1/households?limit=100", headers=make.headers(people["volunteer"])).get_json()
    assert {h["id"] for h in body["items"]} == in_grid
