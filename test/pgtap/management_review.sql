-- Management review (clause 9.3): the rows of reviews and their actions
-- with their messages, the review's input pack over a period (every input
-- of clause 9.3.2 a) to g) from hand-built data, counted by hand), its
-- digest (stable, changed by a change of data, equal to the SHA-256 of the
-- documented text computed here), its errors, and the BI view.
\ir ../include/preamble.sql
SET LOCAL TimeZone = 'UTC';

SELECT plan(51);

DO $$ BEGIN PERFORM iso27001.create_scope('acme'); PERFORM iso27001.create_scope('beta'); END $$;
SELECT scope_id AS acme FROM iso27001.soa_scope WHERE name = 'acme' \gset

-- The SoA in three batches, dated by hand (the history is rewritten with
-- its triggers off: the register stamps the clock).  2025-06-01: A.5.1
-- implemented, A.5.2 planned, A.5.3 implemented (risk treatment), A.5.4
-- implemented (legal), A.7.4 and the others excluded; version 1 on
-- 2025-06-02.
-- 2026-03-10 (in the period): A.5.3 partially implemented and A.7.4 not
-- implemented (re-decided), A.5.1 re-justified, ORG-1 added; version 2 on
-- 2026-03-11.  2026-08-01 (after it): A.5.2 implemented.
CREATE FUNCTION pg_temp.redate(at timestamptz) RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
	ALTER TABLE iso27001.soa_history DISABLE TRIGGER USER;
	ALTER TABLE iso27001.soa_version DISABLE TRIGGER USER;
	UPDATE iso27001.soa_history h SET changed_at = at + h.change_id * interval '1 second'
	 WHERE h.changed_at > '2027-01-01' OR h.changed_at > now() - interval '1 hour';
	UPDATE iso27001.soa_version v SET approved_at = at + interval '1 day'
	 WHERE v.approved_at > now() - interval '1 hour';
	ALTER TABLE iso27001.soa_history ENABLE TRIGGER USER;
	ALTER TABLE iso27001.soa_version ENABLE TRIGGER USER;
END $f$;
SELECT count(*) FROM (VALUES
	(iso27001.soa_set('acme', '5.1', 'applicable, implemented (risk treatment)', 'RA-1')),
	(iso27001.soa_set('acme', '5.2', 'applicable, planned (risk treatment)', 'RA-1')),
	(iso27001.soa_set('acme', '5.3', 'applicable, implemented (risk treatment)', 'RA-1')),
	(iso27001.soa_set('acme', '5.4', 'applicable, implemented (legal)', 'Law')),
	(iso27001.soa_set('acme', '7.4', 'excluded', 'No office'))) v(r) \g /dev/null
SELECT count(iso27001.soa_set('acme', control, 'excluded', 'Not relevant')) FROM iso27001.annex_a_2022
 WHERE control NOT IN ('5.1', '5.2', '5.3', '5.4', '7.4') \g /dev/null
SELECT pg_temp.redate('2025-06-01') \g /dev/null
SELECT iso27001.soa_approve('acme', 'CISO') \g /dev/null
SELECT pg_temp.redate('2025-06-01') \g /dev/null
SELECT count(*) FROM (VALUES
	(iso27001.soa_set('acme', '5.3', 'applicable, partially implemented (risk treatment)', 'RA-2')),
	(iso27001.soa_set('acme', '7.4', 'applicable, not implemented (risk treatment)', 'New office')),
	(iso27001.soa_set('acme', '5.1', 'applicable, implemented (risk treatment)', 'RA-2')),
	(iso27001.soa_set_custom('acme', 'ORG-1', 'Secure coding checklist', 'applicable, implemented (risk treatment)', 'RA-2'))) v(r) \g /dev/null
SELECT pg_temp.redate('2026-03-10') \g /dev/null
SELECT iso27001.soa_approve('acme', 'CISO') \g /dev/null
SELECT pg_temp.redate('2026-03-10') \g /dev/null
SELECT iso27001.soa_set('acme', '5.2', 'applicable, implemented (risk treatment)', 'RA-3') \g /dev/null
SELECT pg_temp.redate('2026-08-01') \g /dev/null

