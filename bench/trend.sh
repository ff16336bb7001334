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
# Medians of several runs; ratios measured in the same run.  Not a test.
#
#   bench/trend.sh [rows] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-10000000}
runs=${2:-3}

tools/setup.sh
pg_virtualenv -t -i "--encoding=UTF8 --locale=C.UTF-8" \
	psql -X -q -v ON_ERROR_STOP=1 -v rows="$rows" -v runs="$runs" \
	-f bench/trend.sql 2>&1 \
	| grep -v -e '^Creating new PostgreSQL cluster' -e '^Dropping cluster'
