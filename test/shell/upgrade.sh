#!/usr/bin/env bash
# The update paths (run by tools/test.sh inside the throwaway cluster;
# prints TAP).  From each released version that has a script of its own
# (0.1.0, the first, and 0.2.1, the last before the install script was
# built from sql/*.sql): a database installs it, fills it (scopes,
# decisions, versions, and a table of its own using every type), and
# updates to the current version with ALTER EXTENSION ... UPDATE, with a
# trap planted in schema public; its objects must then be identical,
# definition by definition, to a fresh install of the current version, its
# data unchanged, the trap never sprung, and the new version working.
set -uo pipefail
cd "$(dirname "$0")/../.."
olds=(0.1.0 0.2.1)
new=$(sed -n "s/^default_version = '\(.*\)'/\1/p" iso27001.control)
db_up=iso27001_upgrade_updated
db_fresh=iso27001_upgrade_fresh
work=$(mktemp -d)
trap 'rm -rf "$work"; for db in "$db_up" "$db_fresh"; do dropdb --if-exists "$db" >/dev/null 2>&1; done' EXIT
q() { PGOPTIONS="-c search_path=public,iso27001 -c client_min_messages=warning" psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
. test/include/tap.sh
# 11 checks from each version, 3 more on a trend_rate column of one's own,
# 2 more on the behaviour observations of 0.2.1, 1 on its certificate, 1 on
# its evidence links, 1 on the risk register's grants
echo "1..$((11 * ${#olds[@]} + 8))"

for old in "${olds[@]}"; do
for db in "$db_up" "$db_fresh"; do dropdb --if-exists "$db" >/dev/null 2>&1; createdb "$db"; done

q "$db_up" "CREATE SCHEMA iso27001; CREATE EXTENSION iso27001 VERSION '$old' SCHEMA iso27001;
  SELECT create_scope('acme');
  UPDATE soa_register SET entry = 'applicable, implemented (legal)', justification = 'RA-1.';
  SELECT soa_approve('acme', 'Jane Doe');
  SELECT soa_set('acme', '7.4', 'excluded', 'No premises.');
  CREATE TABLE public.kept (id int PRIMARY KEY, control iso_control, entry soa_entry,
                            ols trend_ols, rate trend_rate, robust trend_robust,
                            events certification_event[]);
  INSERT INTO public.kept
  SELECT 1, 'A.5.7', 'applicable, planned (risk treatment)',
         (SELECT trend_ols_agg(y, x) FROM (VALUES (1.0, 1.0), (2.0, 2.5), (3.0, 2.9)) v(y, x)),
         (SELECT trend_rate_agg(e, 10, x) FROM (VALUES (5::bigint, 1.0), (4, 2.0), (2, 3.0)) v(e, x)),
         (SELECT trend_robust_agg(y, x) FROM (VALUES (1.0, 1.0), (2.0, 2.5), (3.0, 2.9)) v(y, x)),
         '{\"(surveillance,2026-03-30)\"}';" >/dev/null
q "$db_up" "COPY (SELECT * FROM public.kept) TO STDOUT" > "$work/kept.before"
# behaviour observations (a table since 0.2.0): cohort and difficulty
# join the primary key in 0.2.2, and the rows must survive as the whole
# scope's, with no difficulty
observations="COPY (SELECT scope_id, metric, observed_at, events, trials, value FROM behaviour_observation ORDER BY 1, 2, 3) TO STDOUT"
if [ "$old" = 0.2.1 ]; then
	q "$db_up" "INSERT INTO behaviour_observation (scope_id, metric, observed_at, events, trials)
	  SELECT soa_scope_id('acme'), 'phishing_click_rate', '2025-01-06 00:00+00'::timestamptz + i * interval '7 days', 20 - i, 100
	    FROM generate_series(0, 9) i;
	  INSERT INTO behaviour_observation (scope_id, metric, observed_at, value)
	  VALUES (soa_scope_id('acme'), 'time_to_report_hours', '2025-01-06 00:00+00', 20);
	  INSERT INTO certificate (scope_id, certification_decision, certificate_number, certification_body)
	  VALUES (soa_scope_id('acme'), '2024-05-02', 'C-1', 'Example CB');" >/dev/null
	q "$db_up" "$observations" > "$work/observations.before"
	# evidence links added at two times, then the entry changed again: the
	# update records each as collected when it was added, valid a year
	ev_time="SELECT changed_at FROM soa_register WHERE scope_id = soa_scope_id('acme') AND control_key = 'A.5.1'"
	q "$db_up" "SELECT soa_add_evidence('acme', 'A.5.1', 'https://evidence.example/policy.pdf')" >/dev/null
	ev_t1=$(q "$db_up" "$ev_time")
	sleep 1
	q "$db_up" "SELECT soa_add_evidence('acme', 'A.5.1', 'https://evidence.example/review.pdf')" >/dev/null
	ev_t2=$(q "$db_up" "$ev_time")
	sleep 1
	q "$db_up" "SELECT soa_set('acme', 'A.5.1', 'applicable, implemented (legal)', 'RA-1.', owner => 'CISO')" >/dev/null
	ev_expected="A.5.1 https://evidence.example/policy.pdf $ev_t1 $(date -u -d "${ev_t1%+00} UTC + 1 year" +%F) 1 year CISO|A.5.1 https://evidence.example/review.pdf $ev_t2 $(date -u -d "${ev_t2%+00} UTC + 1 year" +%F) 1 year CISO|"
fi
q "$db_up" "COPY (SELECT scope_id, control_key, entry, justification, changed_at FROM soa_register ORDER BY 1, 2) TO STDOUT" > "$work/register.before"

# the trap of test/pgtap/script_security.sql, in short: planted in public, logging
q "$db_up" "CREATE TABLE public.hostile_log (called text);
  CREATE FUNCTION public.lower(text) RETURNS text LANGUAGE sql AS \$\$ INSERT INTO public.hostile_log VALUES ('lower') RETURNING 'x' \$\$;
  CREATE FUNCTION public.format(text) RETURNS text LANGUAGE sql AS \$\$ INSERT INTO public.hostile_log VALUES ('format') RETURNING 'x' \$\$;
  CREATE FUNCTION public.array_to_string(anyarray, text) RETURNS text LANGUAGE sql AS \$\$ INSERT INTO public.hostile_log VALUES ('array_to_string') RETURNING 'x' \$\$;
  CREATE FUNCTION public.hostile_eq(text, text) RETURNS boolean LANGUAGE sql AS \$\$ INSERT INTO public.hostile_log VALUES ('=') RETURNING true \$\$;
  CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = text, PROCEDURE = public.hostile_eq);"
