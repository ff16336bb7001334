#!/usr/bin/env bash
# The regression suites under valgrind's memcheck (make valgrind; not part
# of tools/test.sh: it takes tens of minutes).  A throwaway cluster's
# postmaster runs under valgrind, following every backend it forks; the
# pg_regress suite and the pgTAP suite run against it; then every error
# valgrind reports is counted, and those with a frame in iso27001.so are
# listed.  Prints TAP: ok when the extension has none.
#
#   test/valgrind.sh [pgTAP files...]     (default: every test/*.sql)
set -uo pipefail
cd "$(dirname "$0")/.."
bin=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(test/*.sql)
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
	--num-callers=30 --error-limit=no --suppressions=test/valgrind.supp \
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

total=$(cat "$work"/valgrind.*.log 2>/dev/null | grep -c '^==[0-9]*== [A-Z].*\(Invalid\|uninitialised\|Mismatched\|overlap\|Syscall param\)')
ours=$(for f in "$work"/valgrind.*.log; do
	awk '/^==[0-9]+== [A-Z]/ { if (blk ~ /iso27001\.so/) n++; blk = $0; next } { blk = blk "\n" $0 } END { if (blk ~ /iso27001\.so/) n++; print n + 0 }' "$f"
done | awk '{ s += $1 } END { print s + 0 }')
echo "1..3"
[ "$regress" -eq 0 ] && echo "ok 1 - pg_regress suite passes under valgrind" || { echo "not ok 1 - pg_regress under valgrind"; tail -20 "$work/regress.out" | sed 's/^/# /'; }
[ "$prove" -eq 0 ] && echo "ok 2 - pgTAP suite passes under valgrind ($(grep -o 'Tests=[0-9]*' "$work/prove.out"))" || { echo "not ok 2 - pgTAP under valgrind"; tail -20 "$work/prove.out" | sed 's/^/# /'; }
if [ "$ours" -eq 0 ]; then
	echo "ok 3 - valgrind: 0 errors with a frame in iso27001.so ($total reported in PostgreSQL itself)"
else
	echo "not ok 3 - valgrind: $ours errors with a frame in iso27001.so"
	grep -l 'iso27001\.so' "$work"/valgrind.*.log | head -3 | xargs -r sed -n '1,60p' | sed 's/^/# /'
fi
