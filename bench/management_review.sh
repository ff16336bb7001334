#!/usr/bin/env bash
# Benchmark of the management review's input pack (issue 17 item 5), in one
# run on one throwaway cluster: a scope of the 93 Annex A controls (80
# included for risk treatment, 10 of them not implemented), 200
# nonconformities over two years, 5 rate metrics of two years of weekly
# campaigns with a target each, a certificate with 6 certification audits,
# a three-year internal audit programme of 36 monthly audits (all held),
# 3 management reviews of 10 actions each;
#   - management_review_pack(scope, today - 364, today), against the sum
#     of the hand-written queries it is built from, each timed on its own
#     in the same run: the actions of earlier reviews with their status,
#     the reviews' changes, soa_diff_at over the period and the versions
#     approved in it, the nonconformities by grade and nonconformity_check,
#     behaviour_trend_between for the scope, the targets, the
#     certification and internal audits with their findings,
#     internal_audit_items and internal_audit_check, the risk treatment
#     controls of soa_as_of, the opportunities.
# Each run calls a statement `calls` times in one backend (PL/pgSQL loop);
# medians of the runs; the ratio is measured in the same run.  The machine
# is shared and noisy.  Not a test.
#
#   bench/management_review.sh [calls=20] [runs=5]
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
SET TimeZone = 'UTC';
CREATE EXTENSION iso27001 CASCADE;
SELECT iso27001.create_scope('bench') \g /dev/null
SELECT iso27001.soa_scope_id('bench') AS sid \gset
-- 80 controls for risk treatment (10 of them planned), 13 excluded
UPDATE iso27001.soa_register r
   SET entry = CASE WHEN k.k <= 13 THEN 'excluded'
					WHEN k.k <= 23 THEN 'applicable, planned (risk treatment)'
					ELSE 'applicable, implemented (risk treatment)' END::iso27001.soa_entry,
	   justification = 'RA-1', evidence = ARRAY['https://e.example/' || r.control_key]
  FROM (SELECT control_key, row_number() OVER (ORDER BY control) AS k
		  FROM iso27001.soa_register WHERE scope_id = :sid) k
 WHERE r.scope_id = :sid AND r.control_key = k.control_key;
SELECT iso27001.soa_approve('bench', 'CISO') \g /dev/null
SELECT iso27001.certificate_record('bench', 'issued', CURRENT_DATE - 1000, 'C-1', 'Example CB') \g /dev/null
INSERT INTO iso27001.certification_audit (scope_id, kind, on_date)
SELECT :sid, 'surveillance', CURRENT_DATE - 1000 + i * 150 FROM generate_series(1, 6) i;
-- five rate metrics, two years of weekly campaigns, a target each
INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, events, trials)
SELECT :sid, m, date_trunc('day', now()) - w * interval '7 days',
	   (400 * (0.2 - 0.0005 * (103 - w) + 0.02 * sin(w * 1.7 + length(m))))::bigint, 400
  FROM generate_series(0, 103) w,
	   unnest(ARRAY['phishing_click_rate', 'phishing_report_rate', 'training_overdue_rate',
					'phish_prone_rate', 'phishing_miss_rate']) m;
INSERT INTO iso27001.behaviour_target (scope_id, metric, target, due_date)
SELECT :sid, m, 0.1, CURRENT_DATE + 180
  FROM unnest(ARRAY['phishing_click_rate', 'phishing_report_rate', 'training_overdue_rate',
					'phish_prone_rate', 'phishing_miss_rate']) m;
-- the programme and its 36 audits, a month apart, all held
INSERT INTO iso27001.internal_audit_programme (scope_id, programme_id, period_start)
VALUES (:sid, 'IAP-1', CURRENT_DATE - 1090);
WITH leaf AS (
	SELECT clause, row_number() OVER (ORDER BY sort_key) - 1 AS k
	  FROM iso27001.isms_clauses_2022 WHERE is_requirement),
ctl AS (
	SELECT control_key, row_number() OVER (ORDER BY control) - 1 AS k
	  FROM iso27001.soa_register WHERE scope_id = :sid AND iso27001.is_applicable(entry))
INSERT INTO iso27001.internal_audit (scope_id, audit_id, planned_on, held_on, auditor, clauses, controls)
SELECT :sid, 'IA-' || i, CURRENT_DATE - 1080 + i * 30, CURRENT_DATE - 1080 + i * 30, 'Internal Auditor',
	   ARRAY(SELECT clause FROM leaf WHERE k % 36 = i), ARRAY(SELECT control_key FROM ctl WHERE k % 36 = i)
  FROM generate_series(0, 35) i;
-- 200 nonconformities over two years: grades in turn, a third of them
-- findings of the audits, half closed (with root cause and verification)
INSERT INTO iso27001.nonconformity (scope_id, nc_id, source, grade, clause, description, raised_on, due_date,
									closed_on, root_cause, corrective_action, verification, verified_on, internal_audit_id)
