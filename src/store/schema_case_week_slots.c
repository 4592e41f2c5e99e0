/* Schema step 24: case_weeks in slots on PostgreSQL, so that concurrent
 * case writes of one commune and week do not queue on one row. */
#include <stddef.h>

#include "store/schema.h"

/*
 * Every case written adds to its commune-week's row of case_weeks in the
 * writer's transaction.  On PostgreSQL that row stays locked until the
 * transaction commits, fsync included: during a wave, when a commune's
 * health workers enter cases together, every write of that commune and
 * week waited for the one before it to reach the disk (about 600 writes a
 * second in all, whatever the number of connections).
 *
 * The row is now split into up to 16 slots, one per server connection
 * (its backend's process id modulo 16): concurrent writers of a commune-week
 * add to different rows, and readers add the slots up (case_stats.c
 * groups by commune and week).  A slot may go negative (a case counted in
 * one slot and corrected or deleted through another); only the sum
 * means anything.  SQLite has one writer at a time and keeps one row per
 * commune-week, without a slot column.
 */
#define CW_SLOT "(pg_backend_pid() % 16)::smallint"
#define CW_SUM_SET \
	" cases = case_weeks.cases + EXCLUDED.cases," \
	" community = case_weeks.community + EXCLUDED.community," \
	" quarantine = case_weeks.quarantine + EXCLUDED.quarantine," \
	" imported = case_weeks.imported + EXCLUDED.imported," \
	" oxygen = case_weeks.oxygen + EXCLUDED.oxygen, deaths = case_weeks.deaths + EXCLUDED.deaths"

const struct migration schema_case_week_slots = {
	24, "case_weeks in slots on PostgreSQL: concurrent writes of one commune-week on different rows",
	"",
	"",
	"ALTER TABLE case_weeks ADD COLUMN slot SMALLINT NOT NULL DEFAULT 0;\n"
	"ALTER TABLE case_weeks DROP CONSTRAINT case_weeks_pkey;\n"
	"ALTER TABLE case_weeks ADD PRIMARY KEY (commune_code, week_end, slot);\n"
	/* The row trigger's upsert (updates of a case; schema step 7). */
	"CREATE OR REPLACE FUNCTION case_weeks_add(cc TEXT, wk TEXT, n BIGINT, comm BIGINT,"
	" quar BIGINT, imp BIGINT, oxy BIGINT, dead BIGINT) RETURNS void LANGUAGE sql AS $f$"
	" INSERT INTO case_weeks (commune_code, week_end, slot, cases, community, quarantine,"
	"  imported, oxygen, deaths) VALUES (cc, wk, " CW_SLOT ", n, comm, quar, imp, oxy, dead)"
	" ON CONFLICT (commune_code, week_end, slot) DO UPDATE SET" CW_SUM_SET
	" $f$;\n"
	/* The statement triggers' (inserts and deletes; schema step 21). */
	"CREATE OR REPLACE FUNCTION cases_weeks_rows() RETURNS trigger LANGUAGE plpgsql AS $f$"
	" DECLARE sign BIGINT := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;"
	" BEGIN"
	"  INSERT INTO case_weeks (commune_code, week_end, slot, cases, community, quarantine,"
	"   imported, oxygen, deaths)"
	"   SELECT cc, wk, " CW_SLOT ", sign * SUM(n), sign * SUM(comm), sign * SUM(quar),"
	"   sign * SUM(imp), sign * SUM(oxy), sign * SUM(dead) FROM ("
	"   SELECT commune_code AS cc, detected_week AS wk, 1 AS n, (source = 'community')::int AS comm,"
	"    (source = 'quarantine')::int AS quar, (source = 'imported')::int AS imp,"
	"    needs_oxygen AS oxy, 0 AS dead FROM changed"
	"   UNION ALL SELECT commune_code, outcome_week, 0, 0, 0, 0, 0, 1 FROM changed"
	"    WHERE outcome = 'died' AND outcome_week IS NOT NULL) t GROUP BY cc, wk"
	"  ON CONFLICT (commune_code, week_end, slot) DO UPDATE SET" CW_SUM_SET ";"
	"  RETURN NULL;"
	" END $f$;\n",
	0
};
#undef CW_SUM_SET
#undef CW_SLOT
