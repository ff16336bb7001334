-- Nonconformities and corrective actions (clause 10.2): the row rules with
-- their messages, the register's rules as of a date, the change of a rate
-- before and after an action (values by hand, Student t from mpmath), the
-- effectiveness by a metric, and the BI view.
\ir ../include/preamble.sql
SET LOCAL TimeZone = 'UTC';

SELECT plan(39);

-- rate_change.  Four campaigns of 100 before (85 events) and after (42):
-- rates 0.2125 and 0.105; Spp before 100 (0.0125^2 + 0.0075^2 + 0.0325^2 +
-- 0.0375^2) = 0.2675 < p q (k - 1) = 0.50203, so no variance between
-- campaigns (tau^2 0, also after); se = sqrt(0.2125 0.7875 / 400 + 0.105
-- 0.895 / 400) = 0.025560, t = -4.2058 on 6 df: p = 0.0056490953140118,
-- interval -0.1075 -+ 2.4469 se (mpmath, 30 digits)
SELECT results_eq(
	$$SELECT campaigns_before, campaigns_after, rate_before, rate_after, round(change::numeric, 12),
			 round(change_lower::numeric, 12), round(change_upper::numeric, 12),
			 round(p_value::numeric, 14), between_campaign_variance, verdict
		FROM iso27001.rate_change('{20,22,18,25}', '{100,100,100,100}', '{10,12,9,11}', '{100,100,100,100}', 'lower')$$,
	$$VALUES (4, 4, 0.2125::float8, 0.105::float8, -0.1075::numeric, -0.170042266351::numeric,
			  -0.044957733649::numeric, 0.00564909531401::numeric, 0::float8, 'improved')$$,
	'rate_change: binomial scatter only, a fall of 10.75 points, improved (by hand)');
-- widely scattered campaigns of 100 and 200 (5 to 40 %): tau^2 =
-- 0.0028435707317073 by moments pooled over both sides, the fall of 3.33
-- points not significant (p 0.45285; binomially it would be 0.0669)
SELECT results_eq(
	$$SELECT round(between_campaign_variance::numeric, 15), round(p_value::numeric, 12),
			 round(change_lower::numeric, 12), round(change_upper::numeric, 12), verdict
		FROM iso27001.rate_change('{5,40,10,35,8}', '{100,200,100,200,100}', '{3,30,6,25}', '{100,200,100,200}', 'lower')$$,
	$$VALUES (0.002843570731707::numeric, 0.452848427083::numeric, -0.132508058968::numeric,
			  0.065841392301::numeric, 'no significant change')$$,
	'rate_change: the variance between campaigns widens the test (by hand)');
SELECT is((SELECT verdict FROM iso27001.rate_change('{10,12,9,11}', '{100,100,100,100}', '{20,22,18,25}', '{100,100,100,100}', 'lower')),
		  'worsened', 'a rise of a lower-is-better rate: worsened');
SELECT is((SELECT verdict FROM iso27001.rate_change('{10,12,9,11}', '{100,100,100,100}', '{20,22,18,25}', '{100,100,100,100}', 'higher')),
		  'improved', 'the same rise of a higher-is-better rate: improved');
SELECT results_eq(
	$$SELECT rate_before, rate_after, p_value, verdict FROM iso27001.rate_change('{20,22}', '{100,100}', '{10,12,9}', '{100,100,100}', 'lower')$$,
	$$VALUES (0.21::float8, 31 / 300.0::float8, NULL::float8, 'insufficient data')$$,
	'two campaigns before: the rates, no test, insufficient data');
SELECT throws_ok($$SELECT * FROM iso27001.rate_change('{1}', '{1,2}', '{}', '{}', 'lower')$$,
				 '22023', 'events and trials must have the same number of campaigns', 'unequal arrays: 22023');
