"""
The scope matrix: every route of the API (as `thichung routes --json` lists
the server's own table), tried by every demo account and anonymously, on a
target in the caller's commune, in another commune of the same district and
in another province.  A route missing from the matrix (or a stale entry)
fails the test, so a new route cannot ship without saying who may use it.

For every request:
- no personal canary outside the caller's reach appears in the reply (the
  names, ID numbers, phones, addresses and symptoms seeded in each target,
  and the households' names);
- a request the caller may make succeeds (2xx);
- a request it may not make is refused (401 anonymous, else 4xx), and a
  refused one changes nothing: the audit trail, where every change and
  every read of personal data leaves a row, stays as it was.

Reading a route's rule: `roles` are the roles that may use it, `unit` the
unit whose subtree the caller's grant must contain.  Lists that filter what
they return ("strict": False) may answer 200 with less instead of 404.
"""

import datetime
import itertools
import json
import os
import struct
import subprocess
import uuid
import zlib

from harness import BIN, DATA_DIR, DEMO_USERS, ServerTestCase, cli, main, units_csv

OFFICIALS = {"admin", "province_officer", "district_officer", "commune_officer"}
PERSONAL = OFFICIALS | {"health_worker"}
FOLLOW = PERSONAL | {"team_member"}
ANON = None
USERS = list(DEMO_USERS) + [ANON]
WEEK = "2021-10-17"
PDF_TEXT = "%PDF-1.4\n%%EOF\n"
_seq = itertools.count(1)

_UNITS = {u["code"]: u for u in units_csv()}


def parent_of(code):
    if "-" in code:
        return code.rsplit("-", 1)[0]
    u = _UNITS.get(code)
    return (u["parent_code"] or "VN") if u else None


def covers(root, code):
    """Is code inside the subtree of root?"""
    while code:
        if code == root or root == "VN":
            return True
        code = parent_of(code) if code != "VN" else None
    return False


def role_of(user):
    return DEMO_USERS[user][0] if user else None


def grant_of(user):
    return DEMO_USERS[user][1] if user else None


