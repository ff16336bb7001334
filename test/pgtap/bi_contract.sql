-- The BI contract: the views of schema iso27001_bi keep their names,
-- columns and types (a change that would break a dashboard fails here),
-- use plain types only, are security_invoker and documented; their
-- figures agree with the catalogue and with hand calculations.
\ir ../include/preamble.sql

SELECT plan(25);

SELECT results_eq(
	$$SELECT table_name::text COLLATE "default",
			 string_agg(column_name::text || ' ' || replace(data_type::text, 'timestamp with time zone', 'timestamptz'),
						', ' ORDER BY ordinal_position) COLLATE "default"
		FROM information_schema.columns
	   WHERE table_schema = 'iso27001_bi'
	   GROUP BY table_name ORDER BY table_name$$,
	$$VALUES
	('annex_a_attribute',
	 'control_id text, sort_key integer, title text, attribute text, value text'),
	('annex_a_control',
	 'edition integer, control_id text, sort_key integer, theme text, theme_order integer, title text, control_type text, security_properties text, cybersecurity_concepts text, operational_capabilities text, security_domains text, is_new boolean'),
	('behaviour_series',
	 'scope_id bigint, scope text, metric text, metric_name text, control_id text, observed_at timestamptz, events bigint, trials bigint, value numeric, better text, unit text, cohort text, difficulty text'),
	('behaviour_trend',
	 'scope_id bigint, scope text, metric text, metric_name text, control_id text, better text, unit text, method text, n bigint, first_time timestamptz, last_time timestamptz, slope_per_month numeric, slope_lower numeric, slope_upper numeric, p_value numeric, verdict text, fitted_last numeric, target numeric, target_date date, dispersion numeric, min_effect numeric, cohort text, adjusted_slope_per_month numeric, adjusted_slope_lower numeric, adjusted_slope_upper numeric, adjusted_p_value numeric, adjusted_verdict text, difficulty_levels integer, difficulty_levels_left_out integer, projected numeric, projected_lower numeric, projected_upper numeric, target_status text'),
	('certification_calendar',
	 'scope_id bigint, scope text, certificate_number text, certification_body text, certification_decision date, event text, due_date date, window_start date, window_end date, days_left integer, requirement text, is_next boolean, basis text, note text'),
	('certification_finding',
	 'scope_id bigint, scope text, certificate_number text, rule text, severity text, cycle integer, on_date date, detail text, basis text'),
	('scope',
	 'scope_id bigint, scope text, edition integer, description text, created_at timestamptz, certificate_number text, certification_body text, certification_decision date, latest_version integer, latest_version_approved_at timestamptz, latest_version_approved_by text'),
	('soa_coverage_by_attribute',
	 'scope_id bigint, scope text, attribute text, value text, controls bigint, excluded bigint, applicable bigint, implemented bigint, implemented_share numeric'),
	('soa_coverage_by_theme',
	 'scope_id bigint, scope text, theme text, theme_order integer, controls bigint, undecided bigint, excluded bigint, applicable bigint, not_implemented bigint, planned bigint, partially_implemented bigint, implemented bigint, implemented_share numeric'),
	('soa_entry',
	 'scope_id bigint, scope text, edition integer, control_id text, sort_key integer, is_annex_a boolean, title text, theme text, decided boolean, applicable boolean, implementation text, implemented boolean, oscal_status text, reasons text, justification text, owner text, evidence_links integer, needs_review boolean, changed_at timestamptz, changed_by text'),
	('soa_finding',
	 'scope_id bigint, scope text, rule text, severity text, control_id text, sort_key integer, message text')$$,
	'the contract: every view of iso27001_bi with its columns and types, in order');

SELECT is_empty(
	$$SELECT c.relname, a.attname, a.atttypid::regtype
		FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
	   WHERE c.relnamespace = 'iso27001_bi'::regnamespace AND a.attnum > 0
		 AND a.atttypid NOT IN ('text'::regtype, 'integer'::regtype, 'bigint'::regtype,
								'numeric'::regtype, 'boolean'::regtype, 'date'::regtype,
								'timestamptz'::regtype)$$,
	'only text, integer, bigint, numeric, boolean, date and timestamptz columns');
