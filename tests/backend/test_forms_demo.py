"""The demo town's forms: two in 丽水湾 with answers, the demo resident has not answered yet."""
from sqlalchemy import func, select

from steward.forms.models import Form, FormSubmission


def test_demo_forms_have_answers_and_the_dashboard_counts_them(client, auth, session):
    forms = {f.title: f for f in session.scalars(select(Form))}
    assert {"返沪人员登记", "活动报名"} <= set(forms)
    for title in ("返沪人员登记", "活动报名"):
        n = session.scalar(select(func.count()).select_from(FormSubmission).where(
            FormSubmission.form_id == forms[title].id))
        assert n >= 10 and forms[title].submissions_count == n
    mine = client.get("/api/v1/forms?open=true", headers=auth.headers("resident")).get_json()["items"]
    back = next(f for f in mine if f["title"] == "返沪人员登记")
    assert back["my_submissions"] == 0 and back["open"]
    data = client.get("/api/v1/dashboard", headers=auth.headers("lsw_staff")).get_json()
    forms_section = next(s for s in data["sections"] if s["key"] == "forms")
    assert {m["key"]: m["value"] for m in forms_section["metrics"]}["open_forms"] >= 2
    assert sum(next(t for t in data["trend"] if t["name"] == "登记")["values"]) > 0