SELECT throws_ok($$SELECT * FROM iso27001.rate_change('{5,1,1}', '{4,2,2}', '{1,1,1}', '{2,2,2}', 'lower')$$,
				 '22023', 'every campaign needs 0 <= events <= trials and trials > 0', 'events above trials: 22023');
SELECT throws_ok($$SELECT * FROM iso27001.rate_change('{1,1,1}', '{2,2,2}', '{1,1,1}', '{2,2,2}', 'down')$$,
				 '22023', 'better must be ''lower'' or ''higher'', not ''down''', 'better down: 22023');
SELECT throws_ok($$SELECT * FROM iso27001.rate_change('{1,1,1}', '{2,2,2}', '{1,1,1}', '{2,2,2}', 'lower', 1)$$,
				 '22023', 'alpha must be between 0 and 1 exclusive', 'alpha 1: 22023');

-- the register's rows
DO $$ BEGIN PERFORM iso27001.create_scope('acme'); PERFORM iso27001.create_scope('beta'); END $$;
SELECT scope_id AS acme FROM iso27001.soa_scope WHERE name = 'acme' \gset
CREATE FUNCTION pg_temp.nc(id text, src text, grd text, cl text, descr text, raised date, extra text DEFAULT '')
	RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
	EXECUTE format('INSERT INTO iso27001.nonconformity (scope_id, nc_id, source, grade, clause, description, raised_on) VALUES (%s, %L, %L, %L, %L, %L, %L)',
				   (SELECT scope_id FROM iso27001.soa_scope WHERE name = 'acme'), id, src, grd, cl, descr, raised);
END $f$;
SELECT throws_ok($$SELECT pg_temp.nc('NC-X', 'audit', 'major', '6.1.3', 'x', '2026-01-01')$$,
				 '23514', 'unknown source of a nonconformity: "audit"', 'an unknown source: 23514');
SELECT throws_ok($$SELECT pg_temp.nc('NC-X', 'incident', 'severe', '6.1.3', 'x', '2026-01-01')$$,
				 '23514', 'unknown grade of a nonconformity: "severe"', 'an unknown grade: 23514');
SELECT throws_ok($$SELECT pg_temp.nc('NC-X', 'incident', 'minor', '11.1', 'x', '2026-01-01')$$,
				 '23514', 'clause "11.1" is not a clause of ISO/IEC 27001 (4 to 10, as 6.1.3)', 'clause 11.1: 23514');
SELECT throws_ok($$SELECT pg_temp.nc('NC-X', 'incident', 'minor', NULL, 'x', '2026-01-01')$$,
				 '23514', 'nonconformity NC-X names neither a clause nor a control', 'no clause or control: 23514');
SELECT throws_ok($$SELECT pg_temp.nc('NC-X', 'incident', 'minor', '8.1', ' ', '2026-01-01')$$,
				 '23514', 'nonconformity NC-X needs a description', 'a blank description: 23514');
SELECT throws_ok($$SELECT pg_temp.nc(' ', 'incident', 'minor', '8.1', 'x', '2026-01-01')$$,
				 '23514', 'a nonconformity needs an identifier of 1 to 100 characters without control characters', 'a blank identifier: 23514');
SELECT throws_ok($$SELECT pg_temp.nc('NC-X', 'incident', 'minor', '8.1', 'x', NULL)$$,
				 '23502', 'nonconformity NC-X needs the date it was raised', 'no raised date: 23502');
SELECT throws_ok($$INSERT INTO iso27001.nonconformity (scope_id, nc_id, source, grade, clause, description, raised_on, closed_on)
				   VALUES ((SELECT scope_id FROM iso27001.soa_scope WHERE name = 'acme'), 'NC-X', 'incident', 'minor', '8.1', 'x', '2026-02-01', '2026-01-31')$$,
				 '23514', 'closed_on of nonconformity NC-X (2026-01-31) is before it was raised (2026-02-01)', 'closed before raised: 23514');
