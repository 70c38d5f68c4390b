"""Every operation × every role, generated from the OpenAPI document's `x-roles`: a role outside the
list gets 403 before anything else happens; a role inside never gets 403 for a well-formed call."""
import pytest

from steward.openapi import ALL_ROLES, build_spec
from steward.people.models import Role

ACCOUNTS = {"admin": "admin", "town_staff": "town", "staff": "lsw_staff", "volunteer": "volunteer",
            "resident": "resident", "partner": "partner"}
# Operations that end the caller's session or whose 403 is a rule about the target, not the role.
SKIP = {("post", "/auth/logout")}


def _operations(app):
    spec = build_spec(app)
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if "x-roles" in op and (method, path) not in SKIP:
                yield method, path, op


def test_roles_in_the_document_are_the_known_roles(app):
    assert set(ALL_ROLES) == {r.value for r in Role}
    ops = list(_operations(app))
    assert len(ops) > 20
    for method, path, op in ops:
        assert set(op["x-roles"]) <= set(ALL_ROLES), (method, path)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_operation_answers_each_role_as_documented(app, client, auth, role):
    headers = auth.headers(ACCOUNTS[role], **{"If-Match": "*", "Accept-Language": "en"})
    checked = 0
    for method, path, op in _operations(app):
        url = "/api/v1" + path.replace("{", "").replace("}", "")
        for name in {seg for seg in path.split("/") if seg.startswith("{")}:
            url = url.replace(name.strip("{}"), "987654321")
        kwargs = {"json": {}} if method in ("post", "patch", "put") else {}
        r = getattr(client, method)(url, headers=headers, **kwargs)
        if role in op["x-roles"]:
            assert r.status_code != 403, (method, path, r.get_json())
        else:
            assert r.status_code == 403, (method, path, r.status_code)
        assert r.status_code < 500, (method, path, r.get_json())
        checked += 1
    assert checked > 20