-- the certificate, two certification audits (one in the period), the
-- programme and four internal audits
INSERT INTO iso27001.certificate (scope_id, certification_decision) VALUES (:acme, '2025-03-14');
INSERT INTO iso27001.certification_audit (scope_id, kind, on_date) VALUES
	(:acme, 'stage2', '2025-02-20'), (:acme, 'surveillance', '2026-03-05');
INSERT INTO iso27001.internal_audit_programme (scope_id, programme_id, period_start) VALUES (:acme, 'IAP', '2025-03-14');
INSERT INTO iso27001.internal_audit (scope_id, audit_id, planned_on, held_on, auditor, clauses, controls) VALUES
	(:acme, 'IA-1', '2026-02-09', '2026-02-10', 'Ravi', '{4,5,6,7,8,9,10}', '{A.5.1}'),
	(:acme, 'IA-2', '2025-09-01', '2025-09-01', 'Ravi', '{9.2}', '{}'),
	(:acme, 'IA-3', '2026-05-15', NULL, NULL, '{}', '{A.5.3}'),
	(:acme, 'IA-4', '2027-03-01', NULL, NULL, '{}', '{A.5.2}');

-- nonconformities: NC-1 major closed in the period, NC-2 minor overdue
-- (a finding of IA-1), NC-3 minor without due date, NC-4 minor closed in
-- the period without root cause or verification, NC-5 an opportunity of
-- the period, NC-6 one closed before it, NC-7 raised after it
INSERT INTO iso27001.nonconformity (scope_id, nc_id, source, grade, clause, control, description, raised_on, due_date,
									closed_on, root_cause, corrective_action, verification, verified_on, accepted_on,
									internal_audit_id) VALUES
	(:acme, 'NC-1', 'certification_audit', 'major', '8.1', NULL, 'No change control', '2025-11-01', '2026-02-01',
	 '2026-03-01', 'r', 'c', 'v', '2026-03-15', '2026-01-15', NULL),
	(:acme, 'NC-2', 'internal_audit', 'minor', '9.2.2', NULL, 'No audit criteria', '2026-02-11', '2026-04-30',
	 NULL, NULL, NULL, NULL, NULL, NULL, 'IA-1'),
	(:acme, 'NC-3', 'other', 'minor', NULL, 'A.5.1', 'Policy not read', '2026-05-01', NULL,
	 NULL, NULL, NULL, NULL, NULL, NULL, NULL),
	(:acme, 'NC-4', 'incident', 'minor', '7.2', NULL, 'Untrained admin', '2025-10-01', '2026-01-31',
	 '2026-01-20', NULL, NULL, NULL, NULL, NULL, NULL),
	(:acme, 'NC-5', 'other', 'opportunity', '10.1', NULL, 'Automate evidence', '2026-03-01', NULL,
	 NULL, NULL, NULL, NULL, NULL, NULL, NULL),
	(:acme, 'NC-6', 'other', 'opportunity', '10.1', NULL, 'Old idea', '2025-05-01', NULL,
	 '2025-06-01', NULL, NULL, NULL, NULL, NULL, NULL),
	(:acme, 'NC-7', 'other', 'major', '6.1.3', NULL, 'Later', '2026-07-05', NULL,
	 NULL, NULL, NULL, NULL, NULL, NULL, NULL);

-- six monthly campaigns of 1000 in the period, the rate rising by exactly
-- one point a month (a month: a twelfth of the Gregorian year, 2629746 s)
-- from 10 to 15 %, and one campaign before the period (90 %) left out
INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, events, trials)
SELECT :acme, 'phishing_click_rate', '2026-01-01'::timestamptz + k * interval '2629746 seconds', 100 + 10 * k, 1000
  FROM generate_series(0, 5) k
UNION ALL SELECT :acme, 'phishing_click_rate', '2025-12-01', 900, 1000;
INSERT INTO iso27001.behaviour_target (scope_id, metric, target, due_date) VALUES
	(:acme, 'phishing_click_rate', 0.05, '2026-12-31'), (:acme, 'phishing_report_rate', 0.5, NULL);

