"""
thichung assess: epidemic levels for the rows of a CSV, as CSV.

  thichung assess [--rules ID] [--lang vi|en] [--rules-dir DIR] [FILE]

Environment: THC_BIN (the binary), THC_DATA_DIR (data/, with rules/ and
units.csv), THC_TEST_TMP (scratch).  Python standard library only; the CLI
runs through subprocess.

Readings:
- Output header unit_code,level,cases_per_100k,rule_set,explanation; one row
  per input row, in input order; level empty when not assessable;
  cases_per_100k with one decimal and a dot.
- Bad input: exit status 2, nothing on stdout, and stderr says
  "line N: column NAME: ..." (in English after the Vietnamese line).
"""

import csv
import io
import json
import os
import shutil
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get("THC_BIN") or os.path.join(REPO, "build", "thichung")
DATA_DIR = os.environ.get("THC_DATA_DIR") or os.path.join(REPO, "data")
TEST_TMP = os.environ.get("THC_TEST_TMP") or os.path.join(tempfile.gettempdir(), "thc-test")

HEADER = ("unit_code,population,cases_week,cases_prev_week,vax1_18plus_pct,"
          "vaxfull_elderly_pct,capacity_met,previous_level")
HCMC_ROW = "79,9145000,6635,6815,99,92,1,"
OUT_HEADER = ["unit_code", "level", "cases_per_100k", "rule_set", "explanation"]


def run(*args, stdin=""):
    env = dict(os.environ, THC_DATA_DIR=DATA_DIR)
    p = subprocess.run([BIN, "assess"] + [str(a) for a in args],
                       input=stdin.encode("utf-8"), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=env, timeout=120)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def rows(out):
    table = list(csv.reader(io.StringIO(out, newline="")))
    return table[0], [dict(zip(table[0], r)) for r in table[1:]]


