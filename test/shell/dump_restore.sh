#!/usr/bin/env bash
# Dump and restore of the user data (run by tools/test.sh inside the
# throwaway cluster; prints TAP).  A database with scopes, decisions,
# organization-defined controls, history, approved versions, a migration,
# a certificate with its audits, behaviour observations, a target, a
# metric of its own, an internal audit programme, an audit and its
# finding is dumped (plain and custom format) and restored into
# fresh databases: every row comes back as it was, the reference tables
# and built-in metrics come from CREATE EXTENSION only, and the register
# keeps working.
set -uo pipefail
src=iso27001_dump_src
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for db in "$src" "${src}_plain" "${src}_custom"; do dropdb --if-exists "$db" >/dev/null 2>&1; done
q() { PGOPTIONS="-c search_path=public,iso27001" psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

createdb "$src"
q "$src" "CREATE EXTENSION iso27001;
  SELECT create_scope('acme');
  UPDATE soa_register SET entry = 'applicable, implemented (legal)', justification = 'Initial.',
		 evidence = ARRAY['https://e/' || control_key];
  SELECT soa_set_custom('acme', 'ORG-1', 'Phishing simulation', 'applicable, planned (risk treatment)', 'Risk R-12.');
  SELECT soa_approve('acme', 'Jane Doe');
  SELECT soa_set('acme', '7.4', 'excluded', 'No premises.');
  SELECT soa_remove_custom('acme', 'ORG-1');
  SELECT soa_approve('acme', 'Jane Doe');
  SELECT create_scope('legacy', 2013);
  UPDATE soa_register SET entry = 'applicable, implemented (legal)', justification = 'Legacy.'
   WHERE scope_id = soa_scope_id('legacy');
  SELECT count(*) FROM soa_migrate_2013_to_2022('legacy', 'legacy-2022');
  INSERT INTO certificate VALUES (soa_scope_id('acme'), '2025-03-14', 'C-1', 'Example CB', 2022, 'first');
  INSERT INTO certification_audit VALUES (soa_scope_id('acme'), 'stage2', '2025-02-20', NULL),
		 (soa_scope_id('acme'), 'surveillance', '2026-03-30', 'two weeks late');
  INSERT INTO behaviour_metric (metric, name, description, kind, better, unit, control)
  VALUES ('usb_block_rate', 'Blocked USB devices', 'share of USB insertions blocked', 'rate', 'higher', 'share', 'A.7.10');
  INSERT INTO behaviour_observation (scope_id, metric, observed_at, events, trials)
  SELECT soa_scope_id('acme'), 'phishing_click_rate', '2025-01-06'::timestamptz + i * interval '7 days', 20 - i, 100
	FROM generate_series(0, 9) i;
  INSERT INTO behaviour_observation (scope_id, metric, observed_at, value)
  VALUES (soa_scope_id('acme'), 'time_to_report_hours', '2025-01-06', 1.5e-3);
  INSERT INTO behaviour_target VALUES (soa_scope_id('acme'), 'phishing_click_rate', 0.05, '2026-12-31', NULL);
  INSERT INTO internal_audit_programme (scope_id, programme_id) VALUES (soa_scope_id('acme'), 'IAP-2025');
  INSERT INTO internal_audit (scope_id, audit_id, planned_on, held_on, auditor, clauses, controls)
  VALUES (soa_scope_id('acme'), 'IA-1', '2025-06-01', '2025-06-02', 'Bob', '{4,9.2}', '{A.5.1,A.8.8}');
  INSERT INTO nonconformity (scope_id, nc_id, source, grade, clause, description, raised_on, internal_audit_id)
  VALUES (soa_scope_id('acme'), 'NC-1', 'internal_audit', 'minor', '9.2.2', 'No audit criteria.', '2025-06-03', 'IA-1');
  INSERT INTO management_review (scope_id, review_id, held_on, chair, attendees, issues_changes)
  VALUES (soa_scope_id('acme'), 'MR-2025', '2025-11-20', 'CEO', '{CEO,CISO}', 'A second cloud provider.');
  INSERT INTO management_review_action (scope_id, review_id, action_id, kind, action, owner, due_date)
  VALUES (soa_scope_id('acme'), 'MR-2025', '1', 'resource_need', 'A second analyst.', 'CFO', '2026-03-31');
  INSERT INTO evidence (scope_id, control_keys, uri, title, collected_at, recurrence, owner, sha256)
  VALUES (soa_scope_id('acme'), '{A.5.15,A.5.18}', 'https://e/access-review', 'Access review', '2026-01-01 10:00+00',
		  '90 days', 'IAM lead', decode(repeat('ab', 32), 'hex'));
  INSERT INTO evidence_requirement VALUES (soa_scope_id('acme'), 'A.8.8', 'CB request');
  CREATE TABLE public.kept (id int PRIMARY KEY, control iso_control, entry soa_entry,
						   ols trend_ols, rate trend_rate, robust trend_robust, events certification_event[]);
  INSERT INTO public.kept
  SELECT 1, 'A.12.6.1', 'applicable, partially implemented (legal, contractual)',
		 (SELECT trend_ols_agg(y, t) FROM (VALUES (1.0, '2025-01-01'::timestamptz), (2.0, '2025-02-01'), (3.5, '2025-03-01')) v(y, t)),
		 (SELECT trend_rate_agg(e, 10, x) FROM (VALUES (5::bigint, 1.0), (4, 2.0), (2, 3.0)) v(e, x)),
		 (SELECT trend_robust_agg(y, x) FROM (VALUES (1.0, 1.0), (2.0, 2.5), (3.0, 2.9)) v(y, x)),
		 '{\"(surveillance,2026-03-30)\",\"(stage2,2025-02-20)\"}'::certification_event[]
  UNION ALL SELECT 2, NULL, NULL, NULL, NULL, NULL, '{}';" >/dev/null

pg_dump -d "$src" -f "$work/plain.sql"
pg_dump -d "$src" -Fc -f "$work/custom.dump"
createdb "${src}_plain"
psql -X -q -v ON_ERROR_STOP=1 -d "${src}_plain" -f "$work/plain.sql" > "$work/plain.log" 2>&1
plain_status=$?
createdb "${src}_custom"
pg_restore -d "${src}_custom" "$work/custom.dump" > "$work/custom.log" 2>&1
custom_status=$?

echo "1..26"
n=0
bad=0
result() {		# result <ok?> <description>
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; bad=$((bad + 1)); fi
}
result "$plain_status" "a plain dump restores without error"
[ "$plain_status" = 0 ] || sed 's/^/# /' "$work/plain.log" | head -20
result "$custom_status" "a custom-format dump restores without error"
[ "$custom_status" = 0 ] || sed 's/^/# /' "$work/custom.log" | head -20

# every table of the register, row by row, in both restored databases
for table in soa_scope soa_register soa_history soa_version soa_version_entry \
	certificate certification_audit behaviour_metric behaviour_observation behaviour_target \
	internal_audit_programme internal_audit nonconformity management_review management_review_action \
	evidence evidence_requirement; do
	q "$src" "COPY (SELECT * FROM iso27001.$table ORDER BY 1, 2, 3) TO STDOUT" > "$work/$table.src"
	same=0
	for db in "${src}_plain" "${src}_custom"; do
		q "$db" "COPY (SELECT * FROM iso27001.$table ORDER BY 1, 2, 3) TO STDOUT" > "$work/$table.dst"
		cmp -s "$work/$table.src" "$work/$table.dst" || same=1
	done
	[ -s "$work/$table.src" ] || same=1
	result "$same" "$table: every row identical after both restores ($(wc -l < "$work/$table.src") rows)"
done

q "$src" "COPY (SELECT * FROM public.kept ORDER BY id) TO STDOUT" > "$work/kept.src"
same=0
for db in "${src}_plain" "${src}_custom"; do
	q "$db" "COPY (SELECT * FROM public.kept ORDER BY id) TO STDOUT" > "$work/kept.dst"
	cmp -s "$work/kept.src" "$work/kept.dst" || same=1
done
result "$same" "a table of every type (iso_control, soa_entry, the three trend states, certification_event[]) identical (text forms exact: shortest round-trip numbers)"

for db in "${src}_plain" "${src}_custom"; do
	counts=$(q "$db" "SELECT (SELECT count(*) FROM iso27001.annex_a_2022) || ' ' ||
						  (SELECT count(*) FROM iso27001.annex_a_2013) || ' ' ||
						  (SELECT count(*) FROM iso27001.correspondence) || ' ' ||
						  (SELECT count(*) FROM iso27001.behaviour_metric)")
	[ "$counts" = "93 114 115 10" ]
	result $? "${db#"${src}_"} restore: reference data and built-in metrics once, the user's metric kept (93 114 115 10: $counts)"
done

for db in "${src}_plain" "${src}_custom"; do
	out=$(q "$db" "SELECT (soa_set('acme', '5.7', 'applicable, planned (risk treatment)', 'Feed ordered.')).entry;
				  SELECT soa_approve('acme', 'Jane Doe');
				  SELECT create_scope('after-restore') > (SELECT max(scope_id) FROM soa_scope WHERE name <> 'after-restore');
				  SELECT count(*) FROM soa_diff('acme', 2, 3)" 2>&1 | tr '\n' ' ')
	[ "$out" = "applicable, planned (risk treatment) 3 t 1 " ]
	result $? "${db#"${src}_"} restore: the register keeps working (change, version 3, new scope id: $out)"
done

# the evidence records' identity goes on after the restored rows, and a
# link added after the restore is recorded
last=$(q "$src" "SELECT max(evidence_id) FROM evidence")
for db in "${src}_plain" "${src}_custom"; do
	out=$(q "$db" "SELECT soa_add_evidence('acme', 'A.5.1', 'https://e/after-restore') IS NOT NULL;
				  SELECT evidence_id - $last, control_keys FROM evidence WHERE uri = 'https://e/after-restore'" 2>&1 | tr '\n' ' ')
	[ "$out" = "t 1|{A.5.1} " ]
	result $? "${db#"${src}_"} restore: a link added after it is recorded as the next evidence record ($out)"
done

for db in "$src" "${src}_plain" "${src}_custom"; do dropdb "$db" >/dev/null 2>&1; done
[ "$bad" -eq 0 ]
