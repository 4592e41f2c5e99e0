"""
The command line: help, migrations, unit import (idempotent, all or
nothing, line-numbered errors) and user management, checked through the
HTTP API of a server on the same database.

CLI forms used (beyond docs/api.md, which covers HTTP only):
  thichung --help | <command> --help
  thichung migrate --db PATH
  thichung import units --db PATH FILE.csv
  thichung user add    --db PATH --username U --role ROLE --unit CODE   (password on stdin)
  thichung user passwd --db PATH --username U                           (password on stdin)
  thichung user grant  --db PATH --username U --role ROLE --unit CODE
  thichung user revoke --db PATH --username U --role ROLE --unit CODE
  thichung user list   --db PATH
The password is written to stdin twice, one per line, so that a command that
reads a confirmation line works as well as one that reads a single line.

Readings:
- Exit status 0 on success, 2 for bad usage or bad input (unknown command,
  a CSV error, an unknown role/unit, a role at the wrong level); messages go
  to stderr and name the line ("line N" or "dòng N") or the value at fault.
- `migrate` says how many migrations it applied: the second run reports 0.
- A second import of the same file changes nothing: same units, and no new
  audit entries.
- A failed import leaves no unit in the database.
- CLI writes while a server runs on the same SQLite file are seen by it.
"""

import os
import re
import shutil
import tempfile
import unittest

from harness import (DATA_DIR, DEMO_PASSWORD, TEST_TMP, Server, ServerTestCase, cli, main,
                     units_csv)

UNITS_CSV = os.path.join(DATA_DIR, "units.csv")
N_UNITS = len(units_csv())
PW2 = lambda pw: "%s\n%s\n" % (pw, pw)   # noqa: E731


def line_re(n):
    return re.compile(r"(?i)(line|dòng)\D{0,3}%d\b" % n)