-- the reviews: MR-2025 held before the period with five actions, MR-2026
-- held in it with one, MR-2027 being prepared
INSERT INTO iso27001.management_review (scope_id, review_id, held_on, chair, attendees, issues_changes,
										interested_parties_changes, interested_parties_feedback) VALUES
	(:acme, 'MR-2025', '2025-12-15', 'CEO', '{CEO,CISO}', 'New cloud provider', NULL, 'Customers happy'),
	(:acme, 'MR-2026', '2026-06-20', 'CEO', '{CEO,CISO,CFO}', 'NIS2 applies', 'Customer asks for SOC 2', NULL),
	(:acme, 'MR-2027', NULL, NULL, '{}', NULL, NULL, 'Auditor praised the training');
INSERT INTO iso27001.management_review_action (scope_id, review_id, action_id, kind, action, owner, due_date, done_on) VALUES
	(:acme, 'MR-2025', '1', 'improvement', 'Automate access reviews', 'IT', '2026-03-31', '2026-02-10'),
	(:acme, 'MR-2025', '2', 'isms_change', 'Extend the scope to Lyon', 'CISO', '2026-05-31', NULL),
	(:acme, 'MR-2025', '3', 'resource_need', 'Hire an analyst', 'CFO', '2026-09-30', NULL),
	(:acme, 'MR-2025', '4', 'improvement', 'Monthly phishing drills', 'HR', '2026-06-30', '2026-07-15'),
	(:acme, 'MR-2025', '5', 'improvement', 'Old action', 'IT', '2025-12-20', '2025-12-20'),
	(:acme, 'MR-2026', '1', 'improvement', 'Bug bounty', 'CISO', '2026-12-31', NULL);

-- the risk register (accepted up to level 6): R-1 in treatment since
-- before the period, 4 x 4 = 16; R-2 identified and accepted in it; R-3
-- identified and closed in it; R-4 identified after it
INSERT INTO iso27001.risk_scale (scope_id, acceptance_level) VALUES (:acme, 6);
INSERT INTO iso27001.risk (scope_id, risk_id, description, owner, likelihood, impact, treatment, controls, status,
						   identified_on, accepted_on, accepted_by, closed_on) VALUES
	(:acme, 'R-1', 'Account takeover', 'CISO', 4, 4, 'modify', '{A.5.1}', 'in treatment', '2025-11-01', NULL, NULL, NULL),
	(:acme, 'R-2', 'Lost badge', 'Facilities', 1, 2, 'retain', '{}', 'accepted', '2026-02-01', '2026-03-01', 'Facilities', NULL),
	(:acme, 'R-3', 'Old server', 'CTO', 3, 3, NULL, '{}', 'closed', '2026-03-01', NULL, NULL, '2026-05-01'),
	(:acme, 'R-4', 'New supplier', 'CTO', 2, 4, NULL, '{}', 'open', '2026-08-01', NULL, NULL, NULL);

CREATE TEMP TABLE pack AS SELECT iso27001.management_review_pack('acme', '2026-01-01', '2026-06-30') AS p;
CREATE TEMP TABLE i AS SELECT p -> 'inputs' AS i FROM pack;

