"""
Several processes starting on one empty database at the same moment migrate
it once: two `thichung migrate`, then two `thichung serve`, on a fresh
database each round.  Both succeed, and schema_migrations holds every
version from 1 to the latest exactly once.

Without a lock taken before the schema version is read, the second process
reads the same version as the first and applies the same step again (a
duplicate key, or "relation already exists"); on PostgreSQL two concurrent
`CREATE TABLE IF NOT EXISTS schema_migrations` can even collide in the
catalogue.  The race depends on timing, so each case runs several rounds.

This file runs against PostgreSQL only (THC_TEST_PG_DIR set);
test_migrate_race.py runs the same rounds on SQLite files.
"""

import http.client
import os
import shutil
import subprocess
import tempfile
import time
import unittest
import uuid

import harness
from harness import BIN, HOST, PG_CLUSTER, TEST_TMP, free_port, main

START_TIMEOUT = 60.0


def child_env():
    return dict(os.environ, THC_DATA_DIR=harness.DATA_DIR)


def psql(url, sql):
    out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                          "-d", url, "-c", sql], check=True, capture_output=True,
                         text=True, timeout=60)
    return out.stdout


def start_together(cmds, stdout, stderr):
    """Starts the commands at the same moment: each waits in a shell for a
    line on its stdin, and both lines are written once every shell is up."""
    procs = []
    for i, cmd in enumerate(cmds):
        err = stderr[i] if isinstance(stderr, list) else stderr
        procs.append(subprocess.Popen(["/bin/sh", "-c", 'read go && exec "$@"', "sh"] + cmd,
                                      stdin=subprocess.PIPE, stdout=stdout, stderr=err,
                                      env=child_env()))
    for p in procs:
        p.stdin.write(b"go\n")
    for p in procs:
        p.stdin.close()
        p.stdin = None      # communicate() must not touch it again
    return procs


class MigrateRace:
    """The rounds; a subclass gives fresh_db() and versions(db) -> {version: count}."""

    rounds_migrate = 8
    rounds_serve = 4

    def fresh_db(self):
        raise NotImplementedError

    def versions(self, db):
        raise NotImplementedError

    def latest_version(self):
        """The steps this binary knows, in order: migrate a scratch database.  (Steps
        numbered ahead for work done side by side may leave gaps in a branch.)"""
        db = self.fresh_db()
        p = subprocess.run([BIN, "migrate", "--db", db], capture_output=True, text=True,
                           timeout=120, env=child_env())
        self.assertEqual(p.returncode, 0, p.stderr)
        return sorted(self.versions(db))

    def assert_migrated_once(self, db, latest, what):
        self.assertEqual(self.versions(db), {v: 1 for v in latest},
                         "%s: every version exactly once" % what)

    def test_two_migrates_at_once(self):
        latest = self.latest_version()
        for rnd in range(self.rounds_migrate):
            db = self.fresh_db()
            procs = start_together([[BIN, "migrate", "--db", db]] * 2,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            results = []
            for p in procs:
                out, err = p.communicate(timeout=120)
                results.append((p.returncode, out.decode(), err.decode()))
            for i, (rc, out, err) in enumerate(results):
                self.assertEqual(rc, 0, "round %d, process %d: migrate exited %d: %s%s"
                                 % (rnd, i, rc, out, err))
            # "applied: N; schema version: M" (after the Vietnamese labels)
            applied = [int(out.split(";")[0].split(":")[-1]) for _, out, _ in results]
            self.assertEqual(sum(applied), len(latest),
                             "round %d: every step applied once in all: %r" % (rnd, results))
            self.assert_migrated_once(db, latest, "round %d" % rnd)

    def test_two_servers_at_once(self):
        latest = self.latest_version()
        for rnd in range(self.rounds_serve):
            db = self.fresh_db()
            d = tempfile.mkdtemp(prefix="race-", dir=TEST_TMP)
            procs, ports, logs = [], [], []
            try:
                for i in range(2):
                    ports.append(free_port())
                    logs.append(open(os.path.join(d, "serve-%d.err" % i), "wb"))
                procs = start_together(
                    [[BIN, "serve", "--db", db, "--listen", "%s:%d" % (HOST, port)]
                     for port in ports], stdout=subprocess.DEVNULL, stderr=logs)
                for i, (p, port) in enumerate(zip(procs, ports)):
                    self.wait_healthy(p, port, logs[i].name, "round %d, server %d" % (rnd, i))
                self.assert_migrated_once(db, latest, "round %d" % rnd)
            finally:
                for p in procs:
                    if p.poll() is None:
                        p.terminate()
                    try:
                        p.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        p.kill()
                        p.wait()
                for log in logs:
                    log.close()
            for i, p in enumerate(procs):
                self.assertEqual(p.returncode, 0, "round %d, server %d: exit status" % (rnd, i))
            shutil.rmtree(d, ignore_errors=True)     # kept when a round fails

    def wait_healthy(self, proc, port, errlog, what):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            rc = proc.poll()
            if rc is not None:
                with open(errlog, encoding="utf-8", errors="replace") as f:
                    self.fail("%s exited %d before answering /healthz:\n%s"
                              % (what, rc, f.read()[-3000:]))
            try:
                conn = http.client.HTTPConnection(HOST, port, timeout=2)
                conn.request("GET", "/healthz")
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)    # poll interval, bounded by the deadline
        self.fail("%s did not answer /healthz within %gs" % (what, START_TIMEOUT))


@unittest.skipUnless(harness.PG_DIR, "PostgreSQL only (THC_TEST_PG_DIR)")
class PgMigrateRaceTest(MigrateRace, unittest.TestCase):

    def fresh_db(self):
        name = "race_" + uuid.uuid4().hex[:12]
        out = subprocess.run([PG_CLUSTER, "createdb", harness.PG_DIR, name], check=True,
                             capture_output=True, text=True, timeout=60)
        return out.stdout.strip()

    def versions(self, db):
        rows = psql(db, "SELECT version, count(*) FROM schema_migrations GROUP BY version")
        return {int(v): int(n) for v, n in (r.split("|") for r in rows.split())}


if __name__ == "__main__":
    main()
