"""
Support to people in hardship over HTTP: the programmes are public data;
a commune enters an application, its eligibility and amount are the
programme's; each step of the chain is decided at its level, with its
deadline in working days (the feedback calendar) met or missed; the same
ID number in exclusive programmes, across provinces, is flagged before
approval without telling an approver where an out-of-scope record lies;
payments are reconciled; the public posting shows names and amounts only;
the no-one-left-behind report lists F0/F1 under an order and households in
a zone until they are paid.  Every approval and payment is audited.
"""

import datetime
import json
import os

from harness import DATA_DIR, SUPPORT_EXTRA, ServerTestCase, cli, main

HOLIDAYS = json.load(open(os.path.join(DATA_DIR, "feedback.json"), encoding="utf-8"))["holidays"]
PROGRAMMES = sorted(f[:-5] for d in (os.path.join(DATA_DIR, "support"), SUPPORT_EXTRA)
                    for f in os.listdir(d) if f.endswith(".json"))


def deadline(from_iso, days):
    off = set()
    for h in HOLIDAYS:
        d = datetime.date.fromisoformat(h["from"])
        while d <= datetime.date.fromisoformat(h["to"]):
            off.add(d)
            d += datetime.timedelta(days=1)
    d = datetime.date.fromisoformat(from_iso)
    while days:
        d += datetime.timedelta(days=1)
        if d.weekday() < 5 and d not in off:
            days -= 1
    return d.isoformat()


def vn_today():
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)).date()


HOUSEHOLD = {"programme": "nq68-household", "unit_code": "00001-001-0001",
             "full_name": "Hộ kinh doanh Canary Bùi", "id_number": "001090000111",
             "address": "Canary số 5 ngõ Phúc Xá", "registered": True, "days": 20,
             "received_on": "2021-10-01"}


class SupportTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        rc, out, err = cli("user", "add", "--db", cls.server.db, "--username", "tandinh", "--role",
                           "commune_officer", "--unit", "26734", "--name", "Cán bộ Tân Định",
                           input="demo2021\n")
        assert rc == 0, err

    def apply(self, body=None, as_user="phucxa", **extra):
        b = dict(HOUSEHOLD)
        b.update(body or {})
        b.update(extra)
        return self.post("/api/v1/support/applications", b, as_user=as_user)

    def created(self, body=None, as_user="phucxa", **extra):
        r = self.apply(body, as_user, **extra)
        self.assertStatus(r, 201)
        return r.json

    def decide(self, sid, what, as_user, **body):
        return self.post("/api/v1/support/applications/%d/%s" % (sid, what), body, as_user=as_user)

    def audit(self, action, entity_id):
        r = self.get("/api/v1/audit?limit=500", as_user="admin")
        self.assertStatus(r, 200)
        return [a for a in r.json["items"]
                if a["action"] == action and a["entity_id"] == str(entity_id)]

    def count(self):
        r = self.get("/api/v1/support/applications", as_user="admin")
        self.assertStatus(r, 200)
        return len(r.json["items"])

    # ---- programmes ----
    def test_programmes_are_public_data_with_marks(self):
        r = self.get("/api/v1/support/programmes")
        self.assertStatus(r, 200)
        got = {p["id"]: p for p in r.json["items"]}
        self.assertEqual(sorted(got), PROGRAMMES)
        self.assertIn("hcm-freelance", got)
        for p in got.values():
            for key in ("conditions", "amount", "excludes", "chain", "posting", "deadline"):
                self.assertIn(p["marks"][key]["status"], ("confirmed", "assumption"), p["id"])
        hh = got["nq68-household"]
        self.assertEqual([s["working_days"] for s in hh["chain"]], [3, 2, 3])

    # ---- entering ----
    def test_eligibility_amount_and_refusals(self):
        a = self.created(received_on="2021-09-01")
        self.assertEqual(a["amount"], 3000000)
        self.assertEqual(a["status"], "pending")
        self.assertEqual(a["commune_code"], "00001")
        self.assertEqual(a["step_deadline"], deadline("2021-09-01", 3))
        n = self.count()
        r = self.apply(days=10)
        self.assertError(r, 422, field="facts", mentions="15")
        r = self.apply(registered=False)
        self.assertError(r, 422, field="facts")
        r = self.apply(programme="nq68-nothing")
        self.assertError(r, 422, field="programme")
        r = self.apply(id_number="12ab")
        self.assertError(r, 422, field="id_number")
        r = self.apply(received_on="2031-01-01")
        self.assertError(r, 422, field="received_on")
        # After the programme's deadline: refused, the date as people write it.
        r = self.apply(received_on="2022-02-01")
        self.assertError(r, 422, field="received_on", mentions="31/01/2022")
        self.assertStatus(self.apply(received_on="2022-01-31", full_name="Hộ Canary Hạn Cuối"), 201)
        n += 1
        r = self.apply(unit_code="00001")
        self.assertError(r, 422, field="unit_code", mentions="household")
        # Another commune's household is out of this officer's scope.
        r = self.apply(unit_code="00004-001-0001")
        self.assertStatus(r, (404, 422))
        # HCMC's own programme does not apply in Hà Nội.
        r = self.apply(programme="hcm-freelance", unit_code="00001", resident=True,
                       monthly_income=2000000)
        self.assertError(r, 422, field="unit_code")
        r = self.apply(as_user="todan1")
        self.assertStatus(r, 403)
        r = self.post("/api/v1/support/applications", HOUSEHOLD)
        self.assertStatus(r, 401)
        self.assertEqual(self.count(), n)

    def test_csv_list_all_or_nothing(self):
        csv_h = {"Content-Type": "text/csv"}
        head = "programme,unit_code,full_name,id_number,days,order_ref,pregnant,children_under_6,source,employer,received_on\n"
        good = ("nq68-stoppage,00001,Canary Công Nhân Một,001090000601,20,QĐ 7,1,1,employer,Công ty May A,2021-10-01\n"
                "nq68-stoppage,00001,Canary Công Nhân Hai,001090000602,14,QĐ 7,0,0,employer,Công ty May A,2021-10-01\n")
        n = self.count()
        r = self.request("POST", "/api/v1/support/applications", raw=(head + good + 
                         "nq68-stoppage,00001,Canary Công Nhân Ba,001090000603,mười,QĐ 7,0,0,employer,A,2021-10-01\n").encode(),
                         headers=csv_h, as_user="phucxa")
        err = self.assertError(r, 422, mentions=("line 4", "dòng 4"))
        self.assertIn("days", err["message"])
        r = self.request("POST", "/api/v1/support/applications", raw=(head + good +
                         "nq68-stoppage,00001,Canary Công Nhân Ba,001090000603,5,QĐ 7,0,0,employer,A,2021-10-01\n").encode(),
                         headers=csv_h, as_user="phucxa")
        self.assertError(r, 422, mentions=("line 4", "dòng 4"))
        r = self.request("POST", "/api/v1/support/applications", raw=(head + good +
                         "nq68-stoppage,00004,Canary Công Nhân Ba,001090000603,20,QĐ 7,0,0,employer,A,2021-10-01\n").encode(),
                         headers=csv_h, as_user="phucxa")
        self.assertError(r, (404, 422), mentions=("line 4", "dòng 4"))
        self.assertEqual(self.count(), n)
        r = self.request("POST", "/api/v1/support/applications", raw=(head + good).encode(),
                         headers=csv_h, as_user="phucxa")
        self.assertStatus(r, 201)
        self.assertEqual(r.json["stored"], 2)
        self.assertEqual([i["amount"] for i in r.json["items"]], [3000000, 1000000])
        self.assertEqual(self.count(), n + 2)

    # ---- duplicates across provinces ----
    def test_duplicate_across_provinces_without_leak(self):
        idn = "079123456789"
        hn = self.created({"programme": "nq68-stoppage", "unit_code": "00001", "id_number": idn,
                           "full_name": "Canary Trùng Hà Nội", "address": "Canary HN địa chỉ",
                           "days": 20, "order_ref": "QĐ 1", "children_under_6": 1})
        self.assertEqual(hn["amount"], 2000000)
        hcm = self.created({"programme": "nq68-suspended", "unit_code": "26734", "id_number": idn,
                            "full_name": "Canary Trùng HCM", "days": 30,
                            "social_insurance": True, "registered": False}, as_user="tandinh",
                           address="Canary HCM địa chỉ")
        self.assertEqual(hcm["amount"], 3710000)
        # F0/F1 support is not exclusive with the work policies: no flag there.
        f0 = self.created({"programme": "nq68-f0f1", "unit_code": "26734", "id_number": idn,
                           "full_name": "Canary Trùng HCM", "days": 10, "order_ref": "QĐ 2",
                           "age": 30}, as_user="tandinh")
        r = self.get("/api/v1/support/applications/%d" % f0["id"], as_user="tandinh")
        self.assertFalse(r.json["duplicates"]["flagged"])
        # The HCMC officer learns a duplicate exists, not where.
        r = self.get("/api/v1/support/applications/%d" % hcm["id"], as_user="tandinh")
        self.assertStatus(r, 200)
        d = r.json["duplicates"]
        self.assertTrue(d["flagged"])
        self.assertEqual(d["in_scope"], [])
        self.assertEqual(d["elsewhere"], 1)
        for leak in ("00001", "Hà Nội", "Canary HN", "nq68-stoppage", str(hn["id"])):
            self.assertNotIn(leak, json.dumps(r.json["duplicates"], ensure_ascii=False))
        self.assertNotIn("Canary HN", r.raw.decode())
        # So does the Hà Nội officer, for the other way round.
        r = self.get("/api/v1/support/applications/%d" % hn["id"], as_user="phucxa")
        self.assertEqual(r.json["duplicates"]["elsewhere"], 1)
        self.assertNotIn("26734", json.dumps(r.json["duplicates"]))
        # The national administrator sees both.
        r = self.get("/api/v1/support/applications/%d" % hn["id"], as_user="admin")
        self.assertEqual([x["id"] for x in r.json["duplicates"]["in_scope"]], [hcm["id"]])
        self.assertEqual(r.json["duplicates"]["in_scope"][0]["unit_code"], "26734")
        # Flagged before approval: the approver must say why to go on.
        r = self.decide(hcm["id"], "approve", "hcm")
        self.assertError(r, 409, field="duplicate_note")
        r = self.get("/api/v1/support/applications/%d" % hcm["id"], as_user="hcm")
        self.assertEqual(r.json["step"], 0)
        r = self.decide(hcm["id"], "approve", "hcm", duplicate_note="Đã xác minh với Hà Nội")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["step"], 1)
        # Rejected, the other no longer counts as a duplicate.
        r = self.decide(hn["id"], "reject", "phucxa", reason="Trùng với hồ sơ tại TP.HCM")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"], "rejected")
        r = self.get("/api/v1/support/applications/%d" % hcm["id"], as_user="tandinh")
        self.assertFalse(r.json["duplicates"]["flagged"])

    # ---- the chain ----
    def test_chain_with_deadlines_met_and_missed(self):
        a = self.created(received_on="2021-09-01", full_name="Hộ Canary Chuỗi")
        sid = a["id"]
        d0 = deadline("2021-09-01", 3)      # 2/9 and 3/9 are holidays
        self.assertEqual(d0, "2021-09-08")
        # The district cannot decide the commune's step, nor a commune the district's.
        r = self.decide(sid, "approve", "trucbach", decided_on="2021-09-08")
        self.assertStatus(r, 404)
        r = self.decide(sid, "approve", "phucxa", decided_on="2021-08-30")
        self.assertError(r, 422, field="decided_on")
        r = self.decide(sid, "approve", "phucxa", decided_on=d0)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["step"], 1)
        self.assertEqual(r.json["posted_from"], d0)
        self.assertEqual(r.json["posted_until"], deadline(d0, 2))
        d1 = deadline(d0, 2)
        self.assertEqual(r.json["step_deadline"], d1)
        r = self.decide(sid, "approve", "phucxa", decided_on=d1)
        self.assertError(r, 403, mentions=("district", "huyện"))
        r = self.post("/api/v1/support/applications/%d/notes" % sid,
                      {"kind": "objection", "text": "Hộ này vẫn bán hàng", "received_on": d0},
                      as_user="phucxa")
        self.assertStatus(r, 201)
        late_day = "2021-09-14"
        r = self.decide(sid, "approve", "badinh", decided_on=late_day)
        self.assertStatus(r, 200)
        d2 = deadline(late_day, 3)
        self.assertEqual(r.json["step_deadline"], d2)
        r = self.decide(sid, "approve", "badinh", decided_on=d2)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"], "approved")
        r = self.decide(sid, "approve", "badinh")
        self.assertError(r, 409)
        r = self.get("/api/v1/support/applications/%d" % sid, as_user="badinh")
        steps = [(e["action"], e["step"], e["level"], e["deadline"], e["late"])
                 for e in r.json["history"] if e["action"] in ("approve",)]
        self.assertEqual(steps, [("approve", 0, "commune", d0, False),
                                 ("approve", 1, "district", d1, True),
                                 ("approve", 2, "district", d2, False)])
        self.assertIn("objection", [e["action"] for e in r.json["history"]])
        self.assertEqual(len(self.audit("support.approve", sid)), 3)
        self.assertEqual(len(self.audit("support.objection", sid)), 1)
        # Payment: never beyond the approved amount; audited.
        pay = lambda amount, who="phucxa": self.post(
            "/api/v1/support/applications/%d/payments" % sid,
            {"method": "cash", "amount": amount, "paid_on": "2021-09-20"}, as_user=who)
        self.assertError(pay(3000001), 409, field="amount")
        self.assertError(pay(1000, "trucbach"), 404)
        r = self.post("/api/v1/support/applications/%d/payments" % sid,
                      {"method": "cheque", "amount": 1}, as_user="phucxa")
        self.assertError(r, 422, field="method")
        r = pay(1000000)
        self.assertStatus(r, 201)
        self.assertEqual(r.json["status"], "approved")
        r = pay(2000000)
        self.assertStatus(r, 201)
        self.assertEqual(r.json["status"], "paid")
        self.assertEqual(r.json["paid_amount"], 3000000)
        self.assertError(pay(1), 409)
        self.assertEqual(len(self.audit("support.pay", sid)), 2)
        # Rejection needs a reason; a pending one is not paid.
        b = self.created(received_on="2021-09-01", full_name="Hộ Canary Từ Chối")
        self.assertError(self.decide(b["id"], "reject", "phucxa"), 422, field="reason")
        r = self.post("/api/v1/support/applications/%d/payments" % b["id"],
                      {"method": "bank", "amount": 1}, as_user="phucxa")
        self.assertError(r, 409)
        r = self.decide(b["id"], "reject", "phucxa", reason="Không dừng hoạt động")
        self.assertEqual(r.json["status"], "rejected")
        self.assertEqual(len(self.audit("support.reject", b["id"])), 1)
        # Totals reconcile the payments with the approved list.
        r = self.get("/api/v1/support/totals?unit=00001", as_user="badinh")
        self.assertStatus(r, 200)
        t = {x["programme"]: x for x in r.json["items"]}["nq68-household"]
        self.assertGreaterEqual(t["paid_amount"], 3000000)
        self.assertEqual(t["paid_amount"] + t["unpaid_amount"], t["approved_amount"])
        self.assertStatus(self.get("/api/v1/support/totals?unit=00001", as_user="trucbach"), 404)

    # ---- scope ----
    def test_personal_data_stays_in_scope(self):
        a = self.created(full_name="Hộ Canary Phạm Vi", id_number="001090000222",
                         address="Canary Phạm Vi địa chỉ")
        self.assertStatus(self.get("/api/v1/support/applications/%d" % a["id"],
                                   as_user="trucbach"), 404)
        self.assertStatus(self.get("/api/v1/support/applications/%d" % a["id"],
                                   as_user="todan1"), 403)
        self.assertStatus(self.get("/api/v1/support/applications/%d" % a["id"]), 401)
        r = self.get("/api/v1/support/applications", as_user="trucbach")
        self.assertStatus(r, 200)
        self.assertNotIn("Canary Phạm Vi", r.raw.decode())
        self.assertStatus(self.get("/api/v1/support/applications?unit=00001",
                                   as_user="trucbach"), 404)
        r = self.get("/api/v1/support/applications/%d" % a["id"], as_user="phucxa")
        self.assertEqual(r.json["id_number"], "001090000222")
        self.assertEqual(len(self.audit("support.read", a["id"])), 1)
        # The list, as the commune submits it, in CSV.
        r = self.get("/api/v1/support/applications?unit=00001&programme=nq68-household&format=csv",
                     as_user="phucxa")
        self.assertEqual(r.status, 200)
        text = r.raw.decode("utf-8-sig")
        head = text.splitlines()[0]
        self.assertEqual(head.split(",")[:5], ["STT", "Mã hồ sơ", "Họ và tên", "Số CCCD/CMND",
                                               "Địa chỉ"])
        self.assertIn("Hộ Canary Phạm Vi", text)

    # ---- public posting ----
    def test_public_posting_names_and_amounts_only(self):
        a = self.created(full_name="Hộ Canary Niêm Yết", id_number="001090000333",
                         address="Canary Niêm Yết số nhà")
        url = "/api/v1/support/postings?unit=00001&programme=nq68-household"
        r = self.get(url)
        self.assertStatus(r, 200)
        self.assertNotIn("Hộ Canary Niêm Yết", r.raw.decode())   # not posted yet
        r = self.decide(a["id"], "approve", "phucxa")
        self.assertStatus(r, 200)
        today = vn_today().isoformat()
        self.assertEqual(r.json["posted_from"], today)
        r = self.get(url)
        self.assertStatus(r, 200)
        names = [i["full_name"] for i in r.json["items"]]
        self.assertIn("Hộ Canary Niêm Yết", names)
        for item in r.json["items"]:
            self.assertEqual(set(item), {"line", "full_name", "amount"})
        # Every public support answer: no ID number, no address.
        secrets = [HOUSEHOLD["id_number"], "001090000333", "Canary Niêm Yết số nhà",
                   HOUSEHOLD["address"], "079123456789", "Canary HN", "Canary HCM", "Canary Phạm Vi"]
        for path in ["/api/v1/support/programmes", url,
                     "/api/v1/support/postings?unit=26734&programme=nq68-suspended",
                     "/api/v1/support/postings?unit=26734&programme=hcm-freelance",
                     "/api/v1/support/postings?unit=00001&programme=nq68-stoppage",
                     "/api/v1/support/postings?unit=00001&programme=nq68-f0f1"]:
            r = self.get(path)
            self.assertStatus(r, 200, path)
            body = r.raw.decode()
            for s in secrets:
                self.assertNotIn(s, body, path)
        self.assertError(self.get("/api/v1/support/postings?unit=001&programme=nq68-household"), 404)
        self.assertError(self.get("/api/v1/support/postings?unit=00001"), 400, field="programme")
        self.assertError(self.get("/api/v1/support/postings?unit=00001&programme=x"), 404)

    # ---- no one left behind ----
    def test_no_one_left_behind(self):
        r = self.post("/api/v1/units", {"parent_code": "00004", "level": "hamlet",
                                        "name": "Tổ dân phố Canary", "type": "tổ dân phố"},
                      as_user="trucbach")
        self.assertStatus(r, 201)
        hamlet = r.json["code"]
        r = self.post("/api/v1/units", {"parent_code": hamlet, "level": "household",
                                        "name": "Hộ Canary Phong Tỏa", "members": 4},
                      as_user="trucbach")
        self.assertStatus(r, 201)
        household = r.json["code"]
        r = self.post("/api/v1/cases", {"person": {"full_name": "Canary F0 Trúc Bạch",
                                                   "unit_code": hamlet},
                                        "detected_on": "2021-10-12", "source": "community",
                                        "test_type": "rt-pcr"}, as_user="trucbach")
        self.assertStatus(r, 201)
        person = r.json["person_id"]
        url = "/api/v1/support/left-behind?unit=00004"
        r = self.get(url, as_user="trucbach")
        self.assertStatus(r, 200)
        self.assertNotIn(household, [i["unit_code"] for i in r.json["items"]])
        self.assertNotIn(person, [i.get("person_id") for i in r.json["items"]])
        # A zone over the hamlet and an isolation order put them on the report.
        self.assertStatus(self.post("/api/v1/zones", {"unit_code": hamlet, "reason": "ổ dịch",
                                                      "started_on": "2021-10-12"},
                                    as_user="trucbach"), 201)
        self.assertStatus(self.post("/api/v1/isolations", {"person_id": person, "kind": "home",
                                                           "unit_code": hamlet,
                                                           "started_on": "2021-10-12"},
                                    as_user="trucbach"), 201)
        r = self.get(url, as_user="trucbach")
        got = {(i["kind"], i["reason"], i["unit_code"]) for i in r.json["items"]}
        self.assertIn(("household", "zone", household), got)
        self.assertIn(("person", "f0", hamlet), got)
        r = self.get("/api/v1/audit?limit=500", as_user="admin")
        self.assertIn(("support.left_behind", "00004"),
                      {(x["action"], x["unit_code"]) for x in r.json["items"]})
        self.assertStatus(self.get(url, as_user="phucxa"), 404)
        self.assertStatus(self.get(url, as_user="todan1"), 403)
        r = self.get(url + "&format=csv", as_user="trucbach")
        self.assertEqual(r.status, 200)
        self.assertIn("Hộ Canary Phong Tỏa", r.raw.decode("utf-8-sig"))
        # Approved is not enough: the household leaves once paid.
        a = self.created({"unit_code": household, "full_name": "Hộ Canary Phong Tỏa",
                          "id_number": "001090000444"}, as_user="trucbach")
        for who in ("trucbach", "badinh", "badinh"):
            self.assertStatus(self.decide(a["id"], "approve", who), 200)
        r = self.get(url, as_user="trucbach")
        self.assertIn(household, [i["unit_code"] for i in r.json["items"]])
        self.assertStatus(self.post("/api/v1/support/applications/%d/payments" % a["id"],
                                    {"method": "bank", "amount": 3000000, "reference": "UNC 7"},
                                    as_user="trucbach"), 201)
        r = self.get(url, as_user="trucbach")
        self.assertNotIn(household, [i["unit_code"] for i in r.json["items"]])
        self.assertIn(person, [i.get("person_id") for i in r.json["items"]])
        # The F0 leaves once the F0/F1 support linked to them is paid.
        f = self.created({"programme": "nq68-f0f1", "unit_code": hamlet, "person_id": person,
                          "full_name": "Canary F0 Trúc Bạch", "id_number": None,
                          "address": None, "days": 14, "order_ref": "QĐ 9", "age": 8},
                         as_user="trucbach")
        self.assertEqual(f["amount"], 14 * 80000 + 1000000)
        self.assertStatus(self.decide(f["id"], "approve", "trucbach"), 200)
        self.assertStatus(self.decide(f["id"], "approve", "badinh"), 200)
        self.assertStatus(self.post("/api/v1/support/applications/%d/payments" % f["id"],
                                    {"method": "post", "amount": f["amount"]},
                                    as_user="trucbach"), 201)
        r = self.get(url, as_user="trucbach")
        self.assertNotIn(person, [i.get("person_id") for i in r.json["items"]])


if __name__ == "__main__":
    main()