def units():
    with open(os.path.join(DATA_DIR, "units.csv"), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


class AssessTest(unittest.TestCase):
    maxDiff = 4000

    def ok(self, *args, stdin=""):
        code, out, err = run(*args, stdin=stdin)
        self.assertEqual(code, 0, err)
        self.assertEqual(err, "")
        header, body = rows(out)
        self.assertEqual(header, OUT_HEADER)
        return body

    def bad(self, *args, stdin="", line=None, column=None):
        code, out, err = run(*args, stdin=stdin)
        self.assertEqual(code, 2, err)
        self.assertEqual(out, "", "nothing on stdout after bad input")
        if line is not None:
            want = "line %d: column %s: " % (line, column) if column else "line %d" % line
            self.assertIn(want, err)
        return err

    def test_hcmc_example(self):
        body = self.ok("--rules", "qd4800-2021", stdin=HEADER + "\n" + HCMC_ROW + "\n")
        self.assertEqual(len(body), 1)
        r = body[0]
        self.assertEqual((r["unit_code"], r["level"], r["cases_per_100k"], r["rule_set"]),
                         ("79", "2", "73.5", "qd4800-2021"))
        self.assertTrue(r["explanation"].startswith("Cấp 2: 73,5 ca/100.000 dân/tuần"),
                        r["explanation"])
        self.assertIn("tiêm chủng đạt", r["explanation"])
        self.assertIn("(giả định)", r["explanation"])

    def test_english(self):
        body = self.ok("--rules", "qd4800-2021", "--lang", "en",
                       stdin=HEADER + "\n" + HCMC_ROW + "\n")
        e = body[0]["explanation"]
        self.assertTrue(e.startswith("Level 2: 73.5 cases per 100,000 per week"), e)
        self.assertIn("vaccination met", e)
        self.assertIn("(assumption)", e)

    def test_file_argument_and_columns_in_any_order(self):
        d = tempfile.mkdtemp(prefix="assess-", dir=TEST_TMP) if os.path.isdir(TEST_TMP) \
            else tempfile.mkdtemp(prefix="assess-")
        try:
            path = os.path.join(d, "in.csv")
            with open(path, "w", encoding="utf-8") as f:
                f.write("previous_level,capacity_met,vaxfull_elderly_pct,vax1_18plus_pct,"
                        "cases_prev_week,cases_week,population,unit_code\r\n"
                        ",1,92,99,6815,6635,9145000,79\r\n")
            body = self.ok("--rules", "qd4800-2021", path)
            self.assertEqual((body[0]["level"], body[0]["cases_per_100k"]), ("2", "73.5"))
        finally:
            shutil.rmtree(d, ignore_errors=True)

    def test_unknown_column(self):
        err = self.bad("--rules", "qd4800-2021",
                       stdin=HEADER + ",colour\n" + HCMC_ROW + ",red\n", line=1)
        self.assertIn("colour", err)

    def test_bad_value_line_3(self):
        err = self.bad("--rules", "qd4800-2021",
                       stdin=HEADER + "\n" + HCMC_ROW + "\n01,zero,1,1,90,90,1,\n",
                       line=3, column="population")
        self.assertIn("'zero'", err)
        self.bad("--rules", "qd4800-2021",
                 stdin=HEADER + "\n" + HCMC_ROW + "\n01,8000000,1,1,101,90,1,\n",
                 line=3, column="vax1_18plus_pct")
        self.bad("--rules", "qd4800-2021",
                 stdin=HEADER + "\n" + HCMC_ROW + "\n01,8000000,1,1,90,90,2,\n",
                 line=3, column="capacity_met")
        self.bad("--rules", "qd4800-2021",
                 stdin=HEADER + "\n" + HCMC_ROW + "\n01,8000000,1,1,90,90,1,5\n",
                 line=3, column="previous_level")
        self.bad("--rules", "qd4800-2021",
                 stdin=HEADER + "\n" + HCMC_ROW + "\n99,8000000,1,1,90,90,1,\n",
                 line=3, column="unit_code")
        self.bad("--rules", "qd4800-2021",
                 stdin=HEADER + "\n" + HCMC_ROW + "\n01,,1,1,90,90,1,\n",
                 line=3, column="population")
        # A row with the wrong number of fields.
        self.bad("--rules", "qd4800-2021", stdin=HEADER + "\n" + HCMC_ROW + "\n01,1\n", line=3)

    def test_large_input_as_written_week_by_week(self):
        # Over 20,000 rows the results are made by two threads in chunks:
        # the same bytes as each week assessed on its own (one thread),
        # districts aggregated from their communes in each, and a bad
        # value on the last line still named by its line and column.
        communes = [u for u in units() if u["level"] == "commune"]
        districts = [u["code"] for u in units() if u["level"] == "district"][:40]
        head = "unit_code,population,week_end,cases_week,cases_prev_week," \
               "vax1_18plus_pct,vaxfull_elderly_pct,capacity_met,previous_level\n"
        weeks = []
        for w, day in enumerate(["2021-10-17", "2021-10-24", "2021-10-31"]):
            lines = []
            for i, c in enumerate(communes):
                k = i * 7 + w * 13
                lines.append("%s,%d,%s,%d,%d,%d.%d,%d.%d,%d,%d\n" % (
                    c["code"], 2000 + k % 38000, day, k % 61, (k // 3) % 61, 50 + k % 50,
                    k % 10, 40 + k % 60, (k // 7) % 10, k % 2, 1 + k % 4))
            lines += ["%s,50000,%s,,,,,1,\n" % (d, day) for d in districts]
            weeks.append("".join(lines))
        whole = self.ok_raw("--rules", "qd4800-2021", stdin=head + "".join(weeks))
        self.assertGreater(whole.count("\r\n"), 20000)
        parts = [self.ok_raw("--rules", "qd4800-2021", stdin=head + wk) for wk in weeks]
        out_head = ",".join(OUT_HEADER) + "\r\n"
        self.assertEqual(whole, out_head + "".join(p[len(out_head):] for p in parts))
        self.assertIn("\r\n" + districts[0] + ",", whole)
        n = whole.count("\r\n")
        self.bad("--rules", "qd4800-2021", stdin=head + "".join(weeks) + communes[0]["code"] +
                 ",100,2021-11-07,1,1,90,90.5.1,1,1\n", line=n + 1, column="vaxfull_elderly_pct")

    def ok_raw(self, *args, stdin=""):
        code, out, err = run(*args, stdin=stdin)
        self.assertEqual(code, 0, err)
        return out

    def test_bad_header(self):
        self.bad("--rules", "qd4800-2021", stdin="unit_code,cases_week\n79,1\n",
                 line=1, column="population")
        self.bad("--rules", "qd4800-2021", stdin="unit_code,population,population\n",
                 line=1, column="population")
        self.bad("--rules", "qd4800-2021", stdin="", line=1)
        # Neither --rules nor week_end: the rule set cannot be chosen.
        err = self.bad(stdin=HEADER + "\n" + HCMC_ROW + "\n", line=1)
        self.assertIn("week_end", err)

    def test_usage(self):
        code, out, _ = run("--help")
        self.assertEqual(code, 0)
        self.assertIn("assess", out)
        self.bad("--lang", "fr", stdin=HEADER + "\n")
        err = self.bad("--rules", "qd0000", stdin=HEADER + "\n" + HCMC_ROW + "\n")
        self.assertIn("qd4800-2021", err)       # the known ids are listed
        self.bad("--rules-dir", "/nonexistent/rules", "--rules", "qd4800-2021",
                 stdin=HEADER + "\n")

    def test_order_and_not_assessable(self):
        text = (HEADER + "\n"
                "01,8246600,100,120,95,85,1,\n"        # Hà Nội: 1.3 -> 1
                "760,142000,300,200,99,90,1,\n"        # Quận 1: 176.1 -> 3
                "00001,9500,,1,95,90,1,\n"             # no cases_week
                + HCMC_ROW + "\n"
                "02,860000,1,1,60,90,0,3\n")           # Hà Giang: not met, kept at 3
        body = self.ok("--rules", "qd4800-2021", stdin=text)
        self.assertEqual([r["unit_code"] for r in body], ["01", "760", "00001", "79", "02"])
        self.assertEqual([r["level"] for r in body], ["1", "3", "", "2", "3"])
        self.assertEqual(body[1]["cases_per_100k"], "176.1")
        self.assertEqual(body[2]["cases_per_100k"], "")
        self.assertIn("thiếu ca mắc cộng đồng trong tuần", body[2]["explanation"])  # cases_week, in words
        self.assertTrue(body[2]["explanation"].startswith("Không đánh giá được"))
        self.assertIn("giữ cấp 3", body[4]["explanation"])
        self.assertEqual({r["rule_set"] for r in body}, {"qd4800-2021"})

    def test_rule_set_by_week_end(self):
        head = ("unit_code,week_end,population,cases_week,cases_prev_week,vax1_18plus_pct,"
                "vaxfull_elderly_pct,capacity_met,oxygen_cases_week,deaths_week,vaxfull_pct,"
                "vaxfull_highrisk_pct,capacity")
        text = (head + "\n"
                "79,2021-10-21,9145000,6635,6815,99,92,1,,,,,\n"     # Thursday: HCMC variant
                "01,2021-10-24,8246600,100,120,95,85,1,,,,,\n"      # national 4800
                "01,2022-02-06,8246600,9000,8000,95,90,,50,2,85,95,medium\n"   # 218
                "760,2022-02-06,142000,10,10,95,90,,0,0,70,95,medium\n")        # 218, vax missed
        body = self.ok(stdin=text)
        self.assertEqual([r["rule_set"] for r in body],
                         ["qd4800-2021-hcm", "qd4800-2021", "qd218-2022", "qd218-2022"])
        self.assertEqual(body[0]["level"], "2")
        self.assertEqual(body[2]["level"], "2")          # 103.1 per 100,000: transmission 2
        self.assertEqual(body[2]["cases_per_100k"], "103.1")
        self.assertEqual(body[3]["level"], "2")          # transmission 1 + 1 for vaccination
        self.assertIn("lây nhiễm cấp 2", body[3]["explanation"])
        # The HCMC variant counts Friday-Thursday weeks: a Sunday is refused.
        err = self.bad(stdin=head + "\n79,2021-10-24,9145000,6635,6815,99,92,1,,,,,\n",
                       line=2, column="week_end")
        self.assertIn("Thursday", err)
        # A variant named with --rules applies to its own province only.
        self.bad("--rules", "qd4800-2021-hcm",
                 stdin=head + "\n01,2021-10-24,8246600,100,120,95,85,1,,,,,\n",
                 line=2, column="unit_code")
        # Nothing is in force before Decision 4800.
        self.bad(stdin=head + "\n01,2021-10-03,8246600,100,120,95,85,1,,,,,\n",
                 line=2, column="week_end")
        self.bad(stdin=head + "\n01,24/10/2021,8246600,100,120,95,85,1,,,,,\n",
                 line=2, column="week_end")
        # The same unit twice in one week.
        self.bad("--rules", "qd4800-2021", stdin=HEADER + "\n" + HCMC_ROW + "\n" + HCMC_ROW + "\n",
                 line=3, column="unit_code")

    def test_children_levels_variant(self):
        """A province variant with Decision 2686-style districts, from --rules-dir."""
        d = tempfile.mkdtemp(prefix="assess-rules-", dir=TEST_TMP) \
            if os.path.isdir(TEST_TMP) else tempfile.mkdtemp(prefix="assess-rules-")
        try:
            rules = os.path.join(d, "rules")
            os.mkdir(rules)
            for name in ("qd4800-2021.json", "qd218-2022.json"):
                shutil.copy(os.path.join(DATA_DIR, "rules", name), rules)
            fact = {"status": "assumption", "note": "test"}
            variant = {
                "format": 1, "id": "hn-2686", "title": {"vi": "Hà Nội", "en": "Hanoi"},
                "sources": [], "applies_to": "01", "extends": "qd4800-2021",
                "effective": dict(fact, **{"from": "2021-11-01"}),
                "scope": {"district": dict(fact, **{
                    "method": "children_levels",
                    "thresholds": [
                        dict(fact, level=4, children_at_least=4, min_share_pct=30,
                             min_share_inclusive=True),
                        dict(fact, level=3, children_at_least=3, min_share_pct=50,
                             min_share_inclusive=True)],
                    "otherwise": dict(fact, value=1)})},
            }
            with open(os.path.join(rules, "hn-2686.json"), "w", encoding="utf-8") as f:
                json.dump(variant, f)
            communes = [u["code"] for u in units() if u["parent_code"] == "001"]
            self.assertGreater(len(communes), 3)
            high = (3 * len(communes) + 9) // 10           # at least 30 %
            head = ("unit_code,week_end,population,cases_week,cases_prev_week,"
                    "vax1_18plus_pct,vaxfull_elderly_pct,capacity_met")
            lines = [head, "001,2021-11-07,250000,,,,,"]
            for i, c in enumerate(communes):
                cases = "500" if i < high else "0"        # 500 in 10,000: band 4
                vax = "50" if i < high else "95"          # not met: level 4
                lines.append("%s,2021-11-07,10000,%s,%s,%s,90,1" % (c, cases, cases, vax))
            body = self.ok("--rules-dir", rules, "--lang", "en", stdin="\n".join(lines) + "\n")
            self.assertEqual(body[0]["unit_code"], "001")
            self.assertEqual(body[0]["rule_set"], "hn-2686")
            self.assertEqual(body[0]["level"], "4", body[0]["explanation"])
            self.assertIn("units below", body[0]["explanation"])
            self.assertEqual(body[0]["cases_per_100k"], "")
            self.assertEqual([r["level"] for r in body[1:high + 1]], ["4"] * high)
            # Without the communes' rows the district is not assessable.
            body = self.ok("--rules-dir", rules, stdin=head + "\n001,2021-11-07,250000,,,,,\n")
            self.assertEqual(body[0]["level"], "")
            # A broken rule file is named with its JSON path.
            variant["scope"]["district"]["thresholds"][0]["level"] = 9
            with open(os.path.join(rules, "hn-2686.json"), "w", encoding="utf-8") as f:
                json.dump(variant, f)
            err = self.bad("--rules-dir", rules, "--rules", "qd4800-2021", stdin=HEADER + "\n")
            self.assertIn("hn-2686.json: $.scope.district.thresholds[0].level", err)
        finally:
            shutil.rmtree(d, ignore_errors=True)


class RulesCommandTest(unittest.TestCase):
    """thichung rules list|show: the rule sets the server and assess use."""

    def rules(self, *args):
        env = dict(os.environ, THC_DATA_DIR=DATA_DIR)
        p = subprocess.run([BIN, "rules"] + list(args), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=env, timeout=60)
        return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")

    def test_list(self):
        rc, out, err = self.rules("list")
        self.assertEqual(rc, 0, err)
        ids = [line.split()[0] for line in out.splitlines()[1:]]
        self.assertEqual(sorted(ids), ["qd218-2022", "qd4800-2021", "qd4800-2021-hcm"])
        hcm = next(l for l in out.splitlines() if l.startswith("qd4800-2021-hcm"))
        self.assertIn(" 79 ", hcm)
        self.assertIn("15/10/2021", hcm)     # dates as dd/mm/yyyy

    def test_show_resolves_extends(self):
        rc, out, err = self.rules("show", "qd4800-2021-hcm")
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        self.assertEqual(doc["id"], "qd4800-2021-hcm")
        self.assertEqual(doc["applies_to"], "79")
        self.assertIn("matrix", doc, "the variant shows its base's matrix too")
        rc, out, err = self.rules("show", "qd9999")
        self.assertEqual(rc, 2)
        self.assertEqual(out, "")
        self.assertIn("qd9999", err)
        rc, out, err = self.rules("frobnicate")
        self.assertEqual(rc, 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
