#!/usr/bin/env bash
# The iso27001 demo: set up (apt, build, install), start a throwaway
# PostgreSQL cluster (on the first free port from 5432, so an existing
# cluster is never touched), CREATE EXTENSION iso27001 and show what it
# does, reading tools/demo.sql top to bottom.  The cluster is removed at
# the end; the files the demo writes (evidence pack, SVG chart, OSCAL SSP)
# stay in $ISO27001_DEMO_DIR, by default a new directory under /tmp.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/setup.sh
# the evidence pack, chart and OSCAL document are written here, and kept
outdir=${ISO27001_DEMO_DIR:-$(mktemp -d /tmp/iso27001-demo.XXXXXX)}
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
pg_virtualenv -t -i "--encoding=UTF8 --locale=C.UTF-8" psql -X -q -v ON_ERROR_STOP=1 -v outdir="$outdir" --pset=footer=off -f tools/demo.sql 2>&1 \
	| grep -v -e '^Creating new PostgreSQL cluster' -e '^Dropping cluster'