class Workdir:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="cli-", dir=TEST_TMP)
        self.db = os.path.join(self.dir, "thc.db")

    def file(self, name, data):
        path = os.path.join(self.dir, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class HelpTest(unittest.TestCase):

    def test_help(self):
        rc, out, err = cli("--help")
        self.assertEqual(rc, 0, err)
        for cmd in ("serve", "demo", "migrate", "import", "user"):
            self.assertIn(cmd, out, "--help should list %s" % cmd)

    def test_subcommand_help(self):
        for cmd in ("serve", "demo", "migrate", "import", "user"):
            rc, out, err = cli(cmd, "--help")
            self.assertEqual(rc, 0, "%s --help: %s" % (cmd, err))
            self.assertTrue(out.strip(), "%s --help prints nothing on stdout" % cmd)
            self.assertIn("--db", out, "%s --help should mention --db" % cmd)
        rc, out, err = cli("serve", "--help")
        for opt in ("--listen", "--timeout", "--max-conn-per-ip"):
            self.assertIn(opt, out, "serve --help should document " + opt)
        rc, out, err = cli("user", "--help")
        for sub in ("add", "grant", "revoke", "passwd", "list"):
            self.assertIn(sub, out, "user --help should list " + sub)

    def test_unknown_command(self):
        rc, out, err = cli("frobnicate")
        self.assertEqual(rc, 2)
        self.assertIn("frobnicate", err)
        rc, out, err = cli("user", "frobnicate", "--db", "/nonexistent/x.db")
        self.assertEqual(rc, 2)
        rc, out, err = cli("migrate", "--no-such-option")
        self.assertEqual(rc, 2)
        self.assertIn("--no-such-option", err)
        rc, out, err = cli()
        self.assertNotEqual(rc, 0, "no command at all is a usage error")


class MigrateImportTest(unittest.TestCase):

    def setUp(self):
        self.w = Workdir()

    def tearDown(self):
        self.w.cleanup()

    def migrate(self):
        rc, out, err = cli("migrate", "--db", self.w.db)
        self.assertEqual(rc, 0, err)
        return out + err

    def serve_totals(self, db):
        with Server(demo=False, db=db, name="cli-serve") as srv:
            totals = {}
            for level in ("province", "district", "commune"):
                r = srv.request("GET", "/api/v1/units?level=%s&limit=1" % level)
                self.assertEqual(r.status, 200, r.describe())
                totals[level] = r.json["total"]
            r = srv.request("GET", "/api/v1/units/00001")
            totals["00001"] = r.json["name"] if r.status == 200 else r.status
        return totals

    def unit_count(self, db):
        """Units in the database as `thichung serve` on it shows them to anyone:
        provinces, districts and communes (all that units.csv holds)."""
        totals = self.serve_totals(db)
        return totals["province"] + totals["district"] + totals["commune"]

    def test_migrate_twice(self):
        first = self.migrate()
        self.assertTrue(os.path.exists(self.w.db))
        self.assertTrue(re.search(r"\b[1-9]\d*\b", first), "first migrate output: %r" % first)
        second = self.migrate()
        self.assertTrue(re.search(r"\b0\b", second),
                        "second migrate should report 0 applied: %r" % second)
        self.assertEqual(self.unit_count(self.w.db), 0)

    def test_import_is_idempotent(self):
        self.migrate()
        rc, out, err = cli("import", "units", "--db", self.w.db, UNITS_CSV)
        self.assertEqual(rc, 0, err)
        text = out + err
        self.assertTrue(str(N_UNITS) in text or all(str(n) in text for n in (63, 705, 10603)),
                        "import should print how many units it loaded: %r" % text)
        self.assertEqual(self.unit_count(self.w.db), N_UNITS)
        rc, out, err = cli("user", "add", "--db", self.w.db, "--username", "root",
                           "--role", "admin", "--unit", "VN", input=PW2("root-pass-1"))
        self.assertEqual(rc, 0, err)
        with Server(demo=False, db=self.w.db, name="cli-import") as srv:
            tok = srv.login("root", "root-pass-1")
            r = srv.request("GET", "/api/v1/audit?limit=1", token=tok)
            self.assertEqual(r.status, 200, r.describe())
            newest = r.json["items"][0]["id"] if r.json["items"] else 0
            r = srv.request("GET", "/api/v1/units?level=commune&limit=1000")
            page1 = r.json
            rc, out2, err2 = cli("import", "units", "--db", self.w.db, UNITS_CSV)
            self.assertEqual(rc, 0, err2)
            r = srv.request("GET", "/api/v1/audit?limit=1", token=tok)
            self.assertEqual(r.status, 200, r.describe())
            self.assertEqual(r.json["items"][0]["id"] if r.json["items"] else 0, newest,
                             "a second identical import wrote audit entries")
            r = srv.request("GET", "/api/v1/units?level=commune&limit=1000")
            self.assertEqual(r.json, page1)
            served = 0
            for level, total in (("province", 63), ("district", 705), ("commune", 10603)):
                r = srv.request("GET", "/api/v1/units?level=%s&limit=1" % level)
                self.assertEqual(r.json["total"], total, level)
                served += r.json["total"]
            self.assertEqual(served, N_UNITS)

    def broken_csv(self, lineno, replace):
        with open(UNITS_CSV, "rb") as f:
            lines = f.read().split(b"\n")
        lines[lineno - 1] = replace(lines[lineno - 1])
        return self.w.file("units-broken-%d.csv" % lineno, b"\n".join(lines))

    def check_refused_import(self, path, lineno):
        rc, out, err = cli("import", "units", "--db", self.w.db, path)
        self.assertEqual(rc, 2, "exit status for a bad CSV (stderr: %s)" % err)
        self.assertRegex(err, line_re(lineno), "stderr should name line %d" % lineno)
        self.assertEqual(self.unit_count(self.w.db), 0,
                         "a failed import left units in the database")

    def test_bad_lines_change_nothing(self):
        self.migrate()
        cases = {
            "province code ABC": lambda l: b"ABC,T\xe1\xbb\x89nh Gi\xe1\xba\xa3,province,,T\xe1\xbb\x89nh",
            "code ABC": lambda l: b"ABC" + l[l.index(b","):],
            "unknown parent": lambda l: l.replace(b",district,60,", b",district,99,"),
            "too few columns": lambda l: b",".join(l.split(b",")[:3]),
            "unknown level": lambda l: l.replace(b",district,", b",quarter,"),
            "empty name": lambda l: b",".join([l.split(b",")[0], b""] + l.split(b",")[2:]),
        }
        for what, fn in cases.items():
            with self.subTest(what):
                path = self.broken_csv(500, fn)
                self.check_refused_import(path, 500)
        self.assertEqual(self.serve_totals(self.w.db),
                         {"province": 0, "district": 0, "commune": 0, "00001": 404})

    def test_invalid_utf8(self):
        self.migrate()
        path = self.broken_csv(300, lambda l: l.replace(b"Huy", b"Hu\xff\xfey", 1))
        self.check_refused_import(path, 300)
        # A truncated sequence at the end of the last field (before the CR of
        # units.csv's CRLF line ends, else the CR would end the line first).
        path = self.broken_csv(1000, lambda l: l[:-1] + b"\xc3\r" if l.endswith(b"\r")
                               else l + b"\xc3")
        self.check_refused_import(path, 1000)
        self.assertEqual(self.serve_totals(self.w.db)["commune"], 0)

    def test_missing_file(self):
        self.migrate()
        missing = os.path.join(self.w.dir, "nope.csv")
        rc, out, err = cli("import", "units", "--db", self.w.db, missing)
        self.assertNotEqual(rc, 0)
        self.assertIn("nope.csv", err)


class UserTest(ServerTestCase):
    """user add/grant/revoke/passwd/list on the database of a running server."""

    def user(self, *args, input=None):
        return cli("user", args[0], "--db", self.server.db, *args[1:], input=input)

    def grants_at_login(self, username, password):
        r = self.server.login_response(username, password)
        self.assertStatus(r, 200)
        return {(g["role"], g["unit_code"]) for g in r.json["user"]["grants"]}

    def listed(self):
        rc, out, err = self.user("list")
        self.assertEqual(rc, 0, err)
        return out

    def test_add_then_login(self):
        rc, out, err = self.user("add", "--username", "cli_citizen", "--role", "citizen",
                                 "--unit", "00001-001-0001", input=PW2("mat-khau-1"))
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.grants_at_login("cli_citizen", "mat-khau-1"),
                         {("citizen", "00001-001-0001")})
        # a duplicate username
        rc, out, err = self.user("add", "--username", "cli_citizen", "--role", "citizen",
                                 "--unit", "00001-001-0001", input=PW2("other-pass"))
        self.assertNotEqual(rc, 0)
        self.assertIn("cli_citizen", err)
        self.assertEqual(self.grants_at_login("cli_citizen", "mat-khau-1"),
                         {("citizen", "00001-001-0001")})

    def test_add_refused(self):
        cases = [
            (("--role", "mayor", "--unit", "00001"), ("mayor",)),
            (("--role", "commune_officer", "--unit", "99999"), ("99999",)),
            (("--role", "commune_officer", "--unit", "01"), ("commune_officer", "01")),
            (("--role", "province_officer", "--unit", "00001"), ("province_officer", "00001")),
        ]
        for i, (args, names) in enumerate(cases):
            username = "cli_bad_%d" % i
            rc, out, err = self.user("add", "--username", username, *args, input=PW2("pw-123456"))
            self.assertEqual(rc, 2, "user add %s: exit %d, stderr %r" % (args, rc, err))
            self.assertTrue(any(n in err for n in names),
                            "message should name %s: %r" % (" or ".join(names), err))
            self.assertNotIn(username, self.listed(), "a refused user add created the user")
        rc, out, err = self.user("add", "--username", "cli_nopw", "--role", "citizen",
                                 "--unit", "00001-001-0001", input="")
        self.assertNotEqual(rc, 0, "an empty password is refused")
        self.assertNotIn("cli_nopw", self.listed())

    def test_grant_revoke(self):
        rc, out, err = self.user("add", "--username", "cli_officer", "--role", "commune_officer",
                                 "--unit", "00001", input=PW2("can-bo-123"))
        self.assertEqual(rc, 0, err)
        rc, out, err = self.user("grant", "--username", "cli_officer", "--role",
                                 "commune_officer", "--unit", "00004")
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.grants_at_login("cli_officer", "can-bo-123"),
                         {("commune_officer", "00001"), ("commune_officer", "00004")})
        tok = self.server.login("cli_officer", "can-bo-123")
        self.assertStatus(self.get("/api/v1/units/00004-001", token=tok), 200)
        listing = self.listed()
        self.assertIn("cli_officer", listing)
        self.assertIn("00004", listing)
        # refused grants
        for args in (("--role", "commune_officer", "--unit", "00004"),     # duplicate
                     ("--role", "mayor", "--unit", "00004"),
                     ("--role", "district_officer", "--unit", "00004"),    # wrong level
                     ("--role", "commune_officer", "--unit", "99999")):
            rc, out, err = self.user("grant", "--username", "cli_officer", *args)
            self.assertNotEqual(rc, 0, "grant %s should fail" % (args,))
            self.assertTrue(err.strip(), "grant %s: no message" % (args,))
        rc, out, err = self.user("grant", "--username", "nobody-such", "--role", "citizen",
                                 "--unit", "00001-001-0001")
        self.assertNotEqual(rc, 0)
        self.assertIn("nobody-such", err)
        # revoke
        rc, out, err = self.user("revoke", "--username", "cli_officer", "--role",
                                 "commune_officer", "--unit", "00004")
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.grants_at_login("cli_officer", "can-bo-123"),
                         {("commune_officer", "00001")})
        tok = self.server.login("cli_officer", "can-bo-123")
        self.assertError(self.get("/api/v1/units/00004-001", token=tok), 404, "not_found")
        rc, out, err = self.user("revoke", "--username", "cli_officer", "--role",
                                 "commune_officer", "--unit", "00004")
        self.assertNotEqual(rc, 0, "revoking a grant that is not there")

    def test_passwd(self):
        rc, out, err = self.user("add", "--username", "cli_pw", "--role", "health_worker",
                                 "--unit", "00001", input=PW2("old-password-1"))
        self.assertEqual(rc, 0, err)
        self.server.login("cli_pw", "old-password-1")
        rc, out, err = self.user("passwd", "--username", "cli_pw", input=PW2("new-password-2"))
        self.assertEqual(rc, 0, err)
        r = self.server.login_response("cli_pw", "old-password-1")
        self.assertError(r, 401, "unauthorized")
        self.server.login("cli_pw", "new-password-2")
        rc, out, err = self.user("passwd", "--username", "nobody-such", input=PW2("x-123456"))
        self.assertNotEqual(rc, 0)

    def test_list(self):
        out = self.listed()
        for username, role_unit in {"admin": ("admin", "VN"), "phucxa": ("commune_officer", "00001"),
                                    "todan1": ("team_member", "00001-001"),
                                    "nguoidan": ("citizen", "00001-001-0001")}.items():
            m = re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(username), out)
            self.assertTrue(m, "user list should show %s: %r" % (username, out[:2000]))
            # the user's line (or block up to the next user) names the grant
            after = out[m.start():]
            self.assertIn(role_unit[0], after[:400], "user list: grant of %s" % username)
            self.assertIn(role_unit[1], after[:400], "user list: unit of %s" % username)
        self.assertNotIn(DEMO_PASSWORD, out)
        self.assertNotRegex(out, r"\$argon2", "user list must not print password hashes")


if __name__ == "__main__":
    main()
