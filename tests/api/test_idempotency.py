"""
Idempotency-Key on writes: a write sent again with the same key gets the
first answer (marked Idempotent-Replayed) and nothing is written twice; the
same key with another request is a 422 that changes nothing; a refused
write does not use its key up; keys belong to their user; two copies sent at
once write once.  Every write route of the routes table checks the header.
"""

import json
import threading
import unittest
import uuid

from harness import ServerTestCase, cli, main

HW = "ytephucxa"


def key():
    return str(uuid.uuid4())


def person(name):
    return {"full_name": name, "birth_year": 1980, "sex": "female", "unit_code": "00001-001"}


class IdempotencyTest(ServerTestCase):
    server_args = ("--feedback-anon-limit", "0")

    def post_key(self, path, body, k, as_user=HW, **kw):
        headers = dict(kw.pop("headers", {}), **{"Idempotency-Key": k})
        return self.request("POST", path, body=body, as_user=as_user, headers=headers, **kw)

    def cases_on(self, day):
        r = self.get("/api/v1/cases?unit=00001&from=%s&to=%s" % (day, day), as_user=HW)
        self.assertStatus(r, 200)
        return r.json["items"]

    def case_body(self, name, day):
        return {"person": person(name), "detected_on": day, "source": "community",
                "test_type": "rt-pcr"}

    def test_replay_gives_the_first_answer_and_writes_once(self):
        k, body = key(), self.case_body("Đỗ Thị Một Lần", "2020-02-03")
        first = self.post_key("/api/v1/cases", body, k)
        self.assertStatus(first, 201)
        self.assertIsNone(first.headers.get("idempotent-replayed"))
        again = self.post_key("/api/v1/cases", body, k)
        self.assertStatus(again, 201)
        self.assertEqual(again.headers.get("idempotent-replayed"), "true")
        self.assertEqual(again.json, first.json)
        self.assertEqual(len(self.cases_on("2020-02-03")), 1)
        # Without a key the same body is a new write, as before.
        self.assertStatus(self.post("/api/v1/cases", body, as_user=HW), 201)
        self.assertEqual(len(self.cases_on("2020-02-03")), 2)

    def test_same_key_other_request_is_refused_and_changes_nothing(self):
        k = key()
        self.assertStatus(self.post_key("/api/v1/cases",
                                        self.case_body("Phan Văn Khóa", "2020-02-04"), k), 201)
        r = self.post_key("/api/v1/cases", self.case_body("Phan Văn Khác", "2020-02-04"), k,
                          headers={"Accept-Language": "en"})
        self.assertError(r, 422, "unprocessable", field="Idempotency-Key")
        self.assertIn("another request", r.json["error"]["message"])
        # Another route with the key is another request too.
        r = self.post_key("/api/v1/units", {"parent_code": "00001", "level": "hamlet",
                                            "name": "Thôn khóa trùng", "type": "thôn"}, k,
                          as_user="phucxa")
        self.assertStatus(r, 201, "a key belongs to its user: phucxa never used it")
        r = self.post_key("/api/v1/units", {"parent_code": "00001", "level": "hamlet",
                                            "name": "Thôn khóa trùng 2", "type": "thôn"}, k,
                          as_user="phucxa")
        self.assertError(r, 422, "unprocessable", field="Idempotency-Key")
        self.assertEqual([c["person"]["full_name"] for c in self.cases_on("2020-02-04")],
                         ["Phan Văn Khóa"])

    def test_a_refused_write_does_not_use_the_key_up(self):
        k = key()
        bad = self.case_body("Lý Thị Sửa", "2020-13-01")
        r = self.post_key("/api/v1/cases", bad, k)
        self.assertError(r, 422)
        r = self.post_key("/api/v1/cases", self.case_body("Lý Thị Sửa", "2020-02-05"), k)
        self.assertStatus(r, 201, "the corrected request with the same key is written")
        self.assertEqual(len(self.cases_on("2020-02-05")), 1)

    def test_keys_belong_to_their_user_and_survive_a_new_session(self):
        k, body = key(), self.case_body("Hồ Văn Phiên", "2020-02-06")
        first = self.post_key("/api/v1/cases", body, k)
        self.assertStatus(first, 201)
        # Signed in again (an offline queue sent after the session expired).
        token = self.server.login(HW)
        again = self.server.request("POST", "/api/v1/cases", body=body, token=token,
                                    headers={"Idempotency-Key": k})
        self.assertStatus(again, 201)
        self.assertEqual(again.headers.get("idempotent-replayed"), "true")
        self.assertEqual(again.json["id"], first.json["id"])
        # Another user with the same key never sees the first answer.
        r = self.post_key("/api/v1/units", {"parent_code": "00001", "level": "hamlet",
                                            "name": "Thôn người khác", "type": "thôn"}, k,
                          as_user="phucxa")
        self.assertStatus(r, 201)
        self.assertIsNone(r.headers.get("idempotent-replayed"))
        self.assertNotIn("Hồ Văn Phiên", r.raw.decode("utf-8"))
        self.assertEqual(len(self.cases_on("2020-02-06")), 1)

    def test_copies_sent_at_once_write_once(self):
        k, body = key(), self.case_body("Tạ Thị Đồng Thời", "2020-02-07")
        token = self.token(HW)
        answers = []

        def send():
            r = self.server.request("POST", "/api/v1/cases", body=body, token=token,
                                    headers={"Idempotency-Key": k})
            answers.append(r)

        threads = [threading.Thread(target=send) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        statuses = sorted(r.status for r in answers)
        self.assertTrue(set(statuses) <= {201, 409}, statuses)
        self.assertIn(201, statuses)
        ids = {r.json["id"] for r in answers if r.status == 201}
        self.assertEqual(len(ids), 1, "every 201 is the same case")
        for r in answers:
            if r.status == 409:
                self.assertEqual(r.json["error"].get("field"), "Idempotency-Key", r.describe())
        self.assertEqual(len(self.cases_on("2020-02-07")), 1)
        r = self.post_key("/api/v1/cases", body, k)
        self.assertStatus(r, 201)
        self.assertEqual(r.json["id"], ids.pop())

    def test_patch_csv_import_and_anonymous_feedback(self):
        c = self.post("/api/v1/cases", self.case_body("Mai Văn Sửa", "2020-02-08"), as_user=HW)
        self.assertStatus(c, 201)
        k = key()
        patch = {"severity": "severe"}
        h = {"Idempotency-Key": k}
        r1 = self.request("PATCH", "/api/v1/cases/%d" % c.json["id"], body=patch, as_user=HW,
                          headers=h)
        self.assertStatus(r1, 200)
        r2 = self.request("PATCH", "/api/v1/cases/%d" % c.json["id"], body=patch, as_user=HW,
                          headers=h)
        self.assertEqual((r2.status, r2.headers.get("idempotent-replayed")), (200, "true"))
        # An import answered again says what the first one did.
        csv = ("external_id,full_name,birth_year,sex,unit_code,detected_on,source,test_type\n"
               "IDEM-1,Vũ Văn Nhập,1970,male,00001-001,2020-02-09,community,rt-pcr\n")
        h = {"Idempotency-Key": key(), "Content-Type": "text/csv"}
        r1 = self.request("POST", "/api/v1/cases/import", raw=csv, headers=h, as_user="phucxa")
        self.assertStatus(r1, 200)
        self.assertEqual(r1.json["inserted"], 1)
        r2 = self.request("POST", "/api/v1/cases/import", raw=csv, headers=h, as_user="phucxa")
        self.assertEqual((r2.status, r2.json), (200, r1.json))
        self.assertEqual(len(self.cases_on("2020-02-09")), 1)
        # Anonymous: the same tracking code, one request in the queue.
        fb = {"category": "shortage", "description": "Thôn tôi hết thuốc hạ sốt",
              "location_code": "00001"}
        k = key()
        r1 = self.post_key("/api/v1/feedback", fb, k, as_user=None)
        self.assertStatus(r1, 201)
        r2 = self.post_key("/api/v1/feedback", fb, k, as_user=None)
        self.assertEqual((r2.status, r2.json), (201, r1.json))
        r = self.get("/api/v1/feedback?limit=500", as_user="admin")
        self.assertEqual(sum(1 for i in r.json["items"]
                             if i.get("description") == fb["description"]), 1)

    def test_every_write_route_checks_the_key(self):
        rc, out, err = cli("routes", "--json")
        self.assertEqual(rc, 0, err)
        writes = [rt for rt in json.loads(out)
                  if rt["method"] in ("POST", "PUT", "PATCH", "DELETE")]
        self.assertGreater(len(writes), 40)
        for rt in writes:
            path = rt["pattern"]
            for name, value in (("{code}", "00001"), ("{week_end}", "2021-10-17"),
                                ("{token}", "ABCDEF12"), ("{fmt}", "json")):
                path = path.replace(name, value)
            while "{" in path:
                i = path.index("{")
                path = path[:i] + "1" + path[path.index("}", i) + 1:]
            for bad in ("short", "x" * 129, "có dấu-0123456789abcdef", "a b c d e f g h i j"):
                r = self.request(rt["method"], path, raw=b"{}", as_user="admin",
                                 headers={"Idempotency-Key": bad.encode("utf-8"),
                                          "Content-Type": "application/json"})
                self.assertEqual(r.status, 400, "%s %s: %s" % (rt["method"], path, r.describe()))
                self.assertEqual(r.json["error"]["field"], "Idempotency-Key", path)


if __name__ == "__main__":
    main()
