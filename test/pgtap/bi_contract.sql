-- The BI contract: the views of schema iso27001_bi keep their names,
-- columns and types (a change that would break a dashboard fails here),
-- use plain types only, are security_invoker and documented; their
-- figures agree with the catalogue and with hand calculations.
\ir ../include/preamble.sql

SELECT plan(33);

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
	 'scope_id bigint, scope text, metric text, metric_name text, control_id text, observed_at timestamptz, events bigint, trials bigint, value double precision, better text, unit text, cohort text, difficulty text'),
	('behaviour_trend',
	 'scope_id bigint, scope text, metric text, metric_name text, control_id text, better text, unit text, method text, n bigint, first_time timestamptz, last_time timestamptz, slope_per_month double precision, slope_lower double precision, slope_upper double precision, p_value double precision, verdict text, fitted_last double precision, target double precision, target_date date, dispersion double precision, min_effect double precision, cohort text, adjusted_slope_per_month double precision, adjusted_slope_lower double precision, adjusted_slope_upper double precision, adjusted_p_value double precision, adjusted_verdict text, difficulty_levels integer, difficulty_levels_left_out integer, projected double precision, projected_lower double precision, projected_upper double precision, target_status text'),
	('behaviour_trend_12_months',
	 'scope_id bigint, scope text, metric text, metric_name text, control_id text, better text, unit text, method text, n bigint, first_time timestamptz, last_time timestamptz, slope_per_month double precision, slope_lower double precision, slope_upper double precision, p_value double precision, verdict text, fitted_last double precision, target double precision, target_date date, dispersion double precision, min_effect double precision, cohort text, adjusted_slope_per_month double precision, adjusted_slope_lower double precision, adjusted_slope_upper double precision, adjusted_p_value double precision, adjusted_verdict text, difficulty_levels integer, difficulty_levels_left_out integer, projected double precision, projected_lower double precision, projected_upper double precision, target_status text, period_start date, period_end date'),
	('behaviour_trend_quarterly',
	 'scope_id bigint, scope text, metric text, metric_name text, control_id text, better text, unit text, method text, n bigint, first_time timestamptz, last_time timestamptz, slope_per_month double precision, slope_lower double precision, slope_upper double precision, p_value double precision, verdict text, fitted_last double precision, target double precision, target_date date, dispersion double precision, min_effect double precision, cohort text, adjusted_slope_per_month double precision, adjusted_slope_lower double precision, adjusted_slope_upper double precision, adjusted_p_value double precision, adjusted_verdict text, difficulty_levels integer, difficulty_levels_left_out integer, projected double precision, projected_lower double precision, projected_upper double precision, target_status text, quarter text, period_start date, period_end date'),
	('certificate_history',
	 'scope_id bigint, scope text, seq integer, event text, on_date date, certificate_number text, certification_body text, note text, recorded_at timestamptz, recorded_by text'),
	('certification_calendar',
	 'scope_id bigint, scope text, certificate_number text, certification_body text, certification_decision date, event text, due_date date, window_start date, window_end date, days_left integer, requirement text, is_next boolean, basis text, note text'),
	('certification_finding',
	 'scope_id bigint, scope text, certificate_number text, rule text, severity text, cycle integer, on_date date, detail text, basis text'),
	('evidence_freshness',
	 'scope_id bigint, scope text, control_id text, sort_key integer, owner text, records bigint, valid_records bigint, due_records bigint, expired_records bigint, latest_valid_until date, days_left integer, status text, required boolean'),
	('internal_audit',
	 'scope_id bigint, scope text, audit_id text, title text, planned_on date, held_on date, auditor text, status text, clauses integer, controls integer, findings bigint, open_findings bigint'),
	('internal_audit_coverage',
	 'scope_id bigint, scope text, programme_id text, period_start date, period_end date, kind text, item text, title text, sort_key integer, coverage text, audits integer, last_held_on date, next_planned_on date'),
	('management_review_action',
	 'scope_id bigint, scope text, review_id text, review_held_on date, action_id text, kind text, action text, owner text, due_date date, done_on date, status text, days_overdue integer'),
	('nonconformity',
	 'scope_id bigint, scope text, nc_id text, source text, grade text, clause text, control_id text, sort_key integer, description text, raised_on date, owner text, due_date date, action_on date, closed_on date, verified_on date, status text, days_open integer'),
	('risk',
	 'scope_id bigint, scope text, risk_id text, description text, owner text, likelihood integer, impact integer, level integer, residual_likelihood integer, residual_impact integer, residual_level integer, likelihood_levels integer, impact_levels integer, acceptance_level integer, above_acceptance boolean, treatment text, status text, is_open boolean, controls text, control_count integer, identified_on date, accepted_on date, closed_on date'),
	('risk_control',
	 'scope_id bigint, scope text, risk_id text, status text, is_open boolean, control_id text, sort_key integer, is_annex_a boolean, title text, applicable boolean, implementation text'),
	('scope',
	 'scope_id bigint, scope text, edition integer, description text, created_at timestamptz, certificate_number text, certification_body text, certification_decision date, latest_version integer, latest_version_approved_at timestamptz, latest_version_approved_by text, certificate_status text'),
	('soa_coverage_by_attribute',
	 'scope_id bigint, scope text, attribute text, value text, controls bigint, excluded bigint, applicable bigint, implemented bigint, implemented_share double precision'),
	('soa_coverage_by_theme',
	 'scope_id bigint, scope text, theme text, theme_order integer, controls bigint, undecided bigint, excluded bigint, applicable bigint, not_implemented bigint, planned bigint, partially_implemented bigint, implemented bigint, implemented_share double precision'),
	('soa_entry',
	 'scope_id bigint, scope text, edition integer, control_id text, sort_key integer, is_annex_a boolean, title text, theme text, decided boolean, applicable boolean, implementation text, implemented boolean, oscal_status text, reasons text, justification text, owner text, evidence_links integer, needs_review boolean, changed_at timestamptz, changed_by text'),
	('soa_evidence',
	 'scope_id bigint, scope text, control_id text, sort_key integer, position integer, link text, owner text, changed_at timestamptz'),
	('soa_finding',
	 'scope_id bigint, scope text, rule text, severity text, control_id text, sort_key integer, message text')$$,
	'the contract: every view of iso27001_bi with its columns and types, in order');