def photo_png(text):
    """A 1x1 PNG whose text chunk holds `text` (a canary travels in its bytes)."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"tEXt", b"Comment\x00" + text.encode()) + chunk(b"IEND", b""))


def may(user, roles, unit):
    return user is not None and role_of(user) in roles and covers(grant_of(user), unit)


class Route:
    """How to call one route on a target, and who may."""

    def __init__(self, build, kind="scoped", roles=(), unit=None, strict=True, allow=None):
        self.build = build          # (test, target) -> dict(method/path/body/raw/headers/token)
        self.kind = kind            # public | self | scoped
        self.roles = set(roles)
        self.unit = unit            # (fixture of the target) -> unit code
        self.strict = strict
        self.allow = allow          # optional (user, target fixture) -> bool


class ScopeMatrixTest(ServerTestCase):
    # The fixtures send hundreds of anonymous requests from one address.
    server_args = ("--feedback-anon-limit", "0")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        rc, out, err = cli("routes", "--json")
        assert rc == 0, err
        cls.routes = ["%s %s" % (r["method"], r["pattern"]) for r in json.loads(out)]
        cls.login_routes = {"%s %s" % (r["method"], r["pattern"]) for r in json.loads(out)
                            if r["login"]}
        # A commune officer for Tân Định, so the other province has one too.
        rc, out, err = cli("user", "add", "--db", cls.server.db, "--username", "tandinh", "--role",
                           "commune_officer", "--unit", "26734", "--name", "Cán bộ Tân Định",
                           input="demo2021\n")
        assert rc == 0, err
        for user in DEMO_USERS:
            cls.token(user)
        # Open311 clients post with a key, whoever else is signed in.
        rc, out, err = cli("apikey", "add", "--db", cls.server.db, "--name", "Ma trận",
                           "--scope", "open311", "--rate", "100000")
        assert rc == 0, err
        cls.open311_key = out.strip()
        cls.fx = {t: cls.seed(t, c, h) for t, c, h in (("px", "00001", "00001-001"),
                                                    ("tb", "00004", "00004-001"),
                                                    ("hcm", "26734", None))}
        for f in cls.fx.values():
            f["directive"] = cls.fresh_directive(f, f["district"], f["commune"])
            f["file"] = cls.fresh_file(f, f["directive"][0])
            f["key_task"] = cls.fresh_key_task(f)

    # ---- fixtures, all made by the national administrator ----
    @classmethod
    def call(cls, method, path, body=None, raw=None, headers=None, user="admin", expect=None):
        r = cls.server.request(method, path, body=body, raw=raw, headers=headers,
                               token=cls.token(user) if user else None)
        if expect is not None and r.status not in ((expect,) if isinstance(expect, int) else expect):
            raise AssertionError("fixture: " + r.describe())
        return r

    @classmethod
    def new_case(cls, hamlet, name, idn=None, **person):
        p = {"full_name": name, "unit_code": hamlet}
        if idn:
            p["id_number"] = idn
        p.update(person)
        r = cls.call("POST", "/api/v1/cases", {"person": p, "detected_on": "2021-10-12",
                                               "source": "community", "test_type": "rt-pcr"},
                     expect=201)
        return r.json

    @classmethod
    def seed(cls, t, commune, hamlet):
        tag = t.upper()
        if hamlet is None:
            r = cls.call("POST", "/api/v1/units", {"parent_code": commune, "level": "hamlet",
                                                   "name": "Khu phố 1", "type": "khu phố"},
                         expect=201)
            hamlet = r.json["code"]
        if t == "hcm":
            r = cls.call("POST", "/api/v1/units", {"parent_code": hamlet, "level": "household",
                                                   "name": "Hộ Canary %s Gia Đình" % tag,
                                                   "address": "Canary %s số nhà" % tag,
                                                   "members": 3}, expect=201)
            household = r.json["code"]
        else:
            household = hamlet + "-0001"
        f = {"t": t, "commune": commune, "hamlet": hamlet, "household": household,
             "district": parent_of(commune), "province": parent_of(parent_of(commune))}
        idn = "07919%07d" % {"px": 1, "tb": 2, "hcm": 3}[t]
        phone = "09%s1234567" % {"px": "1", "tb": "2", "hcm": "3"}[t]
        c = cls.new_case(hamlet, "Canary %s Nguyễn Văn" % tag, idn, phone=phone,
                         address="Canary %s ngõ" % tag, birth_year=1980)
        f["idn"] = idn
        f["case"], f["person"] = c["id"], c["person_id"]
        r = cls.call("POST", "/api/v1/cases/%d/contacts" % c["id"],
                     {"person": {"full_name": "Canary %s Tiếp Xúc" % tag, "unit_code": hamlet},
                      "degree": 1, "exposure_on": "2021-10-11"}, expect=201)
        r = cls.call("POST", "/api/v1/tests",
                     {"person": {"full_name": "Canary %s Xét Nghiệm" % tag, "unit_code": hamlet},
                      "taken_on": "2021-10-12", "test_type": "antigen", "result": "negative"},
                     expect=201)
        r = cls.call("POST", "/api/v1/clusters", {"name": "Ổ dịch %s" % tag, "unit_code": commune,
                                                  "opened_on": "2021-10-10"}, expect=201)
        f["cluster"] = r.json["id"]
        cls.new_case(hamlet, "Canary %s Trong Ổ" % tag, cluster_id=f["cluster"])
        r = cls.call("POST", "/api/v1/isolations", {"person_id": c["person_id"], "kind": "home",
                                                    "unit_code": hamlet, "started_on": "2021-10-12"},
                     expect=201)
        f["isolation"] = r.json["id"]
        cls.call("POST", "/api/v1/isolations/%d/checkins" % f["isolation"],
                 {"spo2": 93, "symptoms": "Triệu chứng %s ho sốt" % tag}, expect=201)
        r = cls.call("POST", "/api/v1/zones", {"unit_code": hamlet, "reason": "ổ dịch",
                                               "started_on": "2021-10-12"}, expect=201)
        f["zone"] = r.json["id"]
        cls.call("PUT", "/api/v1/units/%s/vaccination/%s" % (household, WEEK),
                 {"groups": [{"age_group": "all", "population": 3, "dose1": 2, "full_dose": 1}]},
                 expect=200)
        cls.call("PUT", "/api/v1/units/%s/capacity/%s" % (commune, WEEK),
                 {"capacity_met": True, "capacity": "medium"}, expect=200)
        r = cls.call("POST", "/api/v1/feedback", {"category": "other", "location_code": commune,
                                                  "description": "Phản ánh %s" % tag,
                                                  "name": "Canary %s Người Phản Ánh" % tag,
                                                  "phone": phone}, user=None, expect=201)
        f["feedback"], f["feedback_code"] = r.json["id"], r.json["tracking_code"]
        # Its photo carries the canary: only the request's handlers download it.
        r = cls.call("POST", "/api/v1/feedback/track/%s/photos" % f["feedback_code"],
                     raw=photo_png("Canary %s ảnh" % tag), headers={"Content-Type": "image/png"},
                     user=None, expect=201)
        f["photo"] = r.json["id"]
        # A business: Phúc Xá's registered by its own account, the others by officials.
        r = cls.call("POST", "/api/v1/businesses",
                     {"tax_code": "020%07d" % {"px": 1, "tb": 2, "hcm": 3}[t],
                      "name": "Doanh nghiệp %s" % t, "sector": "Dệt may", "unit_code": commune,
                      "address": "Khu sản xuất %s" % t, "workers": 50},
                     user="doanhnghiep" if t == "px" else "admin", expect=201)
        f["business"] = r.json["id"]
        f["support_line"] = cls.posted_line(f)
        # Names and addresses carry the tag; the phone is the person's too.  The
        # ID number is not a canary: the matrix itself enters it elsewhere.
        f["canaries"] = ["Canary %s" % tag, phone]
        # What the hamlet's team may also see: the check-ins it makes.
        f["followed"] = ["Triệu chứng %s" % tag]
        f["households"] = {"px": ["Bùi Thị Dân"], "tb": ["Ngô Văn Ví Dụ"]}.get(
            t, ["Canary %s Gia Đình" % tag, "Canary %s số nhà" % tag])
        return f

    @classmethod
    def fresh_person(cls, f):
        return cls.new_case(f["hamlet"], "Người mới %d" % next(_seq))["person_id"]

    @classmethod
    def fresh_link(cls, f):
        """A link whose home is in f's commune: the ID number recorded elsewhere."""
        idn = "07920%07d" % next(_seq)
        home = cls.new_case(f["hamlet"], "Nhà Liên Kết %d" % next(_seq), idn)
        other = cls.fx["tb" if f["t"] != "tb" else "px"]["hamlet"]
        cls.new_case(other, "Nơi Khác", idn, phone="0999")
        r = cls.call("GET", "/api/v1/people/links?unit=%s" % f["commune"], expect=200)
        return next(l["id"] for l in r.json["items"] if l["person"]["id"] == home["person_id"])

    @classmethod
    def fresh_isolation(cls, f):
        r = cls.call("POST", "/api/v1/isolations", {"person_id": cls.fresh_person(f),
                                                    "kind": "home", "unit_code": f["hamlet"],
                                                    "started_on": "2021-10-13"}, expect=201)
        return r.json["id"]

    @classmethod
    def fresh_zone(cls, f):
        r = cls.call("POST", "/api/v1/zones", {"unit_code": f["hamlet"], "reason": "thử",
                                               "started_on": "2021-09-01"}, expect=201)
        return r.json["id"]

    @classmethod
    def fresh_household(cls, f):
        r = cls.call("POST", "/api/v1/units", {"parent_code": f["hamlet"], "level": "household",
                                               "name": "Hộ mới %d" % next(_seq), "members": 2},
                     expect=201)
        return r.json["code"]

    @classmethod
    def fresh_feedback(cls, f, *steps):
        r = cls.call("POST", "/api/v1/feedback", {"category": "other", "location_code": f["commune"],
                                                  "description": "Phản ánh mới %d" % next(_seq)},
                     user=None, expect=201)
        for step, body in steps:
            cls.call("POST", "/api/v1/feedback/%d/%s" % (r.json["id"], step), body, expect=200)
        return r.json["id"]

    @classmethod
    def fresh_support(cls, f, *steps):
        """An F0/F1 support application in f's hamlet, taken through steps."""
        r = cls.call("POST", "/api/v1/support/applications",
                     {"programme": "nq68-f0f1", "unit_code": f["hamlet"],
                      "full_name": "Canary %s Hỗ Trợ" % f["t"].upper(), "days": 10,
                      "order_ref": "QĐ %d" % next(_seq), "age": 30,
                      "received_on": "2021-10-01"}, expect=201)
        for step in steps:
            cls.call("POST", "/api/v1/support/applications/%d/%s" % (r.json["id"], step), {},
                     expect=200)
        return r.json["id"]

    @staticmethod
    def this_month():
        return (datetime.datetime.now(datetime.timezone.utc)
                + datetime.timedelta(hours=7)).strftime("%Y-%m")

    @classmethod
    def month_to_forward(cls, f):
        """This month, with a new request of f's commune not yet forwarded."""
        cls.fresh_feedback(f)
        return cls.this_month()

    @classmethod
    def fresh_forward(cls, f):
        """A forward of a new request of f's commune, made by the administrator."""
        fid = cls.fresh_feedback(f)
        cls.call("POST", "/api/v1/feedback/compilation/forwards",
                 {"unit_code": f["commune"], "month": cls.this_month(), "category": "other",
                  "department": "Sở Y tế"}, expect=200)
        r = cls.call("GET", "/api/v1/feedback/compilation?unit=%s&month=%s"
                     % (f["commune"], cls.this_month()), expect=200)
        items = [i for g in r.json["groups"] for i in g["items"] if i["id"] == fid]
        return items[0]["forward"]["id"]

    @classmethod
    def fresh_feedback_code(cls, f):
        """The tracking code of a new request in f's commune."""
        r = cls.call("POST", "/api/v1/feedback", {"category": "other", "location_code": f["commune"],
                                                  "description": "Phản ánh %d" % next(_seq)},
                     user=None, expect=201)
        return r.json["tracking_code"]

    @classmethod
    def citizen_support(cls, f):
        """A citizen's own application in f's hamlet: (id, tracking code)."""
        name = "Canary %s Tự Nộp %d" % (f["t"].upper(), next(_seq))
        r = cls.call("POST", "/api/v1/support/self-applications",
                     {"programme": "canary-open", "unit_code": f["hamlet"], "full_name": name,
                      "id_number": "0790%08d" % next(_seq), "days": 7, "order_ref": "QĐ 1",
                      "age": 30}, user=None, expect=201)
        items = cls.call("GET", "/api/v1/support/applications?unverified=1&limit=2000",
                         expect=200).json["items"]
        return [x["id"] for x in items if x["full_name"] == name][0], r.json["tracking_code"]

    @classmethod
    def posted_line(cls, f):
        """A household application of f's commune, approved by the commune
        today: its line is on the public posting."""
        r = cls.call("POST", "/api/v1/support/applications",
                     {"programme": "canary-open", "unit_code": f["hamlet"],
                      "full_name": "Người niêm yết %s" % f["t"].upper(), "days": 5,
                      "order_ref": "QĐ %d" % next(_seq), "age": 30}, expect=201)
        cls.call("POST", "/api/v1/support/applications/%d/approve" % r.json["id"], {}, expect=200)
        return r.json["id"]

    @classmethod
    def answered_feedback_code(cls, f):
        """The tracking code of a new request, answered."""
        r = cls.call("POST", "/api/v1/feedback", {"category": "other", "location_code": f["commune"],
                                                  "description": "Phản ánh %d" % next(_seq)},
                     user=None, expect=201)
        for step, body in (("acknowledge", {}), ("answer", {"answer": "Đã xử lý"})):
            cls.call("POST", "/api/v1/feedback/%d/%s" % (r.json["id"], step), body, expect=200)
        return r.json["tracking_code"]

    @classmethod
    def commune_officer(cls, f):
        return {"px": "phucxa", "tb": "trucbach", "hcm": "tandinh"}[f["t"]]

    @classmethod
    def fresh_assignment(cls, f):
        r = cls.call("POST", "/api/v1/assignments", {"username": cls.commune_officer(f),
                                                     "unit_code": cls.fresh_household(f)},
                     expect=201)
        return r.json["id"]

    @classmethod
    def fresh_directive(cls, f, issuer, unit):
        r = cls.call("POST", "/api/v1/directives", {
            "number": "MT-%d" % next(_seq), "issued_on": "2021-10-15", "issuer": issuer,
            "title": "Chỉ thị thử", "tasks": [{"title": "Học tập", "deadline": "2021-10-30",
                                              "assignees": {"units": [unit]}}]}, expect=201)
        return r.json["id"], r.json["tasks"][0]["id"]

    @classmethod
    def fresh_file(cls, f, directive=None):
        """A PDF attached to f's directive (or to a new one): its download path."""
        if directive is None:
            directive = cls.fresh_directive(f, f["district"], f["commune"])[0]
        r = cls.call("POST", "/api/v1/directives/%d/attachments?filename=k%d.pdf"
                     % (directive, next(_seq)), raw=PDF_TEXT, expect=201)
        return r.json["url"]

    @classmethod
    def fresh_key_task(cls, f, period="2021-10"):
        r = cls.call("POST", "/api/v1/key-tasks", {"unit_code": f["commune"], "period": period,
                                                   "title": "Thăm hộ", "measure": "hộ",
                                                   "target": 10},
                     user=cls.commune_officer(f), expect=201)
        return r.json["id"]

    @classmethod
    def fresh_inspection(cls, f, public=False):
        """A surprise inspection of f's commune issued by its district."""
        r = cls.call("POST", "/api/v1/inspections", {
            "title": "Kiểm tra %d" % next(_seq), "issuer": f["district"],
            "period_from": "2021-10-01", "period_to": "2021-10-31", "kind": "surprise",
            "public": public, "template": "commune_team", "target": {"unit_code": f["commune"]},
            "team": [{"name": "Trưởng đoàn", "role": "Trưởng đoàn"}]}, expect=201)
        return r.json["id"]

    @classmethod
    def fresh_category(cls, f):
        """A province's own feedback category, in f's province; its code."""
        code = "rieng_%d" % next(_seq)
        cls.call("POST", "/api/v1/feedback/categories", {
            "province_code": f["province"], "code": code, "name_vi": "Loại riêng",
            "name_en": "Own category", "days": 3, "department": "Sở Y tế"}, expect=201)
        return code

    @classmethod
    def inspection(cls, f):
        """The fixture's own inspection, still planned (the issuing chain only)."""
        if "inspection" not in f:
            f["inspection"] = cls.fresh_inspection(f)
        return f["inspection"]

    @classmethod
    def fresh_action(cls, f):
        """A follow-up action of a concluded inspection of f's commune."""
        iid = cls.fresh_inspection(f)
        r = cls.call("POST", "/api/v1/inspections/%d/conclusion" % iid, {
            "conclusion": "Đạt", "concluded_on": "2021-10-20",
            "actions": [{"description": "Khắc phục", "deadline": "2021-11-20"}]}, expect=200)
        return r.json["actions"][0]["id"]

    @classmethod
    def movement(cls, f):
        if "movement" not in f:
            r = cls.call("POST", "/api/v1/emulation/movements", {
                "name": "Thi đua %s" % f["t"], "parent_code": f["district"],
                "period_from": "2021-10-01", "period_to": "2021-10-31",
                "indicators": [{"code": "case_free_days", "weight": 1}]}, expect=201)
            f["movement"] = r.json["id"]
        return f["movement"]

    # ---- the matrix ----
    def spec(self):
        F = self.__class__
        n = lambda: next(_seq)
        csv_h = {"Content-Type": "text/csv"}

        def req(method, path, body=None, raw=None, headers=None, token=None):
            return dict(method=method, path=path, body=body, raw=raw, headers=headers, token=token)

        def person(f, idn=True):
            """A new person whose ID number is the one of another target's canary:
            the reply, and the record read back, must still show only this one."""
            other = F.fx[{"px": "hcm", "tb": "px", "hcm": "tb"}[f["t"]]]
            p = {"full_name": "Người thử %d" % n(), "unit_code": f["hamlet"]}
            if idn:
                p["id_number"] = other["idn"]
            return p

        # A unit's own officials (a grant on the unit itself) report on its tasks.
        own = lambda key: lambda u, f: u is not None and role_of(u) in OFFICIALS \
            and grant_of(u) == f[key]
        # Businesses: officials in scope; a business account only its own (px's).
        biz = lambda u, f: may(u, OFFICIALS, f["commune"]) or (u == "doanhnghiep" and f["t"] == "px")
        biz_new = lambda u, f: may(u, OFFICIALS | {"business"}, f["commune"])
        hh_read = lambda u, f: u is not None and (
            (role_of(u) in FOLLOW and covers(grant_of(u), f["household"]))
            or grant_of(u) == f["household"])
        return {
            "GET /healthz": Route(lambda t, f: req("GET", "/healthz"), "public"),
            # Each signs in as itself; anonymous tries a wrong password.
            "POST /api/v1/login": Route(lambda t, f: req("POST", "/api/v1/login", body={
                "username": t.user or "nguoidan", "password": "demo2021" if t.user else "sai"}),
                allow=lambda u, f: u is not None),
            "POST /api/v1/logout": Route(lambda t, f: req("POST", "/api/v1/logout", body={},
                                                         token=t.fresh_token()), "self"),
            "GET /api/v1/me": Route(lambda t, f: req("GET", "/api/v1/me"), "self"),
            "GET /api/v1/me/assignments": Route(lambda t, f: req("GET", "/api/v1/me/assignments"),
                                                "self"),
            "GET /api/v1/units": Route(
                lambda t, f: req("GET", "/api/v1/units?parent=%s&level=household" % f["hamlet"]),
                roles=FOLLOW, unit=lambda f: f["hamlet"], strict=False),
            "POST /api/v1/units": Route(
                lambda t, f: req("POST", "/api/v1/units", {"parent_code": f["hamlet"],
                                 "level": "household", "name": "Hộ thử %d" % n(), "members": 1}),
                roles=OFFICIALS | {"team_member"}, unit=lambda f: f["hamlet"]),
            "GET /api/v1/units/{code}": Route(
                lambda t, f: req("GET", "/api/v1/units/" + f["household"]), allow=hh_read),
            "GET /api/v1/units/{code}/levels": Route(
                lambda t, f: req("GET", "/api/v1/units/%s/levels" % f["commune"]), "public"),
            "POST /api/v1/units/{code}/levels": Route(
                lambda t, f: req("POST", "/api/v1/units/%s/levels" % f["commune"],
                                 {"week_end": WEEK, "level": 2, "reason": "ma trận"}),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "GET /api/v1/levels": Route(lambda t, f: req("GET", "/api/v1/levels?parent=" +
                                                         f["district"]), "public"),
            "GET /api/v1/levels/changes": Route(
                lambda t, f: req("GET", "/api/v1/levels/changes?parent=" + f["district"]), "public"),
            # Area roll-ups: public counts per unit below; isolation
            # counts per unit below for officials whose scope holds the root.
            "GET /api/v1/units/{code}/children/weekly": Route(
                lambda t, f: req("GET", "/api/v1/units/%s/children/weekly?week_end=%s"
                                 % (f["district"], WEEK)), "public"),
            "GET /api/v1/isolations/rollup": Route(
                lambda t, f: req("GET", "/api/v1/isolations/rollup?unit=" + f["district"]),
                roles=OFFICIALS, unit=lambda f: f["district"]),
            # The city's weeks end on Thursdays (its rule set), the others' on Sundays.
            "POST /api/v1/levels/indicators": Route(
                lambda t, f: req("POST", "/api/v1/levels/indicators",
                                 {"week_end": "2021-10-21" if f["province"] == "79" else WEEK,
                                  "items": [{"unit_code": f["commune"],
                                                               "population": 10000,
                                                               "cases_week": 3}]}),
                roles=PERSONAL, unit=lambda f: f["commune"]),
            "POST /api/v1/levels/assess": Route(
                lambda t, f: req("POST", "/api/v1/levels/assess", {"week_end": WEEK,
                                                                   "unit": f["commune"]}),
                roles=PERSONAL, unit=lambda f: f["commune"]),
            "POST /api/v1/levels/import": Route(
                lambda t, f: req("POST", "/api/v1/levels/import",
                                 raw="date,unit_code,level\n2021-10-20,%s,2\n" % f["commune"],
                                 headers=csv_h),
                roles={"admin", "province_officer"}, unit=lambda f: f["province"]),
            "POST /api/v1/cases/import": Route(
                lambda t, f: req("POST", "/api/v1/cases/import",
                                 raw="external_id,full_name,unit_code,detected_on,test_type\n"
                                     "MX-%d,Người nhập,%s,2021-10-14,antigen\n" % (n(), f["hamlet"]),
                                 headers=csv_h),
                roles=PERSONAL, unit=lambda f: f["hamlet"]),
            "POST /api/v1/cases": Route(
                lambda t, f: req("POST", "/api/v1/cases", {"person": person(f),
                                 "detected_on": "2021-10-14", "source": "community",
                                 "test_type": "antigen"}),
                roles=PERSONAL, unit=lambda f: f["hamlet"]),
            "GET /api/v1/cases": Route(
                lambda t, f: req("GET", "/api/v1/cases?unit=" + f["commune"]),
                roles=PERSONAL, unit=lambda f: f["commune"]),
            "GET /api/v1/cases/{id}": Route(
                lambda t, f: req("GET", "/api/v1/cases/%d" % f["case"]),
                roles=PERSONAL, unit=lambda f: f["commune"]),
            "PATCH /api/v1/cases/{id}": Route(
                lambda t, f: req("PATCH", "/api/v1/cases/%d" % f["case"], {"severity": "mild"}),
                roles=PERSONAL, unit=lambda f: f["commune"]),
            "POST /api/v1/cases/{id}/contacts": Route(
                lambda t, f: req("POST", "/api/v1/cases/%d/contacts" % f["case"],
                                 {"person": person(f, idn=False), "degree": 2,
                                  "exposure_on": "2021-10-11"}),
                roles=PERSONAL, unit=lambda f: f["commune"]),
            "GET /api/v1/cases/{id}/contacts": Route(
                lambda t, f: req("GET", "/api/v1/cases/%d/contacts" % f["case"]),
                roles=PERSONAL, unit=lambda f: f["commune"]),
            # The canary contact (F1 on 11/10/2021) is due on 12/10/2021.
            "GET /api/v1/contacts/due": Route(
                lambda t, f: req("GET", "/api/v1/contacts/due?on=2021-10-12&unit=" + f["commune"]),
                roles=PERSONAL, unit=lambda f: f["commune"], strict=False),
            "GET /api/v1/cases/{id}/file": Route(
                lambda t, f: req("GET", "/api/v1/cases/%d/file" % f["case"]),
                roles=PERSONAL, unit=lambda f: f["commune"]),
            "PATCH /api/v1/people/{id}": Route(
                lambda t, f: req("PATCH", "/api/v1/people/%d" % F.fresh_person(f),
                                 {"phone": "0912 345 678", "address": "Số 1"}),
                roles=PERSONAL, unit=lambda f: f["commune"]),
            # Answered for every official and health worker, with only the
            # names in their own scope (the canaries of others would leak).
            "GET /api/v1/search": Route(
                lambda t, f: req("GET", "/api/v1/search?q=Canary"),
                allow=lambda u, f: role_of(u) in PERSONAL),
            "POST /api/v1/people/{id}/merge": Route(
                lambda t, f: req("POST", "/api/v1/people/%d/merge" % F.fresh_person(f),
                                 {"into": F.fresh_person(f)}),
                roles=PERSONAL, unit=lambda f: f["commune"]),
            "GET /api/v1/people/links": Route(
                lambda t, f: req("GET", "/api/v1/people/links?status=all&unit=" + f["commune"]),
                roles=PERSONAL, unit=lambda f: f["commune"]),
            "POST /api/v1/people/links/{id}/accept": Route(
                lambda t, f: req("POST", "/api/v1/people/links/%d/accept" % F.fresh_link(f), {}),
                roles=PERSONAL, unit=lambda f: f["commune"]),
            "POST /api/v1/people/links/{id}/dismiss": Route(
                lambda t, f: req("POST", "/api/v1/people/links/%d/dismiss" % F.fresh_link(f), {}),
                roles=PERSONAL, unit=lambda f: f["commune"]),
            "POST /api/v1/clusters": Route(
                lambda t, f: req("POST", "/api/v1/clusters", {"name": "Ổ thử %d" % n(),
                                 "unit_code": f["commune"], "opened_on": "2021-10-10"}),
                roles=PERSONAL, unit=lambda f: f["commune"]),
            "GET /api/v1/clusters/{id}": Route(
                lambda t, f: req("GET", "/api/v1/clusters/%d" % f["cluster"]),
                roles=PERSONAL, unit=lambda f: f["commune"]),
            "POST /api/v1/tests": Route(
                lambda t, f: req("POST", "/api/v1/tests", {"person": person(f),
                                 "taken_on": "2021-10-14", "test_type": "antigen",
                                 "result": "negative"}),
                roles=PERSONAL, unit=lambda f: f["hamlet"]),
            "GET /api/v1/units/{code}/weekly": Route(
                lambda t, f: req("GET", "/api/v1/units/%s/weekly?from=2021-10-01&to=2021-10-31"
                                 % f["commune"]), "public"),
            "GET /api/v1/units/{code}/hamlets/f0-free": Route(
                lambda t, f: req("GET", "/api/v1/units/%s/hamlets/f0-free" % f["commune"]),
                roles=FOLLOW, unit=lambda f: f["hamlet"], strict=False),
            "GET /api/v1/audit": Route(
                lambda t, f: req("GET", "/api/v1/audit?unit=" + f["commune"]),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "POST /api/v1/assignments": Route(
                lambda t, f: req("POST", "/api/v1/assignments",
                                 {"username": F.commune_officer(f),
                                  "unit_code": F.fresh_household(f)}),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "POST /api/v1/assignments/{id}/reports": Route(
                lambda t, f: req("POST", "/api/v1/assignments/%d/reports" % F.fresh_assignment(f),
                                 {"status": "stable"}),
                allow=lambda u, f: u == F.commune_officer(f)),
            # Directives: the issuing chain (scope over the issuer) and the
            # assigned unit's subtree see a task; its own officials report.
            "POST /api/v1/directives": Route(
                lambda t, f: req("POST", "/api/v1/directives", {
                    "number": "MX-%d" % n(), "issued_on": "2021-10-15", "issuer": f["district"],
                    "title": "Chỉ thị", "tasks": [{"title": "Học tập", "deadline": "2021-10-30",
                                                   "assignees": {"units": [f["commune"]]}}]}),
                roles=OFFICIALS, unit=lambda f: f["district"]),
            "GET /api/v1/directives/{id}/progress": Route(
                lambda t, f: req("GET", "/api/v1/directives/%d/progress?date=2021-10-31"
                                 % f["directive"][0]),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "POST /api/v1/directives/{id}/reminders": Route(
                lambda t, f: req("POST", "/api/v1/directives/%d/reminders" % f["directive"][0],
                                 {"date": "2021-10-31"}),
                roles=OFFICIALS, unit=lambda f: f["district"]),
            "POST /api/v1/tasks/{task_id}/reports": Route(
                lambda t, f: req("POST", "/api/v1/tasks/%d/reports" % f["directive"][1],
                                 {"unit_code": f["commune"], "note": "đang làm", "done": False}),
                allow=own("commune")),
            "POST /api/v1/tasks/{task_id}/delegate": Route(
                lambda t, f: req("POST", "/api/v1/tasks/%d/delegate" % F.fresh_directive(
                    f, f["province"], f["district"])[1],
                    {"unit_code": f["district"], "deadline": "2021-10-20",
                     "assignees": {"units": [f["commune"]]}}),
                allow=own("district")),
            "GET /api/v1/units/{code}/inbox": Route(
                lambda t, f: req("GET", "/api/v1/units/%s/inbox" % f["commune"]),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            # A unit's directive lists; links and files of a directive: read by
            # whoever sees it, written by the issuing chain.
            "GET /api/v1/units/{code}/directives": Route(
                lambda t, f: req("GET", "/api/v1/units/%s/directives?direction=received"
                                 % f["commune"]),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "GET /api/v1/directives/{id}/links": Route(
                lambda t, f: req("GET", "/api/v1/directives/%d/links" % f["directive"][0]),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "POST /api/v1/directives/{id}/links": Route(
                lambda t, f: req("POST", "/api/v1/directives/%d/links" % F.fresh_directive(
                    f, f["district"], f["commune"])[0], {"implements": [f["directive"][0]]}),
                roles=OFFICIALS, unit=lambda f: f["district"]),
            "GET /api/v1/directives/{id}/attachments": Route(
                lambda t, f: req("GET", "/api/v1/directives/%d/attachments" % f["directive"][0]),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "POST /api/v1/directives/{id}/attachments": Route(
                lambda t, f: req("POST", "/api/v1/directives/%d/attachments?filename=m%d.pdf"
                                 % (F.fresh_directive(f, f["district"], f["commune"])[0], n()),
                                 raw=PDF_TEXT),
                roles=OFFICIALS, unit=lambda f: f["district"]),
            "GET /api/v1/directives/{id}/attachments/{file_id}": Route(
                lambda t, f: req("GET", f["file"]),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "DELETE /api/v1/directives/{id}/attachments/{file_id}": Route(
                lambda t, f: req("DELETE", F.fresh_file(f)),
                roles=OFFICIALS, unit=lambda f: f["district"]),
            "POST /api/v1/key-tasks": Route(
                lambda t, f: req("POST", "/api/v1/key-tasks", {
                    "unit_code": f["commune"], "period": "2021-Q4", "title": "Thăm hộ %d" % n(),
                    "measure": "hộ", "target": 50}),
                allow=own("commune")),
            "GET /api/v1/key-tasks": Route(
                lambda t, f: req("GET", "/api/v1/key-tasks?unit=" + f["commune"]),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "POST /api/v1/key-tasks/{id}/progress": Route(
                lambda t, f: req("POST", "/api/v1/key-tasks/%d/progress" % f["key_task"],
                                 {"progress": 3}),
                allow=own("commune")),
            "POST /api/v1/key-tasks/{id}/review": Route(
                lambda t, f: req("POST", "/api/v1/key-tasks/%d/review" % F.fresh_key_task(f),
                                 {"rating": "met"}),
                roles=OFFICIALS, unit=lambda f: f["district"]),
            "POST /api/v1/isolations": Route(
                lambda t, f: req("POST", "/api/v1/isolations",
                                 {"person_id": F.fresh_person(f), "kind": "home",
                                  "unit_code": f["hamlet"], "started_on": "2021-10-14"}),
                roles=PERSONAL, unit=lambda f: f["hamlet"]),
            "GET /api/v1/isolations": Route(
                lambda t, f: req("GET", "/api/v1/isolations?unit=" + f["hamlet"]),
                roles=FOLLOW, unit=lambda f: f["hamlet"], strict=False),
            "POST /api/v1/isolations/{id}/checkins": Route(
                lambda t, f: req("POST", "/api/v1/isolations/%d/checkins" % f["isolation"],
                                 {"spo2": 97}),
                roles=FOLLOW, unit=lambda f: f["hamlet"]),
            "GET /api/v1/isolations/{id}/checkins": Route(
                lambda t, f: req("GET", "/api/v1/isolations/%d/checkins" % f["isolation"]),
                roles=FOLLOW, unit=lambda f: f["hamlet"]),
            "POST /api/v1/isolations/{id}/release": Route(
                lambda t, f: req("POST", "/api/v1/isolations/%d/release" % F.fresh_isolation(f),
                                 {"released_on": "2021-10-20"}),
                roles=PERSONAL, unit=lambda f: f["hamlet"]),
            "POST /api/v1/zones": Route(
                lambda t, f: req("POST", "/api/v1/zones", {"unit_code": f["hamlet"],
                                 "reason": "thử", "started_on": "2021-10-14"}),
                roles=OFFICIALS, unit=lambda f: f["hamlet"]),
            "GET /api/v1/zones": Route(
                lambda t, f: req("GET", "/api/v1/zones?unit=%s&active_on=2021-10-15" % f["hamlet"]),
                roles=FOLLOW, unit=lambda f: f["hamlet"], strict=False),
            "POST /api/v1/zones/{id}/end": Route(
                lambda t, f: req("POST", "/api/v1/zones/%d/end" % F.fresh_zone(f),
                                 {"ended_on": "2021-11-30", "override_reason": "thử"}),
                roles=OFFICIALS, unit=lambda f: f["hamlet"]),
            "GET /api/v1/units/{code}/zones/count": Route(
                lambda t, f: req("GET", "/api/v1/units/%s/zones/count" % f["commune"]), "public"),
            "GET /api/v1/units/{code}/vaccination/{week_end}": Route(
                lambda t, f: req("GET", "/api/v1/units/%s/vaccination/%s" % (f["household"], WEEK)),
                allow=hh_read),
            "PUT /api/v1/units/{code}/vaccination/{week_end}": Route(
                lambda t, f: req("PUT", "/api/v1/units/%s/vaccination/%s" % (f["commune"], WEEK),
                                 {"groups": [{"age_group": "18+", "population": 100, "dose1": 50,
                                              "full_dose": 40}]}),
                roles=PERSONAL, unit=lambda f: f["commune"]),
            "GET /api/v1/units/{code}/capacity/{week_end}": Route(
                lambda t, f: req("GET", "/api/v1/units/%s/capacity/%s" % (f["commune"], WEEK)),
                "public"),
            "PUT /api/v1/units/{code}/capacity/{week_end}": Route(
                lambda t, f: req("PUT", "/api/v1/units/%s/capacity/%s" % (f["commune"], WEEK),
                                 {"capacity_met": True, "capacity": "high"}),
                roles=PERSONAL, unit=lambda f: f["commune"]),
            "POST /api/v1/vaccination/import": Route(
                lambda t, f: req("POST", "/api/v1/vaccination/import",
                                 raw="unit_code,week_end,age_group,population,dose1,full_dose\n"
                                     "%s,%s,65+,50,40,30\n" % (f["commune"], WEEK), headers=csv_h),
                roles=PERSONAL, unit=lambda f: f["commune"]),
            "GET /api/v1/units/{code}/hotlines": Route(
                lambda t, f: req("GET", "/api/v1/units/%s/hotlines" % f["commune"]), "public"),
            "PUT /api/v1/units/{code}/hotlines": Route(
                lambda t, f: req("PUT", "/api/v1/units/%s/hotlines" % f["commune"],
                                 {"items": [{"kind": "health", "label": "Trạm Y tế",
                                             "phone": "0912345678", "always_open": True}]}),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "GET /api/v1/units/{code}/duty": Route(
                lambda t, f: req("GET", "/api/v1/units/%s/duty?week_start=2021-10-18"
                                 % f["commune"]),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "PUT /api/v1/units/{code}/duty": Route(
                lambda t, f: req("PUT", "/api/v1/units/%s/duty?week_start=2021-10-18"
                                 % f["commune"],
                                 {"shifts": [{"date": "2021-10-18", "from": "22:00", "to": "06:00",
                                              "name": "Người trực", "phone": "0912345678"}]}),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "GET /api/v1/feedback/categories": Route(
                lambda t, f: req("GET", "/api/v1/feedback/categories"), "public"),
            "POST /api/v1/feedback/categories": Route(
                lambda t, f: req("POST", "/api/v1/feedback/categories",
                                 {"province_code": f["province"], "code": "rieng_%d" % n(),
                                  "name_vi": "Loại riêng", "name_en": "Own category", "days": 3,
                                  "department": "Sở Y tế"}),
                roles=OFFICIALS, unit=lambda f: f["province"]),
            "PUT /api/v1/feedback/categories/{province}/{code}": Route(
                lambda t, f: req("PUT", "/api/v1/feedback/categories/%s/%s"
                                 % (f["province"], F.fresh_category(f)),
                                 {"name_vi": "Loại đã sửa", "name_en": "Edited", "days": 4,
                                  "department": "Sở Y tế"}),
                roles=OFFICIALS, unit=lambda f: f["province"]),
            "POST /api/v1/feedback/categories/{province}/{code}/retire": Route(
                lambda t, f: req("POST", "/api/v1/feedback/categories/%s/%s/retire"
                                 % (f["province"], F.fresh_category(f)), {}),
                roles=OFFICIALS, unit=lambda f: f["province"]),
            "POST /api/v1/feedback": Route(
                lambda t, f: req("POST", "/api/v1/feedback", {"category": "shortage",
                                 "location_code": f["commune"], "description": "thử %d" % n()}),
                "public"),
            "GET /api/v1/feedback": Route(
                lambda t, f: req("GET", "/api/v1/feedback?unit=" + f["commune"]),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "GET /api/v1/feedback/stats": Route(
                lambda t, f: req("GET", "/api/v1/feedback/stats?unit=" + f["commune"]),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "GET /api/v1/feedback/mine": Route(
                lambda t, f: req("GET", "/api/v1/feedback/mine"), "self"),
            "GET /api/v1/feedback/track/{token}": Route(
                lambda t, f: req("GET", "/api/v1/feedback/track/" + f["feedback_code"]), "public"),
            "POST /api/v1/feedback/{id}/reassign": Route(
                lambda t, f: req("POST", "/api/v1/feedback/%d/reassign" % F.fresh_feedback(f),
                                 {"unit_code": f["district"], "reason": "Chuyển đúng nơi"}),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "POST /api/v1/feedback/track/{token}/reopen": Route(
                lambda t, f: req("POST", "/api/v1/feedback/track/%s/reopen"
                                 % F.answered_feedback_code(f), {"reason": "Chưa nhận được"}),
                "public"),
            "POST /api/v1/feedback/track/{token}/photos": Route(
                lambda t, f: req("POST", "/api/v1/feedback/track/%s/photos"
                                 % F.fresh_feedback_code(f), raw=photo_png("thử"),
                                 headers={"Content-Type": "image/png"}), "public"),
            "GET /api/v1/feedback/{id}/photos/{photo_id}": Route(
                lambda t, f: req("GET", "/api/v1/feedback/%d/photos/%d" % (f["feedback"],
                                                                          f["photo"])),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "GET /api/v1/feedback/compilation": Route(
                lambda t, f: req("GET", "/api/v1/feedback/compilation?unit=%s&month=%s"
                                 % (f["commune"], F.this_month())),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "POST /api/v1/feedback/compilation/forwards": Route(
                lambda t, f: req("POST", "/api/v1/feedback/compilation/forwards",
                                 {"unit_code": f["commune"], "month": F.month_to_forward(f),
                                  "category": "other", "department": "Sở Y tế"}),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "POST /api/v1/feedback/forwards/{id}/answer": Route(
                lambda t, f: req("POST", "/api/v1/feedback/forwards/%d/answer" % F.fresh_forward(f),
                                 {"answer": "Đã trả lời", "answered_by": "Sở Y tế"}),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "GET /api/v1/feedback/{id}": Route(
                lambda t, f: req("GET", "/api/v1/feedback/%d" % f["feedback"]),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "POST /api/v1/feedback/{id}/acknowledge": Route(
                lambda t, f: req("POST", "/api/v1/feedback/%d/acknowledge" % F.fresh_feedback(f),
                                 {}),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "POST /api/v1/feedback/{id}/assign": Route(
                lambda t, f: req("POST", "/api/v1/feedback/%d/assign" % F.fresh_feedback(f),
                                 {"unit_code": f["hamlet"]}),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "POST /api/v1/feedback/{id}/answer": Route(
                lambda t, f: req("POST", "/api/v1/feedback/%d/answer" % F.fresh_feedback(
                    f, ("acknowledge", {})), {"answer": "đã xử lý"}),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "POST /api/v1/feedback/{id}/close": Route(
                lambda t, f: req("POST", "/api/v1/feedback/%d/close" % F.fresh_feedback(
                    f, ("acknowledge", {}), ("answer", {"answer": "xong"})), {}),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "POST /api/v1/feedback/{id}/reject": Route(
                lambda t, f: req("POST", "/api/v1/feedback/%d/reject" % F.fresh_feedback(f),
                                 {"reason": "trùng"}),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "GET /api/v1/support/programmes": Route(
                lambda t, f: req("GET", "/api/v1/support/programmes"), "public"),
            "GET /api/v1/support/postings": Route(
                lambda t, f: req("GET", "/api/v1/support/postings?unit=%s&programme=nq68-household"
                                 % f["commune"]), "public"),
            "POST /api/v1/support/applications": Route(
                lambda t, f: req("POST", "/api/v1/support/applications",
                                 {"programme": "nq68-f0f1", "unit_code": f["hamlet"],
                                  "full_name": "Người hỗ trợ %d" % n(), "days": 5,
                                  "order_ref": "QĐ 5", "age": 40,
                                  "received_on": "2021-10-01"}),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "GET /api/v1/support/applications": Route(
                lambda t, f: req("GET", "/api/v1/support/applications?unit=" + f["commune"]),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "GET /api/v1/support/applications/{id}": Route(
                lambda t, f: req("GET", "/api/v1/support/applications/%d" % F.fresh_support(f)),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "POST /api/v1/support/applications/{id}/approve": Route(
                lambda t, f: req("POST", "/api/v1/support/applications/%d/approve"
                                 % F.fresh_support(f), {}),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "POST /api/v1/support/applications/{id}/reject": Route(
                lambda t, f: req("POST", "/api/v1/support/applications/%d/reject"
                                 % F.fresh_support(f), {"reason": "không đủ giấy tờ"}),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "POST /api/v1/support/applications/{id}/notes": Route(
                lambda t, f: req("POST", "/api/v1/support/applications/%d/notes"
                                 % F.fresh_support(f, "approve", "approve"),
                                 {"kind": "complaint", "text": "khiếu nại"}),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "POST /api/v1/support/self-applications": Route(
                lambda t, f: req("POST", "/api/v1/support/self-applications",
                                 {"programme": "canary-open", "unit_code": f["hamlet"],
                                  "full_name": "Người tự nộp %d" % n(),
                                  "id_number": "0790%08d" % n(), "days": 3, "order_ref": "QĐ 3",
                                  "age": 50}), "public"),
            "GET /api/v1/support/track/{token}": Route(
                lambda t, f: req("GET", "/api/v1/support/track/" + F.citizen_support(f)[1]),
                "public"),
            "POST /api/v1/support/applications/{id}/verify": Route(
                lambda t, f: req("POST", "/api/v1/support/applications/%d/verify"
                                 % F.citizen_support(f)[0], {}),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "POST /api/v1/support/postings/{id}/objections": Route(
                lambda t, f: req("POST", "/api/v1/support/postings/%d/objections"
                                 % f["support_line"], {"name": "Người dân %d" % n(),
                                                       "reason": "Hộ này vẫn buôn bán"}),
                "public"),
            "GET /api/v1/support/objections": Route(
                lambda t, f: req("GET", "/api/v1/support/objections?unit=" + f["commune"]),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "POST /api/v1/support/applications/{id}/payments": Route(
                lambda t, f: req("POST", "/api/v1/support/applications/%d/payments"
                                 % F.fresh_support(f, "approve", "approve"),
                                 {"method": "cash", "amount": 800000}),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "GET /api/v1/support/totals": Route(
                lambda t, f: req("GET", "/api/v1/support/totals?unit=" + f["commune"]),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "GET /api/v1/support/left-behind": Route(
                lambda t, f: req("GET", "/api/v1/support/left-behind?unit=" + f["commune"]),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "POST /api/v1/capacity/import": Route(
                lambda t, f: req("POST", "/api/v1/capacity/import",
                                 raw="unit_code,week_end,capacity_met,capacity\n%s,%s,1,low\n"
                                     % (f["commune"], WEEK), headers=csv_h),
                roles=PERSONAL, unit=lambda f: f["commune"]),
            "GET /api/v1/business/risk-criteria": Route(
                lambda t, f: req("GET", "/api/v1/business/risk-criteria"), "public"),
            "POST /api/v1/businesses": Route(
                lambda t, f: req("POST", "/api/v1/businesses", {"tax_code": "030%07d" % n(),
                                 "name": "Cơ sở thử %d" % n(), "sector": "Chế biến",
                                 "unit_code": f["commune"], "address": "Xưởng thử",
                                 "workers": 10}), allow=biz_new),
            "GET /api/v1/businesses": Route(
                lambda t, f: req("GET", "/api/v1/businesses?unit=" + f["commune"]),
                allow=biz_new, strict=False),
            "GET /api/v1/businesses/{id}": Route(
                lambda t, f: req("GET", "/api/v1/businesses/%d" % f["business"]), allow=biz),
            "POST /api/v1/businesses/{id}/risk-assessments": Route(
                lambda t, f: req("POST", "/api/v1/businesses/%d/risk-assessments" % f["business"],
                                 {"assessed_on": "2021-10-14", "scores": [5] * 15}), allow=biz),
            "POST /api/v1/businesses/{id}/plans": Route(
                lambda t, f: req("POST", "/api/v1/businesses/%d/plans" % f["business"],
                                 {"kind": "shifts", "starts_on": "2021-10-01",
                                  "ends_on": "2021-10-31", "workers_on_site": 10, "shifts": 2}),
                allow=biz),
            "POST /api/v1/businesses/{id}/on-site": Route(
                lambda t, f: req("POST", "/api/v1/businesses/%d/on-site" % f["business"],
                                 {"day": "2021-10-14", "on_site": 10}), allow=biz),
            "POST /api/v1/businesses/{id}/support-applications": Route(
                lambda t, f: req("POST", "/api/v1/businesses/%d/support-applications"
                                 % f["business"],
                                 raw="programme,unit_code,full_name,id_number,days,order_ref,age\n"
                                     "canary-open,%s,Công nhân %d,0790%08d,5,QĐ 2,30\n"
                                     % (f["commune"], n(), n()), headers=csv_h), allow=biz),
            "POST /api/v1/businesses/{id}/cases": Route(
                lambda t, f: req("POST", "/api/v1/businesses/%d/cases" % f["business"],
                                 {"case_id": F.new_case(f["hamlet"], "Công nhân %d" % n())["id"]}),
                roles=PERSONAL, unit=lambda f: f["commune"]),
            # Inspections: the issuing chain (the district here) reads and writes;
            # the inspected commune's officials only once concluded.
            "GET /api/v1/inspections/templates": Route(
                lambda t, f: req("GET", "/api/v1/inspections/templates"), "public"),
            "POST /api/v1/inspections": Route(
                lambda t, f: req("POST", "/api/v1/inspections", {
                    "title": "Kiểm tra %d" % n(), "issuer": f["district"],
                    "period_from": "2021-10-01", "period_to": "2021-10-31", "kind": "announced",
                    "template": "business_covid", "target": {
                        "unit_code": f["commune"], "tax_code": "0101234567-001",
                        "business_name": "Công ty thử"}}),
                roles=OFFICIALS, unit=lambda f: f["district"]),
            "GET /api/v1/inspections": Route(
                lambda t, f: req("GET", "/api/v1/inspections?unit=" + f["district"]),
                roles=OFFICIALS, unit=lambda f: f["district"]),
            "GET /api/v1/inspections/{id}": Route(
                lambda t, f: req("GET", "/api/v1/inspections/%d" % F.inspection(f)),
                roles=OFFICIALS, unit=lambda f: f["district"]),
            "PUT /api/v1/inspections/{id}/findings": Route(
                lambda t, f: req("PUT", "/api/v1/inspections/%d/findings" % F.inspection(f),
                                 {"items": [{"item": "reporting", "result": "pass"}]}),
                roles=OFFICIALS, unit=lambda f: f["district"]),
            "POST /api/v1/inspections/{id}/conclusion": Route(
                lambda t, f: req("POST", "/api/v1/inspections/%d/conclusion"
                                 % F.fresh_inspection(f), {"conclusion": "Đạt",
                                                           "concluded_on": "2021-10-20"}),
                roles=OFFICIALS, unit=lambda f: f["district"]),
            "POST /api/v1/inspection-actions/{id}/done": Route(
                lambda t, f: req("POST", "/api/v1/inspection-actions/%d/done" % F.fresh_action(f),
                                 {"done_on": "2021-11-01"}),
                allow=lambda u, f: may(u, OFFICIALS, f["district"]) or may(u, OFFICIALS,
                                                                           f["commune"])),
            "POST /api/v1/decisions": Route(
                lambda t, f: req("POST", "/api/v1/decisions", {
                    "kind": "reward", "form": "Giấy khen", "number": "%d/QĐ" % n(),
                    "unit_code": f["commune"], "reason": "Làm tốt", "decided_on": "2021-10-20",
                    "issuer": f["district"], "public": True}),
                roles=OFFICIALS, unit=lambda f: f["district"]),
            "GET /api/v1/decisions": Route(
                lambda t, f: req("GET", "/api/v1/decisions?unit=" + f["district"]),
                roles=OFFICIALS, unit=lambda f: f["district"]),
            "GET /api/v1/public/decisions": Route(
                lambda t, f: req("GET", "/api/v1/public/decisions?unit=" + f["district"]), "public"),
            # Emulation: the parent's officials, and those of the units below it.
            "GET /api/v1/emulation/indicators": Route(
                lambda t, f: req("GET", "/api/v1/emulation/indicators"), "public"),
            "POST /api/v1/emulation/movements": Route(
                lambda t, f: req("POST", "/api/v1/emulation/movements", {
                    "name": "Thi đua %d" % n(), "parent_code": f["district"],
                    "period_from": "2021-10-01", "period_to": "2021-12-31",
                    "indicators": [{"code": "vaccination_coverage", "weight": 2}]}),
                roles=OFFICIALS, unit=lambda f: f["district"]),
            "GET /api/v1/emulation/movements": Route(
                lambda t, f: req("GET", "/api/v1/emulation/movements?unit=" + f["district"]),
                roles=OFFICIALS, unit=lambda f: f["district"], strict=False),
            "GET /api/v1/emulation/movements/{id}/rankings": Route(
                lambda t, f: req("GET", "/api/v1/emulation/movements/%d/rankings" % F.movement(f)),
                allow=lambda u, f: u is not None and role_of(u) in OFFICIALS and (
                    covers(grant_of(u), f["district"]) or covers(f["district"], grant_of(u)))),
            "GET /api/v1/emulation/movements/{id}/history": Route(
                lambda t, f: req("GET", "/api/v1/emulation/movements/%d/history" % F.movement(f)),
                allow=lambda u, f: u is not None and role_of(u) in OFFICIALS and (
                    covers(grant_of(u), f["district"]) or covers(f["district"], grant_of(u)))),
            # interoperability
            "GET /api/v1/openapi.json": Route(lambda t, f: req("GET", "/api/v1/openapi.json"),
                                              "public"),
            "GET /api/v1/exchange/dataValueSets.json": Route(
                lambda t, f: req("GET", "/api/v1/exchange/dataValueSets.json?unit=%s"
                                 "&from=2021-10-01&to=2021-10-31" % f["commune"]),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "GET /api/v1/exchange/dataValueSets.adx": Route(
                lambda t, f: req("GET", "/api/v1/exchange/dataValueSets.adx?unit=%s"
                                 "&from=2021-10-01&to=2021-10-31" % f["commune"]),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "POST /api/v1/exchange/dataValueSets": Route(
                lambda t, f: req("POST", "/api/v1/exchange/dataValueSets", {
                    "dataSet": "THC_COVID_WEEKLY", "dataValues": [{
                        "dataElement": "THC_CASES", "period": "2021W41",
                        "orgUnit": f["commune"], "value": str(n())}]}),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "POST /api/v1/exchange/dataValueSets.adx": Route(
                lambda t, f: req("POST", "/api/v1/exchange/dataValueSets.adx",
                                 raw='<adx xmlns="urn:ihe:qrph:adx:2015"><group dataSet='
                                     '"THC_COVID_WEEKLY" orgUnit="%s" period="2021-10-11/P7D">'
                                     '<dataValue dataElement="THC_DEATHS" value="%d"/></group>'
                                     '</adx>' % (f["commune"], n()),
                                 headers={"Content-Type": "application/adx+xml"}),
                roles=OFFICIALS, unit=lambda f: f["commune"]),
            "GET /api/v1/levels.xlsx": Route(
                lambda t, f: req("GET", "/api/v1/levels.xlsx?parent=" + f["district"]), "public"),
            "GET /api/v1/reports/situation.xlsx": Route(
                lambda t, f: req("GET", "/api/v1/reports/situation.xlsx?unit=%s&week_end=%s"
                                 % (f["district"], WEEK)),
                roles=OFFICIALS, unit=lambda f: f["district"]),
            "GET /api/v1/levels.geojson": Route(
                lambda t, f: req("GET", "/api/v1/levels.geojson?parent=" + f["district"]), "public"),
            # Open311 GeoReport v2: public reads without contact; the POST
            # answers to its API key, not to the caller's session
            "GET /open311/v2/discovery.{fmt}": Route(
                lambda t, f: req("GET", "/open311/v2/discovery.json"), "public"),
            "GET /open311/v2/services.{fmt}": Route(
                lambda t, f: req("GET", "/open311/v2/services.xml"), "public"),
            "GET /open311/v2/services/{service}": Route(
                lambda t, f: req("GET", "/open311/v2/services/shortage.json"), "public"),
            "GET /open311/v2/requests.{fmt}": Route(
                lambda t, f: req("GET", "/open311/v2/requests.json?service_code=other"), "public"),
            "POST /open311/v2/requests.{fmt}": Route(
                lambda t, f: req("POST", "/open311/v2/requests.json",
                                 raw="api_key=%s&service_code=shortage&lat=21.04&long=105.84"
                                     "&attribute%%5Bunit_code%%5D=%s&description=th%%E1%%BB%%AD+%d"
                                     % (F.open311_key, f["commune"], n()),
                                 headers={"Content-Type": "application/x-www-form-urlencoded"}),
                "public"),
            "GET /open311/v2/requests/{id}": Route(
                lambda t, f: req("GET", "/open311/v2/requests/%d.xml" % f["feedback"]), "public"),
            "GET /open311/v2/tokens/{token}": Route(
                lambda t, f: req("GET", "/open311/v2/tokens/%s.json" % f["feedback_code"]),
                "public"),
        }

    # ---- running it ----
    def fresh_token(self):
        return self.server.login(self.user) if self.user else None

    def visible(self, user):
        """The canaries this user may see."""
        out = set()
        for f in self.fx.values():
            if user and role_of(user) in PERSONAL and covers(grant_of(user), f["commune"]):
                out.update(f["canaries"])
            if user and ((role_of(user) in FOLLOW and covers(grant_of(user), f["household"]))
                         or grant_of(user) == f["household"]):
                out.update(f["households"])
            if user and role_of(user) in FOLLOW and covers(grant_of(user), f["hamlet"]):
                out.update(f["followed"])
        return out

    def newest_audit(self):
        r = self.call("GET", "/api/v1/audit?limit=1", expect=200)
        return r.json["items"][0]["id"] if r.json["items"] else 0

    def allowed(self, route, user, f):
        if route.kind == "public":
            return True
        if route.kind == "self":
            return user is not None
        if route.allow is not None:
            return route.allow(user, f)
        return may(user, route.roles, route.unit(f))

    def test_every_route_is_in_the_matrix(self):
        spec = self.spec()
        self.assertEqual(sorted(set(self.routes) - set(spec)), [],
                         "routes missing from the scope matrix")
        self.assertEqual(sorted(set(spec) - set(self.routes)), [], "stale matrix entries")

    def test_matrix(self):
        spec = self.spec()
        failures, leaks, tried = [], [], 0
        for key in self.routes:
            route = spec.get(key)
            if route is None:
                continue
            for user in USERS:
                self.user = user
                forbidden = set(c for f in self.fx.values() for c in
                                f["canaries"] + f["households"] + f["followed"]) - self.visible(user)
                for t, f in self.fx.items():
                    r, why = self.try_one(key, route, user, f, forbidden)
                    tried += 1
                    if why == "leak":
                        leaks.append("%s as %s on %s: %s" % (key, user, t, r.describe()))
                    elif why:
                        failures.append("%s as %s on %s: %s: %s" % (key, user, t, why,
                                                                    r.describe()))
        if leaks or failures:
            self.fail("%d leaks, %d other failures in %d requests:\n%s"
                      % (len(leaks), len(failures), tried,
                         "\n".join(x[:400] for x in leaks + failures)))
        self.assertGreater(tried, 1000)

    def test_every_write_answers_once_per_key(self):
        """Every write route of the table, sent twice under one Idempotency-Key
        (the second time after signing in again, as a phone's queue is sent):
        the first answer again, byte for byte, and nothing written again (the
        audit trail, where every change leaves a row, stays as it was); the
        same key on another target is a 422 that changes nothing.  Signing
        in is the one write never answered again (the answer holds a token)."""
        spec, f, failures, tried = self.spec(), self.fx["px"], [], 0
        for key in self.routes:
            method = key.split(" ", 1)[0]
            if method == "GET" or key == "POST /api/v1/login":
                continue
            route = spec[key]
            users = [u for u in USERS if self.allowed(route, u, f)]
            self.user = users[0]
            q = route.build(self, f)
            k = "replay-%s" % uuid.uuid4()
            headers = dict(q["headers"] or {}, **{"Idempotency-Key": k})
            token = q["token"] if q["token"] is not None else (
                self.token(self.user) if self.user else None)
            first = self.server.request(q["method"], q["path"], body=q["body"], raw=q["raw"],
                                        headers=headers, token=token)
            tried += 1
            if not 200 <= first.status < 300:
                failures.append("%s as %s: the write failed: %s" % (key, self.user,
                                                                     first.describe()))
                continue
            again_token = self.second_session(self.user)
            if q["token"] is not None and key != "POST /api/v1/logout":
                again_token = q["token"]
            before = self.newest_audit()    # signing in leaves a row of its own
            again = self.server.request(q["method"], q["path"], body=q["body"], raw=q["raw"],
                                        headers=headers, token=again_token)
            if (again.status, again.raw) != (first.status, first.raw) \
                    or again.headers.get("idempotent-replayed") != "true":
                failures.append("%s: not the first answer again: %s then %s"
                                % (key, first.describe(), again.describe()))
            other = q["path"] + ("&" if "?" in q["path"] else "?") + "again=1"
            moved = self.server.request(q["method"], other, body=q["body"], raw=q["raw"],
                                        headers=headers, token=again_token)
            if moved.status != 422 or (moved.json or {}).get("error", {}).get("field") \
                    != "Idempotency-Key":
                failures.append("%s: the key on another target: %s" % (key, moved.describe()))
            if self.newest_audit() != before:
                failures.append("%s: written again under the same key" % key)
        if failures:
            self.fail("%d of %d writes:\n%s" % (len(failures), tried,
                                               "\n".join(x[:400] for x in failures)))
        self.assertGreater(tried, 60)

    def second_session(self, user):
        """A session of `user` other than the one that wrote (signed in once
        per user: each sign-in is an Argon2 run)."""
        if user is None:
            return None
        again = self.__dict__.setdefault("_again", {})
        if user not in again:
            again[user] = self.server.login(user)
        self.assertNotEqual(again[user], self.token(user))
        return again[user]

    def try_one(self, key, route, user, f, forbidden):
        q = route.build(self, f)
        token = q["token"] if q["token"] is not None else (self.token(user) if user else None)
        allowed = self.allowed(route, user, f)
        write = q["method"] != "GET"
        before = self.newest_audit() if not allowed else None
        # What the caller sent is not a leak when it comes back (an ID number).
        raw = q["raw"] or ""
        if isinstance(raw, bytes):   # an image
            raw = raw.decode("utf-8", "replace")
        sent = json.dumps(q["body"], ensure_ascii=False) + raw + q["path"]
        forbidden = {c for c in forbidden if c not in sent}
        r = self.server.request(q["method"], q["path"], body=q["body"], raw=q["raw"],
                                headers=q["headers"], token=token)
        body = r.raw.decode("utf-8", "replace")
        if any(c in body for c in forbidden):
            return r, "leak"
        if r.status >= 500:
            return r, "server error"
        if allowed and 200 <= r.status < 300 and r.headers.get("location", "").startswith("/api/"):
            # What was just written, read back by its writer.
            back = self.server.request("GET", r.headers["location"], token=token)
            if any(c in back.raw.decode("utf-8", "replace") for c in forbidden):
                return back, "leak"
        if allowed:
            return r, None if 200 <= r.status < 300 else "should be allowed"
        if user is None and key in self.login_routes and r.status != 401:
            return r, "anonymous should get 401"
        if route.strict and not 400 <= r.status < 500:
            return r, "should be refused"
        if self.newest_audit() != before:
            return r, "a refused %s left an audit row" % ("write" if write else "read")
        return r, None


if __name__ == "__main__":
    main()
