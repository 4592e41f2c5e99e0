"""
Inspections, and reward and discipline decisions, over HTTP.

An inspection is planned by an issuing unit for a target (a unit, or a
business by its tax code located in a unit), with a team and a checklist
whose template is data (data/inspections/*.json); findings are recorded per
checklist item, then a conclusion with follow-up actions, each overdue from
the day after its deadline.  A non-public inspection is seen only by the
issuing chain, and by the inspected unit's officials once concluded.
Decisions (reward or discipline) are recorded by the issuing unit's
officials; the public list carries only the decisions marked public, and
of them only the name, the unit, the decision, the reason and the date.
Bad input is refused naming the field and changes nothing; every change
leaves an audit row.
"""

import datetime
import glob
import json
import os

from harness import DATA_DIR, ServerTestCase, main


def vn_today():
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)).date()


TODAY = vn_today()
TEMPLATES = {}
for _p in sorted(glob.glob(os.path.join(DATA_DIR, "inspections", "*.json"))):
    _t = json.load(open(_p, encoding="utf-8"))
    TEMPLATES[_t["code"]] = _t


def day(delta=0):
    return (TODAY + datetime.timedelta(days=delta)).isoformat()


class InspectionsTest(ServerTestCase):

    def plan(self, as_user="badinh", **kw):
        body = {"title": "Kiểm tra Tổ COVID cộng đồng phường Phúc Xá", "issuer": "001",
                "period_from": day(-10), "period_to": day(5), "kind": "surprise",
                "template": "commune_team", "target": {"unit_code": "00001"},
                "team": [{"name": "Nguyễn Văn Trưởng Đoàn", "role": "Trưởng đoàn"},
                         {"name": "Lê Thị Thành Viên", "role": "Thành viên"}]}
        body.update(kw)
        return self.post("/api/v1/inspections", body, as_user=as_user)

    def visible(self, user, iid):
        r = self.get("/api/v1/inspections", as_user=user)
        self.assertStatus(r, 200)
        return iid in [x["id"] for x in r.json["items"]]

    def audit(self, action, entity_id):
        r = self.get("/api/v1/audit?limit=500", as_user="admin")
        self.assertStatus(r, 200)
        return [a for a in r.json["items"]
                if a["action"] == action and a["entity_id"] == str(entity_id)]

    def count(self):
        r = self.get("/api/v1/inspections", as_user="admin")
        self.assertStatus(r, 200)
        return len(r.json["items"])

    # ---- templates ----
    def test_templates_are_data(self):
        r = self.get("/api/v1/inspections/templates")
        self.assertStatus(r, 200)
        got = {t["code"]: t for t in r.json["items"]}
        self.assertEqual(set(got), set(TEMPLATES))
        self.assertIn("business_covid", got)
        self.assertIn("commune_team", got)
        for code, t in TEMPLATES.items():
            self.assertEqual(got[code]["target"], t["target"])
            self.assertEqual([i["id"] for i in got[code]["items"]], [i["id"] for i in t["items"]])
            self.assertEqual(got[code]["items"][0]["vi"], t["items"][0]["vi"])
            self.assertEqual(got[code]["items"][0]["en"], t["items"][0]["en"])

    # ---- the whole life of a surprise inspection ----
    def test_surprise_inspection_lifecycle_and_scope(self):
        r = self.plan()
        self.assertStatus(r, 201)
        iid = r.json["id"]
        self.assertEqual(r.json["status"], "planned")
        self.assertEqual(len(self.audit("inspection.create", iid)), 1)
        # The issuing chain sees it; the inspected commune and a sibling do not.
        for user in ("badinh", "hanoi", "admin"):
            self.assertTrue(self.visible(user, iid), user)
            self.assertStatus(self.get("/api/v1/inspections/%d" % iid, as_user=user), 200)
        for user in ("phucxa", "trucbach", "hcm"):
            self.assertFalse(self.visible(user, iid), user)
            self.assertError(self.get("/api/v1/inspections/%d" % iid, as_user=user), 404)
        r = self.get("/api/v1/inspections/%d" % iid, as_user="badinh")
        self.assertEqual([m["name"] for m in r.json["team"]],
                         ["Nguyễn Văn Trưởng Đoàn", "Lê Thị Thành Viên"])
        self.assertEqual([c["item"] for c in r.json["checklist"]],
                         [i["id"] for i in TEMPLATES["commune_team"]["items"]])
        self.assertTrue(all(c["result"] is None for c in r.json["checklist"]))

        # Findings: only items of the template, a violation described.
        path = "/api/v1/inspections/%d/findings" % iid
        r = self.request("PUT", path, {"items": [{"item": "no_such", "result": "pass"}]},
                         as_user="badinh")
        self.assertError(r, 422, field="items[0].item")
        r = self.request("PUT", path, {"items": [{"item": "reporting", "result": "fail"}]},
                         as_user="badinh")
        self.assertError(r, 422, field="items[0].note")
        r = self.request("PUT", path, {"items": [{"item": "reporting", "result": "maybe"}]},
                         as_user="badinh")
        self.assertError(r, 422, field="items[0].result")
        r = self.request("PUT", path, {"items": [{"item": "reporting", "result": "pass"},
                                                 {"item": "reporting", "result": "pass"}]},
                         as_user="badinh")
        self.assertError(r, 422, field="items[1].item")
        self.assertEqual(self.audit("inspection.findings", iid), [])
        # The inspected commune may not record findings on itself.
        r = self.request("PUT", path, {"items": [{"item": "reporting", "result": "pass"}]},
                         as_user="phucxa")
        self.assertError(r, 404)
        r = self.request("PUT", path, {"items": [
            {"item": "teams_set_up", "result": "pass"},
            {"item": "household_visits", "result": "fail",
             "note": "Tổ dân phố 2 chưa cập nhật danh sách hộ"}]}, as_user="badinh")
        self.assertStatus(r, 200)
        got = {c["item"]: c for c in r.json["checklist"]}
        self.assertEqual(got["teams_set_up"]["result"], "pass")
        self.assertEqual(got["household_visits"]["result"], "fail")
        self.assertIn("Tổ dân phố 2", got["household_visits"]["note"])
        self.assertIsNone(got["reporting"]["result"])
        # Changing a finding replaces it.
        r = self.request("PUT", path, {"items": [{"item": "teams_set_up", "result": "na"}]},
                         as_user="badinh")
        self.assertStatus(r, 200)
        got = {c["item"]: c for c in r.json["checklist"]}
        self.assertEqual(got["teams_set_up"]["result"], "na")
        self.assertEqual(got["household_visits"]["result"], "fail")
        self.assertEqual(len(self.audit("inspection.findings", iid)), 2)

        # Conclusion with follow-up actions.
        cpath = "/api/v1/inspections/%d/conclusion" % iid
        r = self.post(cpath, {"conclusion": "Cơ bản đạt", "concluded_on": day(1)}, as_user="badinh")
        self.assertError(r, 422, field="concluded_on")
        r = self.post(cpath, {"conclusion": "Cơ bản đạt", "concluded_on": day(0),
                              "actions": [{"description": "Cập nhật danh sách hộ",
                                           "deadline": day(-1)}]}, as_user="badinh")
        self.assertError(r, 422, field="actions[0].deadline")
        r = self.post(cpath, {"conclusion": "Cơ bản đạt", "concluded_on": day(0),
                              "actions": [{"description": "Cập nhật danh sách hộ",
                                           "deadline": day(0)}]}, as_user="phucxa")
        self.assertError(r, 404)
        self.assertEqual(self.audit("inspection.conclude", iid), [])
        r = self.post(cpath, {"conclusion": "Cơ bản đạt, còn tồn tại ở Tổ dân phố 2",
                              "concluded_on": day(0),
                              "actions": [{"description": "Cập nhật danh sách hộ", "deadline": day(0)},
                                          {"description": "Báo cáo khắc phục", "deadline": day(3)}]},
                      as_user="badinh")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"], "concluded")
        self.assertEqual([a["status"] for a in r.json["actions"]], ["open", "open"])
        self.assertEqual(len(self.audit("inspection.conclude", iid)), 1)
        a1, a2 = [a["id"] for a in r.json["actions"]]
        # Concluded: no more findings, no second conclusion.
        r = self.request("PUT", path, {"items": [{"item": "reporting", "result": "pass"}]},
                         as_user="badinh")
        self.assertError(r, 409)
        r = self.post(cpath, {"conclusion": "Lại", "concluded_on": day(0)}, as_user="badinh")
        self.assertError(r, 409)

        # Overdue from the day after the deadline.
        r = self.get("/api/v1/inspections/%d?date=%s" % (iid, day(0)), as_user="badinh")
        self.assertEqual([a["status"] for a in r.json["actions"]], ["open", "open"])
        r = self.get("/api/v1/inspections/%d?date=%s" % (iid, day(1)), as_user="badinh")
        self.assertEqual([a["status"] for a in r.json["actions"]], ["overdue", "open"])
        r = self.get("/api/v1/inspections/%d?date=%s" % (iid, day(4)), as_user="badinh")
        self.assertEqual([a["status"] for a in r.json["actions"]], ["overdue", "overdue"])
        self.assertError(self.get("/api/v1/inspections/%d?date=30/10/2021" % iid,
                                  as_user="badinh"), 400, field="date")

        # Now the inspected commune sees it and reports its remedies; a sibling still not.
        self.assertTrue(self.visible("phucxa", iid))
        self.assertFalse(self.visible("trucbach", iid))
        done = "/api/v1/inspection-actions/%d/done"
        self.assertError(self.post(done % a1, {"done_on": day(0)}, as_user="trucbach"), 404)
        self.assertError(self.post(done % a1, {"done_on": day(2)}, as_user="phucxa"), 422,
                         field="done_on")
        r = self.post(done % a1, {"done_on": day(0), "note": "Đã cập nhật"}, as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertError(self.post(done % a1, {"done_on": day(0)}, as_user="phucxa"), 409)
        self.assertEqual(len(self.audit("inspection.action_done", a1)), 1)
        r = self.get("/api/v1/inspections/%d?date=%s" % (iid, day(9)), as_user="phucxa")
        self.assertEqual([a["status"] for a in r.json["actions"]], ["done", "overdue"])
        self.assertEqual(r.json["actions"][0]["done_on"], day(0))
        self.assertIsNotNone(a2)

    def test_public_inspection_is_seen_by_the_target_at_once(self):
        r = self.plan(kind="announced", public=True, title="Kiểm tra công khai")
        self.assertStatus(r, 201)
        iid = r.json["id"]
        self.assertTrue(self.visible("phucxa", iid))
        self.assertFalse(self.visible("trucbach", iid))
        r = self.get("/api/v1/inspections/%d" % iid, as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["kind"], "announced")
        self.assertTrue(r.json["public"])
        # Seeing it is not writing it.
        r = self.request("PUT", "/api/v1/inspections/%d/findings" % iid,
                         {"items": [{"item": "reporting", "result": "pass"}]}, as_user="phucxa")
        self.assertError(r, 404)

    def test_business_inspection_by_tax_code(self):
        base = {"template": "business_covid", "title": "Kiểm tra an toàn COVID Công ty May Phúc Xá"}
        for tax in ("012345678", "01234567890", "0123456789-01", "0123456789/001", "abcdefghij"):
            r = self.plan(target={"unit_code": "00001", "tax_code": tax,
                                  "business_name": "Công ty May"}, **base)
            self.assertError(r, 422, field="target.tax_code", mentions="0123456789")
        r = self.plan(target={"unit_code": "00001", "business_name": "Công ty May"}, **base)
        self.assertError(r, 422, field="target.tax_code")
        r = self.plan(target={"unit_code": "00001", "tax_code": "0101234567"}, **base)
        self.assertError(r, 422, field="target.business_name")
        # A unit's template takes no business.
        r = self.plan(target={"unit_code": "00001", "tax_code": "0101234567",
                              "business_name": "Công ty May"})
        self.assertError(r, 422, field="target.tax_code")
        for tax in ("0101234567", "0101234567-001"):
            r = self.plan(target={"unit_code": "00001", "tax_code": tax,
                                  "business_name": "Công ty May Phúc Xá"}, **base)
            self.assertStatus(r, 201)
            got = self.get("/api/v1/inspections/%d" % r.json["id"], as_user="badinh").json
            self.assertEqual(got["target"], {"unit_code": "00001", "tax_code": tax,
                                             "business_name": "Công ty May Phúc Xá"})
            self.assertEqual(got["checklist"][0]["item"],
                             TEMPLATES["business_covid"]["items"][0]["id"])

    def test_bad_input_changes_nothing(self):
        before = self.count()
        cases = [
            ({"title": ""}, "title"),
            ({"kind": "sometimes"}, "kind"),
            ({"period_from": "2021-13-01"}, "period_from"),
            ({"period_to": day(-20)}, "period_to"),
            ({"template": "nope"}, "template"),
            ({"target": {"unit_code": "99999"}}, "target.unit_code"),
            ({"target": "00001"}, "target"),
            ({"team": [{"name": "Thiếu vai trò"}]}, "team[0].role"),
            ({"team": "cả tổ"}, "team"),
        ]
        for change, field in cases:
            r = self.plan(**change)
            self.assertError(r, 422, field=field, msg=str(change))
        # English on request.
        r = self.request("POST", "/api/v1/inspections", {"title": "x"}, as_user="badinh",
                         headers={"Accept-Language": "en"})
        self.assertError(r, 422, mentions="field")
        # A target outside the issuer; an issuer outside the caller's scope.
        r = self.plan(target={"unit_code": "26734"})
        self.assertError(r, 422, field="target.unit_code")
        r = self.plan(as_user="phucxa")
        self.assertError(r, 404, field="issuer")
        r = self.plan(as_user="ytephucxa", issuer="00001")
        self.assertError(r, 403)
        self.assertError(self.plan(as_user=None), 401)
        self.assertEqual(self.count(), before)

    # ---- reward and discipline ----
    def decide(self, as_user="badinh", **kw):
        body = {"kind": "reward", "form": "Giấy khen", "number": "123/QĐ-UBND",
                "person_name": "Trần Văn Tổ Trưởng", "unit_code": "00001",
                "reason": "Hoàn thành xuất sắc nhiệm vụ của Tổ COVID cộng đồng",
                "decided_on": day(0), "issuer": "001", "public": True}
        body.update(kw)
        return self.post("/api/v1/decisions", body, as_user=as_user)

    def test_decisions_public_page_carries_only_what_is_published(self):
        r = self.plan(title="Kiểm tra để khen thưởng")
        iid = r.json["id"]
        r = self.decide(inspection_id=iid, number="201/QĐ-UBND")
        self.assertStatus(r, 201)
        self.assertEqual(len(self.audit("decision.create", r.json["id"])), 1)
        r = self.decide(kind="discipline", form="Khiển trách", number="202/QĐ-UBND",
                        person_name="Phạm Văn Bí Mật", unit_code="00004",
                        reason="Lý do nội bộ không công bố", public=False)
        self.assertStatus(r, 201)
        r = self.decide(kind="discipline", form="Phê bình", number="203/QĐ-UBND",
                        person_name=None, unit_code="00004",
                        reason="Chậm cập nhật danh sách hộ", public=True)
        self.assertStatus(r, 201)

        for path in ("/api/v1/public/decisions", "/api/v1/public/decisions?unit=001",
                     "/api/v1/public/decisions?unit=01"):
            for user in (None, "admin", "phucxa"):
                r = self.get(path, as_user=user)
                self.assertStatus(r, 200)
                self.assertEqual(set(r.json), {"items"})
                for item in r.json["items"]:
                    self.assertEqual(set(item), {"name", "unit", "decision", "reason", "date"})
                    self.assertEqual(set(item["decision"]), {"kind", "form", "number"})
                numbers = [i["decision"]["number"] for i in r.json["items"]]
                self.assertIn("201/QĐ-UBND", numbers)
                self.assertIn("203/QĐ-UBND", numbers)
                self.assertNotIn("202/QĐ-UBND", numbers)
                self.assertNotIn("Bí Mật", r.raw.decode("utf-8"))
                self.assertNotIn("nội bộ", r.raw.decode("utf-8"))
        r = self.get("/api/v1/public/decisions?unit=79")
        self.assertNotIn("201/QĐ-UBND", [i["decision"]["number"] for i in r.json["items"]])
        r = self.get("/api/v1/public/decisions")
        got = {i["decision"]["number"]: i for i in r.json["items"]}
        self.assertEqual(got["201/QĐ-UBND"], {
            "name": "Trần Văn Tổ Trưởng", "unit": "Phường Phúc Xá",
            "decision": {"kind": "reward", "form": "Giấy khen", "number": "201/QĐ-UBND"},
            "reason": "Hoàn thành xuất sắc nhiệm vụ của Tổ COVID cộng đồng", "date": day(0)})
        self.assertIsNone(got["203/QĐ-UBND"]["name"])

        # The officials' list has all of the issuer's, with the link.
        r = self.get("/api/v1/decisions?unit=001", as_user="hanoi")
        self.assertStatus(r, 200)
        got = {i["number"]: i for i in r.json["items"]}
        self.assertIn("202/QĐ-UBND", got)
        self.assertEqual(got["201/QĐ-UBND"]["inspection_id"], iid)
        self.assertFalse(got["202/QĐ-UBND"]["public"])
        r = self.get("/api/v1/decisions", as_user="hcm")
        self.assertNotIn("202/QĐ-UBND", [i["number"] for i in r.json["items"]])
        self.assertError(self.get("/api/v1/decisions?unit=001", as_user="hcm"), 404)

    def test_decision_bad_input_changes_nothing(self):
        before = len(self.get("/api/v1/decisions", as_user="admin").json["items"])
        hidden = self.plan(title="Kiểm tra đột xuất").json["id"]
        cases = [
            ({"kind": "praise"}, "kind", 422),
            ({"form": ""}, "form", 422),
            ({"decided_on": day(1)}, "decided_on", 422),
            ({"decided_on": "30/10/2021"}, "decided_on", 422),
            ({"person_name": None, "unit_code": None}, "person_name", 422),
            ({"unit_code": "26734"}, "unit_code", 422),
            # a household names a family and its address: never a decision's subject
            ({"unit_code": "00001-001-0001"}, "unit_code", 422),
            ({"inspection_id": "một"}, "inspection_id", 422),
            ({"public": "yes"}, "public", 422),
        ]
        for change, field, status in cases:
            self.assertError(self.decide(**change), status, field=field, msg=str(change))
        # An inspection the caller may not read cannot be named.
        r = self.decide(as_user="phucxa", issuer="00001", inspection_id=hidden)
        self.assertError(r, 422, field="inspection_id")
        self.assertError(self.decide(as_user="phucxa"), 404, field="issuer")
        self.assertError(self.decide(as_user="nguoidan"), 403)
        self.assertEqual(len(self.get("/api/v1/decisions", as_user="admin").json["items"]), before)


if __name__ == "__main__":
    main()