SELECT is_empty(
	$$SELECT relname FROM pg_catalog.pg_class
	   WHERE relnamespace = 'iso27001_bi'::regnamespace
		 AND (relkind <> 'v' OR NOT coalesce(reloptions @> '{security_invoker=true}', false))$$,
	'only views, each security_invoker (privileges and row-level security apply to the reader)');
SELECT is_empty(
	$$SELECT relname FROM pg_catalog.pg_class
	   WHERE relnamespace = 'iso27001_bi'::regnamespace
		 AND obj_description(oid, 'pg_class') IS NULL$$,
	'every view has a comment');
SELECT is_empty(
	$$SELECT c.relname, a.attname FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
	   WHERE c.relnamespace = 'iso27001_bi'::regnamespace AND a.attnum > 0
		 AND col_description(c.oid, a.attnum) IS NULL$$,
	'every column has a comment (BI tools show it as the column''s description)');
SELECT is_empty(
	$$SELECT c.relname, a.attname FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
	   WHERE c.relnamespace = 'iso27001_bi'::regnamespace AND a.attnum > 0
		 AND a.attname !~ '^[a-z][a-z0-9_]*$'$$,
	'snake_case column names');

-- the catalogue, against the reference CSV (93 + 114 controls, 760
-- attribute values, 13 #Detective controls)
SELECT results_eq($$SELECT edition, count(*) FROM iso27001_bi.annex_a_control GROUP BY 1 ORDER BY 1$$,
				  $$VALUES (2013, 114::bigint), (2022, 93::bigint)$$,
				  'annex_a_control: 114 controls of 2013 and 93 of 2022');
SELECT is((SELECT count(*) FROM iso27001_bi.annex_a_attribute), 760::bigint,
		  'annex_a_attribute: 760 attribute values');
SELECT is((SELECT count(*) FROM iso27001_bi.annex_a_attribute
		   WHERE attribute = 'control_type' AND value = 'Detective'), 13::bigint,
		  'thirteen #Detective controls');
SELECT is((SELECT array_agg(sort_key ORDER BY sort_key) FROM iso27001_bi.annex_a_control
		   WHERE control_id IN ('A.5.7', 'A.5.37', 'A.8.1', 'A.12.6.1', 'A.5.1.1')),
		  ARRAY[50100 + 1, 50700, 53700, 80100, 120601],
		  'sort keys: A.5.1.1 50101, A.5.7 50700, A.5.37 53700, A.8.1 80100, A.12.6.1 120601');
SELECT is((SELECT array_agg(control_id ORDER BY sort_key) FROM iso27001_bi.annex_a_control WHERE edition = 2022),
		  (SELECT array_agg(control::text ORDER BY control) FROM iso27001.annex_a_2022),
		  'ordering by sort_key is the natural order of the controls');

-- figures under the views, by hand
DO $$
BEGIN
	PERFORM iso27001.create_scope('acme');
	PERFORM iso27001.soa_set('acme', 'A.5.7', 'applicable, implemented (risk treatment)', 'Threat feeds.');
	PERFORM iso27001.soa_set('acme', 'A.7.4', 'excluded', 'No premises of our own.');
END $$;
SELECT scope_id AS acme FROM iso27001.soa_scope WHERE name = 'acme' \gset
INSERT INTO iso27001.certificate VALUES (:acme, '2025-03-14', 'C-1', 'Example CB');
INSERT INTO iso27001.certification_audit VALUES (:acme, 'surveillance', '2026-03-30');
-- a click rate falling by exactly one point a week (100 messages a week)
-- and a time to report falling by half an hour a week
INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, events, trials)
SELECT :acme, 'phishing_click_rate', '2025-01-06 00:00+00'::timestamptz + i * interval '7 days', 20 - i, 100
  FROM generate_series(0, 9) i;
INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, value)
SELECT :acme, 'time_to_report_hours', '2025-01-06 00:00+00'::timestamptz + i * interval '7 days', 20 - 0.5 * i
  FROM generate_series(0, 9) i;
INSERT INTO iso27001.behaviour_target VALUES (:acme, 'phishing_click_rate', 0.05, '2026-12-31');
INSERT INTO iso27001.behaviour_target VALUES (:acme, 'time_to_report_hours', 10, '2025-06-30');

SELECT results_eq(
	$$SELECT decided, applicable, implementation, implemented, oscal_status, reasons, theme, sort_key
		FROM iso27001_bi.soa_entry WHERE scope = 'acme' AND control_id IN ('A.5.7', 'A.7.4', 'A.8.1')
	   ORDER BY sort_key$$,
	$$VALUES (true, true, 'implemented', true, 'implemented', 'risk treatment', 'Organizational', 50700),
			 (true, false, NULL, NULL, 'not-applicable', NULL, 'Physical', 70400),
			 (false, NULL, NULL, NULL, NULL, NULL, 'Technological', 80100)$$,
	'soa_entry: one decided, one excluded, one undecided control');
SELECT results_eq(
	$$SELECT theme, controls, undecided, excluded, applicable, implemented, implemented_share
		FROM iso27001_bi.soa_coverage_by_theme WHERE scope = 'acme' ORDER BY theme_order$$,
	$$VALUES ('Organizational', 37::bigint, 36::bigint, 0::bigint, 1::bigint, 1::bigint, 1.0000),
			 ('People', 8, 8, 0, 0, 0, NULL),
			 ('Physical', 14, 13, 1, 0, 0, NULL),
			 ('Technological', 34, 34, 0, 0, 0, NULL)$$,
	'soa_coverage_by_theme: 37 + 8 + 14 + 34 controls, the two decisions in their themes');
SELECT is((SELECT count(*) FROM iso27001_bi.soa_finding WHERE scope = 'acme' AND rule = 'UNDECIDED'),
		  91::bigint, 'soa_finding: the 91 undecided controls');
SELECT results_eq(
	$$SELECT event, due_date, window_start, window_end, requirement, is_next
		FROM iso27001_bi.certification_calendar WHERE scope = 'acme' ORDER BY due_date, event$$,
	$$SELECT event, due_date, window_start, window_end, requirement, event = 'surveillance_2'
		FROM iso27001.certification_next_due('2025-03-14',
				ARRAY[('surveillance', '2026-03-30')]::iso27001.certification_event[], CURRENT_DATE)
	   ORDER BY due_date, event$$,
	'certification_calendar: what certification_next_due says for the certificate and its history');
SELECT results_eq(
	$$SELECT rule, on_date FROM iso27001_bi.certification_finding WHERE scope = 'acme'$$,
	$$VALUES ('SA1_WITHIN_12_MONTHS', '2026-03-30'::date)$$,
	'certification_finding: the first surveillance came 16 days late');
SELECT is((SELECT array_agg(value ORDER BY observed_at) FROM iso27001_bi.behaviour_series
		   WHERE scope = 'acme' AND metric = 'phishing_click_rate' AND observed_at < '2025-01-20'),
		  ARRAY[0.2, 0.19], 'behaviour_series: rates as fractions, 20 and 19 out of 100');
-- a point a week is 0.01 / 7 * 30.436875 = 0.04348125 a month; half an
-- hour a week 2.17406250 hours a month
SELECT is((SELECT round(slope_per_month, 10) FROM iso27001_bi.behaviour_trend
		   WHERE scope = 'acme' AND metric = 'phishing_click_rate'),
		  -0.0434812500, 'behaviour_trend: the click-rate slope per month, by hand');
SELECT is((SELECT round(slope_per_month, 8) FROM iso27001_bi.behaviour_trend
		   WHERE scope = 'acme' AND metric = 'time_to_report_hours'),
		  -2.17406250, 'behaviour_trend: Sen''s slope of the time to report, by hand');