SELECT is_empty(
	$$SELECT c.relname, a.attname, a.atttypid::regtype
		FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
	   WHERE c.relnamespace = 'iso27001_bi'::regnamespace AND a.attnum > 0
		 AND a.atttypid NOT IN ('text'::regtype, 'integer'::regtype, 'bigint'::regtype,
								'double precision'::regtype, 'boolean'::regtype, 'date'::regtype,
								'timestamptz'::regtype)$$,
	'only text, integer, bigint, double precision, boolean, date and timestamptz columns (no numeric)');
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
	PERFORM iso27001.soa_add_evidence('acme', 'A.5.7', 'https://wiki.example/feeds');
	PERFORM iso27001.soa_add_evidence('acme', 'A.5.7', 'DOC-17 threat report');
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
	$$VALUES ('Organizational', 37::bigint, 36::bigint, 0::bigint, 1::bigint, 1::bigint, 1::double precision),
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
		  ARRAY[0.2, 0.19]::double precision[], 'behaviour_series: rates as fractions, 20 and 19 out of 100 (double precision: 20 / 100 rounds to the double nearest 0.2)');
-- a point a week is 0.01 / 7 * 30.436875 = 0.04348125 a month; half an
-- hour a week 2.17406250 hours a month
SELECT is((SELECT round(slope_per_month::numeric, 10) FROM iso27001_bi.behaviour_trend
		   WHERE scope = 'acme' AND metric = 'phishing_click_rate'),
		  -0.0434812500, 'behaviour_trend: the click-rate slope per month, by hand');
SELECT is((SELECT round(slope_per_month::numeric, 8) FROM iso27001_bi.behaviour_trend
		   WHERE scope = 'acme' AND metric = 'time_to_report_hours'),
		  -2.17406250, 'behaviour_trend: Sen''s slope of the time to report, by hand');
