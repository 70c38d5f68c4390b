"""Registration forms (信息登记): building, answering once or many times, edits only before the deadline,
validation per field type (GB 11643 ID numbers), masking, audited exports (queued when large), scope."""
import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from steward.areas.models import Area
from steward.audit.models import AuditEvent
from steward.db import utcnow
from steward.forms import service as forms_service
from steward.forms.models import Form, FormSubmission
from steward.people.pii import id_card_check_digit

API = "/api/v1/forms"
ID17 = "31022619550312002"
GOOD_ID = ID17 + id_card_check_digit(ID17)
BAD_ID = ID17 + ("0" if GOOD_ID[-1] != "0" else "1")
FIELDS = [
    {"key": "name", "label": "姓名", "type": "text", "required": True},
    {"key": "people", "label": "同行人数", "type": "number", "min": 0, "max": 20},
    {"key": "back_on", "label": "返沪日期", "type": "date", "required": True},
    {"key": "from_where", "label": "出发地", "type": "single", "options": ["省内", "省外", "境外"]},
    {"key": "needs", "label": "需要的帮助", "type": "multi", "options": ["代购", "送药", "测温"]},
    {"key": "phone", "label": "联系电话", "type": "phone", "required": True},
    {"key": "id_card", "label": "身份证号", "type": "id_card"},
    {"key": "agree", "label": "同意居委会使用以上信息", "type": "consent", "required": True},
]
ANSWERS = {"name": "张三", "people": 2, "back_on": "2026-12-01", "from_where": "省外", "needs": ["送药", "代购"],
           "phone": "13912345678", "id_card": GOOD_ID, "agree": True}


def _area(session, code):
    return session.scalar(select(Area).where(Area.code == code))


def _form(client, auth, session, who="lsw_staff", code="LSW", publish=True, **extra):
    body = {"title": "返沪人员登记", "area_id": _area(session, code).id, "fields": FIELDS,
            "deadline": (utcnow() + timedelta(days=7)).isoformat(), **extra}
    r = client.post(API, json=body, headers=auth.headers(who))
    assert r.status_code == 201, r.get_json()
    form = r.get_json()
    if publish:
        r = client.post(f"{API}/{form['id']}/publish", headers=auth.headers(who))
        assert r.status_code == 200, r.get_json()
        form = r.get_json()
    return form


def _submit(client, auth, form, who="resident", answers=None):
    return client.post(f"{API}/{form['id']}/submissions", json={"answers": answers or ANSWERS},
                       headers=auth.headers(who))


def test_staff_build_a_form_and_a_resident_answers_it_once(client, auth, session):
    form = _form(client, auth, session, publish=False)
    assert form["status"] == "draft" and [f["key"] for f in form["fields"]] == [f["key"] for f in FIELDS]
    # a draft is not shown to residents
    assert client.get(f"{API}/{form['id']}", headers=auth.headers("resident")).status_code == 404
    client.post(f"{API}/{form['id']}/publish", headers=auth.headers("lsw_staff"))
    mine = client.get(f"{API}?open=true", headers=auth.headers("resident")).get_json()["items"]
    assert form["id"] in [f["id"] for f in mine]
    r = _submit(client, auth, form)
    assert r.status_code == 201, r.get_json()
    sub = r.get_json()
    assert sub["answers"]["id_card"] == GOOD_ID and sub["answers"]["needs"] == ["代购", "送药"] and sub["editable"]
    again = _submit(client, auth, form)
    assert again.status_code == 409 and again.get_json()["type"].endswith("already-submitted")
    got = client.get(f"{API}/{form['id']}", headers=auth.headers("resident")).get_json()
    assert got["my_submissions"] == 1 and got["submissions_count"] == 1
    # a form answered many times takes a second answer
    many = _form(client, auth, session, multiple=True, title="活动报名")
    assert _submit(client, auth, many).status_code == 201 and _submit(client, auth, many).status_code == 201


