#!/usr/bin/env bash
# Benchmark of the internal audit programme's coverage check (issue 17
# item 4), in one run on one throwaway cluster: a scope of the 93 Annex A
# controls, all applicable, and a three-year programme of 36 monthly audits,
# all held, that cover the 30 requirements of clauses 4 to 10 but 10.2 and
# the controls but A.8.34 (each audit a few clauses and controls, written
# as a user would: whole clauses such as 9.2 for some);
#   - internal_audit_coverage(scope) (the programme found by date, every
#     item and the audits covering it, then what is not audited),
#     against a hand-written anti-join computing the same uncovered set
#     (the leaves of the clause catalogue and the applicable controls with
#     NOT EXISTS over the period's held audits), checked equal first;
#   - internal_audit_check(scope, as_of) on the same scope, against the
#     same anti-join.
# Each run calls a statement `calls` times in one backend (PL/pgSQL loop,
# the rows fetched); medians of the runs; ratios measured in the same run.
# The machine is shared and noisy.  Not a test.
#
#   bench/internal_audit.sh [calls=500] [runs=5]
#
# With ISO27001_DESTDIR set, the extension is read from a private install
# ("make install DESTDIR=$ISO27001_DESTDIR", Debian's extension_destdir) by
# a throwaway cluster of tools/with_cluster.sh, and nothing is installed
# into the system's PostgreSQL (PG_CONFIG chooses the version).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = --in-cluster ]; then
	calls=$2
	runs=$3
	psql -X -q -v ON_ERROR_STOP=1 -v calls="$calls" -v runs="$runs" <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION iso27001 CASCADE;
SELECT iso27001.create_scope('bench') \g /dev/null
UPDATE iso27001.soa_register SET entry = 'applicable, implemented (risk treatment)', justification = 'Ours.',
	   owner = 'Owner ' || control_key
 WHERE scope_id = iso27001.soa_scope_id('bench');
SELECT iso27001.certificate_record('bench', 'issued', '2023-01-01', 'C-1', 'Example CB') \g /dev/null
INSERT INTO iso27001.internal_audit_programme (scope_id, programme_id, period_start, period_end)
VALUES (iso27001.soa_scope_id('bench'), 'IAP-1', '2023-01-01', '2025-12-31');
-- audit i (0 .. 35): the i-th of the 29 requirements but 10.2 (whole
-- clause 9.2 or 9.3 when it is one of their subclauses) and the controls
-- whose rank is i modulo 36, A.8.34 (the last) left out
WITH leaf AS (
	SELECT clause, row_number() OVER (ORDER BY sort_key) - 1 AS k
	  FROM iso27001.isms_clauses_2022 WHERE is_requirement AND clause <> '10.2'),
ctl AS (
	SELECT control_key, row_number() OVER (ORDER BY control) - 1 AS k
	  FROM iso27001.soa_register WHERE scope_id = iso27001.soa_scope_id('bench') AND control_key <> 'A.8.34')
INSERT INTO iso27001.internal_audit (scope_id, audit_id, planned_on, held_on, auditor, clauses, controls)
SELECT iso27001.soa_scope_id('bench'), 'IA-' || i, DATE '2023-01-15' + i * 30, DATE '2023-01-15' + i * 30, 'Internal Auditor',
	   ARRAY(SELECT CASE WHEN clause LIKE '9.2.%' THEN '9.2' WHEN clause LIKE '9.3.%' THEN '9.3' ELSE clause END
			   FROM leaf WHERE k % 36 = i),
	   ARRAY(SELECT control_key FROM ctl WHERE k % 36 = i)
  FROM generate_series(0, 35) i;
ANALYZE;