SELECT results_eq(
	$$SELECT method, n, verdict, round(fitted_last::numeric, 10), target, target_date, round(dispersion::numeric, 10)
		FROM iso27001_bi.behaviour_trend WHERE scope = 'acme' ORDER BY metric$$,
	$$VALUES ('rate (Cochran-Armitage with dispersion)', 10::bigint, 'improving', 0.11::numeric, 0.05::double precision, '2026-12-31'::date, 0::numeric),
			 ('robust (Theil-Sen, Mann-Kendall)', 10, 'improving', 15.5, 10, '2025-06-30', NULL)$$,
	'behaviour_trend: method, verdict, the fitted last value (11 % and 15.5 hours), the target, and the dispersion (0: the rates lie on a line)');

-- observations loaded without cohort or difficulty: the whole scope's row
-- (cohort ''), one difficulty level, so the adjusted trend is the trend
-- itself (the same slope by hand); none for a value metric
SELECT results_eq(
	$$SELECT metric, cohort, round(adjusted_slope_per_month::numeric, 10), adjusted_verdict, difficulty_levels, difficulty_levels_left_out
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
	$$SELECT metric, round(projected::numeric, 12), round(projected_lower::numeric, 12), round(projected_upper::numeric, 12), target_status
		FROM iso27001_bi.behaviour_trend WHERE scope = 'acme' ORDER BY metric$$,
	$$VALUES ('phishing_click_rate', 0::numeric, 0::numeric, 0.075066271594::numeric, 'at risk'),
			 ('time_to_report_hours', 7.5, 7.5, 7.5, 'on track')$$,
	'behaviour_trend: the projection at the due date with its interval (by hand), at risk and on track');
-- periods.  The first four campaigns (2025-01-06 .. 01-27): the same slope
-- by hand, but fewer than 5 campaigns, so insufficient data
SELECT results_eq(
	$$SELECT n, round(slope_per_month::numeric, 10), verdict
		FROM iso27001.behaviour_trend_between('2025-01-06', '2025-01-27')
	   WHERE scope = 'acme' AND metric = 'phishing_click_rate'$$,
	$$VALUES (4::bigint, -0.0434812500, 'insufficient data')$$,
	'behaviour_trend_between: four campaigns, dates inclusive, insufficient data');
-- the twelve months up to each quarter's end: the ten campaigns of early
-- 2025 are in the windows ending 2025-03-31, 06-30, 09-30 and 12-31, and
-- in none after
SELECT results_eq(
	$$SELECT quarter, period_start, period_end, n FROM iso27001_bi.behaviour_trend_quarterly
	   WHERE scope = 'acme' AND metric = 'phishing_click_rate' ORDER BY period_end$$,
	$$VALUES ('2025-Q1', '2024-04-01'::date, '2025-03-31'::date, 10::bigint),
			 ('2025-Q2', '2024-07-01', '2025-06-30', 10),
			 ('2025-Q3', '2024-10-01', '2025-09-30', 10),
			 ('2025-Q4', '2025-01-01', '2025-12-31', 10)$$,
	'behaviour_trend_quarterly: the 12 months up to each quarter''s end, by hand');
-- the last 12 months: a campaign a week up to today, 60 weeks back; today
-- and the 364 days before hold the campaigns 0 .. 52 weeks ago (53), in a
-- leap year too
DO $$ BEGIN PERFORM iso27001.create_scope('recent'); END $$;
INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, events, trials)
SELECT s.scope_id, 'phishing_click_rate', (CURRENT_DATE - 7 * i)::timestamptz, 10, 100
  FROM iso27001.soa_scope s, generate_series(0, 59) i WHERE s.name = 'recent';
SELECT results_eq(
	$$SELECT scope, n, period_end - period_start + 1 BETWEEN 365 AND 366, period_end = CURRENT_DATE
		FROM iso27001_bi.behaviour_trend_12_months WHERE metric = 'phishing_click_rate' ORDER BY scope$$,
	$$VALUES ('recent', 53::bigint, true, true)$$,
	'behaviour_trend_12_months: 53 weekly campaigns of the last year; acme''s 2025 campaigns are older');
-- evidence links, one row each
SELECT results_eq(
	$$SELECT control_id, position, link FROM iso27001_bi.soa_evidence WHERE scope = 'acme' ORDER BY sort_key, position$$,
	$$VALUES ('A.5.7', 1, 'https://wiki.example/feeds'), ('A.5.7', 2, 'DOC-17 threat report')$$,
	'soa_evidence: the two links of A.5.7 in the order they were added');
