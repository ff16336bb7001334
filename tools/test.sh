#!/usr/bin/env bash
# Run every test of iso27001 on PostgreSQL 15 and on PostgreSQL 18: set up
# (apt, build, install for 15), then on a throwaway cluster of each version
# the static checks (make lint), the pg_regress suite (make installcheck:
# test/regress/sql against expected/), the pgTAP suite (pg_prove
# test/pgtap/*.sql) and the shell harnesses of test/shell: concurrency
# (pgbench), locks held against the register's writers, dump/restore, the update paths, the evidence files
# (rsvg-convert, sha256sum), the OSCAL schema checks and a three-node run of
# the aggregates; on 15 also the calibration of the verdicts
# (test/shell/calibration.sh) and a short run of the fuzz harnesses
# (test/fuzz/run.sh).
#
# PostgreSQL 15 is Debian's (pg_virtualenv makes its cluster).  PostgreSQL 18
# is what tools/pg18.sh finds or builds (cached in /opt/iso27001/pg18): the
# extension is built for it in a copy of this tree, installed into it, and
# the same suites run on a cluster made by tools/with_cluster.sh.  Without
# a PostgreSQL 18 to be had, it says so and skips 18, unless
# ISO27001_REQUIRE_PG18=1 (CI), where that is a failure.
#
# Prints the regression diffs on a failure; the last line is the totals of
# all suites on both versions, "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" != "--inside" ]; then
	results=$(mktemp -d)
	copy=
	trap 'rm -rf "$results" ${copy:+"$copy"}' EXIT
	extra_failed=0

	echo "=== PostgreSQL 15 ==="
	if tools/setup.sh; then
		pg_virtualenv -t -v 15 -i "--encoding=UTF8 --locale=C.UTF-8" \
			"$0" --inside "$results/15" 15
	else
		echo "setup for PostgreSQL 15 failed"
	fi
	[ -s "$results/15" ] || { echo "PostgreSQL 15: the suites did not run"; extra_failed=$((extra_failed + 1)); }

	echo "=== PostgreSQL 18 ==="
	echo "tools/pg18.sh: finding or building PostgreSQL 18 (a first build takes minutes)"
	pg18=$(tools/pg18.sh 2>"$results/pg18.err")
	status=$?
	cat "$results/pg18.err"
	if [ "$status" -eq 0 ] && [ -x "$pg18" ]; then
		if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
		# a copy of this tree, built for 18: this tree stays built for 15
		copy=$(mktemp -d)
		cp -a . "$copy/iso27001"
		if make -s -C "$copy/iso27001" clean PG_CONFIG="$pg18" >/dev/null &&
			make -s -C "$copy/iso27001" PG_CONFIG="$pg18" &&
			"${sudo[@]}" make -s -C "$copy/iso27001" install PG_CONFIG="$pg18" >/dev/null; then
			PG_CONFIG=$pg18 tools/with_cluster.sh "$copy/iso27001/tools/test.sh" --inside "$results/18" 18
		else
			echo "building the extension for PostgreSQL 18 failed"
		fi
		[ -s "$results/18" ] || { echo "PostgreSQL 18: the suites did not run"; extra_failed=$((extra_failed + 1)); }
	elif [ "$status" -eq 2 ] && [ "${ISO27001_REQUIRE_PG18:-0}" != 1 ]; then
		echo "PostgreSQL 18 SKIPPED (tools/pg18.sh found none and could not build one; see above)"
	else
		echo "PostgreSQL 18: tools/pg18.sh failed (status $status)"
		extra_failed=$((extra_failed + 1))
	fi

	# the totals of both versions, as the very last line
	passed=0
	failed=$extra_failed
	for v in 15 18; do
		[ -s "$results/$v" ] || continue
		read -r p _ f _ < "$results/$v"
		echo "PostgreSQL $v: $p passed, $f failed"
		passed=$((passed + p))
		failed=$((failed + f))
	done
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
fi

