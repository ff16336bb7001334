#!/usr/bin/env bash
# Benchmark of the SoA register against an equivalent plain-text-column
# schema, in one run on one throwaway cluster:
#   - validation and coverage of 10,000 scopes x 93 entries, against one
#     sequential scan of the register and against the same queries over
#     the plain schema;
#   - the as-of query for one scope with 50 approved versions of history,
#     against reading that scope's current 93 rows from a plain table by
#     primary key.
# Medians of several runs, the statements compared run in turn; ratios
# measured in the same run.  Not a test.
#
#   bench/soa.sh [scopes] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
scopes=${1:-10000}
runs=${2:-5}

tools/setup.sh
pg_virtualenv -t -i "--encoding=UTF8 --locale=C.UTF-8" \
	psql -X -q -v ON_ERROR_STOP=1 -v scopes="$scopes" -v runs="$runs" \
	-f bench/soa.sql 2>&1 \
	| grep -v -e '^Creating new PostgreSQL cluster' -e '^Dropping cluster'