SELECT :sid, 'NC-' || i, CASE WHEN i % 3 = 0 THEN 'internal_audit' ELSE 'other' END,
	   (ARRAY['major', 'minor', 'minor', 'opportunity'])[i % 4 + 1], '8.1', 'Finding ' || i,
	   CURRENT_DATE - 730 + i * 3, CURRENT_DATE - 730 + i * 3 + 90,
	   CASE WHEN i % 2 = 0 THEN CURRENT_DATE - 730 + i * 3 + 60 END,
	   'cause', 'action', 'verified', CASE WHEN i % 2 = 0 THEN CURRENT_DATE - 730 + i * 3 + 70 END,
	   CASE WHEN i % 3 = 0 THEN 'IA-' || (SELECT max(substr(a.audit_id, 4)::integer) FROM iso27001.internal_audit a
										  WHERE a.scope_id = :sid AND a.held_on <= CURRENT_DATE - 730 + i * 3) END
  FROM generate_series(1, 200) i
 WHERE CURRENT_DATE - 730 + i * 3 + 70 <= CURRENT_DATE OR i % 2 = 1;
-- three yearly reviews of ten actions each
INSERT INTO iso27001.management_review (scope_id, review_id, held_on, chair, issues_changes, interested_parties_changes,
										interested_parties_feedback)
SELECT :sid, 'MR-' || r, CURRENT_DATE - 365 * (3 - r) - 10, 'CEO', 'Issues ' || r, 'Needs ' || r, 'Feedback ' || r
  FROM generate_series(0, 2) r;
INSERT INTO iso27001.management_review_action (scope_id, review_id, action_id, kind, action, owner, due_date, done_on)
SELECT :sid, 'MR-' || r, a::text, (ARRAY['improvement', 'isms_change', 'resource_need'])[a % 3 + 1], 'Action ' || a, 'Owner',
	   CURRENT_DATE - 365 * (3 - r) - 10 + 30 * a,
	   CASE WHEN a % 2 = 0 AND CURRENT_DATE - 365 * (3 - r) - 10 + 30 * a - 5 <= CURRENT_DATE
			THEN CURRENT_DATE - 365 * (3 - r) - 10 + 30 * a - 5 END
  FROM generate_series(0, 2) r, generate_series(1, 10) a;
ANALYZE;
SELECT CURRENT_DATE - 364 AS ps, CURRENT_DATE AS pe \gset

\echo the data: nonconformities, campaigns, audits, actions
SELECT (SELECT count(*) FROM iso27001.nonconformity) AS nonconformities,
	   (SELECT count(*) FROM iso27001.behaviour_observation) AS campaigns,
	   (SELECT count(*) FROM iso27001.internal_audit) AS internal_audits,
	   (SELECT count(*) FROM iso27001.management_review_action) AS actions;