SELECT results_eq(
	$$SELECT method, n, verdict, round(fitted_last, 10), target, target_date, round(dispersion, 10)
		FROM iso27001_bi.behaviour_trend WHERE scope = 'acme' ORDER BY metric$$,
	$$VALUES ('rate (Cochran-Armitage with dispersion)', 10::bigint, 'improving', 0.11::numeric, 0.05::numeric, '2026-12-31'::date, 0::numeric),
			 ('robust (Theil-Sen, Mann-Kendall)', 10, 'improving', 15.5, 10, '2025-06-30', NULL)$$,
	'behaviour_trend: method, verdict, the fitted last value (11 % and 15.5 hours), the target, and the dispersion (0: the rates lie on a line)');

-- observations loaded without cohort or difficulty: the whole scope's row
-- (cohort ''), one difficulty level, so the adjusted trend is the trend
-- itself (the same slope by hand); none for a value metric
SELECT results_eq(
	$$SELECT metric, cohort, round(adjusted_slope_per_month, 10), adjusted_verdict, difficulty_levels, difficulty_levels_left_out
		FROM iso27001_bi.behaviour_trend WHERE scope = 'acme' ORDER BY metric$$,
	$$VALUES ('phishing_click_rate', '', -0.0434812500, 'improving', 1, 0),
			 ('time_to_report_hours', '', NULL, NULL, NULL, NULL)$$,
	'behaviour_trend: the whole scope (cohort ''''), adjusted over one difficulty level = the trend; no adjusted trend for a value');
-- the projection at the due date (midnight UTC here).  Clicks: the weighted
-- line 0.155 - 0.01 a week from week 4.5, at 2026-12-31 (724 days = 103.43
-- weeks after the first campaign) -0.8343, clipped to 0; the rates lie on
-- the line (no variance between campaigns), so its standard error is
-- sqrt(0.155 * 0.845 * (1/1000 + 98.93^2 / 8250)) = 0.39434 and the upper
-- end -0.8343 + t(0.975, 8 df) 2.30600 * 0.39434 = 0.0750662715943072
-- (mpmath, 30 digits): the interval straddles 5 %, at risk.  Time to
-- report: the least-squares line 20 - 0.5 h a week is exact, at 2025-06-30
-- (25 weeks) 7.5 hours, within the 10 hours: on track.
SET LOCAL TimeZone = 'UTC';
SELECT results_eq(
	$$SELECT metric, round(projected, 12), round(projected_lower, 12), round(projected_upper, 12), target_status
		FROM iso27001_bi.behaviour_trend WHERE scope = 'acme' ORDER BY metric$$,
	$$VALUES ('phishing_click_rate', 0::numeric, 0::numeric, 0.075066271594::numeric, 'at risk'),
			 ('time_to_report_hours', 7.5, 7.5, 7.5, 'on track')$$,
	'behaviour_trend: the projection at the due date with its interval (by hand), at risk and on track');
SELECT is((SELECT count(*) FROM iso27001_bi.behaviour_series WHERE scope = 'acme' AND cohort = '' AND difficulty = ''),
		  20::bigint, 'behaviour_series: every observation, the whole scope''s with no difficulty');

-- readers: none by default (a role is cluster-wide), one per database by grant_reader
SELECT is((SELECT nspacl FROM pg_catalog.pg_namespace WHERE nspname = 'iso27001_bi'), NULL,
		  'no role but its owner may use schema iso27001_bi after CREATE EXTENSION');
CREATE ROLE iso27001_bi_contract_reader NOLOGIN;
DO $$ BEGIN PERFORM iso27001.grant_reader('iso27001_bi_contract_reader'); END $$;
SELECT is_empty(
	$$SELECT relname FROM pg_catalog.pg_class
	   WHERE relnamespace = 'iso27001_bi'::regnamespace
		 AND NOT has_table_privilege('iso27001_bi_contract_reader', oid, 'SELECT')$$,
	'a role given grant_reader can read every view');

SELECT * FROM finish();
ROLLBACK;
