"""
PostgreSQL going away while the server runs: requests get 503 with a clear
message at once (no hang, no crash), and the server recovers by itself when
the database is back; nothing it acknowledged before is lost.

Runs only against PostgreSQL (THC_TEST_PG_DIR set): it starts its own
cluster on another port, so stopping it does not disturb other suites.
"""

import os
import subprocess
import tempfile
import time
import unittest

import harness
from harness import PG_CLUSTER, TEST_TMP, Server, main

PORT = "5499"


def cluster(*args):
    env = dict(os.environ, PGPORT=PORT)
    out = subprocess.run([PG_CLUSTER] + list(args), env=env, check=True,
                         capture_output=True, text=True, timeout=120)
    return out.stdout.strip()


@unittest.skipUnless(harness.PG_DIR, "PostgreSQL only (THC_TEST_PG_DIR)")
class OutageTest(unittest.TestCase):

    def test_503_then_recovery_without_restart(self):
        pgdir = tempfile.mkdtemp(prefix="pgout-", dir="/tmp")
        try:
            url = cluster("start", pgdir)
            srv = Server(db=url, name="outage").start()
            try:
                token = srv.login("phucxa")
                r = srv.request("POST", "/api/v1/units", token=token,
                                body={"parent_code": "00001", "level": "hamlet",
                                      "name": "Thôn trước sự cố", "type": "thôn"})
                self.assertEqual(r.status, 201, r.describe())
                code = r.json["code"]

                cluster("halt", pgdir)
                t0 = time.monotonic()
                for path in ("/api/v1/units/01", "/api/v1/levels?date=2022-01-22"):
                    r = srv.request("GET", path, headers={"Accept-Language": "en"}, timeout=30)
                    self.assertEqual(r.status, 503, r.describe())
                    self.assertEqual(r.error_code, "unavailable")
                    self.assertIn("database", r.error_message)
                    self.assertNotIn(pgdir, r.error_message, "no storage details to clients")
                r = srv.request("POST", "/api/v1/units", token=token,
                                body={"parent_code": "00001", "level": "hamlet",
                                      "name": "Thôn trong sự cố", "type": "thôn"})
                self.assertEqual(r.status, 503, r.describe())
                r = srv.request("GET", "/healthz")
                self.assertEqual((r.status, r.json["db"]), (503, "unavailable"))
                self.assertLess(time.monotonic() - t0, 20, "503s must come quickly")
                self.assertIsNone(srv.proc.poll(), "the server must keep running")

                cluster("start", pgdir)
                r = srv.request("GET", "/api/v1/units/" + code, token=token)
                self.assertEqual(r.status, 200, "acknowledged write lost or no recovery: "
                                 + r.describe())
                r = srv.request("GET", "/healthz")
                self.assertEqual(r.status, 200)
                r = srv.request("GET", "/api/v1/units?parent=00001&level=hamlet&q=su%20co",
                                token=token)
                names = [i["name"] for i in r.json["items"]]
                self.assertEqual(names, ["Thôn trước sự cố"], "the refused write must not exist")
            finally:
                srv.stop()
        finally:
            cluster("stop", pgdir)


if __name__ == "__main__":
    main()
