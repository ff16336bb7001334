#!/usr/bin/env bash
# What the SoA history stores for evidence links (issue 15 item 6 b):
# n soa_add_evidence calls on one control, against a baseline measured in
# the same run, a plain append-only log of the same links (one row a link).
# Prints the history's rows, the links it stores (0.2.1 copied the entry's
# whole list in every row: n(n+1)/2 + n for n additions to a one-link
# entry; 0.2.2 stores an appended link alone, and the whole list again as
# it doubles),
# its size against the log's, and the median time of a call at the start
# and at the end of the run.  Not a test.
#
#   bench/history.sh [additions=2000]
set -euo pipefail
cd "$(dirname "$0")/.."
additions=${1:-2000}

if [ -n "${ISO27001_DESTDIR:-}" ]; then
	# a private install ("make install DESTDIR=..."), nothing system-wide
	ISO27001_SERVER_OPTS="-c extension_destdir=$ISO27001_DESTDIR ${ISO27001_SERVER_OPTS:-}" \
		tools/with_cluster.sh psql -X -q -v ON_ERROR_STOP=1 -v additions="$additions" \
		-f bench/history.sql 2>&1 | grep -v '^with_cluster: '
	exit
fi
tools/setup.sh
pg_virtualenv -t -i "--encoding=UTF8 --locale=C.UTF-8" \
	psql -X -q -v ON_ERROR_STOP=1 -v additions="$additions" \
	-f bench/history.sql 2>&1 \
	| grep -v -e '^Creating new PostgreSQL cluster' -e '^Dropping cluster'
