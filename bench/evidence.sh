#!/usr/bin/env bash
# Benchmark of evidence records (issue 17 item 1), in one run on one
# throwaway cluster, two databases with the same register:
#   - 10,000 scopes of the 93 Annex A controls, decided, justified, each
#     with an evidence link (no finding in 0.2.1);
#   - in a database of this version, 100 evidence records a scope
#     (1,000,000 rows: every control one, collected up to 375 days before
#     the day validated and valid 365 days, so that about 3 % of the
#     controls are stale; seven older records, superseded; five owners),
#     and 5 requirements of current evidence a scope; in another, 10
#     records a scope (100,000 rows, ten controls); in both, a risk
#     register of 10 risks a scope relying on every control (100,000
#     rows), which the validator's risk rules read;
#   - in the other, CREATE EXTENSION iso27001 VERSION '0.2.1' (its
#     validator, which reads no evidence record);
#   (a) soa_validate() over every scope, as of a fixed date, against the
#       0.2.1 validator over the same register: the issue's bar is 1.5 x;
#       and soa_validate of one scope against the 0.2.1 one;
#   (b) iso27001_bi.evidence_freshness over the 1,000,000 records against
#       a hand-written GROUP BY computing the same columns (the same
#       counts, latest date, days left, status and requirement, and the
#       required controls without a record): bar 1.5 x.
# Server-side execution times (EXPLAIN ANALYZE, TIMING OFF; JIT off, and
# the validators over every scope also with JIT on, as PostgreSQL ships
# it, where compiling the plan can cost more than running it), each
# statement run $runs times alternating with its baseline, in fresh
# backends; medians and their ratio.  The machine is shared: the medians
# are noisy.  Not a test.
#
#   bench/evidence.sh [runs]
#
# With ISO27001_DESTDIR set, the extension is read from a private install
# ("make install DESTDIR=$ISO27001_DESTDIR", Debian's extension_destdir) by
# a throwaway cluster of tools/with_cluster.sh (PG_CONFIG chooses the
# version), and nothing is installed into the system's PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

# the execution time in ms of a statement, in a fresh backend (JIT off,
# unless a third argument says otherwise)
exec_ms() {
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" <<SQL | sed -n 's/^Execution Time: \([0-9.]*\) ms$/\1/p'
SET max_parallel_workers_per_gather = 0;
${3:-SET jit = off;}
SELECT count(*) FROM iso27001.soa_validate('s-1') \g /dev/null
EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) $2;
SQL
}

fill() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" <<'SQL'
-- the register's triggers off, as in a restore
SET session_replication_role = replica;
INSERT INTO iso27001.soa_scope (name) SELECT 's-' || i FROM generate_series(1, 10000) i;
INSERT INTO iso27001.soa_register (scope_id, control_key, control, entry, justification, evidence)
SELECT s.scope_id, a.control::text, a.control, 'applicable, implemented (risk treatment)', 'RA-1.',
	   ARRAY['https://evidence.example/' || s.scope_id || '/' || a.control::text]
  FROM iso27001.soa_scope s CROSS JOIN iso27001.annex_a_2022 a;
RESET session_replication_role;
VACUUM ANALYZE;
SQL
}

if [ "${1:-}" = --in-cluster ]; then
	runs=$2
	createdb bench_new
	createdb bench_10
	createdb bench_021
	psql -X -q -v ON_ERROR_STOP=1 -d bench_new -c "CREATE EXTENSION iso27001"
	psql -X -q -v ON_ERROR_STOP=1 -d bench_10 -c "CREATE EXTENSION iso27001"
	psql -X -q -v ON_ERROR_STOP=1 -d bench_021 -c "CREATE SCHEMA iso27001; CREATE EXTENSION iso27001 VERSION '0.2.1' SCHEMA iso27001"
	fill bench_new
	fill bench_10
	fill bench_021
	# records per scope: 100 (every control one, collected up to 375 days
	# before the day validated and valid 365 days, so that about 3 % are
	# stale; seven older ones, superseded) or 10 (ten controls)
	for db in bench_new bench_10; do
		per=$([ "$db" = bench_new ] && echo 100 || echo 10)
		psql -X -q -v ON_ERROR_STOP=1 -d "$db" -v per="$per" <<'SQL'
