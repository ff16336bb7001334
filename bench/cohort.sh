#!/usr/bin/env bash
# Benchmark of cohorts and difficulty (issue 14 item 4), in one run on one
# throwaway cluster: the BI view iso27001_bi.behaviour_trend
#   - on observations loaded without cohort or difficulty (as in 0.2.1)
#     against the view's 0.2.1 query over the same rows: what the cohort
#     machinery costs a scope that does not use it;
#   - on the same campaigns split into 4 cohorts, each campaign one of 2
#     difficulty levels (5 trend rows a scope: the whole scope and each
#     cohort, each with its adjusted trend), against the 0.2.1 query over
#     the unsplit rows: what the breakdown costs;
# and trend_adjusted() of one scope against trend_report() of its plain
# rate trend.  Medians of several runs, interleaved; ratios measured in
# the same run.  Not a test.
#
#   bench/cohort.sh [scopes] [runs]
#
# With ISO27001_DESTDIR set, the extension is read from a private install
# ("make install DESTDIR=$ISO27001_DESTDIR", Debian's extension_destdir) by
# a throwaway cluster of tools/with_cluster.sh, and nothing is installed
# into the system's PostgreSQL (PG_CONFIG chooses the version).
set -euo pipefail
cd "$(dirname "$0")/.."
scopes=${1:-2000}
runs=${2:-5}

if [ -n "${ISO27001_DESTDIR:-}" ]; then
	ISO27001_SERVER_OPTS="-c extension_destdir=$ISO27001_DESTDIR ${ISO27001_SERVER_OPTS:-}" \
		tools/with_cluster.sh psql -X -q -v ON_ERROR_STOP=1 -v scopes="$scopes" -v runs="$runs" \
		-f bench/cohort.sql 2>&1 | grep -v '^with_cluster: '
else
	tools/setup.sh
	pg_virtualenv -t -i "--encoding=UTF8 --locale=C.UTF-8" \
		psql -X -q -v ON_ERROR_STOP=1 -v scopes="$scopes" -v runs="$runs" \
		-f bench/cohort.sql 2>&1 \
		| grep -v -e '^Creating new PostgreSQL cluster' -e '^Dropping cluster'
fi