-- the hand-written anti-join: what no held audit of the period covers
CREATE FUNCTION public.uncovered(sid bigint, ps date, pe date) RETURNS TABLE (kind text, item text)
	LANGUAGE sql STABLE AS $f$
	WITH a AS (SELECT x.clauses, x.controls FROM iso27001.internal_audit x
				WHERE x.scope_id = sid AND x.status = 'held' AND x.held_on BETWEEN ps AND pe)
	SELECT 'clause', c.clause FROM iso27001.ref_isms_clause_2022 c
	 WHERE NOT EXISTS (SELECT FROM iso27001.ref_isms_clause_2022 s WHERE s.clause LIKE c.clause || '.%')
	   AND NOT EXISTS (SELECT FROM a, unnest(a.clauses) u(cl) WHERE c.clause = u.cl OR c.clause LIKE u.cl || '.%')
	UNION ALL
	SELECT 'control', r.control_key FROM iso27001.soa_register r
	 WHERE r.scope_id = sid AND r.control IS NOT NULL AND iso27001.is_applicable(r.entry)
	   AND NOT EXISTS (SELECT FROM a WHERE r.control_key = ANY (a.controls))
$f$;

\echo the same uncovered set: internal_audit_coverage, the anti-join, and the NOT_COVERED findings of internal_audit_check
SELECT (SELECT string_agg(item, ', ' ORDER BY kind, item) FROM iso27001.internal_audit_coverage('bench')) AS coverage,
	   (SELECT string_agg(item, ', ' ORDER BY kind, item) FROM public.uncovered(iso27001.soa_scope_id('bench'), '2023-01-01', '2025-12-31')) AS anti_join,
	   (SELECT string_agg(item, ', ' ORDER BY item) FROM iso27001.internal_audit_check('bench', '2025-12-31') WHERE rule = 'NOT_COVERED') AS check_rule;

CREATE TABLE bench_time (what text, run integer, ms double precision);
CREATE FUNCTION public.time_it(what text, stmt text, calls integer, run integer) RETURNS void
	LANGUAGE plpgsql AS $f$
DECLARE
	t0 timestamptz;
	n bigint;
BEGIN
	t0 := clock_timestamp();
	FOR i IN 1 .. calls LOOP
		EXECUTE stmt INTO n;
	END LOOP;
	INSERT INTO bench_time VALUES (what, run, extract(epoch FROM clock_timestamp() - t0) * 1000 / calls);
END $f$;
SET max_parallel_workers_per_gather = 0;
SET jit = off;
SELECT public.time_it(w.what, w.stmt, :calls, r)
  FROM generate_series(1, :runs) r,
	   (VALUES (1, 'anti-join (baseline)', $$SELECT count(*) FROM (SELECT * FROM public.uncovered(iso27001.soa_scope_id('bench'), '2023-01-01', '2025-12-31') OFFSET 0) q$$),
			   (2, 'internal_audit_coverage', $$SELECT count(*) FROM (SELECT * FROM iso27001.internal_audit_coverage('bench') OFFSET 0) q$$),
			   (3, 'internal_audit_check', $$SELECT count(*) FROM (SELECT * FROM iso27001.internal_audit_check('bench', '2025-12-31') OFFSET 0) q$$)) w(ord, what, stmt)
 ORDER BY r, w.ord \g /dev/null

\echo
SELECT format('one scope, 93 applicable controls, 36 held audits: ms a call (median of %s runs of %s calls); ratio to the anti-join', :runs, :calls) AS title \gset
\echo :title
WITH m AS (SELECT what, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms FROM bench_time GROUP BY what)
SELECT m.what, round(m.ms::numeric, 3) AS "ms a call", round((m.ms / b.ms)::numeric, 2) AS "x anti-join"
  FROM m, m b WHERE b.what = 'anti-join (baseline)'
 ORDER BY m.what <> 'anti-join (baseline)', m.what;
SQL
	exit
fi

calls=${1:-500}
runs=${2:-5}
if [ -n "${ISO27001_DESTDIR:-}" ]; then
	ISO27001_SERVER_OPTS="-c extension_destdir=$ISO27001_DESTDIR ${ISO27001_SERVER_OPTS:-}" \
		tools/with_cluster.sh "$0" --in-cluster "$calls" "$runs" 2>&1 \
		| grep -v '^with_cluster: '
else
	tools/setup.sh
	pg_virtualenv -t -i "--encoding=UTF8 --locale=C.UTF-8" \
		"$0" --in-cluster "$calls" "$runs" 2>&1 \
		| grep -v -e '^Creating new PostgreSQL cluster' -e '^Dropping cluster'
fi