-- the hand-written queries the pack is built from, one a statement
CREATE TABLE part (ord integer, what text, stmt text);
INSERT INTO part VALUES
 (1, 'a) actions of earlier reviews', format($q$SELECT count(*) FROM (SELECT CASE WHEN x.done_on <= %2$L THEN 'done' WHEN x.due_date < %2$L THEN 'overdue' ELSE 'open' END, count(*)
		FROM iso27001.management_review r JOIN iso27001.management_review_action x USING (scope_id, review_id)
	   WHERE r.scope_id = %3$s AND r.held_on <= %2$L AND (x.done_on IS NULL OR x.done_on >= %1$L) GROUP BY 1) q$q$, :'ps', :'pe', :sid)),
 (2, 'b c e) changes noted', format($q$SELECT count(*) FROM iso27001.management_review r
	   WHERE r.scope_id = %3$s AND (r.held_on BETWEEN %1$L AND %2$L OR r.held_on IS NULL)$q$, :'ps', :'pe', :sid)),
 (3, 'b) soa_diff_at by change', format($q$SELECT count(*) FROM (SELECT change, count(*) FROM iso27001.soa_diff_at('bench', %1$L::date, %2$L::date + 1) GROUP BY 1) q$q$, :'ps', :'pe')),
 (4, 'b) versions approved', format($q$SELECT count(*) FROM iso27001.soa_version WHERE scope_id = %3$s AND approved_at >= %1$L::date AND approved_at < %2$L::date + 1$q$, :'ps', :'pe', :sid)),
 (5, 'd1) nonconformities by grade', format($q$SELECT count(*) FROM (SELECT grade, count(*) FILTER (WHERE raised_on BETWEEN %1$L AND %2$L), count(*) FILTER (WHERE closed_on BETWEEN %1$L AND %2$L),
		count(*) FILTER (WHERE raised_on <= %2$L AND (closed_on IS NULL OR closed_on > %2$L)),
		count(*) FILTER (WHERE raised_on <= %2$L AND (closed_on IS NULL OR closed_on > %2$L) AND due_date < %2$L)
		FROM iso27001.nonconformity WHERE scope_id = %3$s GROUP BY grade) q$q$, :'ps', :'pe', :sid)),
 (6, 'd1) nonconformity_check by rule', format($q$SELECT count(*) FROM (SELECT rule, count(*) FROM iso27001.nonconformity_check('bench', %1$L) GROUP BY 1) q$q$, :'pe')),
 (7, 'd2) behaviour_trend_between', format($q$SELECT count(*) FROM iso27001.behaviour_trend_between(%1$L, %2$L) t WHERE t.scope_id = %3$s AND t.cohort = ''$q$, :'ps', :'pe', :sid)),
 (8, 'd3) certification and internal audits', format($q$SELECT (SELECT count(*) FROM iso27001.certification_audit WHERE scope_id = %3$s AND on_date BETWEEN %1$L AND %2$L)
		+ (SELECT count(*) FROM iso27001.internal_audit x LEFT JOIN iso27001.nonconformity n ON n.scope_id = x.scope_id AND n.internal_audit_id = x.audit_id
			WHERE x.scope_id = %3$s AND x.status = 'held' AND x.held_on BETWEEN %1$L AND %2$L)$q$, :'ps', :'pe', :sid)),
 (9, 'd3) internal_audit_items by coverage', format($q$SELECT count(*) FROM (SELECT coverage, count(*) FROM iso27001.internal_audit_items('bench', NULL, NULL, %1$L) GROUP BY 1) q$q$, :'pe')),
 (10, 'd3) internal_audit_check by rule', format($q$SELECT count(*) FROM (SELECT rule, count(*) FROM iso27001.internal_audit_check('bench', %1$L) GROUP BY 1) q$q$, :'pe')),
 (11, 'd4) targets', format($q$SELECT count(*) FROM iso27001.behaviour_target WHERE scope_id = %s$q$, :sid)),
 (12, 'f) soa_as_of risk treatment', format($q$SELECT count(*) FROM (SELECT iso27001.implementation(entry), count(*) FROM iso27001.soa_as_of('bench', %1$L::date + 1)
		WHERE 'risk treatment' = ANY (iso27001.reasons(entry)) GROUP BY 1) q$q$, :'pe')),
 (13, 'g) opportunities', format($q$SELECT (SELECT count(*) FROM iso27001.nonconformity WHERE scope_id = %3$s AND grade = 'opportunity' AND raised_on <= %2$L
		AND (raised_on >= %1$L OR closed_on IS NULL OR closed_on > %2$L))
		+ (SELECT count(*) FROM iso27001.management_review r JOIN iso27001.management_review_action x USING (scope_id, review_id)
			WHERE r.scope_id = %3$s AND r.held_on <= %2$L AND x.kind = 'improvement' AND (x.done_on IS NULL OR x.done_on > %2$L))$q$, :'ps', :'pe', :sid)),
 (100, 'management_review_pack', format($q$SELECT length(iso27001.management_review_pack('bench', %1$L, %2$L)::text)$q$, :'ps', :'pe'));

\echo the counts of the pack and of the hand-written queries agree
SELECT (p #> '{inputs,previous_actions}') - 'actions' - 'label' - 'clause' - 'last_review' AS previous_actions,
	   (p #> '{inputs,risk_treatment}') - 'to_do' - 'label' - 'clause' AS risk_treatment
  FROM iso27001.management_review_pack('bench', :'ps', :'pe') p;
SELECT string_agg(format('%s %s', s, n), ', ' ORDER BY s) AS hand_written_actions FROM (
	SELECT CASE WHEN x.done_on <= :'pe' THEN 'done' WHEN x.due_date < :'pe' THEN 'overdue' ELSE 'open' END s, count(*) n
	  FROM iso27001.management_review r JOIN iso27001.management_review_action x USING (scope_id, review_id)
	 WHERE r.scope_id = :sid AND r.held_on <= :'pe' AND (x.done_on IS NULL OR x.done_on >= :'ps') GROUP BY 1) q;

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
SELECT public.time_it(p.what, p.stmt, :calls, r)
  FROM generate_series(1, :runs) r, part p
 ORDER BY r, p.ord \g /dev/null

\echo
SELECT format('one scope: ms a call (median of %s runs of %s calls); the pack against the sum of its hand-written queries', :runs, :calls) AS title \gset
\echo :title
WITH m AS (SELECT what, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms FROM bench_time GROUP BY what)
SELECT p.what, round(m.ms::numeric, 3) AS "ms a call"
  FROM m JOIN part p USING (what) ORDER BY p.ord;
-- the sum of the medians of the parts, and the ratio (each run's sum too)
WITH m AS (SELECT what, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms FROM bench_time GROUP BY what),
s AS (SELECT sum(ms) FILTER (WHERE what <> 'management_review_pack') AS parts,
			 sum(ms) FILTER (WHERE what = 'management_review_pack') AS pack FROM m),
r AS (SELECT run, sum(ms) FILTER (WHERE what = 'management_review_pack')
				  / sum(ms) FILTER (WHERE what <> 'management_review_pack') AS ratio
		FROM bench_time GROUP BY run)
SELECT round(s.parts::numeric, 3) AS "hand-written queries, ms", round(s.pack::numeric, 3) AS "pack, ms",
	   round((s.pack / s.parts)::numeric, 2) AS "x sum",
	   (SELECT round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ratio))::numeric, 2) FROM r) AS "median of the runs' ratios"
  FROM s;
SQL
	exit
fi

calls=${1:-20}
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