def test_personal_answers_are_sealed_and_masked_for_staff(client, auth, session):
    form = _form(client, auth, session)
    sub = _submit(client, auth, form).get_json()
    row = session.get(FormSubmission, sub["id"])
    assert GOOD_ID not in str(row.answers) + (row.sealed or "") and "13912345678" not in row.sealed
    assert row.answers["phone"] == "139****5678" and row.answers["id_card"] == GOOD_ID[:3] + "*" * 11 + GOOD_ID[-4:]
    items = client.get(f"{API}/{form['id']}/submissions", headers=auth.headers("lsw_staff")).get_json()["items"]
    assert items[0]["answers"]["phone"] == "139****5678" and GOOD_ID not in str(items)
    one = client.get(f"/api/v1/form-submissions/{sub['id']}", headers=auth.headers("lsw_staff")).get_json()
    assert one["answers"]["phone"] == "139****5678" and not one["editable"]
    mine = client.get(f"/api/v1/form-submissions/{sub['id']}", headers=auth.headers("resident")).get_json()
    assert mine["answers"]["phone"] == "13912345678"
    r = client.post(f"/api/v1/form-submissions/{sub['id']}/reveal", json={"field": "id_card", "reason": "核对身份"},
                    headers=auth.headers("lsw_staff"))
    assert r.status_code == 200 and r.get_json()["value"] == GOOD_ID
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "form.reveal").order_by(AuditEvent.id.desc()))
    assert event.detail == {"field": "id_card", "reason": "核对身份"}


@pytest.mark.parametrize("key,value", [
    ("name", ""), ("name", 12), ("name", "a\x00b"), ("name", "长" * 201),
    ("people", "2"), ("people", True), ("people", 21), ("people", -1),
    ("back_on", "2026-13-01"), ("back_on", "明天"), ("back_on", 20261201),
    ("from_where", "火星"), ("needs", ["送药", "送药"]), ("needs", "送药"), ("needs", ["飞行"]),
    ("phone", "12345"), ("phone", "23800000000"),
    ("id_card", BAD_ID), ("id_card", "31022619551332002X"), ("id_card", "abc"),
    ("agree", False), ("agree", "true"), ("unknown", "x"),
])
def test_each_field_type_is_validated_and_nothing_is_written(client, auth, session, key, value):
    form = _form(client, auth, session)
    r = _submit(client, auth, form, answers={**ANSWERS, key: value})
    assert r.status_code == 422, r.get_json()
    assert f"answers.{key}" in r.get_json()["errors"]
    assert session.scalar(select(func.count()).select_from(FormSubmission).where(FormSubmission.form_id == form["id"])) == 0


def test_lower_case_x_and_optional_fields_left_out(client, auth, session):
    form = _form(client, auth, session)
    answers = {k: v for k, v in ANSWERS.items() if k not in ("people", "from_where", "needs", "id_card")}
    assert _submit(client, auth, form, answers=answers).status_code == 201
    other = _form(client, auth, session, multiple=True)
    x17 = "11010519491231002"
    if id_card_check_digit(x17) == "X":
        assert _submit(client, auth, other, answers={**ANSWERS, "id_card": x17 + "x"}).status_code == 201


def test_answers_change_only_before_the_deadline(client, auth, session):
    form = _form(client, auth, session)
    sub = _submit(client, auth, form).get_json()
    url = f"/api/v1/form-submissions/{sub['id']}"
    r = client.put(url, json={"answers": {**ANSWERS, "people": 3}}, headers=auth.headers("resident"))
    assert r.status_code == 200 and r.get_json()["answers"]["people"] == 3
    # someone else (staff included) cannot change it
    assert client.put(url, json={"answers": ANSWERS}, headers=auth.headers("lsw_staff")).status_code == 403
    session.get(Form, form["id"]).deadline = utcnow() - timedelta(minutes=1)
    session.commit()
    late = client.put(url, json={"answers": {**ANSWERS, "people": 5}}, headers=auth.headers("resident"))
    assert late.status_code == 409 and late.get_json()["type"].endswith("form-closed")
    assert "截止" in late.get_json()["detail"]
    session.expire_all()
    assert session.get(FormSubmission, sub["id"]).answers["people"] == 3
    assert _submit(client, auth, form, who="volunteer").status_code == 409
    assert client.get(url, headers=auth.headers("resident")).get_json()["editable"] is False


