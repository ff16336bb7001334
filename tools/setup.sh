#!/usr/bin/env bash
# Set up everything the demo and the tests need on Debian 12: install the
# missing packages with apt (through sudo when not root), then build and
# install the extension.  Safe to run again: it only installs what is
# missing and rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ]; then
	sudo=()
elif command -v sudo >/dev/null; then
	sudo=(sudo)
else
	echo "setup: not root and no sudo: cannot install packages or the extension" >&2
	exit 1
fi

# PostgreSQL 15 server and headers, pgTAP, pg_prove, a C toolchain; for
# the evidence tests an SVG renderer and a JSON Schema validator; clang
# for the fuzz harnesses
. tools/apt.sh
apt_install setup make gcc libc6-dev perl postgresql-15 postgresql-server-dev-15 \
	postgresql-common postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl \
	librsvg2-bin python3 python3-jsonschema python3-regex clang

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
make -s PG_CONFIG="$PG_CONFIG"
"${sudo[@]}" make -s install PG_CONFIG="$PG_CONFIG" >/dev/null
