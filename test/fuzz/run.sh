#!/usr/bin/env bash
# Build the libFuzzer harnesses (clang, -fsanitize=fuzzer,address,undefined)
# and run each from its seed corpus; prints TAP, one line per harness.
#
#   test/fuzz/run.sh [seconds]         a run of so many seconds per harness (default 60)
#   test/fuzz/run.sh --runs N          N executions per harness (make fuzz-long: 10,000,000)
#
# A harness's findings (crash, leak, sanitizer report, a value that does not
# read back) are written to test/fuzz/findings/; each becomes a regression
# test.  Needs clang (Debian's clang package); without it, says so and skips.
set -uo pipefail
cd "$(dirname "$0")"
limit=(-max_total_time="${1:-60}")
label="${1:-60} s"
if [ "${1:-}" = "--runs" ]; then limit=(-runs="$2"); label="$2 runs"; fi

harnesses=(fuzz_parsers fuzz_text fuzz_binary)
if ! command -v clang >/dev/null; then
	echo "1..0 # SKIP clang is not installed (apt-get install clang)"
	exit 0
fi
pg_config=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
inc=$("$pg_config" --includedir-server)
# libpgcommon.a and libpgport.a: in pkglibdir on Debian, libdir upstream
lib=$("$pg_config" --pkglibdir)
[ -f "$lib/libpgcommon.a" ] || lib=$("$pg_config" --libdir)
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
flags=(-g -O1 -Wno-ignored-attributes -fsanitize=address,undefined -fno-sanitize-recover=undefined
	-I"$inc" -I../../src -I.)
src=(iso_control_parse soa_entry_parse iso_control soa_entry annex_a_set soa_census evidence_census trend_axis trend_stats trend_ols trend_rate trend_robust)
for f in "${src[@]}"; do
	clang "${flags[@]}" -fsanitize=fuzzer-no-link -c "../../src/$f.c" -o "$build/$f.o" || exit 1
done
clang "${flags[@]}" -c shim.c -o "$build/shim.o" && clang -g -c unreached.c -o "$build/unreached.o" || exit 1

echo "1..${#harnesses[@]}"
mkdir -p findings
n=0
for h in "${harnesses[@]}"; do
	n=$((n + 1))
	if ! clang "${flags[@]}" -fsanitize=fuzzer "$h.c" "$build"/*.o \
			"$lib/libpgcommon.a" "$lib/libpgport.a" -lm -o "$build/$h" 2> "$build/$h.link"; then
		echo "not ok $n - $h: does not build"
		sed 's/^/# /' "$build/$h.link" | head -20
		continue
	fi
	mkdir -p "$build/corpus-$h"
	"$build/$h" "${limit[@]}" -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
		-artifact_prefix="findings/$h-" "$build/corpus-$h" "corpus/$h" > "$build/$h.log" 2>&1
	status=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/$h.log")
	if [ "$status" -eq 0 ]; then
		echo "ok $n - $h: ${runs:-?} executions ($label), no crash, leak or sanitizer report"
	else
		echo "not ok $n - $h: finding after ${runs:-?} executions (see test/fuzz/findings/)"
		grep -E 'ERROR|SUMMARY|==[0-9]+==' "$build/$h.log" | head -10 | sed 's/^/# /'
	fi
done