SELECT throws_ok($$INSERT INTO iso27001.nonconformity (scope_id, nc_id, source, grade, clause, description, raised_on, due_date)
				   VALUES ((SELECT scope_id FROM iso27001.soa_scope WHERE name = 'acme'), 'NC-X', 'incident', 'minor', '8.1', 'x', '2026-02-01', 'infinity')$$,
				 '22008', 'due_date of nonconformity NC-X must be a finite date', 'an infinite due date: 22008');
SELECT throws_ok($$INSERT INTO iso27001.nonconformity (scope_id, nc_id, source, grade, clause, description, raised_on, metric)
				   VALUES ((SELECT scope_id FROM iso27001.soa_scope WHERE name = 'acme'), 'NC-X', 'behaviour_metric', 'minor', '7.3', 'x', '2026-02-01', 'time_to_report_hours')$$,
				 '23514', 'metric "time_to_report_hours" is not a rate metric', 'a value metric: 23514');
SELECT throws_ok($$INSERT INTO iso27001.nonconformity (scope_id, nc_id, source, grade, clause, description, raised_on, verified_on)
				   VALUES ((SELECT scope_id FROM iso27001.soa_scope WHERE name = 'acme'), 'NC-X', 'incident', 'minor', '8.1', 'x', '2026-02-01', '2026-03-01')$$,
				 '23514', 'nonconformity NC-X has a verification date and no verification', 'verified without saying how: 23514');
SELECT is((SELECT count(*) FROM iso27001.nonconformity), 0::bigint, 'the refused rows left nothing');

-- the rules as of 2026-12-01
INSERT INTO iso27001.nonconformity (scope_id, nc_id, source, grade, clause, control, description, raised_on, audit_on,
									due_date, accepted_on, closed_on, root_cause, corrective_action, verification, verified_on)
VALUES
	-- a major of stage 2, accepted 6 months and a day later: late
	(:acme, 'NC-1', 'certification_audit', 'major', '6.1.3', NULL, 'SoA without justifications', '2026-01-10', '2026-01-09',
	 '2026-03-01', '2026-07-11', '2026-07-20', 'No owner of the SoA', 'SoA owner named; review each quarter', 'Two reviews held', '2026-11-01'),
	-- a major accepted in time (6 months to the day), closed, verified
	(:acme, 'NC-2', 'certification_audit', 'major', NULL, 'A.5.15', 'Access reviews missing', '2026-01-10', '2026-01-09',
	 '2026-04-01', '2026-07-10', '2026-05-01', 'No schedule', 'Quarterly reviews', 'Review records sampled', '2026-06-01'),
	-- a minor, overdue; a minor closed without a root cause or verification
	(:acme, 'NC-3', 'internal_audit', 'minor', '7.5.3', NULL, 'Obsolete policy published', '2026-03-01', '2026-02-27',
	 '2026-06-30', NULL, NULL, NULL, NULL, NULL, NULL),
	(:acme, 'NC-4', 'incident', 'minor', NULL, 'A.8.13', 'Backup not tested', '2026-04-01', NULL,
	 '2026-05-01', NULL, '2026-05-15', NULL, 'Monthly restore test', NULL, NULL),
	-- a major of a certification audit still open, not yet due for acceptance
	(:acme, 'NC-5', 'certification_audit', 'major', '9.2', NULL, 'No internal audit programme', '2026-10-01', '2026-09-30',
	 NULL, NULL, NULL, NULL, NULL, NULL, NULL),
	-- an opportunity for improvement without a due date: no rule
	(:acme, 'OFI-1', 'internal_audit', 'opportunity', '7.4', NULL, 'Communication plan could name channels', '2026-03-01', '2026-02-27',
	 NULL, NULL, NULL, NULL, NULL, NULL, NULL);
