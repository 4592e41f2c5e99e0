"""
Directives, continued: files attached by the issuing chain (kind told by
the content, size and count capped, SHA-256 kept, downloaded by whoever may
see the directive with its name in UTF-8), links between directives
(implements / replaces, both directions, only what the reader may see; a
replaced directive's tasks no longer overdue), the list of directives a
unit issued or received (search, dates, cursor pages, progress counts),
and the sender's name on inbox notices.  Hà Nội (01) issues to Phúc Xá
(00001); Ba Đình (001) to Phúc Xá and Trúc Bạch (00004); Hồ Chí Minh (79)
is out of scope.
"""

import hashlib
import io
import urllib.parse
import zipfile

from harness import ServerTestCase, main, units_csv

NAMES = {u["code"]: u["name"] for u in units_csv()}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32) + b"\xff\xd9"


def office(part):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(part, "<x/>")
    return buf.getvalue()


def plan(number, issuer, units, title="Kế hoạch triển khai", issued_on="2021-10-15",
         deadline="2021-10-30"):
    return {"number": number, "issued_on": issued_on, "issuer": issuer, "title": title,
            "tasks": [{"title": "Triển khai", "deadline": deadline,
                       "assignees": {"units": units}}]}


class DirectiveLinksTest(ServerTestCase):
    # Uploads of up to 5 MiB go through a body cap above that.
    server_args = ("--max-body", str(6 << 20))

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for name in ("admin", "hanoi", "badinh", "phucxa", "trucbach", "hcm", "nguoidan"):
            cls.token(name)

    def issue(self, user, *args, **kw):
        r = self.post("/api/v1/directives", plan(*args, **kw), as_user=user)
        self.assertStatus(r, 201)
        return r.json

    def audit(self, action, entity_id):
        r = self.get("/api/v1/audit?limit=500", as_user="admin")
        self.assertStatus(r, 200)
        return [a for a in r.json["items"]
                if a["action"] == action and a["entity_id"] == str(entity_id)]

    def audit_count(self):
        r = self.get("/api/v1/audit?limit=500", as_user="admin")
        return len(r.json["items"])

    def upload(self, did, name, data, user="hanoi", ctype="application/octet-stream"):
        path = "/api/v1/directives/%d/attachments?filename=%s" % (did, urllib.parse.quote(name))
        return self.request("POST", path, raw=data, headers={"Content-Type": ctype},
                            as_user=user)

    def progress(self, did, user="hanoi", date="2021-10-20"):
        r = self.get("/api/v1/directives/%d/progress?date=%s" % (did, date), as_user=user)
        self.assertStatus(r, 200)
        return r.json

    # ---- attachments ----

    def test_attachments(self):
        d = self.issue("hanoi", "AT-1/KH", "01", ["00001"])["id"]
        name = "Kế hoạch số 12 (bản ký).pdf"
        r = self.upload(d, name, PDF)
        self.assertStatus(r, 201)
        f = r.json
        self.assertEqual(f["filename"], name)
        self.assertEqual(f["content_type"], "application/pdf")
        self.assertEqual(f["size"], len(PDF))
        self.assertEqual(f["sha256"], hashlib.sha256(PDF).hexdigest())
        self.assertEqual(len(self.audit("directive.attach", d)), 1)

        # The kind is the content's, whatever the name or Content-Type say.
        kinds = {"anh.png": (PNG, "image/png"), "anh.jpg": (JPEG, "image/jpeg"),
                 "to-trinh.docx": (office("word/document.xml"),
                                   "application/vnd.openxmlformats-officedocument."
                                   "wordprocessingml.document"),
                 "bang.xlsx": (office("xl/workbook.xml"),
                               "application/vnd.openxmlformats-officedocument."
                               "spreadsheetml.sheet"),
                 "bao-cao.txt": (PDF, "application/pdf")}
        for n, (data, kind) in kinds.items():
            r = self.upload(d, n, data, ctype="text/plain")
            self.assertStatus(r, 201, n)
            self.assertEqual(r.json["content_type"], kind, n)

        before = self.audit_count()
        for n, data in (("gia.pdf", b"MZ\x90\x00 not a pdf at all"),
                        ("nen.docx", office("other/thing.xml")),
                        ("trang.pdf", b"<html>%PDF-</html>")):
            self.assertError(self.upload(d, n, data, ctype="application/pdf"), 415,
                             field="file", mentions="PDF")
        self.assertError(self.upload(d, "rong.pdf", b""), 422, field="file")
        for bad in ("../etc/passwd", "a\\b.pdf", ".an.pdf", "x" * 201 + ".pdf", "dòng\nmới.pdf"):
            self.assertError(self.upload(d, bad, PDF), 422, field="filename")
        r = self.request("POST", "/api/v1/directives/%d/attachments" % d, raw=PDF,
                         as_user="hanoi")
        self.assertError(r, 422, field="filename")
        big = PDF + bytes((5 << 20) + 1 - len(PDF))
        self.assertError(self.upload(d, "lon.pdf", big), 413, field="file")
        self.assertStatus(self.upload(d, "vua.pdf", big[:5 << 20]), 201)
        # Only the issuing chain attaches: Ba Đình sees the directive, not more.
        self.assertError(self.upload(d, "x.pdf", PDF, user="badinh"), 403)
        self.assertError(self.upload(d, "x.pdf", PDF, user="phucxa"), 403)
        self.assertError(self.upload(d, "x.pdf", PDF, user="hcm"), 404)
        self.assertError(self.upload(999999, "x.pdf", PDF), 404)
        self.assertEqual(self.audit_count(), before + 1)    # the one of 5 MiB

        # Ten at most: seven so far, three more, then refused.
        for i in range(3):
            self.assertStatus(self.upload(d, "them-%d.png" % i, PNG), 201)
        self.assertError(self.upload(d, "qua.png", PNG), 409, mentions="10")

        listed = self.progress(d)["directive"]["attachments"]
        self.assertEqual(len(listed), 10)
        self.assertEqual(listed[0]["id"], f["id"])
        self.assertEqual(listed[0]["url"], "/api/v1/directives/%d/attachments/%d" % (d, f["id"]))
        r = self.get("/api/v1/directives/%d/attachments" % d, as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertEqual([x["id"] for x in r.json["items"]], [x["id"] for x in listed])
        self.assertEqual(r.json["max_files"], 10)

        # Downloaded by the assignee with the name in UTF-8 (RFC 5987).
        r = self.get(listed[0]["url"], as_user="phucxa")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.raw, PDF)
        self.assertEqual(r.headers["content-type"], "application/pdf")
        disp = r.headers["content-disposition"]
        self.assertTrue(disp.startswith("attachment; filename=\""), disp)
        self.assertIn("filename*=UTF-8''" + urllib.parse.quote(name, safe=""), disp)
        self.assertNotIn("ế", disp)
        for who, status in (("trucbach", 404), ("hcm", 404), ("nguoidan", 403), (None, 401)):
            r = self.request("GET", listed[0]["url"], as_user=who)
            self.assertEqual(r.status, status, who)
            self.assertNotEqual(r.raw, PDF)
            r = self.get("/api/v1/directives/%d/attachments" % d, as_user=who)
            self.assertEqual(r.status, status, who)
        self.assertEqual(self.get("/api/v1/directives/%d/attachments/999999" % d,
                                  as_user="hanoi").status, 404)

        # Deleted by the issuer only, audited with what it was.
        url = listed[0]["url"]
        self.assertError(self.request("DELETE", url, as_user="phucxa"), 403)
        self.assertError(self.request("DELETE", url, as_user="hcm"), 404)
        r = self.request("DELETE", url, as_user="hanoi")
        self.assertStatus(r, 200)
        rows = self.audit("directive.detach", d)
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["before"]["sha256"], hashlib.sha256(PDF).hexdigest())
        self.assertEqual(self.get(url, as_user="hanoi").status, 404)
        self.assertError(self.request("DELETE", url, as_user="hanoi"), 404)
        self.assertEqual(len(self.progress(d)["directive"]["attachments"]), 9)

    # ---- links ----

    def link(self, did, body, user="hanoi"):
        return self.post("/api/v1/directives/%d/links" % did, body, as_user=user)

    def links(self, did, user="hanoi"):
        r = self.get("/api/v1/directives/%d/links" % did, as_user=user)
        self.assertStatus(r, 200)
        return r.json

    def test_links(self):
        a = self.issue("hanoi", "LK-A", "01", ["00001"], issued_on="2021-09-01",
                       deadline="2021-09-30")["id"]
        b = self.issue("hanoi", "LK-B", "01", ["00001"], issued_on="2021-10-01")["id"]
        c = self.issue("hanoi", "LK-C", "01", ["00001"], issued_on="2021-10-05")["id"]

        r = self.link(b, {"implements": [a]})
        self.assertStatus(r, 201)
        self.assertEqual([x["id"] for x in r.json["implements"]], [a])
        self.assertEqual(r.json["implements"][0]["number"], "LK-A")
        self.assertEqual(len(self.audit("directive.link", b)), 1)
        self.assertStatus(self.link(b, {"implements": [a]}), 200)   # already there
        self.assertEqual(len(self.audit("directive.link", b)), 1)
        self.assertEqual([x["id"] for x in self.links(a)["implemented_by"]], [b])

        before = self.audit_count()
        self.assertError(self.link(b, {"implements": [b]}), 422, field="implements[0]")
        self.assertError(self.link(b, {"implements": [999999]}), 422, field="implements[0]")
        # Only an earlier directive (or one of the same day) is implemented.
        self.assertError(self.link(a, {"implements": [b]}), 422, field="implements[0]",
                         mentions=("ban hành trước", "issued before"))
        # Two of the same day cannot implement each other.
        e = self.issue("hanoi", "LK-E", "01", ["00001"], issued_on="2021-10-01")["id"]
        self.assertStatus(self.link(e, {"implements": [b]}), 201)
        self.assertError(self.link(b, {"implements": [e]}), 422, field="implements[0]",
                         mentions=("vòng", "cycle"))
        before = self.audit_count()
        self.assertError(self.link(b, {"implements": [c, c]}), 422, field="implements")
        self.assertError(self.link(b, {"implements": "x"}), 422, field="implements")
        self.assertError(self.link(b, {"implements": [0]}), 422, field="implements[0]")
        self.assertError(self.link(b, {"replaces": "LK-A"}), 422, field="replaces")
        self.assertError(self.link(b, {}), 422, field="implements")
        self.assertError(self.link(b, {"implements": [a]}, user="phucxa"), 403)
        self.assertError(self.link(b, {"implements": [a]}, user="hcm"), 404)
        # Half good, half bad: nothing is kept.
        self.assertError(self.link(c, {"implements": [a, 999999]}), 422, field="implements[1]")
        self.assertEqual(self.links(c)["implements"], [])
        self.assertEqual(self.audit_count(), before)

        # C replaces A: A shows it, its late task is no longer overdue nor reminded.
        self.assertEqual({i["status"] for i in self.progress(a, date="2021-10-20")["items"]},
                         {"overdue"})
        r = self.link(c, {"replaces": a})
        self.assertStatus(r, 201)
        self.assertEqual(r.json["replaces"]["id"], a)
        p = self.progress(a, date="2021-10-20")
        self.assertEqual(p["directive"]["links"]["replaced_by"]["id"], c)
        self.assertEqual(p["directive"]["links"]["replaced_by"]["number"], "LK-C")
        self.assertEqual({i["status"] for i in p["items"]}, {"open"})
        r = self.post("/api/v1/directives/%d/reminders" % a, {"date": "2021-10-20"},
                      as_user="hanoi")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["sent"], 0)
        inbox = self.get("/api/v1/units/00001/inbox?date=2021-10-20", as_user="phucxa").json
        mine = [t for t in inbox["tasks"] if t["directive_id"] == a]
        self.assertEqual([(t["status"], t["replaced"]) for t in mine], [("open", True)])
        # One replaces one: neither a second replacement of A nor C replacing another.
        d = self.issue("hanoi", "LK-D", "01", ["00001"])["id"]
        self.assertError(self.link(d, {"replaces": a}), 409, field="replaces")
        self.assertError(self.link(c, {"replaces": b}), 409, field="replaces")
        self.assertError(self.link(a, {"replaces": c}), 422, field="replaces",
                         mentions=("ban hành trước", "issued before"))
        # Same day: F replaces G, then G may not replace F (a cycle).
        f = self.issue("hanoi", "LK-F", "01", ["00001"], issued_on="2021-10-07")["id"]
        g = self.issue("hanoi", "LK-G", "01", ["00001"], issued_on="2021-10-07")["id"]
        self.assertStatus(self.link(f, {"replaces": g}), 201)
        self.assertError(self.link(g, {"replaces": f}), 422, field="replaces",
                         mentions=("vòng", "cycle"))

    def test_links_only_what_the_reader_sees(self):
        # Ba Đình's X goes to Trúc Bạch, its Y to Phúc Xá; Y implements X.
        x = self.issue("badinh", "LV-X", "001", ["00004"])["id"]
        y = self.issue("badinh", "LV-Y", "001", ["00001"])["id"]
        self.assertStatus(self.link(y, {"implements": [x]}, user="badinh"), 201)
        self.assertEqual([i["id"] for i in self.links(y, "badinh")["implements"]], [x])
        self.assertEqual(self.links(y, "phucxa")["implements"], [])
        self.assertEqual(self.links(x, "trucbach")["implemented_by"], [])
        self.assertEqual([i["id"] for i in self.links(x, "hanoi")["implemented_by"]], [y])
        self.assertEqual(self.get("/api/v1/directives/%d/links" % x, as_user="phucxa").status,
                         404)
        # Hồ Chí Minh cannot link to a directive it cannot see.
        h = self.issue("hcm", "LV-H", "79", ["760"])["id"]
        self.assertError(self.link(h, {"implements": [x]}, user="hcm"), 422,
                         field="implements[0]")

    # ---- a unit's directives ----

    def listing(self, code, user, **q):
        r = self.get("/api/v1/units/%s/directives?%s" % (code, urllib.parse.urlencode(q)),
                     as_user=user)
        self.assertStatus(r, 200)
        return r.json

    def test_list(self):
        ids = [self.issue("badinh", "DS-%d/CV" % i, "001", ["00001", "00004"],
                          title="Công văn về %s" % t, issued_on="2021-10-%02d" % (10 + i),
                          deadline="2021-10-25")["id"]
               for i, t in enumerate(("tiêm chủng", "xét nghiệm", "Tiêm chủng mũi 3"))]
        task = self.progress(ids[0], "badinh")["items"][0]["task_id"]
        self.assertStatus(self.post("/api/v1/tasks/%d/reports" % task,
                                    {"unit_code": "00001", "note": "Xong", "done": True,
                                     "done_on": "2021-10-20"}, as_user="phucxa"), 201)

        got = self.listing("001", "badinh", limit=2, q="DS-")
        self.assertEqual([i["id"] for i in got["items"]], ids[::-1][:2])
        more = self.listing("001", "badinh", limit=2, q="DS-", cursor=got["next"])
        self.assertEqual([i["id"] for i in more["items"]], ids[:1])
        self.assertIsNone(more["next"])
        first = more["items"][0]
        self.assertEqual(first["number"], "DS-0/CV")
        self.assertEqual(first["issuer_name"], NAMES["001"])
        # As of today (long after 25/10/2021): one done, one overdue.
        self.assertEqual(first["progress"], {"total": 2, "done": 1, "open": 0, "overdue": 1})

        self.assertEqual([i["id"] for i in self.listing("001", "badinh", q="tiêm chủng")["items"]],
                         [ids[2], ids[0]])
        self.assertEqual([i["id"] for i in self.listing("001", "badinh", q="XÉT")["items"]], [])
        self.assertEqual([i["id"] for i in self.listing("001", "badinh", q="xét")["items"]],
                         [ids[1]])
        self.assertEqual(len(self.listing("001", "badinh", q="DS-1/cv")["items"]), 1)
        self.assertEqual([i["id"] for i in self.listing("001", "badinh", q="DS-", **{
            "from": "2021-10-11", "to": "2021-10-11"})["items"]], [ids[1]])
        self.assertEqual(self.listing("001", "badinh", q="100%_")["items"], [])

        # Received: Phúc Xá's own rows, its progress only.
        got = self.listing("00001", "phucxa", direction="received", q="DS-")
        self.assertEqual([i["id"] for i in got["items"]], ids[::-1])
        self.assertEqual(got["items"][-1]["progress"],
                         {"total": 1, "done": 1, "open": 0, "overdue": 0})
        self.assertEqual(self.listing("00001", "phucxa", q="DS-")["items"], [])
        # The province above sees Ba Đình's list; the neighbour and HCM do not.
        self.assertEqual(len(self.listing("001", "hanoi", q="DS-")["items"]), 3)
        for who in ("trucbach", "hcm"):
            self.assertIn(self.get("/api/v1/units/00001/directives", as_user=who).status,
                          (403, 404))
        self.assertEqual(self.get("/api/v1/units/00001/directives", as_user="nguoidan").status,
                         403)
        for q, field in ((dict(direction="sent"), "direction"), (dict(limit="0"), "limit"),
                         (dict(limit="101"), "limit"), (dict(cursor="abc"), "cursor"),
                         ({"from": "2021-13-01"}, "from"), ({"to": "15/10/2021"}, "to"),
                         ({"from": "2021-10-20", "to": "2021-10-01"}, "to")):
            r = self.get("/api/v1/units/001/directives?" + urllib.parse.urlencode(q),
                         as_user="badinh")
            self.assertError(r, 400, field=field)

    # ---- inbox ----

    def test_inbox_names_the_sender(self):
        d = self.issue("hanoi", "IB-1", "01", ["00001"])["id"]
        r = self.post("/api/v1/directives/%d/reminders" % d, {"date": "2021-11-01"},
                      as_user="hanoi")
        self.assertStatus(r, 201)
        inbox = self.get("/api/v1/units/00001/inbox", as_user="phucxa").json
        mine = [n for n in inbox["notices"] if n["directive_id"] == d]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["from"], "01")
        self.assertEqual(mine[0]["from_name"], NAMES["01"])


if __name__ == "__main__":
    main()
