"""A generic Open311 client against the real server, as a city's app would use it: the `georeport` package
from PyPI for the reads it supports (services, definitions, public requests — in JSON and XML), and plain
form posts with `requests` for what it cannot do (creating a request, reading with a key)."""
import io
import xml.etree.ElementTree as ET

import requests
from georeport import GeoReport
from PIL import Image

KEY = "demo_lsw_property.Open311-demo-key-LSW-2026"  # seeded with the demo town, printed by `make run`


def test_a_generic_open311_client_works_unchanged(server):
    base = f"{server}/open311/v2"
    for fmt in ("json", "xml"):
        client = GeoReport(base, jurisdiction="LSW", output_format=fmt)
        services = client.get_service_list()
        assert {"clutter", "facility_damage"} <= {s["service_code"] for s in services}
        damage = next(s for s in services if s["service_code"] == "facility_damage")
        assert damage["service_name"] == "设施损坏" and str(damage["metadata"]).lower() == "true"
        definition = client.get_service_definition("facility_damage")
        attribute = definition["attributes"][0] if fmt == "json" else definition["attributes"]["attribute"]
        assert attribute["code"] == "danger" and attribute["datatype"] == "singlevaluelist"
        public = client.get_service_requests(status="open,closed")
        public = public if isinstance(public, list) else [public]
        assert public and all(r["service_request_id"].isdigit() for r in public)
        assert all("reporter" not in str(r) for r in public)

    created = requests.post(f"{base}/requests.json", timeout=30, data={
        "api_key": KEY, "jurisdiction_id": "LSW", "service_code": "facility_damage", "lat": "30.9146",
        "long": "121.3953", "address_string": "钜庭路近丽水湾北门", "description": "窨井盖缺失，晚上很危险。",
        "attribute[danger]": "是", "first_name": "娜娜", "last_name": "欧阳", "phone": "13912345678",
        "email": "nana@example.org", "media_url": "https://img.example.org/manhole.jpg"})
    assert created.status_code == 201, created.text
    assert created.headers["Content-Type"] == "application/json; charset=utf-8"
    request_id = created.json()[0]["service_request_id"]

    mine = requests.get(f"{base}/requests/{request_id}.json", params={"api_key": KEY}, timeout=30)
    [request] = mine.json()
    assert request["status"] == "open" and request["service_code"] == "facility_damage"
    assert request["media_url"] == "https://img.example.org/manhole.jpg"
    assert "欧阳" not in mine.text and "13912345678" not in mine.text

    as_xml = requests.post(f"{base}/requests.xml", timeout=30, data={
        "api_key": KEY, "service_code": "clutter", "address_string": "3号楼门口", "description": "纸箱堆满了"})
    assert as_xml.status_code == 201 and as_xml.headers["Content-Type"] == "text/xml; charset=utf-8"
    root = ET.fromstring(as_xml.content)
    assert root.tag == "service_requests" and root.find("request/service_request_id").text.isdigit()

    listed = ET.fromstring(requests.get(f"{base}/requests.xml", params={"api_key": KEY, "service_code": "clutter"},
                                        timeout=30).content)
    assert root.find("request/service_request_id").text in {e.text for e in listed.iter("service_request_id")}

    photo = io.BytesIO()
    Image.new("RGB", (320, 240), (30, 120, 200)).save(photo, "JPEG")
    with_photo = requests.post(f"{base}/requests.json", timeout=30, files={"media": ("p.jpg", photo.getvalue(), "image/jpeg")},
                               data={"api_key": KEY, "service_code": "clutter", "address_string": "5号楼"})
    assert with_photo.status_code == 201, with_photo.text
    [shown] = requests.get(f"{base}/requests/{with_photo.json()[0]['service_request_id']}.json", params={"api_key": KEY},
                           timeout=30).json()
    image = requests.get(shown["media_url"], timeout=30)  # the link alone opens it, as an <img src> would
    assert image.status_code == 200 and image.headers["Content-Type"] == "image/jpeg"

    refused = requests.post(f"{base}/requests.xml", data={"api_key": "nope", "service_code": "clutter"}, timeout=30)
    assert refused.status_code == 403
    error = ET.fromstring(refused.content)
    assert error.tag == "errors" and error.find("error/code").text == "403" and error.find("error/description").text