SET session_replication_role = replica;
SELECT setseed(0.17) \g /dev/null
INSERT INTO iso27001.evidence (scope_id, control_keys, uri, collected_at, valid_until, owner)
SELECT x.scope_id, ARRAY[c.control::text], 'https://evidence.example/' || x.scope_id || '/r' || x.i,
	   x.collected, (x.collected::date + 365), 'owner ' || (x.i % 5)
  FROM (SELECT s.scope_id, i,
			   timestamptz '2026-06-30' - (CASE WHEN i <= 93 THEN (random() * 375)::int
												ELSE 400 + (random() * 300)::int END) * interval '1 day' AS collected
		  FROM iso27001.soa_scope s CROSS JOIN generate_series(1, :per) i) x
  JOIN (SELECT a.control, row_number() OVER (ORDER BY a.control) AS n FROM iso27001.annex_a_2022 a) c
	ON c.n = (x.i - 1) % 93 + 1;
INSERT INTO iso27001.evidence_requirement (scope_id, control_key)
SELECT s.scope_id, c FROM iso27001.soa_scope s, unnest(ARRAY['A.5.1', 'A.5.15', 'A.8.8', 'A.8.13', 'A.8.15']) c;
-- and a risk register: 10 risks a scope (100,000 rows), 7 in treatment
-- and 3 open, together relying on every control (so the risk rules are
-- checked on every control and find nothing)
WITH c AS (SELECT i, array_agg(a.control::text ORDER BY a.control) AS controls
			 FROM (SELECT control, row_number() OVER (ORDER BY control) AS n FROM iso27001.annex_a_2022) a
			 JOIN generate_series(1, 10) i ON a.n % 10 = i - 1
			GROUP BY i)
INSERT INTO iso27001.risk (scope_id, risk_id, description, owner, likelihood, impact, treatment, controls, status)
SELECT s.scope_id, 'R-' || c.i, 'Risk ' || c.i, 'owner ' || (c.i % 5), 1 + c.i % 5, 1 + (c.i * 3) % 5, 'modify',
	   c.controls, CASE WHEN c.i <= 7 THEN 'in treatment' ELSE 'open' END
  FROM iso27001.soa_scope s CROSS JOIN c;
