#!/usr/bin/env bash
# Run every test of iso27001: set up (apt, build, install), then on a
# throwaway PostgreSQL cluster the static checks (make lint), the
# pg_regress suite (make installcheck: test/regress/sql against expected/),
# the pgTAP suite (pg_prove test/pgtap/*.sql) and the shell harnesses of
# test/shell: concurrency (pgbench), dump/restore, the update paths,
# the evidence files (rsvg-convert, sha256sum), the OSCAL schema checks and
# a three-node run of the aggregates; then a short run of the fuzz
# harnesses (test/fuzz/run.sh, when clang is there).  Prints the regression
# diffs on a failure; the last line is the totals of all suites,
# "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" != "--inside" ]; then
	tools/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
	# Run the suites on a temporary cluster on the first free port from
	# 5432 (an existing cluster is never touched), then print their totals
	# as the very last line.
	totals=$(mktemp)
	pg_virtualenv -t -i "--encoding=UTF8 --locale=C.UTF-8" "$0" --inside "$totals"
	status=$?
	line=$(cat "$totals")
	rm -f "$totals"
	echo "${line:-0 passed, 1 failed}"
	[ "$status" -eq 0 ] && [ -n "$line" ]
	exit
fi

totals=$2
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# static checks: the install script's seed matches data/*.csv, and the
# control file, META.json and the script name agree on the version
echo "== static checks =="
if make -s lint; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+="static checks: make lint failed"$'\n'; fi

# Add a suite's passes and failures, counted in its output in "$log" with
# the two patterns given; a suite that failed without a failing test (it
# could not run, say) counts as one failure.
# The failing lines are kept, to be listed again before the totals.
failures=""
tally() {
	local status=$1 ok bad
	ok=$(grep -cE "$2" "$log")
	bad=$(grep -cE "$3" "$log")
	if [ "$bad" -gt 0 ]; then
		failures+="$suite: $(grep -E "$3" "$log" | tr '\n' ';')"$'\n'
	fi
	if [ "$status" -ne 0 ] && [ "$bad" -eq 0 ]; then
		bad=1
		failures+="$suite: exited with status $status without a failing test"$'\n'
	fi
	passed=$((passed + ok))
	failed=$((failed + bad))
}

echo "== pg_regress =="
suite=pg_regress
rm -rf results regression.diffs regression.out
make -s installcheck 2>&1 | tee "$log"
tally "${PIPESTATUS[0]}" '^(test |     )?[a-z_]+ +\.\.\. ok|^ok [0-9]+ ' '\.\.\. FAILED|^not ok [0-9]+ '
if [ -f regression.diffs ]; then
	echo "== regression.diffs =="
	cat regression.diffs
fi

echo "== pgTAP =="
suite=pgTAP
pg_prove --verbose --ext .sql test/pgtap/*.sql 2>&1 | tee "$log"
tally "${PIPESTATUS[0]}" '^ok [0-9]+' '^not ok [0-9]+'

# A suite that prints TAP: tap_suite SUITE HEADING COMMAND...
tap_suite() {
	suite=$1
	echo "== $2 =="
	shift 2
	"$@" 2>&1 | tee "$log"
	tally "${PIPESTATUS[0]}" '^ok [0-9]+' '^not ok [0-9]+'
}
tap_suite concurrency "concurrency (pgbench)" test/shell/concurrency.sh
tap_suite "dump and restore" "dump and restore" test/shell/dump_restore.sh
tap_suite upgrade "upgrade 0.1.0 -> current" test/shell/upgrade.sh
tap_suite "evidence files" "evidence files (rsvg-convert, sha256sum)" test/shell/evidence_files.sh
tap_suite "OSCAL schemas" "OSCAL schemas (python3-jsonschema)" test/shell/oscal.sh
tap_suite "three nodes" "three nodes (postgres_fdw, partitionwise aggregation)" test/shell/multinode.sh
tap_suite fuzzing "fuzzing (libFuzzer, 60 s per harness)" test/fuzz/run.sh "${ISO27001_FUZZ_SECONDS:-60}"

if [ -n "$failures" ]; then
	echo "== failures =="
	printf '%s' "$failures"
fi
echo "$passed passed, $failed failed" > "$totals"
[ "$failed" -eq 0 ]