SELECT is((SELECT evidence_links FROM iso27001_bi.soa_entry WHERE scope = 'acme' AND control_id = 'A.5.7'), 2,
		  'soa_entry counts them');
SELECT is((SELECT count(*) FROM iso27001_bi.behaviour_series WHERE scope = 'acme' AND cohort = '' AND difficulty = ''),
		  20::bigint, 'behaviour_series: every observation, the whole scope''s with no difficulty');

-- the internal audit programme in force today: acme's one applicable
-- control (A.5.7) and the 30 requirements of clauses 4 to 10; an audit
-- held ten days ago covers clauses 4 and 5 (4.1-4.4, 5.1-5.3: 7) and A.5.7,
-- one planned in ten days clause 6 (6.1.1-6.1.3, 6.2, 6.3: 5), one planned
-- ten days ago and not held clause 10 (10.1, 10.2: 2), the other 16 none
INSERT INTO iso27001.internal_audit_programme (scope_id, programme_id, period_start)
VALUES (:acme, 'IAP-1', CURRENT_DATE - 100);
INSERT INTO iso27001.internal_audit (scope_id, audit_id, planned_on, held_on, auditor, clauses, controls) VALUES
	(:acme, 'IA-1', CURRENT_DATE - 12, CURRENT_DATE - 10, 'Internal Auditor', '{4,5}', '{A.5.7}');
INSERT INTO iso27001.internal_audit (scope_id, audit_id, planned_on, clauses) VALUES
	(:acme, 'IA-2', CURRENT_DATE + 10, '{6}'), (:acme, 'IA-3', CURRENT_DATE - 10, '{10}');
SELECT results_eq(
	$$SELECT kind, coverage, count(*)::integer, sum(audits)::integer, min(last_held_on), min(next_planned_on)
		FROM iso27001_bi.internal_audit_coverage WHERE scope = 'acme' GROUP BY 1, 2 ORDER BY 1, 2$$,
	$$VALUES ('clause', 'audited', 7, 7, CURRENT_DATE - 10, NULL::date),
			 ('clause', 'not covered', 16, 0, NULL, NULL),
			 ('clause', 'overdue', 2, 2, NULL, NULL),
			 ('clause', 'planned', 5, 5, NULL, CURRENT_DATE + 10),
			 ('control', 'audited', 1, 1, CURRENT_DATE - 10, NULL)$$,
	'internal_audit_coverage: 7 + 16 + 2 + 5 requirements and the one applicable control, by hand');
SELECT results_eq(
	$$SELECT audit_id, status, clauses, controls, findings FROM iso27001_bi.internal_audit WHERE scope = 'acme' ORDER BY audit_id$$,
	$$VALUES ('IA-1', 'held', 2, 1, 0::bigint), ('IA-2', 'planned', 1, 0, 0), ('IA-3', 'overdue', 1, 0, 0)$$,
	'internal_audit: held, planned, and overdue (planned, past its day)');

-- a management review held ten days ago: an action done, one due in five
-- days, one due three days ago (overdue by 3)
INSERT INTO iso27001.management_review (scope_id, review_id, held_on, chair) VALUES (:acme, 'MR-1', CURRENT_DATE - 10, 'CEO');
INSERT INTO iso27001.management_review_action (scope_id, review_id, action_id, kind, action, due_date, done_on) VALUES
	(:acme, 'MR-1', '1', 'improvement', 'a', CURRENT_DATE - 5, CURRENT_DATE - 6),
	(:acme, 'MR-1', '2', 'isms_change', 'b', CURRENT_DATE + 5, NULL),
	(:acme, 'MR-1', '3', 'resource_need', 'c', CURRENT_DATE - 3, NULL);
SELECT results_eq(
	$$SELECT action_id, kind, status, days_overdue, review_held_on FROM iso27001_bi.management_review_action
	   WHERE scope = 'acme' ORDER BY action_id$$,
	$$VALUES ('1', 'improvement', 'done', NULL::integer, CURRENT_DATE - 10), ('2', 'isms_change', 'open', NULL, CURRENT_DATE - 10),
			 ('3', 'resource_need', 'overdue', 3, CURRENT_DATE - 10)$$,
	'management_review_action: done, open, and overdue by 3 days');

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
