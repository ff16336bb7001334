#!/usr/bin/env bash
# The evidence pack and chart as an auditor receives them (run by
# tools/test.sh inside the throwaway cluster; prints TAP): the chart
# renders headless with rsvg-convert to an 800 x 450 image, and the pack's
# digest equals sha256sum of the observations exported with COPY.
set -uo pipefail
db=iso27001_evidence_files
work=$(mktemp -d)
trap 'rm -rf "$work"; dropdb --if-exists "$db" >/dev/null 2>&1' EXIT
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db"
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -c "$1"; }
. "$(dirname "$0")/../include/tap.sh"

echo "1..6"
q "CREATE EXTENSION iso27001;
   SELECT iso27001.create_scope('acme');
   INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, events, trials)
   SELECT 1, 'phishing_click_rate', '2025-01-06 00:00+00'::timestamptz + i * interval '7 days',
          round(60 - 0.4 * i + 6 * sin(i)), 400
     FROM generate_series(0, 103) i;
   INSERT INTO iso27001.behaviour_target VALUES (1, 'phishing_click_rate', 0.05, '2027-06-30');" >/dev/null

q "SELECT iso27001.evidence_chart('acme', 'phishing_click_rate')" > "$work/chart.svg"
check "rsvg-convert renders the chart" rsvg-convert -o "$work/chart.png" "$work/chart.svg"
size=$(od -An -tu1 -j16 -N8 "$work/chart.png" 2>/dev/null | awk '{print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8}')
check "the image is 800 x 450 (got ${size:-none})" test "$size" = "800x450"
check "and not blank (PNG of $(stat -c %s "$work/chart.png" 2>/dev/null) bytes)" \
	test "$(stat -c %s "$work/chart.png" 2>/dev/null || echo 0)" -gt 15000
# a broken chart must not render: the check can fail
sed 's/&amp;/\&/; s/<\/svg>$//' "$work/chart.svg" > "$work/broken.svg"
check "a truncated SVG does not render (the check can fail)" \
	bash -c "! rsvg-convert -o '$work/broken.png' '$work/broken.svg' 2>/dev/null"

q "COPY (SELECT * FROM iso27001.evidence_observations('acme', 'phishing_click_rate', '2025-01-01', '2026-12-31'))
   TO STDOUT (FORMAT csv, HEADER)" > "$work/observations.csv"
want=$(sha256sum < "$work/observations.csv" | cut -d' ' -f1)
got=$(q "SELECT iso27001.evidence_pack('acme', 'phishing_click_rate', '2025-01-01', '2026-12-31') ->> 'observations_sha256'")
check "the pack's digest is sha256sum of the COPY export ($want)" test "$got" = "$want"
check "the export holds the header and the 104 observations" test "$(wc -l < "$work/observations.csv")" -eq 105
