#!/usr/bin/env bash
# Benchmark of the BI views and the evidence pack against the queries
# under them written by hand in plain SQL, in one run on one throwaway
# cluster:
#   - iso27001_bi.certification_calendar over 10,000 certified scopes;
#   - iso27001_bi.soa_coverage_by_theme over 10,000 scopes x 93 entries;
#   - evidence_pack over one scope with 5 years of weekly campaigns.
# Every column of every row is produced on both sides.  Medians of several
# runs; ratios measured in the same run.  Not a test.
#
#   bench/bi.sh [scopes] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
scopes=${1:-10000}
runs=${2:-5}

tools/setup.sh
pg_virtualenv -t -i "--encoding=UTF8 --locale=C.UTF-8" \
	psql -X -q -v ON_ERROR_STOP=1 -v scopes="$scopes" -v runs="$runs" \
	-f bench/bi.sql 2>&1 \
	| grep -v -e '^Creating new PostgreSQL cluster' -e '^Dropping cluster'
