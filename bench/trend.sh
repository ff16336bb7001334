#!/usr/bin/env bash
# Benchmark of the behaviour-trend aggregates, in one run on one throwaway
# cluster, without and with parallel workers:
#   - the least-squares trend over 10,000,000 (timestamptz, float8) rows of
#     1,000 organizations, whole table and per organization, against
#     regr_slope(y, extract(epoch FROM t)) (what users write today) and
#     regr_slope(y, x) on a precomputed float8 column (the floor);
#   - the robust trend over 1,000,000 points against
#     percentile_cont(0.5) WITHIN GROUP (ORDER BY y) on the same rows (a
#     sort of the same data, the n log n floor);
#   - the rate trend over 100,000 campaigns.
# Then the robust trend alone (also run by itself with part "robust"):
#   - Sen's slope over the same 1,000,000 points in a table of their own,
#     once in time order and once in random order, each against
#     percentile_cont(0.5) over the same rows (every run on a state of its
#     own, y moved a little: a backend keeps the results of the last few
#     states);
#   - the accessors on stored states, each run in a fresh backend: time,
#     and peak memory (the backend's peak resident set, VmHWM of
#     /proc/self/status, above its level at the start) on 1,000,000 and
#     2,000,000 points and evidence_pack over 600,000 observations (beyond
#     its max_observations, and with every one listed); slope
#     and verdict from 500 to 4,195 points, either side of the switch from
#     listing every pair to selecting (724 points list, 725 select) and of
#     the old one (3,996 listed, 4,195 selected).
# Medians of several runs; ratios measured in the same run.  Not a test.
#
#   bench/trend.sh [rows] [runs] [part]     part: all (the default) or robust
#
# With ISO27001_DESTDIR set, the extension is read from a private install
# ("make install DESTDIR=$ISO27001_DESTDIR", Debian's extension_destdir) by
# a throwaway cluster of tools/with_cluster.sh, and nothing is installed
# into the system's PostgreSQL (PG_CONFIG chooses the version).
set -euo pipefail
cd "$(dirname "$0")/.."

# Time and peak memory of a statement, each of $runs runs in a fresh
# backend (the library loaded first), into robust_memory
peak() {
	for _ in $(seq "$runs"); do
		psql -X -q -At -v ON_ERROR_STOP=1 -v label="$1" <<SQL
SET search_path = public, iso27001;
SET max_parallel_workers_per_gather = 0;
SET jit = off;
SELECT n(s) FROM robust_state WHERE points = 500 \gset
SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s+(\d+)'))[1]::bigint AS hwm0,
	   clock_timestamp() AS t0 \gset
\o /dev/null
$2;
\o
INSERT INTO robust_memory (what, ms, peak_mb)
SELECT :'label', extract(epoch FROM clock_timestamp() - :'t0') * 1000,
	   round(((regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s+(\d+)'))[1]::bigint - :hwm0) / 1024.0);
SQL
	done
}

if [ "${1:-}" = --in-cluster ]; then
	rows=$2 runs=$3 part=$4
	psql -X -q -v ON_ERROR_STOP=1 -v rows="$rows" -v runs="$runs" -v part="$part" \
		-f bench/trend.sql
	one="FROM robust_state WHERE points = 1000000"
	two="FROM robust_state WHERE points = 2000000"
	peak "1M points: n(s) (reads the state)" "SELECT n(s) $one"
	peak "1M points: slope(s)" "SELECT slope(s) $one"
	peak "1M points: slope_lower(s)" "SELECT slope_lower(s) $one"
	peak "1M points: slope, slope_lower, slope_upper, fitted_at" \
		"SELECT slope(s), slope_lower(s), slope_upper(s), fitted_at(s, last_time(s)) $one"
	peak "1M points: verdict(s, 'lower')" "SELECT verdict(s, 'lower') $one"
	peak "1M points: trend_report(s, 'lower')" "SELECT (trend_report(s, 'lower')).* $one"
	peak "2M points: every accessor" \
		"SELECT n(s), first_time(s), last_time(s), slope(s), slope_lower(s), slope_upper(s),
				fitted_at(s, last_time(s)), mk_s(s), mk_var_s(s), mk_z(s), mk_p(s), mk_p_exact(s),
				p_value(s), kendall_tau_b(s), verdict(s, 'lower') $two"
	peak "evidence_pack, 600,000 observations (none listed: more than max_observations)" \
		"SELECT iso27001.evidence_pack('bench', 'time_to_report_hours')"
	peak "evidence_pack, 600,000 observations, every one listed" \
		"SELECT iso27001.evidence_pack('bench', 'time_to_report_hours', max_observations => 1000000)"
	peak "... its robust trend alone (evidence_states and the accessors it reads)" \
		"SELECT slope(r, '1 month'), slope_lower(r, '1 month', 0.95), slope_upper(r, '1 month', 0.95),
				mk_s(r), mk_var_s(r), mk_z(r), p_value(r), kendall_tau_b(r), verdict(r, 'lower', 0.05),
				fitted_at(r, last_time(r))
		   FROM (SELECT (evidence_states(scope_id, 'time_to_report_hours', NULL, NULL)).robust r
				   FROM iso27001.soa_scope WHERE name = 'bench' OFFSET 0) q"
	for points in 500 724 725 1000 2000 3996 4195; do
		peak "$points points: slope(s)" "SELECT slope(s) FROM robust_state WHERE points = $points"
		peak "$points points: verdict(s, 'lower')" "SELECT verdict(s, 'lower') FROM robust_state WHERE points = $points"
	done
	psql -X -q -v ON_ERROR_STOP=1 -v runs="$runs" <<'SQL'
\echo
SELECT format('Robust accessors on stored states: time (median) and peak memory (largest) of %s runs, each in a fresh backend', :runs) AS title \gset
\echo :title
SELECT what, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1) AS ms,
	   max(peak_mb) AS "peak MB"
  FROM robust_memory GROUP BY what ORDER BY min(ord);
SQL
	exit
fi

rows=${1:-10000000}
runs=${2:-3}
part=${3:-all}
case $part in
	all | robust) ;;
	*) echo "bench/trend.sh: part is all or robust, not $part" >&2; exit 2 ;;
esac

if [ -n "${ISO27001_DESTDIR:-}" ]; then
	ISO27001_SERVER_OPTS="-c extension_destdir=$ISO27001_DESTDIR ${ISO27001_SERVER_OPTS:-}" \
		tools/with_cluster.sh "$0" --in-cluster "$rows" "$runs" "$part" 2>&1 \
		| grep -v '^with_cluster: '
else
	tools/setup.sh
	pg_virtualenv -t -i "--encoding=UTF8 --locale=C.UTF-8" \
		"$0" --in-cluster "$rows" "$runs" "$part" 2>&1 \
		| grep -v -e '^Creating new PostgreSQL cluster' -e '^Dropping cluster'
fi
