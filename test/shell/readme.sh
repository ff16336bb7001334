#!/usr/bin/env bash
# Every SQL example of README.md, run as written in a fresh database, prints
# what the README shows: the Synopsis with the default search_path, then the
# interface sections' blocks and example tables in order (run by
# tools/test.sh inside the throwaway cluster; prints TAP).
# test/fixtures/readme_examples.py says how the README writes results.
set -uo pipefail
cd "$(dirname "$0")/../.."
db=iso27001_readme
roles="grc_app, metabase, auditor_cb"
work=$(mktemp -d)
cleanup() {
	dropdb --if-exists "$db" >/dev/null 2>&1
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS $roles" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
cleanup
work=$(mktemp -d)
createdb "$db"
python3 test/fixtures/readme_examples.py "${ISO27001_README:-README.md}" "$db" "$work"