# Inside a throwaway cluster: tools/test.sh --inside TOTALS-FILE VERSION
totals=$2
version=$3
passed=0
failed=0
failures=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Add a suite's passes and failures, counted in its output in "$log" with
# the two patterns given; a suite that failed without a failing test (it
# could not run, say) counts as one failure.
# The failing lines are kept, to be listed again before the totals.
tally() {
	local status=$1 ok bad
	ok=$(grep -cE "$2" "$log")
	bad=$(grep -cE "$3" "$log")
	if [ "$bad" -gt 0 ]; then
		failures+="$suite ($version): $(grep -E "$3" "$log" | tr '\n' ';')"$'\n'
	fi
	if [ "$status" -ne 0 ] && [ "$bad" -eq 0 ]; then
		bad=1
		failures+="$suite ($version): exited with status $status without a failing test"$'\n'
	fi
	passed=$((passed + ok))
	failed=$((failed + bad))
}

echo "== static checks (PostgreSQL $version) =="
suite="static checks"
make -s lint > "$log" 2>&1
status=$?
cat "$log"
[ "$status" -eq 0 ] && echo "ok 1 - make lint" >> "$log"
tally "$status" '^ok [0-9]+' '^not ok [0-9]+'

echo "== pg_regress (PostgreSQL $version) =="
suite=pg_regress
rm -rf results regression.diffs regression.out
make -s installcheck 2>&1 | tee "$log"
tally "${PIPESTATUS[0]}" '^(test |     )?[a-z_]+ +\.\.\. ok|^ok [0-9]+ ' '\.\.\. FAILED|^not ok [0-9]+ '
if [ -f regression.diffs ]; then
	echo "== regression.diffs =="
	cat regression.diffs
fi

echo "== pgTAP (PostgreSQL $version) =="
suite=pgTAP
pg_prove --verbose --ext .sql test/pgtap/*.sql 2>&1 | tee "$log"
tally "${PIPESTATUS[0]}" '^ok [0-9]+' '^not ok [0-9]+'

# A suite that prints TAP: tap_suite SUITE HEADING COMMAND...
tap_suite() {
	suite=$1
	echo "== $2 (PostgreSQL $version) =="
	shift 2
	"$@" 2>&1 | tee "$log"
	tally "${PIPESTATUS[0]}" '^ok [0-9]+' '^not ok [0-9]+'
}
tap_suite concurrency "concurrency (pgbench)" test/shell/concurrency.sh
tap_suite "register locks" "register locks (two sessions holding locks)" test/shell/register_locks.sh
tap_suite "dump and restore" "dump and restore" test/shell/dump_restore.sh
tap_suite upgrade "upgrade 0.1.0 and 0.2.1 -> current" test/shell/upgrade.sh
tap_suite "BI readers" "BI readers across databases" test/shell/reader_roles.sh
tap_suite readme "README examples, run as written" test/shell/readme.sh
tap_suite "evidence files" "evidence files (rsvg-convert, sha256sum)" test/shell/evidence_files.sh
tap_suite "OSCAL schemas" "OSCAL schemas (python3-jsonschema)" test/shell/oscal.sh
tap_suite "three nodes" "three nodes (postgres_fdw, partitionwise aggregation)" test/shell/multinode.sh
# the fuzzers link the extension's C with PostgreSQL 15's headers, and the
# verdicts' calibration (28,001 simulated series, about 2 minutes) measures
# statistics that do not depend on the server's version: once is enough
if [ "$version" = 15 ]; then
	tap_suite calibration "calibration of the verdicts (simulated series)" test/shell/calibration.sh
	tap_suite fuzzing "fuzzing (libFuzzer, ${ISO27001_FUZZ_SECONDS:-60} s per harness)" \
		test/fuzz/run.sh "${ISO27001_FUZZ_SECONDS:-60}"
fi

if [ -n "$failures" ]; then
	echo "== failures (PostgreSQL $version) =="
	printf '%s' "$failures"
fi
echo "$passed passed, $failed failed" > "$totals"
[ "$failed" -eq 0 ]