SELECT results_eq(
	$$SELECT nc_id, rule, severity FROM iso27001.nonconformity_check('acme', '2026-12-01')$$,
	$$VALUES ('NC-1', 'MAJOR_NOT_ACCEPTED_IN_TIME', 'error'),
			 ('NC-3', 'ACTION_OVERDUE', 'error'),
			 ('NC-4', 'CLOSED_WITHOUT_ROOT_CAUSE', 'error'),
			 ('NC-4', 'CLOSED_WITHOUT_VERIFICATION', 'error'),
			 ('NC-5', 'NO_DUE_DATE', 'warning')$$,
	'the rules on 2026-12-01: NC-1 accepted a day late, NC-3 overdue, NC-4 closed without root cause or verification, NC-5 undated; the OFI none');
SELECT is((SELECT message FROM iso27001.nonconformity_check('acme', '2026-12-01') WHERE nc_id = 'NC-1'),
		  'Major nonconformity NC-1 (raised 2026-01-10) needs its correction and corrective action accepted by the certification body by 2026-07-10; accepted only on 2026-07-11.',
		  'the message names the deadline, six months after it was raised');
SELECT is((SELECT message FROM iso27001.nonconformity_check('acme', '2026-12-01') WHERE nc_id = 'NC-4' AND rule = 'CLOSED_WITHOUT_ROOT_CAUSE'),
		  'Nonconformity NC-4 was closed on 2026-05-15 without a root cause (clause 10.2 b) and c)).',
		  'and says what is missing');
-- NC-5 raised 2026-10-01: on 2027-04-02 (past 6 months) it is late
SELECT is((SELECT count(*) FROM iso27001.nonconformity_check('acme', '2027-04-01') WHERE nc_id = 'NC-5' AND rule = 'MAJOR_NOT_ACCEPTED_IN_TIME'),
		  0::bigint, 'on 2027-04-01 NC-5 is within its six months');
SELECT is((SELECT count(*) FROM iso27001.nonconformity_check('acme', '2027-04-02') WHERE nc_id = 'NC-5' AND rule = 'MAJOR_NOT_ACCEPTED_IN_TIME'),
		  1::bigint, 'on 2027-04-02 it is late');
SELECT is((SELECT count(*) FROM iso27001.nonconformity_check('acme', '2026-12-01', interval '3 months') WHERE rule = 'MAJOR_NOT_ACCEPTED_IN_TIME'),
		  2::bigint, 'a body''s deadline of 3 months: NC-1 and NC-2 late');
SELECT is((SELECT count(*) FROM iso27001.nonconformity_check('acme', '2026-02-01')), 0::bigint,
		  'on 2026-02-01 nothing is due yet, NC-1''s later acceptance is not known, and later rows do not count');
SELECT throws_ok($$SELECT * FROM iso27001.nonconformity_check('acme', 'infinity')$$,
				 '22023', 'as_of must be a finite date', 'an infinite as_of: 22023');

-- the open ones (not closed, or closed without verification) as an OSCAL
-- plan of action and milestones, in the order they were raised
SELECT is((SELECT jsonb_path_query_array(iso27001.oscal_poam('acme'), '$."plan-of-action-and-milestones"."poam-items"[*].title')),
		  '["Nonconformity NC-3 (minor)", "Nonconformity OFI-1 (opportunity)", "Nonconformity NC-4 (minor)", "Nonconformity NC-5 (major)"]',
		  'oscal_poam: NC-3, OFI-1, NC-4 (closed, not verified) and NC-5; not NC-1 or NC-2 (verified)');
SELECT is((SELECT r - 'uuid' FROM jsonb_array_elements(iso27001.oscal_poam('acme') #> '{plan-of-action-and-milestones,risks}') r
			WHERE r ->> 'title' = 'Nonconformity NC-3'),
		  '{"title": "Nonconformity NC-3", "description": "Obsolete policy published", "statement": "Root cause not yet determined.",
			"status": "open", "deadline": "2026-06-30T00:00:00Z"}',
		  'NC-3 as a risk: open, its due date the deadline, no remediation yet');