RESET session_replication_role;
VACUUM ANALYZE;
SELECT current_database(), count(*) AS evidence_rows, (SELECT count(*) FROM iso27001.risk) AS risk_rows FROM iso27001.evidence;
SELECT rule, severity, count(*) FROM iso27001.soa_validate(NULL, '2026-06-30') GROUP BY 1, 2 ORDER BY 1, 2;
SQL
	done
	view="SELECT * FROM iso27001_bi.evidence_freshness"
	# the same columns by hand: one GROUP BY per scope, control and owner,
	# the requirements joined, and the required controls without a record
	hand="SELECT g.scope_id, s.name AS scope, g.control_id,
	   CASE WHEN iso27001.is_valid_control(g.control_id) THEN iso27001.sort_key(g.control_id::iso27001.iso_control) ELSE 999999 END AS sort_key,
	   g.owner, g.records, g.valid_records, g.due_records, g.expired_records, g.latest_valid_until,
	   g.latest_valid_until - CURRENT_DATE AS days_left,
	   CASE WHEN g.latest_valid_until IS NULL THEN 'missing' WHEN g.latest_valid_until < CURRENT_DATE THEN 'overdue'
			WHEN g.latest_valid_until <= CURRENT_DATE + 30 THEN 'due' ELSE 'current' END AS status,
	   g.required
  FROM (SELECT e.scope_id, k.control_id, e.owner, count(*) AS records,
			   count(*) FILTER (WHERE e.valid_until > CURRENT_DATE + 30) AS valid_records,
			   count(*) FILTER (WHERE e.valid_until BETWEEN CURRENT_DATE AND CURRENT_DATE + 30) AS due_records,
			   count(*) FILTER (WHERE e.valid_until < CURRENT_DATE) AS expired_records,
			   max(e.valid_until) AS latest_valid_until,
			   bool_or(q.scope_id IS NOT NULL) AS required
		  FROM iso27001.evidence e
		 CROSS JOIN unnest(e.control_keys) AS k(control_id)
		  LEFT JOIN iso27001.evidence_requirement q ON q.scope_id = e.scope_id AND q.control_key = k.control_id
		 WHERE e.collected_at < (CURRENT_DATE + 1)::timestamptz
		 GROUP BY e.scope_id, k.control_id, e.owner
		UNION ALL
		SELECT q.scope_id, q.control_key, NULL, 0, 0, 0, 0, NULL, true
		  FROM iso27001.evidence_requirement q
		 WHERE NOT EXISTS (SELECT FROM iso27001.evidence e WHERE e.scope_id = q.scope_id
							  AND q.control_key = ANY (e.control_keys) AND e.collected_at < (CURRENT_DATE + 1)::timestamptz)) g
  JOIN iso27001.soa_scope s ON s.scope_id = g.scope_id"
	# the two give the same rows
	same=$(psql -X -q -At -d bench_new -c "SELECT (SELECT count(*) FROM (($view) EXCEPT ALL ($hand)) x) + (SELECT count(*) FROM (($hand) EXCEPT ALL ($view)) x)")
	echo "rows of the view not in the hand-written GROUP BY, and back: $same (of $(psql -X -q -At -d bench_new -c "SELECT count(*) FROM ($view) v"))"
	out=$(mktemp)
	for _ in $(seq "$runs"); do
		echo "validate all, 0.2.2 $(exec_ms bench_new "SELECT count(*) FROM iso27001.soa_validate(NULL, '2026-06-30')")" >> "$out"
		echo "validate all 10 a scope, 0.2.2 $(exec_ms bench_10 "SELECT count(*) FROM iso27001.soa_validate(NULL, '2026-06-30')")" >> "$out"
		echo "validate all, 0.2.1 $(exec_ms bench_021 "SELECT count(*) FROM iso27001.soa_validate(NULL)")" >> "$out"
		# and with JIT as PostgreSQL has it by default (on, where LLVM is)
		echo "validate all with JIT, 0.2.2 $(exec_ms bench_new "SELECT count(*) FROM iso27001.soa_validate(NULL, '2026-06-30')" "SET jit = on;")" >> "$out"
		echo "validate all with JIT, 0.2.1 $(exec_ms bench_021 "SELECT count(*) FROM iso27001.soa_validate(NULL)" "SET jit = on;")" >> "$out"
		echo "validate one, 0.2.2 $(exec_ms bench_new "SELECT count(*) FROM iso27001.soa_validate('s-5000', '2026-06-30')")" >> "$out"
		echo "validate one, 0.2.1 $(exec_ms bench_021 "SELECT count(*) FROM iso27001.soa_validate('s-5000')")" >> "$out"
		echo "freshness, view $(exec_ms bench_new "SELECT count(*), sum(hashtext(v::text)) FROM ($view) v")" >> "$out"
		echo "freshness, hand $(exec_ms bench_new "SELECT count(*), sum(hashtext(v::text)) FROM ($hand) v")" >> "$out"
	done
	{ echo "CREATE TEMP TABLE t (line text); COPY t FROM STDIN;"; cat "$out"; echo '\.'; cat <<'SQL'
WITH r AS (SELECT regexp_replace(line, ' [0-9.]+$', '') AS what, substring(line from '([0-9.]+)$')::numeric AS ms FROM t),
	 m AS (SELECT what, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1) AS median_ms,
				  count(*) AS runs, min(ms) AS min_ms, max(ms) AS max_ms FROM r GROUP BY what)
SELECT m.what, m.runs, m.median_ms, m.min_ms, m.max_ms,
	   CASE WHEN m.what LIKE '%0.2.2' OR m.what LIKE '%view'
			THEN round(m.median_ms / (SELECT b.median_ms FROM m b
									   WHERE b.what = replace(replace(replace(m.what, ' 10 a scope', ''), '0.2.2', '0.2.1'), 'view', 'hand')), 2) END AS ratio
  FROM m ORDER BY m.what;
SQL
	} | psql -X -q -d bench_new -v ON_ERROR_STOP=1
	rm -f "$out"
	exit
fi

runs=${1:-5}
if [ -n "${ISO27001_DESTDIR:-}" ]; then
	ISO27001_SERVER_OPTS="-c extension_destdir=$ISO27001_DESTDIR ${ISO27001_SERVER_OPTS:-}" \
		tools/with_cluster.sh "$0" --in-cluster "$runs" 2>&1 \
		| grep -v '^with_cluster: '
else
	tools/setup.sh
	pg_virtualenv -t -i "--encoding=UTF8 --locale=C.UTF-8" \
		"$0" --in-cluster "$runs" 2>&1 \
		| grep -v -e '^Creating new PostgreSQL cluster' -e '^Dropping cluster'
fi
