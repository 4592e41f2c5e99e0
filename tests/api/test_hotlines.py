"""
Hotlines and duty rosters over HTTP: the public directory of a unit shows
its numbers and those of its district and province, each with who is on
duty now; officials whose scope holds the unit replace its list and a
week's roster (audited); bad input answers naming the field and changes
nothing.
"""

import datetime

from harness import ServerTestCase, main


def vn_now():
    return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)


def monday_of(day):
    return day - datetime.timedelta(days=day.weekday())


class HotlinesTest(ServerTestCase):
    def put(self, path, body, as_user):
        return self.request("PUT", path, body=body, as_user=as_user)

    def hotlines(self, code, as_user=None):
        r = self.get("/api/v1/units/%s/hotlines" % code, as_user=as_user)
        self.assertStatus(r, 200)
        return {u["code"]: u for u in r.json["units"]}, r.json

    def audit(self, action, code):
        r = self.get("/api/v1/audit?limit=500", as_user="admin")
        self.assertStatus(r, 200)
        return [a for a in r.json["items"] if a["action"] == action and a["entity_id"] == code]

    def week(self):
        return monday_of(vn_now().date()).isoformat()

    def test_public_read_with_ancestors_and_on_duty(self):
        for code, label, phone in (("01", "Sở Y tế Hà Nội", "1900 9095"),
                                   ("001", "Trung tâm Y tế quận Ba Đình", "024.3823.1234"),
                                   ("00001", "Trạm Y tế phường Phúc Xá", "0912 345 678")):
            r = self.put("/api/v1/units/%s/hotlines" % code,
                         {"items": [{"kind": "health", "label": label, "phone": phone,
                                     "always_open": True},
                                    {"kind": "police", "label": "Công an", "phone": "113",
                                     "hours": "Cả ngày"}]}, "admin")
            self.assertStatus(r, 200)
        today = vn_now().date().isoformat()
        r = self.put("/api/v1/units/00001/duty?week_start=" + self.week(),
                     {"shifts": [{"date": today, "from": "00:00", "to": "24:00",
                                  "name": "Nguyễn Văn Trực", "phone": "0987 654 321"}]},
                     "phucxa")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["shifts"][0]["phone"], "0987654321")
        units, doc = self.hotlines("00001")
        self.assertEqual([u["code"] for u in doc["units"]], ["00001", "001", "01"])
        self.assertEqual(units["001"]["hotlines"][0]["phone"], "02438231234")
        self.assertEqual(units["01"]["hotlines"][0]["phone"], "19009095")
        self.assertEqual(units["00001"]["hotlines"][0]["label"], "Trạm Y tế phường Phúc Xá")
        self.assertTrue(units["00001"]["hotlines"][0]["always_open"])
        self.assertEqual(units["00001"]["hotlines"][1]["hours"], "Cả ngày")
        self.assertEqual(units["00001"]["on_duty"]["name"], "Nguyễn Văn Trực")
        self.assertIsNone(units["001"]["on_duty"])
        # The district's page shows the district and the province only.
        units, doc = self.hotlines("001")
        self.assertEqual([u["code"] for u in doc["units"]], ["001", "01"])

    def test_edit_only_in_scope(self):
        body = {"items": [{"kind": "unit", "label": "UBND phường", "phone": "0243 111 2222"}]}
        self.assertStatus(self.put("/api/v1/units/00004/hotlines", body, "phucxa"), 404)
        self.assertStatus(self.put("/api/v1/units/00001/hotlines", body, "ytephucxa"), 403)
        self.assertStatus(self.put("/api/v1/units/00001/hotlines", body, "nguoidan"), 403)
        self.assertStatus(self.request("PUT", "/api/v1/units/00001/hotlines", body=body), 401)
        units, _ = self.hotlines("00004")
        self.assertEqual(units["00004"]["hotlines"], [])
        self.assertStatus(self.put("/api/v1/units/00004/hotlines", body, "trucbach"), 200)
        self.assertStatus(self.put("/api/v1/units/00004/hotlines", body, "badinh"), 200)
        units, _ = self.hotlines("00004")
        self.assertEqual(units["00004"]["hotlines"][0]["phone"], "02431112222")
        wk = "/api/v1/units/00004/duty?week_start=" + self.week()
        self.assertStatus(self.get(wk, as_user="phucxa"), 404)
        self.assertStatus(self.get(wk, as_user="ytephucxa"), 403)
        self.assertStatus(self.get(wk), 401)
        r = self.get(wk, as_user="trucbach")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["week_start"], self.week())

    def test_bad_input_names_the_field_and_changes_nothing(self):
        good = {"items": [{"kind": "health", "label": "Trạm Y tế", "phone": "0912345678"}]}
        self.assertStatus(self.put("/api/v1/units/00007/hotlines", good, "admin"), 200)
        before = self.hotlines("00007")[0]["00007"]["hotlines"]
        n_audit = len(self.audit("hotlines.put", "00007"))
        for items, field in (
                ([good["items"][0], {"kind": "health", "label": "X", "phone": "12345"}],
                 "items[1].phone"),
                ([{"kind": "health", "label": "X", "phone": "0912 abc 678"}], "items[0].phone"),
                ([{"kind": "fire", "label": "X", "phone": "114"}], "items[0].kind"),
                ([{"kind": "health", "phone": "114"}], "items[0].label")):
            r = self.put("/api/v1/units/00007/hotlines", {"items": items}, "admin")
            err = self.assertError(r, 422, field=field)
            self.assertRegex(err["message"], "[ạảốờ]", "Vietnamese first")
        r = self.put("/api/v1/units/00007/hotlines", {"items": good["items"] * 31}, "admin")
        self.assertError(r, 422, field="items")
        self.assertEqual(self.hotlines("00007")[0]["00007"]["hotlines"], before)
        self.assertEqual(len(self.audit("hotlines.put", "00007")), n_audit)

        wk = self.week()
        mon = datetime.date.fromisoformat(wk)
        day = lambda k: (mon + datetime.timedelta(days=k)).isoformat()  # noqa: E731
        shift = lambda d, f, t: {"date": day(d), "from": f, "to": t,  # noqa: E731
                                 "name": "Trần Thị Trực", "phone": "0912345678"}
        path = "/api/v1/units/00007/duty?week_start=" + wk
        # A night shift to 06:00 the next morning, then the day shift from 06:00.
        ok = {"shifts": [shift(0, "22:00", "06:00"), shift(1, "06:00", "22:00")]}
        self.assertStatus(self.put(path, ok, "admin"), 200)
        for shifts, field in (
                ([shift(0, "22:00", "06:00"), shift(1, "05:00", "08:00")], "shifts[1].from"),
                ([shift(0, "08:00", "08:00")], "shifts[0].to"),
                ([shift(0, "25:00", "08:00")], "shifts[0].from"),
                ([shift(7, "08:00", "12:00")], "shifts[0].date"),
                ([dict(shift(0, "08:00", "12:00"), phone="999")], "shifts[0].phone"),
                ([shift(k // 6, "%02d:00" % (k % 6 * 4), "%02d:00" % (k % 6 * 4 + 3))
                  for k in range(43)], "shifts")):
            r = self.put(path, {"shifts": shifts}, "admin")
            self.assertError(r, 422, field=field)
        r = self.put("/api/v1/units/00007/duty?week_start=" + day(1), ok, "admin")
        self.assertError(r, 400, field="week_start")
        r = self.get(path, as_user="admin")
        self.assertStatus(r, 200)
        self.assertEqual([(s["date"], s["from"], s["to"]) for s in r.json["shifts"]],
                         [(day(0), "22:00", "06:00"), (day(1), "06:00", "22:00")])
        self.assertEqual(len(self.audit("duty.put", "00007")), 1)

    def test_replacing_is_audited(self):
        body = {"items": [{"kind": "social_support", "label": "Hỗ trợ an sinh",
                           "phone": "0243 999 8888", "hours": "7:30–17:00"}]}
        self.assertStatus(self.put("/api/v1/units/00010/hotlines", body, "badinh"), 200)
        self.assertStatus(self.put("/api/v1/units/00010/hotlines", {"items": []}, "badinh"), 200)
        rows = self.audit("hotlines.put", "00010")
        self.assertEqual(len(rows), 2)
        self.assertEqual(self.hotlines("00010")[0]["00010"]["hotlines"], [])
        r = self.put("/api/v1/units/00010/duty?week_start=" + self.week(),
                     {"shifts": [{"date": self.week(), "from": "07:00", "to": "19:00",
                                  "name": "Lê Văn Trực", "phone": "0912 000 111"}]}, "badinh")
        self.assertStatus(r, 200)
        self.assertEqual(len(self.audit("duty.put", "00010")), 1)


if __name__ == "__main__":
    main()