SELECT is((SELECT jsonb_path_query_array(r, '$.remediations[0].tasks[0].timing."on-date".date') || jsonb_build_array(r ->> 'status', r #>> '{remediations,0,lifecycle}', r #>> '{remediations,0,description}')
			 FROM jsonb_array_elements(iso27001.oscal_poam('acme') #> '{plan-of-action-and-milestones,risks}') r
			WHERE r ->> 'title' = 'Nonconformity NC-4'),
		  '["2026-05-01T00:00:00Z", "closed", "completed", "Monthly restore test"]',
		  'NC-4: its corrective action a completed remediation with the due date as milestone');
SELECT throws_ok($$SELECT iso27001.oscal_poam('beta')$$, '22023', 'scope "beta" has no open nonconformity or risk',
				 'no open nonconformity: 22023');

-- effectiveness by a metric: a year of weekly click rates around 20 %
-- before the action on 2026-03-02 and around 10 % after, rates as
-- above (20, 22, 18, 25 and 10, 12, 9, 11 of 100, repeating)
INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, events, trials)
SELECT :acme, 'phishing_click_rate', '2026-03-02'::timestamptz + i * interval '7 days',
	   CASE WHEN i < 0 THEN (ARRAY[20, 22, 18, 25])[1 + (i + 100) % 4] ELSE (ARRAY[10, 12, 9, 11])[1 + i % 4] END, 100
  FROM generate_series(-8, 7) i;
UPDATE iso27001.nonconformity SET metric = 'phishing_click_rate', action_on = '2026-03-02' WHERE nc_id = 'NC-2';
SELECT results_eq(
	$$SELECT metric, campaigns_before, campaigns_after, rate_before, rate_after, round(p_value::numeric, 12), verdict
		FROM iso27001.nonconformity_effectiveness('acme', 'NC-2')$$,
	$$SELECT 'phishing_click_rate', 8, 8, rate_before, rate_after, round(p_value::numeric, 12), verdict
		FROM iso27001.rate_change('{20,22,18,25,20,22,18,25}', '{100,100,100,100,100,100,100,100}',
								  '{10,12,9,11,10,12,9,11}', '{100,100,100,100,100,100,100,100}', 'lower')$$,
	'nonconformity_effectiveness: the 8 campaigns before the action against the 8 from it, as rate_change');
SELECT is((SELECT verdict FROM iso27001.nonconformity_effectiveness('acme', 'NC-2')), 'improved', 'NC-2''s action: improved');
UPDATE iso27001.nonconformity SET metric = 'phishing_click_rate', action_on = '2026-04-27' WHERE nc_id = 'NC-1';
SELECT results_eq(
	$$SELECT nc_id, rule FROM iso27001.nonconformity_check('acme', '2026-12-01') WHERE rule = 'NOT_SHOWN_EFFECTIVE'$$,
	$$VALUES ('NC-1', 'NOT_SHOWN_EFFECTIVE')$$,
	'NC-1 dated its action after the last campaign (none after it: insufficient data): not shown effective; NC-2 is');
SELECT throws_ok($$SELECT * FROM iso27001.nonconformity_effectiveness('acme', 'NC-3')$$,
				 '22023', 'nonconformity NC-3 names no metric or no date its corrective action took effect',
				 'no metric: 22023');

-- the BI view
SELECT results_eq(
	$$SELECT nc_id, status, days_open FROM iso27001_bi.nonconformity WHERE scope = 'acme' AND nc_id IN ('NC-2', 'NC-4') ORDER BY nc_id$$,
	$$VALUES ('NC-2', 'closed', 111), ('NC-4', 'closed, not verified', 44)$$,
	'iso27001_bi.nonconformity: status and days open (2026-01-10 to 05-01: 111 days; 04-01 to 05-15: 44)');
SELECT is((SELECT status FROM iso27001_bi.nonconformity WHERE nc_id = 'NC-3'), 'overdue', 'NC-3 overdue');

SELECT * FROM finish();
ROLLBACK;