def test_staff_validate_the_form_definition(client, auth, session):
    area = _area(session, "LSW").id
    for fields in ([{"key": "a", "label": "A", "type": "single", "options": ["x"]}],
                   [{"key": "a", "label": "A", "type": "text"}, {"key": "a", "label": "B", "type": "text"}],
                   [{"key": "Bad Key", "label": "A", "type": "text"}],
                   [{"key": "a", "label": "A", "type": "file"}], []):
        r = client.post(API, json={"title": "测试", "area_id": area, "fields": fields}, headers=auth.headers("lsw_staff"))
        assert r.status_code == 422, fields
    r = client.post(API, json={"title": "测试", "area_id": _area(session, "ZXXY").id, "fields": FIELDS},
                    headers=auth.headers("lsw_staff"))
    assert r.status_code == 422
    form = _form(client, auth, session)
    r = client.patch(f"{API}/{form['id']}", json={"fields": FIELDS[:2]}, headers=auth.headers("lsw_staff"))
    assert r.status_code == 409
    r = client.patch(f"{API}/{form['id']}", json={"title": "返沪人员登记（更新）"}, headers=auth.headers("lsw_staff"))
    assert r.status_code == 200 and r.get_json()["title"] == "返沪人员登记（更新）"


def _audits(session, action):
    return session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_are_masked_and_audited(client, auth, session, fmt):
    form = _form(client, auth, session)
    _submit(client, auth, form)
    before = _audits(session, "form.export"), _audits(session, "form.export_download")
    r = client.post(f"{API}/{form['id']}/exports", json={"format": fmt}, headers=auth.headers("lsw_staff"))
    assert r.status_code == 201 and r.get_json()["status"] == "done" and r.get_json()["rows"] == 1
    d = client.get(f"/api/v1/form-exports/{r.get_json()['id']}/download", headers=auth.headers("lsw_staff"))
    assert d.status_code == 200 and "attachment" in d.headers["Content-Disposition"]
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(d.data.decode("utf-8-sig"))))
    else:
        rows = [[c if c is not None else "" for c in row] for row in load_workbook(io.BytesIO(d.data)).active.values]
    assert rows[0][4:] == [f["label"] for f in FIELDS]
    flat = " ".join(str(c) for c in rows[1])
    assert "139****5678" in flat and GOOD_ID not in flat and "13912345678" not in flat and "代购、送药" in flat
    assert (_audits(session, "form.export"), _audits(session, "form.export_download")) == (before[0] + 1, before[1] + 1)


def test_a_large_export_runs_on_the_queue(client, auth, session, monkeypatch):
    monkeypatch.setattr(forms_service, "INLINE_EXPORT_MAX", 1)
    form = _form(client, auth, session, multiple=True)
    for _ in range(3):
        assert _submit(client, auth, form).status_code == 201
    r = client.post(f"{API}/{form['id']}/exports", json={"format": "xlsx"}, headers=auth.headers("lsw_staff"))
    assert r.status_code == 202, r.get_json()
    export = client.get(f"/api/v1/form-exports/{r.get_json()['id']}", headers=auth.headers("lsw_staff")).get_json()
    assert export["status"] == "done" and export["rows"] == 3  # the test queue runs jobs at once
    d = client.get(f"/api/v1/form-exports/{export['id']}/download", headers=auth.headers("lsw_staff"))
    assert d.status_code == 200 and len(list(load_workbook(io.BytesIO(d.data)).active.values)) == 4


@pytest.mark.parametrize("who", ["lsw_staff", "resident", "volunteer", "partner"])
def test_another_communitys_form_is_404_for_every_role(client, auth, session, who):
    form = _form(client, auth, session, who="zxxy_staff", code="ZXXY")
    sub = _submit(client, auth, form, who="zxxy_resident").get_json()
    export = client.post(f"{API}/{form['id']}/exports", json={}, headers=auth.headers("zxxy_staff")).get_json()
    h = auth.headers(who)
    assert client.get(f"{API}/{form['id']}", headers=h).status_code == 404
    assert client.get(f"/api/v1/form-submissions/{sub['id']}", headers=h).status_code == 404
    if who == "lsw_staff":
        assert client.get(f"{API}/{form['id']}/submissions", headers=h).status_code == 404
        assert client.patch(f"{API}/{form['id']}", json={"title": "改名了"}, headers=h).status_code == 404
        assert client.post(f"{API}/{form['id']}/exports", json={}, headers=h).status_code == 404
        assert client.get(f"/api/v1/form-exports/{export['id']}", headers=h).status_code == 404
        assert client.get(f"/api/v1/form-exports/{export['id']}/download", headers=h).status_code == 404
        assert client.post(f"/api/v1/form-submissions/{sub['id']}/reveal", json={"field": "phone", "reason": "核对"},
                           headers=h).status_code == 404
    if who in ("resident", "volunteer"):
        assert _submit(client, auth, form, who=who).status_code == 404
        assert client.put(f"/api/v1/form-submissions/{sub['id']}", json={"answers": ANSWERS},
                          headers=h).status_code == 404
    assert form["id"] not in [f["id"] for f in client.get(API, headers=h).get_json()["items"]]