-- a) MR-2025 1 done in the period, 2 overdue (due 05-31: 30 days on
-- 06-30), 3 open, 4 open on 06-30 (due that day, done after), 5 done
-- before the period (left out); MR-2026 1 open
SELECT is((SELECT jsonb_build_object('done', i #> '{previous_actions,done}', 'open', i #> '{previous_actions,open}',
									 'overdue', i #> '{previous_actions,overdue}') FROM i),
		  '{"done": 1, "open": 3, "overdue": 1}', 'a) one done, three open, one overdue (by hand)');
SELECT results_eq($$SELECT x ->> 'review_id', x ->> 'action_id', x ->> 'status', (x ->> 'days_overdue')::integer
					  FROM i, jsonb_array_elements(i #> '{previous_actions,actions}') x$$,
				  $$VALUES ('MR-2025', '1', 'done', NULL::integer), ('MR-2025', '2', 'overdue', 30),
						   ('MR-2025', '3', 'open', NULL), ('MR-2025', '4', 'open', NULL), ('MR-2026', '1', 'open', NULL)$$,
				  'a) the actions in review order with their status on 2026-06-30');
SELECT is((SELECT i #> '{previous_actions,last_review}' FROM i), '{"held_on": "2026-06-20", "review_id": "MR-2026"}',
		  'a) the last review held by the period''s end');

-- b), c), e): the changes noted on MR-2026 (in the period) and MR-2027
-- (being prepared); MR-2025's are before the period
SELECT is((SELECT i #> '{issues_changes,reviews}' FROM i),
		  '[{"change": "NIS2 applies", "held_on": "2026-06-20", "review_id": "MR-2026"}]', 'b) the issues noted in the period');
SELECT is((SELECT i #> '{interested_parties_changes,reviews}' FROM i),
		  '[{"change": "Customer asks for SOC 2", "held_on": "2026-06-20", "review_id": "MR-2026"}]',
		  'c) the needs and expectations noted in the period');
SELECT is((SELECT i #> '{interested_parties_feedback,reviews}' FROM i),
		  '[{"feedback": "Auditor praised the training", "held_on": null, "review_id": "MR-2027"}]',
		  'e) the feedback noted on the review being prepared');
-- the SoA between 2026-01-01 and 2026-07-01: A.5.3 and A.7.4 re-decided,
-- A.5.1 re-justified, ORG-1 added; version 2 approved on 2026-03-11
SELECT is((SELECT (i #> '{issues_changes,soa_changes}') - 'decisions' - 'approved_versions' FROM i),
		  '{"added": 1, "removed": 0, "re_decided": 2, "re_justified": 1, "details_changed": 0}',
		  'b) the SoA''s changes in the period counted (by hand)');
SELECT results_eq($$SELECT x ->> 'control', x ->> 'change', x ->> 'from', x ->> 'to'
					  FROM i, jsonb_array_elements(i #> '{issues_changes,soa_changes,decisions}') x$$,
				  $$VALUES ('A.5.3', 're-decided', 'applicable, implemented (risk treatment)', 'applicable, partially implemented (risk treatment)'),
						   ('A.7.4', 're-decided', 'excluded', 'applicable, not implemented (risk treatment)'),
						   ('ORG-1', 'added', NULL, 'applicable, implemented (risk treatment)')$$,
				  'b) the decisions changed, in control order');
SELECT is((SELECT jsonb_path_query_array(i, '$.issues_changes.soa_changes.approved_versions[*].version') FROM i),
		  '[2]', 'b) version 2 approved in the period, version 1 before it');

-- d) 1) by grade (by hand): major NC-1 closed; minor NC-2 and NC-3 raised
-- and open, NC-2 overdue, NC-4 closed; opportunity NC-5 raised and open;
-- NC-6 before the period and NC-7 after it count nowhere
SELECT is((SELECT i #> '{nonconformities,by_grade}' FROM i),
		  '{"major": {"open": 0, "closed": 1, "raised": 0, "overdue": 0},
			"minor": {"open": 2, "closed": 1, "raised": 2, "overdue": 1},
			"opportunity": {"open": 1, "closed": 0, "raised": 1, "overdue": 0}}',
		  'd) 1) nonconformities raised, closed, open and overdue by grade');
SELECT is((SELECT i #> '{nonconformities,check}' FROM i),
		  '[{"rule": "ACTION_OVERDUE", "count": 1, "severity": "error"},
			{"rule": "CLOSED_WITHOUT_ROOT_CAUSE", "count": 1, "severity": "error"},
			{"rule": "CLOSED_WITHOUT_VERIFICATION", "count": 1, "severity": "error"},
			{"rule": "NO_DUE_DATE", "count": 1, "severity": "warning"}]',
		  'd) 1) the register''s rules on 2026-06-30: NC-2 overdue, NC-4 closed bare, NC-3 undated');

-- d) 2) one point a month exactly, over the six campaigns of the period
SELECT results_eq($$SELECT x ->> 'metric', (x ->> 'n')::integer, round((x ->> 'slope_per_month')::numeric, 10),
						   x ->> 'verdict', round((x ->> 'fitted_last')::numeric, 10)
					  FROM i, jsonb_array_elements(i #> '{monitoring,metrics}') x$$,
				  $$VALUES ('phishing_click_rate', 6, 0.01::numeric, 'worsening', 0.15::numeric)$$,
				  'd) 2) the click rate: 6 campaigns, +1 point a month, worsening, 15 % last (by hand)');
SELECT is((SELECT i #> '{monitoring,metrics,0}' FROM i),
		  (SELECT jsonb_build_object('metric', t.metric, 'verdict', t.verdict, 'n', t.n, 'slope_per_month', t.slope_per_month,
									 'p_value', t.p_value, 'fitted_last', t.fitted_last, 'target', t.target,
									 'target_status', t.target_status)
			 FROM iso27001.behaviour_trend_between('2026-01-01', '2026-06-30') t WHERE t.scope = 'acme' AND t.cohort = ''),
		  'd) 2) as behaviour_trend_between shows it for the period');
-- d) 4) the target of 5 % by 2026-12-31 is not met and off track (the
-- trend rises); the report rate has a target and no observations
SELECT results_eq($$SELECT x ->> 'metric', (x ->> 'met')::boolean, x ->> 'status'
					  FROM i, jsonb_array_elements(i #> '{objectives,targets}') x$$,
				  $$VALUES ('phishing_click_rate', false, 'off track'), ('phishing_report_rate', NULL, 'no observations')$$,
				  'd) 4) the objectives: one off track, one without observations');

-- d) 3) the surveillance audit of the period; IA-1 held in it with its
-- finding NC-2 open; the programme: 30 requirements and A.5.1 audited,
-- A.5.2 planned (IA-4), A.5.3 overdue (IA-3 past its day), A.5.4 and A.7.4
-- not covered; the programme's rules on 06-30
SELECT is((SELECT i #> '{audits,certification_audits}' FROM i),
		  '[{"kind": "surveillance", "note": null, "on_date": "2026-03-05"}]', 'd) 3) the certification audit of the period');
SELECT is((SELECT i #> '{audits,internal_audits}' FROM i),
		  '[{"title": null, "auditor": "Ravi", "held_on": "2026-02-10", "audit_id": "IA-1", "findings": 1, "open_findings": 1}]',
		  'd) 3) the internal audit held in the period with its findings');
SELECT is((SELECT (i #> '{audits,programme}') - 'gaps' FROM i),
		  '{"audited": 31, "overdue": 1, "planned": 1, "not_covered": 2, "period_end": "2028-03-13",
			"period_start": "2025-03-14", "programme_id": "IAP"}', 'd) 3) the programme''s coverage counted (by hand)');
SELECT is((SELECT jsonb_path_query_array(i, '$.audits.programme.gaps[*].item') FROM i),
		  '["A.5.3", "A.5.4", "A.7.4"]', 'd) 3) the gaps: A.5.3 overdue, A.5.4 and A.7.4 not covered');
SELECT is((SELECT i #> '{audits,check}' FROM i),
		  '[{"rule": "AUDIT_OVERDUE", "count": 1, "severity": "error"}, {"rule": "NOT_COVERED", "count": 3, "severity": "error"}]',
		  'd) 3) the programme''s rules: IA-3 overdue, three items not covered');

-- f) on 2026-06-30: A.5.1, ORG-1 implemented, A.5.2 planned (implemented
-- only in August), A.5.3 partially, A.7.4 not implemented; A.5.4 is for
-- legal reasons only
SELECT is((SELECT (i -> 'risk_treatment') - 'to_do' - 'label' - 'clause' - 'risks' FROM i),
		  '{"planned": 1, "controls": 5, "implemented": 2, "not_implemented": 1, "partially_implemented": 1}',
		  'f) the risk treatment controls by implementation state (by hand)');
SELECT is((SELECT jsonb_path_query_array(i, '$.risk_treatment.to_do[*].control') FROM i),
		  '["A.5.2", "A.5.3", "A.7.4"]', 'f) those not implemented');
SELECT is((SELECT i #> '{risk_treatment,risks}' FROM i),
		  '{"identified": 3, "identified_in_period": 2, "accepted_in_period": 1, "closed_in_period": 1, "open": 1,
			"open_above_acceptance": [{"risk_id": "R-1", "level": 16, "acceptance_level": 6, "treatment": "modify", "owner": "CISO"}]}',
		  'f) the risk register: R-1 to R-3 identified by the period''s end, R-2 accepted and R-3 closed in it, R-1 open above 6 (by hand)');

-- g) NC-5, and the improvement actions still open on 06-30: MR-2025 4
-- (done after) and MR-2026 1
SELECT is((SELECT jsonb_path_query_array(i, '$.opportunities.nonconformities[*].nc_id') FROM i),
		  '["NC-5"]', 'g) the opportunities raised in the period or open');
SELECT is((SELECT jsonb_path_query_array(i, '$.opportunities.improvement_actions[*].review_id') FROM i),
		  '["MR-2025", "MR-2026"]', 'g) the improvement actions open on the period''s end');

-- the envelope and the digest
SELECT is((SELECT p -> 'period' FROM pack), '{"end": "2026-06-30", "start": "2026-01-01", "dates_in_time_zone": "UTC"}',
		  'the period and its time zone');
SELECT is((SELECT p ->> 'data_sha256' FROM pack),
		  (SELECT encode(sha256(convert_to(jsonb_build_object('scope', p -> 'scope', 'period', p -> 'period',
															   'inputs', p -> 'inputs')::text, 'UTF8')), 'hex') FROM pack),
		  'the digest is the SHA-256 of the text of scope, period and inputs, as digest_of says');
SELECT is((SELECT p - 'generated_at' FROM pack),
		  iso27001.management_review_pack('acme', '2026-01-01', '2026-06-30') - 'generated_at', 'a second call gives the same pack');
CREATE ROLE iso27001_mr_auditor NOLOGIN;
SELECT iso27001.grant_auditor('iso27001_mr_auditor') \g /dev/null
SET LOCAL ROLE iso27001_mr_auditor;
CREATE TEMP TABLE pack_by_auditor AS SELECT iso27001.management_review_pack('acme', '2026-01-01', '2026-06-30') AS p;
RESET ROLE;
SELECT is((SELECT p ->> 'generated_by' FROM pack_by_auditor), 'iso27001_mr_auditor', 'the auditor runs the pack');
SELECT is((SELECT p ->> 'data_sha256' FROM pack_by_auditor), (SELECT p ->> 'data_sha256' FROM pack),
		  'generated by another role, the same data give the same digest');
UPDATE iso27001.management_review_action SET done_on = '2026-06-29' WHERE review_id = 'MR-2025' AND action_id = '2';
SELECT isnt(iso27001.management_review_pack('acme', '2026-01-01', '2026-06-30') ->> 'data_sha256',
			(SELECT p ->> 'data_sha256' FROM pack), 'an action done changes the digest');
UPDATE iso27001.management_review_action SET done_on = NULL WHERE review_id = 'MR-2025' AND action_id = '2';
SELECT is(iso27001.management_review_pack('acme', '2026-01-01', '2026-06-30') ->> 'data_sha256',
		  (SELECT p ->> 'data_sha256' FROM pack), 'and undone, the digest is back');

-- the pack of an empty scope, written out by hand, and its digest
-- computed outside PostgreSQL: Python's hashlib over the text of this
-- object as jsonb writes it (keys by length, then bytewise; ", " and ": ")
SELECT is((SELECT jsonb_build_object('scope', p -> 'scope', 'period', p -> 'period', 'inputs', p -> 'inputs')
			 FROM iso27001.management_review_pack('beta', '2026-01-01', '2026-06-30') p),
		  '{"scope": "beta", "period": {"start": "2026-01-01", "end": "2026-06-30", "dates_in_time_zone": "UTC"}, "inputs": {"previous_actions": {"clause": "9.3.2 a)", "label": "status of actions from previous management reviews", "last_review": null, "done": 0, "open": 0, "overdue": 0, "actions": []}, "issues_changes": {"clause": "9.3.2 b)", "label": "changes in external and internal issues", "reviews": [], "soa_changes": {"re_decided": 0, "added": 0, "removed": 0, "re_justified": 0, "details_changed": 0, "decisions": [], "approved_versions": []}}, "interested_parties_changes": {"clause": "9.3.2 c)", "label": "changes in needs and expectations of interested parties", "reviews": []}, "nonconformities": {"clause": "9.3.2 d) 1)", "label": "nonconformities and corrective actions", "by_grade": {"major": {"open": 0, "closed": 0, "raised": 0, "overdue": 0}, "minor": {"open": 0, "closed": 0, "raised": 0, "overdue": 0}, "opportunity": {"open": 0, "closed": 0, "raised": 0, "overdue": 0}}, "check": []}, "monitoring": {"clause": "9.3.2 d) 2)", "label": "monitoring and measurement results", "metrics": []}, "audits": {"clause": "9.3.2 d) 3)", "label": "audit results", "certification_audits": [], "internal_audits": [], "programme": null, "check": []}, "objectives": {"clause": "9.3.2 d) 4)", "label": "fulfilment of information security objectives", "targets": []}, "interested_parties_feedback": {"clause": "9.3.2 e)", "label": "feedback from interested parties", "reviews": []}, "risk_treatment": {"clause": "9.3.2 f)", "label": "status of the risk treatment plan (controls of the SoA included for risk treatment, and the risk register)", "controls": 0, "implemented": 0, "partially_implemented": 0, "planned": 0, "not_implemented": 0, "to_do": [], "risks": {"identified": 0, "identified_in_period": 0, "accepted_in_period": 0, "closed_in_period": 0, "open": 0, "open_above_acceptance": []}}, "opportunities": {"clause": "9.3.2 g)", "label": "opportunities for continual improvement", "nonconformities": [], "improvement_actions": []}}}'::jsonb,
		  'the pack of a scope with nothing recorded, input by input');
SELECT is(iso27001.management_review_pack('beta', '2026-01-01', '2026-06-30') ->> 'data_sha256',
		  '8b4b5b04480aa8a5a0249e56374e44848bac7e94cd45d35e17a1839a9d54c14d',
		  'its digest: the SHA-256 of that text by an independent implementation (Python hashlib)');

-- errors
SELECT throws_ok($$SELECT iso27001.management_review_pack(NULL, '2026-01-01', '2026-06-30')$$, '22004',
				 'scope must not be null', 'a NULL scope: 22004');
SELECT throws_ok($$SELECT iso27001.management_review_pack('nope', '2026-01-01', '2026-06-30')$$, '22023',
				 'ISMS scope "nope" does not exist', 'an unknown scope: 22023');
SELECT throws_ok($$SELECT iso27001.management_review_pack('acme', '2026-06-30', '2026-01-01')$$, '22023',
				 'period_end (2026-01-01) is before period_start (2026-06-30)', 'the end before the start: 22023');
SELECT throws_ok($$SELECT iso27001.management_review_pack('acme', '-infinity', '2026-01-01')$$, '22008',
				 'period_start and period_end must be finite dates', 'an infinite date: 22008');
SELECT throws_ok($$SELECT iso27001.management_review_pack('acme', '2026-01-01', NULL)$$, '22004',
				 'period_start and period_end must not be null', 'a NULL date: 22004');

-- the rows' rules, each with its own message
SELECT throws_ok($$INSERT INTO iso27001.management_review (scope_id, review_id) VALUES ((SELECT iso27001.soa_scope_id('acme')), ' ')$$,
				 '23514', 'a management review needs an identifier of 1 to 100 characters without control characters', 'a blank review id');
SELECT throws_ok($$INSERT INTO iso27001.management_review (scope_id, review_id, held_on, chair) VALUES ((SELECT iso27001.soa_scope_id('acme')), 'X', 'infinity', 'CEO')$$,
				 '22008', 'held_on of management review X must be a finite date', 'an infinite held_on: 22008');
SELECT throws_ok($$INSERT INTO iso27001.management_review (scope_id, review_id, held_on) VALUES ((SELECT iso27001.soa_scope_id('acme')), 'X', '2026-01-01')$$,
				 '23514', 'held management review X names no chair', 'held without a chair');
SELECT throws_ok($$INSERT INTO iso27001.management_review (scope_id, review_id, held_on, chair) VALUES ((SELECT iso27001.soa_scope_id('acme')), 'X', CURRENT_DATE + 1, 'CEO')$$,
				 '23514', format('management review X cannot have been held on %s (after today)', CURRENT_DATE + 1), 'held tomorrow');
SELECT throws_ok($$INSERT INTO iso27001.management_review (scope_id, review_id, attendees) VALUES ((SELECT iso27001.soa_scope_id('acme')), 'X', '{CEO,NULL}')$$,
				 '22004', 'the attendees of management review X must not contain NULL', 'a NULL attendee: 22004');
SELECT throws_ok($$UPDATE iso27001.management_review SET held_on = '2025-12-25' WHERE review_id = 'MR-2025'$$,
				 '23514', 'management review MR-2025 cannot be held on 2025-12-25: one of its actions is due or done on 2025-12-20', 'held after one of its actions was done');
SELECT throws_ok($$UPDATE iso27001.management_review SET held_on = NULL WHERE review_id = 'MR-2026'$$,
				 '23514', 'management review MR-2026 has decided actions and cannot be unheld', 'unheld with actions');
SELECT throws_ok($$INSERT INTO iso27001.management_review_action (scope_id, review_id, action_id, kind, action) VALUES ((SELECT iso27001.soa_scope_id('acme')), 'MR-2026', '9', 'wish', 'x')$$,
				 '23514', 'unknown kind of a management review action: "wish"', 'an unknown kind');
SELECT throws_ok($$INSERT INTO iso27001.management_review_action (scope_id, review_id, action_id, kind, action) VALUES ((SELECT iso27001.soa_scope_id('acme')), 'MR-2026', '9', 'improvement', ' ')$$,
				 '23514', 'management review action 9 needs the decision or action it records', 'no action text');
SELECT throws_ok($$INSERT INTO iso27001.management_review_action (scope_id, review_id, action_id, kind, action) VALUES ((SELECT iso27001.soa_scope_id('acme')), 'MR-2027', '9', 'improvement', 'x')$$,
				 '23514', 'management review action 9 names review MR-2027, which is not held', 'an action of a review not held');
SELECT throws_ok($$INSERT INTO iso27001.management_review_action (scope_id, review_id, action_id, kind, action, due_date) VALUES ((SELECT iso27001.soa_scope_id('acme')), 'MR-2026', '9', 'improvement', 'x', '2026-06-01')$$,
				 '23514', 'due_date of management review action 9 (2026-06-01) is before review MR-2026 was held (2026-06-20)', 'due before the review');
SELECT throws_ok($$INSERT INTO iso27001.management_review_action (scope_id, review_id, action_id, kind, action, done_on) VALUES ((SELECT iso27001.soa_scope_id('acme')), 'MR-2026', '9', 'improvement', 'x', 'infinity')$$,
				 '22008', 'done_on of management review action 9 must be a finite date', 'an infinite done_on: 22008');

-- the BI view: the status as of today
SELECT results_eq($$SELECT review_id, action_id, status, days_overdue FROM iso27001_bi.management_review_action
					 WHERE scope = 'acme' AND review_id = 'MR-2025' ORDER BY action_id$$,
				  $$VALUES ('MR-2025', '1', 'done', NULL::integer), ('MR-2025', '2', 'overdue', CURRENT_DATE - '2026-05-31'::date),
						   ('MR-2025', '3', CASE WHEN CURRENT_DATE > '2026-09-30' THEN 'overdue' ELSE 'open' END,
							CASE WHEN CURRENT_DATE > '2026-09-30' THEN CURRENT_DATE - '2026-09-30'::date END),
						   ('MR-2025', '4', 'done', NULL), ('MR-2025', '5', 'done', NULL)$$,
				  'iso27001_bi.management_review_action: done, or overdue since the due date');

SELECT * FROM finish();
ROLLBACK;
