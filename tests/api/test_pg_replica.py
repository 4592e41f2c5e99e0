"""
`serve --db-read`: anonymous public reads go to a real PostgreSQL streaming
replica (pg_basebackup -R on loopback), everything else to the primary; a
replica that cannot answer falls back to the primary; `serve` runs against
a standby alone without migrating, answers public reads and refuses writes
with 503.

Runs only against PostgreSQL (THC_TEST_PG_DIR set): it starts its own
primary and replica on another port, so pausing or stopping them does not
disturb other suites.
"""

import json
import os
import subprocess
import tempfile
import time
import unittest

import harness
from harness import BIN, PG_CLUSTER, Server, main

PORT = "5497"
PSQL = os.path.join(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"), "psql")
WAIT_S = 30


def cluster(*args):
    env = dict(os.environ, PGPORT=PORT)
    out = subprocess.run([PG_CLUSTER] + list(args), env=env, check=True,
                         capture_output=True, text=True, timeout=180)
    return out.stdout.strip()


def psql(url, sql):
    out = subprocess.run([PSQL, "-X", "-tA", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
                         check=True, capture_output=True, text=True, timeout=60)
    return out.stdout.strip()


def wait_for(what, cond):
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError("not within %ds: %s" % (WAIT_S, what))


@unittest.skipUnless(harness.PG_DIR, "PostgreSQL only (THC_TEST_PG_DIR)")
class ReplicaTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.pdir = tempfile.mkdtemp(prefix="pgprim-", dir="/tmp")
        cls.rdir = tempfile.mkdtemp(prefix="pgrepl-", dir="/tmp")
        os.rmdir(cls.rdir)      # pg-cluster.sh replica makes it
        cls.purl = cluster("start", cls.pdir)
        cls.rurl = None

        def make_replica(srv):
            # After the demo data and the migration, as a standby is made
            # in production: from a primary that already has the schema.
            cls.rurl = cluster("replica", cls.rdir, cls.pdir)
            srv.serve_args += ["--db-read", cls.rurl]

        # The cache would answer a second read without any database.
        cls.srv = Server("--public-cache-ms", "0", db=cls.purl, setup=make_replica,
                         name="replica").start()
        cls.token = cls.srv.login("phucxa")

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()
        cluster("stop", cls.rdir)
        cluster("stop", cls.pdir)

    # A level decision for Phúc Xá is a write that a public read shows.
    def decide(self, week_end):
        r = self.srv.request("POST", "/api/v1/units/00001/levels", token=self.token,
                             body={"week_end": week_end, "level": 2, "reason": "bản sao"})
        self.assertEqual(r.status, 201, r.describe())
        return week_end

    def shows(self, week_end, token=None):
        r = self.srv.request("GET", "/api/v1/units/00001/levels", token=token)
        self.assertEqual(r.status, 200, r.describe())
        return week_end in json.dumps(r.json)

    def test_1_public_reads_from_the_replica_signed_in_from_the_primary(self):
        self.assertEqual(psql(self.rurl, "SELECT pg_is_in_recovery()"), "t")
        first = self.decide("2022-03-10")
        wait_for("the replica has the first decision", lambda: self.shows(first))

        psql(self.rurl, "SELECT pg_wal_replay_pause()")
        try:
            second = self.decide("2022-03-17")
            # Signed in: the primary, which has it at once.
            self.assertTrue(self.shows(second, token=self.token))
            # Anonymous: the paused replica, which does not have it yet.
            self.assertTrue(self.shows(first))
            self.assertFalse(self.shows(second),
                             "an anonymous public read must come from the replica")
        finally:
            psql(self.rurl, "SELECT pg_wal_replay_resume()")
        wait_for("the replica catches up", lambda: self.shows(second))

    def test_2_a_replica_that_is_down_falls_back_to_the_primary(self):
        cluster("halt", self.rdir)
        try:
            # The replica never saw it: shown, it proves the primary answered.
            third = self.decide("2022-03-24")
            self.assertTrue(self.shows(third))
            r = self.srv.request("GET", "/api/v1/levels?date=2022-01-22")
            self.assertEqual(r.status, 200, r.describe())
            wait_for("the fallback is logged",
                     lambda: "db.read.fallback" in self.srv.stderr_tail(20000))
        finally:
            cluster("replica", self.rdir, self.pdir)
        wait_for("the replica serves again",
                 lambda: "2022-03-24" in psql(self.rurl, "SELECT max(week_end) FROM level_decisions")
                 and self.shows("2022-03-24"))

    def test_3_serve_on_a_standby_alone_reads_and_refuses_writes(self):
        wait_for("the standby has every unit so far",
                 lambda: psql(self.rurl, "SELECT count(*) FROM units")
                 == psql(self.purl, "SELECT count(*) FROM units"))
        before = psql(self.purl, "SELECT count(*) FROM units")
        standby = Server(db=self.rurl, demo=False, name="standby").start()
        try:
            r = standby.request("GET", "/api/v1/units/01")
            self.assertEqual(r.status, 200, r.describe())
            self.assertEqual(r.json["name"], "Thành phố Hà Nội")
            r = standby.request("POST", "/api/v1/login", headers={"Accept-Language": "en"},
                                body={"username": "phucxa", "password": harness.DEMO_PASSWORD})
            self.assertEqual((r.status, r.error_code), (503, "unavailable"), r.describe())
            self.assertIn("read-only standby", standby.stderr_tail(20000))
            self.assertIsNone(standby.proc.poll(), "the standby server keeps running")
        finally:
            standby.stop()
        self.assertEqual(psql(self.purl, "SELECT count(*) FROM units"), before)

    def test_4_db_read_is_checked_at_start(self):
        empty = cluster("createdb", self.pdir, "empty_for_read")
        for arg, words in ((self.srv.dir + "/x.db", "PostgreSQL URL"),
                           (empty, "schema is at 0")):
            out = subprocess.run([BIN, "serve", "--db", self.purl, "--listen", "127.0.0.1:1",
                                  "--db-read", arg], capture_output=True, text=True,
                                 timeout=60, env=dict(os.environ, LANG="C"))
            self.assertNotEqual(out.returncode, 0)
            self.assertIn(words, out.stderr)


if __name__ == "__main__":
    main()
