#!/usr/bin/env bash
# The regression suites under valgrind's memcheck (make valgrind; not part
# of tools/test.sh: it takes tens of minutes).  A throwaway cluster's
# postmaster runs under valgrind, following every backend it forks; the
# pg_regress suite and the pgTAP suite run against it; then every error
# valgrind reports is counted, and those with a frame in the extension are
# listed.  KEEP=1 keeps the logs.  Prints TAP: ok when the extension has none.
#
#   test/shell/valgrind.sh [pgTAP files...]     (default: every test/pgtap/*.sql)
set -uo pipefail
cd "$(dirname "$0")/../.."
bin=${PG_BINDIR:-$("${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}" --bindir)}
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(test/pgtap/*.sql)
work=$(mktemp -d)
chmod 755 "$work"
as_pg=()
if [ "$(id -u)" = 0 ]; then chown postgres: "$work"; as_pg=(runuser -u postgres --); fi
port=55499
cleanup() {
	[ -f "$work/data/postmaster.pid" ] && "${as_pg[@]}" "$bin/pg_ctl" -D "$work/data" -m fast -t 600 stop >/dev/null 2>&1
	[ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

"${as_pg[@]}" "$bin/initdb" -D "$work/data" -A trust -U postgres --no-sync >/dev/null || exit 1
"${as_pg[@]}" valgrind --quiet --trace-children=yes --track-origins=yes --read-var-info=no \
	--num-callers=30 --error-limit=no --suppressions=test/fixtures/valgrind.supp \
	--log-file="$work/valgrind.%p.log" \
	"$bin/postgres" -D "$work/data" -p "$port" -k "$work" -c listen_addresses= \
	-c max_parallel_workers_per_gather=2 -c statement_timeout=0 > "$work/server.log" 2>&1 &
for i in $(seq 1 300); do
	pg_isready -q -h "$work" -p "$port" && break
	sleep 1
done
export PGHOST=$work PGPORT=$port PGUSER=postgres
psql -X -q -d postgres -c "CREATE EXTENSION IF NOT EXISTS pgtap" >/dev/null 2>&1 || true
echo "# pg_regress and ${#tests[@]} pgTAP files under valgrind (this takes a while)"
make -s installcheck PGHOST="$work" PGPORT="$port" PGUSER=postgres > "$work/regress.out" 2>&1
regress=$?
pg_prove -d postgres "${tests[@]}" > "$work/prove.out" 2>&1
prove=$?
"${as_pg[@]}" "$bin/pg_ctl" -D "$work/data" -m fast -t 600 stop >/dev/null 2>&1
sleep 2

# an error is the extension's when a frame of its stack is in iso27001.so or
# names one of the extension's source files (with debug information,
# valgrind shows the file rather than the library)
ours_re='iso27001\.so|\((iso27001|annex_a|iso_control|soa|soa_entry|soa_register|cycle|certification_cycle|audit_time|trend_axis|trend_stats|trend_ols|trend_rate|trend_robust|oscal)\.c:[0-9]+\)'
count_errors() {	# count_errors all|ours LOGS...
	local which=$1
	shift
	OURS_RE=$ours_re awk -v which="$which" '
		BEGIN { re = ENVIRON["OURS_RE"] }
		function flush() { if (blk != "" && (which == "all" || blk ~ re)) n++; blk = "" }
		/^==[0-9]+== [A-Z]/ && !/^==[0-9]+== (HEAP|LEAK|ERROR SUMMARY|For lists|Use --|Rerun)/ { flush(); blk = $0; next }
		/^==[0-9]+== +(at|by) / { if (blk != "") blk = blk "\n" $0; next }
		{ flush() }
		END { flush(); print n + 0 }' "$@"
}
logs=("$work"/valgrind.*.log)
total=$(count_errors all "${logs[@]}")
ours=$(count_errors ours "${logs[@]}")
echo "1..3"
[ "$regress" -eq 0 ] && echo "ok 1 - pg_regress suite passes under valgrind" || { echo "not ok 1 - pg_regress under valgrind"; tail -20 "$work/regress.out" | sed 's/^/# /'; }
[ "$prove" -eq 0 ] && echo "ok 2 - pgTAP suite passes under valgrind ($(grep -o 'Tests=[0-9]*' "$work/prove.out"))" || { echo "not ok 2 - pgTAP under valgrind"; tail -20 "$work/prove.out" | sed 's/^/# /'; }
if [ "$ours" -eq 0 ]; then
	echo "ok 3 - valgrind: 0 errors with a frame in the extension ($total reported, all in PostgreSQL itself)"
else
	echo "not ok 3 - valgrind: $ours of $total errors with a frame in the extension"
	grep -E -l "$ours_re" "${logs[@]}" | head -3 | xargs -r grep -E -B3 -A8 "$ours_re" | head -60 | sed 's/^/# /'
fi