PGOPTIONS="-c search_path=public,pg_catalog" psql -X -q -At -v ON_ERROR_STOP=1 -d "$db_up" \
	-c "ALTER EXTENSION iso27001 UPDATE TO '$new'" > "$work/update.log" 2>&1
check "ALTER EXTENSION iso27001 UPDATE TO '$new' from $old" bash -c "cat '$work/update.log'; [ \"\$(psql -X -At -d $db_up -c \"SELECT extversion FROM pg_extension WHERE extname = 'iso27001'\")\" = '$new' ]"
check "the update from $old ran none of the objects planted in public, though public came first" \
	test "$(q "$db_up" "SELECT count(*) FROM public.hostile_log")" = 0
q "$db_up" "DROP OPERATOR public.= (text, text); DROP FUNCTION public.hostile_eq(text, text), public.lower(text), public.format(text), public.array_to_string(anyarray, text); DROP TABLE public.hostile_log"

q "$db_fresh" "CREATE EXTENSION iso27001"
metrics="SELECT metric, name, description, kind, better, unit, control, min_effect FROM behaviour_metric WHERE builtin ORDER BY metric"
check "the built-in metrics after the update from $old are a fresh install's ($(q "$db_fresh" "SELECT count(*) FROM behaviour_metric WHERE builtin"))" \
	diff <(q "$db_up" "$metrics") <(q "$db_fresh" "$metrics")
q "$db_up" "$(cat test/include/inventory.sql)" > "$work/updated.txt"
q "$db_fresh" "$(cat test/include/inventory.sql)" > "$work/fresh.txt"
check "updated from $old and fresh installs have the same $(wc -l < "$work/fresh.txt") object definitions" diff "$work/updated.txt" "$work/fresh.txt"
# the comparison can fail: an object the update would have missed is seen
q "$db_fresh" "COMMENT ON FUNCTION iso27001.sort_key(iso27001.iso_control) IS 'changed'"
q "$db_fresh" "$(cat test/include/inventory.sql)" > "$work/fresh2.txt"
check "a changed comment shows in the comparison (the check can fail)" bash -c "! diff -q '$work/updated.txt' '$work/fresh2.txt'"