def test_grid_and_tag_audiences(client, auth, session):
    grid_form = _form(client, auth, session, code="LSW-G16", title="16号网格登记")
    # the demo resident and volunteer live in grid 1: a form for grid 16 is not theirs
    for who in ("resident", "volunteer"):
        assert client.get(f"{API}/{grid_form['id']}", headers=auth.headers(who)).status_code == 404
    tagged = _form(client, auth, session, tag="hardship", title="困难家庭登记")
    mine = client.get(f"{API}/{tagged['id']}", headers=auth.headers("resident"))
    from steward.people.models import Resident, ResidentTag, User

    user = session.scalar(select(User).where(User.phone == "13800000005"))
    tags = session.scalars(select(ResidentTag.tag).join(Resident).where(
        Resident.household_id == user.resident.household_id)).all()
    assert mine.status_code == (200 if "hardship" in tags else 404)


def test_hostile_input_writes_nothing(client, auth, session):
    form = _form(client, auth, session)
    for body in ({"answers": {**ANSWERS, "people": 10**30}}, {"answers": ANSWERS, "extra": 1},
                 {"answers": {f"k{i}": "x" for i in range(100)}}, {"answers": "x"},
                 {"answers": {**ANSWERS, "name": {"nested": "x"}}}):
        r = client.post(f"{API}/{form['id']}/submissions", json=body, headers=auth.headers("resident"))
        assert r.status_code == 422, (body, r.get_json())
    assert session.scalar(select(func.count()).select_from(FormSubmission).where(
        FormSubmission.form_id == form["id"])) == 0


def test_list_statement_counts_do_not_grow_with_page_size(client, auth, session, count_queries):
    forms = [_form(client, auth, session, multiple=True, title=f"登记{i}") for i in range(4)]
    for f in forms[:2]:
        for _ in range(4):
            _submit(client, auth, f)
    counts = {}
    for limit in (2, 10):
        for name, url, who in (("forms-staff", f"{API}?limit={limit}", "lsw_staff"),
                               ("forms-resident", f"{API}?limit={limit}", "resident"),
                               ("subs", f"{API}/{forms[0]['id']}/submissions?limit={limit}", "lsw_staff"),
                               ("mine", f"/api/v1/form-submissions?limit={limit}", "resident")):
            h = auth.headers(who)
            with count_queries() as statements:
                assert client.get(url, headers=h).status_code == 200
            counts[(name, limit)] = len(statements)
    for name in ("forms-staff", "forms-resident", "subs", "mine"):
        assert counts[(name, 2)] == counts[(name, 10)], counts


def test_publishing_tells_the_households_it_is_for_and_nobody_else(client, auth, session):
    from steward.notifications.models import Notification

    def inbox(who):
        return [n for n in client.get("/api/v1/notifications", headers=auth.headers(who)).get_json()["items"]
                if n["subject_type"] == "form"]

    before = {who: len(inbox(who)) for who in ("resident", "zxxy_resident", "lsw_staff")}
    form = _form(client, auth, session)
    mine = inbox("resident")
    assert len(mine) == before["resident"] + 1 and mine[0]["subject_id"] == form["id"]
    assert "返沪人员登记" in mine[0]["title"] and "前填写" in mine[0]["body"]
    assert len(inbox("zxxy_resident")) == before["zxxy_resident"]  # another community's household
    assert len(inbox("lsw_staff")) == before["lsw_staff"]
    tagged = _form(client, auth, session, title="独居老人冬季需求登记", tag="elderly_alone")
    told = session.scalars(select(Notification.user_id).where(Notification.subject_type == "form",
                                                              Notification.subject_id == tagged["id"])).all()
    everyone = session.scalars(select(Notification.user_id).where(Notification.subject_type == "form",
                                                                  Notification.subject_id == form["id"])).all()
    assert told and set(told) < set(everyone) and len(told) == len(set(told))
