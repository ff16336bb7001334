#!/usr/bin/env bash
# Benchmark of the iso_control type against int4 and against text sorted
# in natural order the way users do it without the extension
# (ORDER BY string_to_array(ltrim(id, 'A.'), '.')::int[]).
#
# One run, one throwaway cluster, the same 1,000,000 rows for every type:
# parse-from-text time, ORDER BY time (median of several runs, in memory,
# no parallel workers) and B-tree index size, with ratios to int4 measured
# in the same run.  Not a test: the figures vary with the machine.
#
#   bench/iso_control.sh [rows] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
runs=${2:-5}

tools/setup.sh
pg_virtualenv -t -i "--encoding=UTF8 --locale=C.UTF-8" psql -X -q -v ON_ERROR_STOP=1 -v rows="$rows" -v runs="$runs" \
	-f bench/iso_control.sql 2>&1 \
	| grep -v -e '^Creating new PostgreSQL cluster' -e '^Dropping cluster'
