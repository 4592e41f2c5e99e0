"""
The rounds of test_pg_migrate_race.py on SQLite files: two `thichung
migrate`, then two `thichung serve`, started at once on a new file, both
succeed and migrate it once.  (Two connections opening a new file at once
both switch it to WAL; SQLite refuses one of them at once instead of
waiting, and the driver must retry.)

SQLite only: under THC_TEST_PG_DIR, test_pg_migrate_race.py covers PostgreSQL.
"""

import os
import sqlite3
import tempfile
import unittest

import harness
from harness import TEST_TMP, main
import test_pg_migrate_race as race


@unittest.skipIf(harness.PG_DIR, "SQLite only (PostgreSQL: test_pg_migrate_race)")
class SqliteMigrateRaceTest(race.MigrateRace, unittest.TestCase):
    # A round takes milliseconds here and the window is narrower: more rounds.
    rounds_migrate = 30
    rounds_serve = 10

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="race-", dir=TEST_TMP)
        self.n = 0

    def tearDown(self):
        self.dir.cleanup()

    def fresh_db(self):
        self.n += 1
        return os.path.join(self.dir.name, "race-%d.db" % self.n)

    def versions(self, db):
        con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
        try:
            rows = con.execute("SELECT version, count(*) FROM schema_migrations"
                               " GROUP BY version").fetchall()
        finally:
            con.close()
        return dict(rows)


if __name__ == "__main__":
    main()
