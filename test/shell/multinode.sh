#!/usr/bin/env bash
# Beyond one machine (run by tools/test.sh; prints TAP).  Three PostgreSQL
# clusters on loopback ports — a coordinator and two shards — each with
# the extension; the coordinator partitions a table of observations by
# scope over the shards with postgres_fdw foreign partitions (server option
# extensions 'iso27001', so the extension's functions may be shipped).
# With enable_partitionwise_aggregate, EXPLAIN VERBOSE must show the
# per-scope trend aggregates of all three families running on the shards,
# with results identical to the same query on one node; the shards' states
# rolled up on the coordinator must give the whole-table trend.
set -uo pipefail
bin=${PG_BINDIR:-$("${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}" --bindir)}
work=$(mktemp -d)
chmod 755 "$work"
as_pg=()
if [ "$(id -u)" = 0 ]; then
	chown postgres: "$work"
	as_pg=(runuser -u postgres --)
fi
ports=()
stop() {
	for d in "$work"/node*; do
		[ -d "$d" ] && "${as_pg[@]}" "$bin/pg_ctl" -D "$d" -m immediate stop >/dev/null 2>&1
	done
	rm -rf "$work"
}
trap stop EXIT

# three free ports from 55432 up
p=55432
while [ ${#ports[@]} -lt 3 ]; do
	if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then ports+=("$p"); fi
	p=$((p + 1))
done
echo "1..8"
. "$(dirname "$0")/../include/tap.sh"
start() {	# start NAME PORT
	"${as_pg[@]}" "$bin/initdb" -D "$work/$1" -A trust -U postgres --no-sync >/dev/null &&
		"${as_pg[@]}" "$bin/pg_ctl" -D "$work/$1" -l "$work/$1.log" -w \
			-o "-p $2 -k $work -c listen_addresses=127.0.0.1 -c max_parallel_workers_per_gather=0" start >/dev/null
}
q() {	# q PORT SQL
	psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U postgres -d postgres -c "$2"
}
started() {
	start node_coordinator "${ports[0]}" && start node_shard1 "${ports[1]}" && start node_shard2 "${ports[2]}" &&
		for port in "${ports[@]}"; do q "$port" "CREATE EXTENSION iso27001" || return 1; done
}
check "three clusters (coordinator :${ports[0]}, shards :${ports[1]} and :${ports[2]}), the extension on each" started

# 100 scopes x 104 weekly campaigns; scopes 1-50 on shard 1, 51-100 on shard 2
data="SELECT s AS scope_id, '2024-12-02 09:00+00'::timestamptz + w * interval '1 week' AS t,
			 greatest(0, round(400 * (0.18 - 0.0005 * w * (1 + s % 3) + 0.02 * sin(w * 1.7 + s))))::bigint AS events,
			 400::bigint AS trials,
			 0.18 - 0.0005 * w * (1 + s % 3) + 0.02 * sin(w * 1.7 + s) AS y
		FROM generate_series(1, 100) s, generate_series(0, 103) w"
load() {
	q "${ports[1]}" "CREATE TABLE obs AS SELECT * FROM ($data) d WHERE scope_id <= 50" &&
	q "${ports[2]}" "CREATE TABLE obs AS SELECT * FROM ($data) d WHERE scope_id > 50" &&
	q "${ports[0]}" "CREATE EXTENSION postgres_fdw;
		CREATE TABLE obs_local AS $data;
		CREATE TABLE obs (scope_id integer, t timestamptz, events bigint, trials bigint, y double precision)
			PARTITION BY RANGE (scope_id);
		CREATE SERVER shard1 FOREIGN DATA WRAPPER postgres_fdw
			OPTIONS (host '127.0.0.1', port '${ports[1]}', dbname 'postgres', extensions 'iso27001');
		CREATE SERVER shard2 FOREIGN DATA WRAPPER postgres_fdw
			OPTIONS (host '127.0.0.1', port '${ports[2]}', dbname 'postgres', extensions 'iso27001');
		CREATE USER MAPPING FOR postgres SERVER shard1 OPTIONS (user 'postgres');
		CREATE USER MAPPING FOR postgres SERVER shard2 OPTIONS (user 'postgres');
		CREATE FOREIGN TABLE obs_1 PARTITION OF obs FOR VALUES FROM (1) TO (51)
			SERVER shard1 OPTIONS (table_name 'obs');
		CREATE FOREIGN TABLE obs_2 PARTITION OF obs FOR VALUES FROM (51) TO (101)
			SERVER shard2 OPTIONS (table_name 'obs');
		ANALYZE obs_1; ANALYZE obs_2; ANALYZE obs_local"
}
check "observations sharded over two foreign partitions by scope (5,200 rows each)" load

per_scope="SELECT scope_id, iso27001.trend_rate_agg(events, trials, t)::text AS rate,
				  iso27001.trend_ols_agg(y, t)::text AS ols, iso27001.trend_robust_agg(y, t)::text AS robust
			 FROM %s GROUP BY scope_id"
plan() {
	psql -X -q -At -h 127.0.0.1 -p "${ports[0]}" -U postgres -d postgres \
		-c "SET enable_partitionwise_aggregate = $1" -c "EXPLAIN (VERBOSE, COSTS OFF) $(printf "$per_scope" obs)"
}
pushed() {	# every family's aggregate in the remote SQL of both shards
	plan on > "$work/plan" || return 1
	cat "$work/plan"
	for f in trend_rate_agg trend_ols_agg trend_robust_agg; do
		[ "$(grep -c "Remote SQL: SELECT .*iso27001\.$f(.*GROUP BY" "$work/plan")" = 2 ] || return 1
	done
	! grep -q 'Partial\|Finalize' "$work/plan"
}
check "EXPLAIN VERBOSE: the per-scope trend aggregates of all three families run on both shards" pushed
not_pushed() {
	plan off > "$work/plan" || return 1
	! grep -q 'Remote SQL: SELECT .*trend_rate_agg' "$work/plan"
}
check "without partitionwise aggregation they run on the coordinator (the check can fail)" not_pushed

same() {	# the sharded result equals the one-node result, row for row, as text
	q "${ports[0]}" "SET enable_partitionwise_aggregate = on;
		SELECT count(*) FROM (($(printf "$per_scope" obs)) EXCEPT ($(printf "$per_scope" obs_local))) a" > "$work/a" &&
	q "${ports[0]}" "SET enable_partitionwise_aggregate = on;
		SELECT count(*) FROM (($(printf "$per_scope" obs_local)) EXCEPT ($(printf "$per_scope" obs))) b" > "$work/b" &&
	[ "$(cat "$work/a" "$work/b" | tr '\n' ' ')" = "0 0 " ] &&
	[ "$(q "${ports[0]}" "SELECT count(DISTINCT scope_id) FROM obs")" = 100 ]
}
check "per-scope states from the shards identical to one node's, all 100 scopes and three families" same

report_same() {	# the verdicts and slopes read off the shipped states
	[ "$(q "${ports[0]}" "SET enable_partitionwise_aggregate = on;
		SELECT count(*) FROM (
		  SELECT scope_id, (iso27001.trend_report(iso27001.trend_rate_agg(events, trials, t), 'lower')).* FROM obs GROUP BY 1
		  EXCEPT
		  SELECT scope_id, (iso27001.trend_report(iso27001.trend_rate_agg(events, trials, t), 'lower')).* FROM obs_local GROUP BY 1) d")" = 0 ]
}
check "trend_report over the shipped states: the same slopes, intervals, p-values and verdicts" report_same

rollup_same() {	# combine the shards' per-scope states on the coordinator
	q "${ports[0]}" "SET enable_partitionwise_aggregate = on;
		WITH sharded AS (SELECT iso27001.rollup(s) AS s
						   FROM (SELECT scope_id, iso27001.trend_rate_agg(events, trials, t) s FROM obs GROUP BY 1) x),
			 single AS (SELECT iso27001.trend_rate_agg(events, trials, t) AS s FROM obs_local)
		SELECT iso27001.n(a.s) = iso27001.n(b.s)
			   AND abs(iso27001.slope(a.s) / iso27001.slope(b.s) - 1) < 1e-12
			   AND abs(iso27001.ca_chi2(a.s) / iso27001.ca_chi2(b.s) - 1) < 1e-12
		  FROM sharded a, single b" | grep -qx t
}
check "rollup() of the shards' states on the coordinator = the whole-table trend on one node (1e-12)" rollup_same

robust_rollup_same() {
	q "${ports[0]}" "SET enable_partitionwise_aggregate = on;
		WITH sharded AS (SELECT iso27001.rollup(s) AS s
						   FROM (SELECT scope_id, iso27001.trend_robust_agg(y, t) s FROM obs GROUP BY 1) x),
			 single AS (SELECT iso27001.trend_robust_agg(y, t) AS s FROM obs_local)
		SELECT iso27001.slope(a.s) = iso27001.slope(b.s) AND iso27001.mk_s(a.s) = iso27001.mk_s(b.s)
		  FROM sharded a, single b" | grep -qx t
}
check "and the robust trend of 10,400 points, Sen's slope and S exactly" robust_rollup_same