q "$db_up" "COPY (SELECT * FROM public.kept) TO STDOUT" > "$work/kept.after"
q "$db_up" "COPY (SELECT scope_id, control_key, entry, justification, changed_at FROM soa_register ORDER BY 1, 2) TO STDOUT" > "$work/register.after"
check "a table of every type is unchanged by the update from $old" cmp "$work/kept.before" "$work/kept.after"
check "the register is unchanged by the update from $old ($(wc -l < "$work/register.after") rows)" cmp "$work/register.before" "$work/register.after"
if [ "$old" = 0.2.1 ]; then
	check "the behaviour observations are unchanged by the update from $old ($(wc -l < "$work/observations.before") rows)" \
		cmp "$work/observations.before" <(q "$db_up" "$observations")
	check "after the update from $old they are the whole scope's with no difficulty, the columns in a fresh install's order, and a second template at the same time is a new row" \
		test "$(q "$db_up" "SELECT count(*) FILTER (WHERE cohort = '' AND difficulty = '') FROM behaviour_observation;
			SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute
			 WHERE attrelid = 'behaviour_observation'::regclass AND attnum > 0 AND NOT attisdropped;
			INSERT INTO behaviour_observation (scope_id, metric, observed_at, events, trials, difficulty)
			VALUES (soa_scope_id('acme'), 'phishing_click_rate', '2025-01-06 00:00+00', 7, 50, 'hard');
			SELECT n FROM iso27001_bi.behaviour_trend WHERE scope = 'acme' AND metric = 'phishing_click_rate' AND cohort = ''" | tr '\n' ' ')" = "11 $(q "$db_fresh" "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute
			 WHERE attrelid = 'behaviour_observation'::regclass AND attnum > 0 AND NOT attisdropped") 11 "
	check "the evidence links of 0.2.1 are evidence records after the update, collected when the history shows them added ($ev_t1, $ev_t2), valid a year" \
		test "$(q "$db_up" "SELECT format('%s %s %s %s %s %s', array_to_string(control_keys, ','), uri, collected_at, valid_until, recurrence, owner)
			  FROM evidence ORDER BY evidence_id" | tr '\n' '|')" = "$ev_expected"
	check "the certificate of 0.2.1 is in force with its issue as the first event of its history, and the history goes on" \
		test "$(q "$db_up" "SELECT withdrawn_on IS NULL FROM certificate;
			SELECT format('%s %s %s %s %s', seq, kind, on_date, certificate_number, certification_body) FROM certificate_event;
			SELECT certificate_record('acme', 'reissued', '2025-01-10', 'C-1b');
			SELECT certificate_status FROM iso27001_bi.scope WHERE scope = 'acme'" | tr '\n' ' ')" = "t 1 issued 2024-05-02 C-1 Example CB 2 in force "
fi
check "the updated database from $old works: version 2, the BI views, an OSCAL SSP" \
	test "$(q "$db_up" "SELECT soa_approve('acme', 'Jane Doe');
		SELECT count(*) FROM iso27001_bi.soa_entry WHERE scope = 'acme';
		SELECT jsonb_array_length(oscal_ssp('acme', 2) -> 'system-security-plan' -> 'control-implementation' -> 'implemented-requirements')" | tr '\n' ' ')" = "2 93 93 "
# the default search_path ("$user", public): the operators moved to public
check "after the update from $old, with the default search_path: =, IN, < and min of controls, = of decisions" \
	test "$(psql -X -q -At -d "$db_up" -c "SELECT count(*) FROM iso27001.soa_register
		 WHERE control = 'A.5.7' OR control IN ('A.8.8', '6.3') OR (control < 'A.5.3' AND entry = 'applicable, implemented (legal)');
		SELECT min(control) FROM iso27001.annex_a_2022" | tr '\n' ' ')" = "5 A.5.1 "
