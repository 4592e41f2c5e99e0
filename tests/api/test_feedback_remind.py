"""
Reminders before a feedback request's deadline: the daily run
(`thichung feedback escalate --today`, which moves the clock) leaves a
notice of kind feedback_due in the inbox of the unit holding each open
request due the next working day, once per holder and deadline, on the
deadline day itself when the day before was missed; none for an answered
request; a request escalated to the district is reminded again there for
its new deadline.  Each reminder is audited (feedback.remind).  The server
runs the same daily with `serve --feedback-daily HH:MM` (Việt Nam time),
and at start when it starts after that time.
"""

import datetime
import json
import os
import time

from harness import DATA_DIR, Server, ServerTestCase, cli, main

RULES = json.load(open(os.path.join(DATA_DIR, "feedback.json"), encoding="utf-8"))


def holidays():
    out = set()
    for h in RULES["holidays"]:
        d = datetime.date.fromisoformat(h["from"])
        while d <= datetime.date.fromisoformat(h["to"]):
            out.add(d)
            d += datetime.timedelta(days=1)
    return out


def working(d):
    return d.weekday() < 5 and d not in holidays()


def working_day_before(d):
    d -= datetime.timedelta(days=1)
    while not working(d):
        d -= datetime.timedelta(days=1)
    return d


def vn(d):
    return d.strftime("%d/%m/%Y")


class FeedbackRemindTest(ServerTestCase):
    server_args = ("--feedback-anon-limit", "0")

    def run_day(self, day):
        rc, out, err = cli("feedback", "escalate", "--db", self.server.db, "--today",
                           day.isoformat())
        self.assertEqual(rc, 0, err)
        return out

    def notices(self, unit, user, fid):
        r = self.get("/api/v1/units/%s/inbox" % unit, as_user=user)
        self.assertStatus(r, 200)
        return [n for n in r.json["notices"] if n["kind"] == "feedback_due"
                and ("số %d " % fid) in n["message"]]

    def submit(self):
        r = self.post("/api/v1/feedback", {"category": "shortage", "location_code": "00001",
                                           "description": "Hết gạo"})
        self.assertStatus(r, 201)
        return r.json["id"], datetime.date.fromisoformat(r.json["deadline"])

    def test_reminded_once_the_working_day_before(self):
        fid, due = self.submit()
        before = working_day_before(due)
        # Earlier: nothing yet.
        self.run_day(before - datetime.timedelta(days=3))
        self.assertEqual(self.notices("00001", "phucxa", fid), [])
        out = self.run_day(before)
        self.assertIn("reminded: ", out)
        got = self.notices("00001", "phucxa", fid)
        self.assertEqual(len(got), 1)
        self.assertIn(vn(due), got[0]["message"])
        self.assertEqual(got[0]["from"], "00001")
        # Again the same day, and on the deadline day: no second notice.
        self.run_day(before)
        self.run_day(due)
        self.assertEqual(len(self.notices("00001", "phucxa", fid)), 1)
        r = self.get("/api/v1/audit?limit=500", as_user="admin")
        self.assertEqual(len([a for a in r.json["items"] if a["action"] == "feedback.remind"
                              and a["entity_id"] == str(fid)]), 1)
        # Not another commune's inbox.
        self.assertEqual(self.notices("00004", "trucbach", fid), [])
        # Overdue: escalated to the district, which is reminded of its own deadline.
        after = due + datetime.timedelta(days=1)
        self.run_day(after)
        j = self.get("/api/v1/feedback/%d" % fid, as_user="badinh").json
        self.assertEqual(j["holder_code"], "001")
        due2 = datetime.date.fromisoformat(j["holder_deadline"])
        self.run_day(working_day_before(due2))
        got = self.notices("001", "badinh", fid)
        self.assertEqual(len(got), 1)
        self.assertIn(vn(due2), got[0]["message"])

    def test_missed_day_and_answered(self):
        fid, due = self.submit()
        done, _ = self.submit()
        p = "/api/v1/feedback/%d/" % done
        self.assertStatus(self.post(p + "acknowledge", {}, as_user="phucxa"), 200)
        self.assertStatus(self.post(p + "answer", {"answer": "Đã mang gạo"}, as_user="phucxa"),
                          200)
        # The run of the day before was missed: the deadline day reminds.
        self.run_day(due)
        self.assertEqual(len(self.notices("00001", "phucxa", fid)), 1)
        self.assertEqual(self.notices("00001", "phucxa", done), [])

    def test_the_server_runs_it_daily(self):
        fid, due = self.submit()
        self.assertEqual(self.notices("00001", "phucxa", fid), [])
        # A second server on the same database, with the daily run at 00:00:
        # started after it, it runs at once.
        srv = Server("--feedback-daily", "00:00", "--feedback-anon-limit", "0", demo=False,
                     db=self.server.db, name="daily").start()
        try:
            deadline = time.monotonic() + 60
            while not self.notices("00001", "phucxa", fid) and time.monotonic() < deadline:
                time.sleep(0.2)   # poll interval, bounded by the deadline
            self.assertEqual(len(self.notices("00001", "phucxa", fid)), 1,
                             "the server's daily run left the reminder")
        finally:
            srv.terminate()
            self.assertEqual(srv.wait_stopped(), 0, "the daily thread stops with the server")
        rc, out, err = cli("serve", "--db", self.server.db, "--feedback-daily", "24:00")
        self.assertEqual(rc, 2, err)
        self.assertIn("HH:MM", err)


if __name__ == "__main__":
    main()
