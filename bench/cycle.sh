#!/usr/bin/env bash
# Benchmark of the certification-cycle functions against plain SQL, in one
# run on one throwaway cluster:
#   - the two-cycle schedule of every certificate of a table (joined
#     laterally to certification_cycle), against generate_series producing
#     the same number of rows with the same month arithmetic;
#   - certification_cycle_check over one audit history per certificate,
#     against plain SQL checking the 12-month and calendar-year rules.
# Medians of several runs; ratios measured in the same run.  Not a test.
#
#   bench/cycle.sh [certificates] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
certificates=${1:-1000000}
runs=${2:-3}

tools/setup.sh
pg_virtualenv -t -i "--encoding=UTF8 --locale=C.UTF-8" \
	psql -X -q -v ON_ERROR_STOP=1 -v certificates="$certificates" -v runs="$runs" \
	-f bench/cycle.sql 2>&1 \
	| grep -v -e '^Creating new PostgreSQL cluster' -e '^Dropping cluster'
