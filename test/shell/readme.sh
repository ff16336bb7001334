#!/usr/bin/env bash
# The README's Synopsis, run as written in a fresh database with the
# default search_path, prints what the README shows (run by tools/test.sh
# inside the throwaway cluster; prints TAP).  test/fixtures/readme_examples.py
# says how the README writes results.
set -uo pipefail
cd "$(dirname "$0")/../.."
db=iso27001_readme
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db"
python3 test/fixtures/readme_examples.py README.md "$db"
rc=$?
dropdb --if-exists "$db" >/dev/null 2>&1
exit $rc