# pg_dump writes CREATE EXTENSION iso27001 WITH SCHEMA iso27001 for it
rm -f "$work/dump.sql"; pg_dump -d "$db_up" -f "$work/dump.sql"
dropdb --if-exists iso27001_upgrade_restored >/dev/null 2>&1; createdb iso27001_upgrade_restored
check "a dump of the database updated from $old restores, with the operators in public again and the same definitions" \
	bash -c "psql -X -q -v ON_ERROR_STOP=1 -d iso27001_upgrade_restored -f '$work/dump.sql' > '$work/restore.log' 2>&1 || { cat '$work/restore.log'; exit 1; }
		diff <(PGOPTIONS='-c search_path=public,iso27001' psql -X -q -At -d iso27001_upgrade_restored -c \"\$(cat test/include/inventory.sql)\") '$work/updated.txt' &&
		test \"\$(psql -X -q -At -d iso27001_upgrade_restored -c \"SELECT count(*) FROM iso27001.soa_register WHERE control = 'A.5.7'\")\" = 1"
dropdb --if-exists iso27001_upgrade_restored >/dev/null 2>&1
# 3 rows of 10 trials at x = 1, 2, 3: mean x 2, Sxx = 10 (1 + 0 + 1) = 20
check "the rate column of one's own table from $old is the new trend_rate and rolls up (3 rows, Sxx 20)" \
	test "$(q "$db_up" "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'public.kept'::regclass AND attname = 'rate';
		SELECT n(rollup(rate)) FROM (SELECT rate FROM public.kept UNION ALL SELECT trend_rate_agg(1, 10, 4.0)) q;
		SELECT round((slope(rate) / slope_stderr(rate))::numeric, 6) IS NULL FROM public.kept" | tr '\n' ' ')" = "trend_rate 4 t "
done

# A view of one's own over a column of the old trend_rate stops the update,
# which then changes nothing; without it the update goes through
db=iso27001_upgrade_blocked
dropdb --if-exists "$db" >/dev/null 2>&1; createdb "$db"
q "$db" "CREATE SCHEMA iso27001; CREATE EXTENSION iso27001 VERSION '0.2.1' SCHEMA iso27001;
  CREATE TABLE public.states (s trend_rate);
  INSERT INTO public.states SELECT trend_rate_agg(e, 10, x) FROM (VALUES (5::bigint, 1.0), (4, 2.0)) v(e, x);
  CREATE VIEW public.state_text AS SELECT s::text AS t FROM public.states" >/dev/null
check "a view of one's own over an old trend_rate column stops the update with an error naming it" bash -c \
	"! psql -X -q -d $db -c \"ALTER EXTENSION iso27001 UPDATE TO '$new'\" 2>'$work/blocked.log'; cat '$work/blocked.log'; grep -q 'state_text' '$work/blocked.log'"
check "the failed update changed nothing (0.2.1, the column and the view as they were)" \
	test "$(q "$db" "SELECT extversion FROM pg_extension WHERE extname = 'iso27001';
		SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'public.states'::regclass AND attname = 's';
		SELECT count(*) FROM public.state_text" | tr '\n' ' ')" = "0.2.1 trend_rate 1 "
check "without the view the update goes through and keeps the state's text" \
	bash -c "before=\$(psql -X -At -d $db -c 'SELECT s::text FROM public.states');
		psql -X -q -d $db -c 'DROP VIEW public.state_text' -c \"ALTER EXTENSION iso27001 UPDATE TO '$new'\" &&
		[ \"\$(psql -X -At -d $db -c 'SELECT s::text FROM public.states')\" = \"\$before\" ]"
dropdb --if-exists "$db" >/dev/null 2>&1

# A GRC application's role that read the register before the update reads
# the risk register after it, so that its exports, which now read the
# risks, keep working
db=iso27001_upgrade_grants
dropdb --if-exists "$db" >/dev/null 2>&1; createdb "$db"
q "$db" "CREATE SCHEMA iso27001; CREATE EXTENSION iso27001 VERSION '0.2.1' SCHEMA iso27001;
  SELECT create_scope('acme');
  DROP ROLE IF EXISTS iso27001_upgrade_app; CREATE ROLE iso27001_upgrade_app;
  GRANT USAGE ON SCHEMA iso27001 TO iso27001_upgrade_app;
  GRANT SELECT ON soa_scope, soa_register, soa_history, soa_version, soa_version_entry TO iso27001_upgrade_app;
  ALTER EXTENSION iso27001 UPDATE TO '$new'" >/dev/null
check "a role that read the register of 0.2.1 reads the risk register after the update, and soa_export_json runs for it" \
	test "$(q "$db" "SET ROLE iso27001_upgrade_app;
		SELECT has_table_privilege('iso27001.risk', 'SELECT') AND has_table_privilege('iso27001.risk_scale', 'SELECT')
		   AND NOT has_table_privilege('iso27001.risk', 'INSERT');
		SELECT jsonb_array_length(soa_export_json('acme') -> 'controls')" | tr '\n' ' ')" = "t 93 "
dropdb --if-exists "$db" >/dev/null 2>&1
psql -X -q -d postgres -c "DROP ROLE IF EXISTS iso27001_upgrade_app" >/dev/null 2>&1
