-- The risk register behind the SoA (issue 17 item 3): scales, the rules of
-- a risk row, levels, the register's own rules, the validator's rules
-- RISK_TREATMENT_WITHOUT_RISK and EXCLUDED_WITH_OPEN_RISK, and the links
-- in the exports and the OSCAL plan of action.
\ir ../include/preamble.sql

DO $$
BEGIN
	PERFORM iso27001.create_scope('acme');
	PERFORM iso27001.create_scope('beta');
	PERFORM iso27001.soa_set('acme', 'A.5.1', 'applicable, implemented (risk treatment)', 'RA-1', evidence => '{https://e.example/1}');
	PERFORM iso27001.soa_set('acme', 'A.5.2', 'excluded', 'No roles to define');
	PERFORM iso27001.soa_set('acme', 'A.8.8', 'applicable, planned (risk treatment)', 'RA-1');
	PERFORM iso27001.soa_set('acme', 'A.8.9', 'applicable, planned (risk treatment, legal)', 'RA-2');
	PERFORM iso27001.soa_set_custom('acme', 'ORG-1', 'Phishing simulation', 'applicable, implemented (risk treatment)', 'RA-1',
									evidence => '{https://e.example/2}');
END $$;
SELECT iso27001.soa_scope_id('acme') AS acme \gset

-- a 4 x 4 scale, levels 1 to 16, accepted up to 6
INSERT INTO iso27001.risk_scale VALUES (:acme, 4, 4, 6, '{rare,unlikely,likely,almost certain}',
										'{minor,moderate,major,severe}');
INSERT INTO iso27001.risk (scope_id, risk_id, description, owner, likelihood, impact, treatment, controls, status, identified_on)
VALUES (:acme, 'R-1', 'Phishing leads to account takeover', 'CISO', 3, 4, 'modify', '{5.1, A.8.8, ORG-1, 5.1}', 'in treatment', '2026-01-10'),
	   (:acme, 'R-3', 'Supplier outage', NULL, NULL, NULL, NULL, '{}', 'open', '2026-02-01'),
	   (:acme, 'R-4', 'Ransomware', 'CTO', 4, 4, NULL, '{A.5.2}', 'open', '2026-02-02');
INSERT INTO iso27001.risk (scope_id, risk_id, description, owner, likelihood, impact, treatment, status,
						   identified_on, accepted_on, accepted_by)
VALUES (:acme, 'R-2', 'Lost badge', 'Facilities', 1, 2, 'retain', 'accepted', '2026-01-10', '2026-01-20', 'Facilities');
INSERT INTO iso27001.risk (scope_id, risk_id, description, owner, likelihood, impact, status, identified_on, closed_on)
VALUES (:acme, 'R-5', 'Old mainframe', 'CTO', 4, 4, 'closed', '2025-01-10', '2025-12-01');

SELECT plan(42);

-- the row and its rules
SELECT is((SELECT controls FROM iso27001.risk WHERE risk_id = 'R-1'), '{A.5.1,A.8.8,ORG-1}'::text[],
		  'the linked controls as the register keys them, each once');
SELECT is((SELECT recorded_by FROM iso27001.risk WHERE risk_id = 'R-1'), current_user::text, 'who recorded the risk');
SELECT throws_ok(format($$INSERT INTO iso27001.risk (scope_id, risk_id, description, treatment) VALUES (%s, 'R-9', 'x', 'reduce')$$, :acme),
				 '23514', 'unknown treatment option of risk R-9: "reduce"', 'a treatment option outside modify, retain, avoid, share');
SELECT throws_ok(format($$INSERT INTO iso27001.risk (scope_id, risk_id, description, treatment) VALUES (%s, 'R-9', 'x', 'modify')$$, :acme),
				 '23514', 'risk R-9 is modified by controls and names none', 'modify without a control');
SELECT throws_ok(format($$INSERT INTO iso27001.risk (scope_id, risk_id, description, controls) VALUES (%s, 'R-9', 'x', '{A.7.2.2}')$$, :acme),
				 '23503', 'risk R-9 names control A.7.2.2, which the SoA of scope "acme" does not have', 'a control of the other edition');
SELECT throws_ok(format($$INSERT INTO iso27001.risk (scope_id, risk_id, description, controls) VALUES (%s, 'R-9', 'x', '{ORG-9}')$$, :acme),
				 '23503', 'risk R-9 names control ORG-9, which the SoA of scope "acme" does not have', 'an organization-defined key the SoA lacks');
SELECT throws_ok(format($$INSERT INTO iso27001.risk (scope_id, risk_id, description, likelihood) VALUES (%s, 'R-9', 'x', 5)$$, :acme),
				 '23514', 'the likelihood of risk R-9 must be between 1 and 4', 'a likelihood beyond the scope''s 4 levels');
SELECT throws_ok(format($$INSERT INTO iso27001.risk (scope_id, risk_id, description, residual_impact) VALUES (%s, 'R-9', 'x', 0)$$, :acme),
				 '23514', 'the impact of risk R-9 must be between 1 and 4', 'a residual impact of 0');
SELECT lives_ok(format($$INSERT INTO iso27001.risk (scope_id, risk_id, description, likelihood) VALUES (%s, 'B-1', 'x', 5)$$,
					   iso27001.soa_scope_id('beta')),
				'without a scale row the scale is 5 x 5');
SELECT throws_ok(format($$INSERT INTO iso27001.risk (scope_id, risk_id, description, status) VALUES (%s, 'R-9', 'x', 'accepted')$$, :acme),
				 '23514', 'risk R-9 is accepted without the date and who accepted it', 'an acceptance needs its date and owner');
SELECT throws_ok(format($$INSERT INTO iso27001.risk (scope_id, risk_id, description, status) VALUES (%s, 'R-9', 'x', 'closed')$$, :acme),
				 '23514', 'risk R-9 is closed without the date it was closed', 'a closing needs its date');
SELECT throws_ok(format($$INSERT INTO iso27001.risk (scope_id, risk_id, description, status) VALUES (%s, 'R-9', 'x', 'gone')$$, :acme),
				 '23514', 'unknown status of risk R-9: "gone"', 'an unknown status');
SELECT throws_ok(format($$INSERT INTO iso27001.risk (scope_id, risk_id, description, identified_on, closed_on, status)
						  VALUES (%s, 'R-9', 'x', '2026-03-01', '2026-02-01', 'closed')$$, :acme),
				 '23514', 'closed_on of risk R-9 (2026-02-01) is before it was identified (2026-03-01)', 'closed before identified');
SELECT throws_ok(format($$INSERT INTO iso27001.risk (scope_id, risk_id, description, identified_on) VALUES (%s, 'R-9', 'x', 'infinity')$$, :acme),
				 '22008', 'identified_on of risk R-9 must be a finite date', 'an infinite date');
SELECT throws_ok(format($$INSERT INTO iso27001.risk (scope_id, risk_id, description) VALUES (%s, ' ', 'x')$$, :acme),
				 '23514', 'a risk needs an identifier of 1 to 100 characters without control characters', 'a blank identifier');
SELECT throws_ok(format($$INSERT INTO iso27001.risk (scope_id, risk_id, description) VALUES (%s, 'R-9', '  ')$$, :acme),
				 '23514', 'risk R-9 needs a description', 'a blank description');
-- the scale's rules
SELECT throws_ok(format($$INSERT INTO iso27001.risk_scale (scope_id, likelihood_levels) VALUES (%s, 1)$$, iso27001.soa_scope_id('beta')),
				 '23514', 'a risk scale has 2 to 10 levels, not 1 × 5', 'one level is no scale');
SELECT throws_ok(format($$UPDATE iso27001.risk_scale SET acceptance_level = 17 WHERE scope_id = %s$$, :acme),
				 '23514', 'the acceptance level must be between 1 and 16, not 17', 'an acceptance level off the grid');
SELECT throws_ok(format($$UPDATE iso27001.risk_scale SET likelihood_levels = 3 WHERE scope_id = %s$$, :acme),
				 '23514', 'a risk scale names each of its levels once', 'three levels with four names');
SELECT throws_ok(format($$UPDATE iso27001.risk_scale SET likelihood_levels = 3, likelihood_labels = NULL WHERE scope_id = %s$$, :acme),
				 '23514', 'the scope''s risks use levels beyond 3 × 4', 'a scale shrunk below its risks'' levels');

-- levels: likelihood x impact against the acceptance level
SELECT results_eq($$SELECT risk_id, level, above_acceptance, is_open FROM iso27001.risk_level
					WHERE scope_id = iso27001.soa_scope_id('acme') ORDER BY risk_id$$,
				  $$VALUES ('R-1', 12, true, true), ('R-2', 2, false, false), ('R-3', NULL::integer, NULL::boolean, true),
						   ('R-4', 16, true, true), ('R-5', 16, true, false)$$,
				  'levels 3 x 4 = 12 and 4 x 4 = 16 above 6, 1 x 2 = 2 within; open: open and in treatment');

-- the register's rules, over its open risks
SELECT results_eq($$SELECT risk_id, rule, severity FROM iso27001.risk_check('acme')$$,
				  $$VALUES ('R-4', 'NO_TREATMENT', 'error'), ('R-3', 'NOT_ASSESSED', 'warning'), ('R-3', 'NO_OWNER', 'warning')$$,
				  'risk_check: R-4 above the acceptance level without a treatment; R-3 without owner and assessment; the closed R-5 not');
SELECT throws_ok($$SELECT * FROM iso27001.risk_check('nope')$$, '22023', 'ISMS scope "nope" does not exist', 'risk_check of an unknown scope');

-- the validator: a control included for risk treatment with no risk
-- behind it (A.8.9: R-1 names A.5.1, A.8.8 and ORG-1), and an excluded
-- control an open risk relies on (A.5.2, by R-4)
SELECT results_eq($$SELECT rule, severity, control_key FROM iso27001.soa_validate('acme')
					 WHERE rule IN ('RISK_TREATMENT_WITHOUT_RISK', 'EXCLUDED_WITH_OPEN_RISK')$$,
				  $$VALUES ('EXCLUDED_WITH_OPEN_RISK', 'error', 'A.5.2'), ('RISK_TREATMENT_WITHOUT_RISK', 'warning', 'A.8.9')$$,
				  'the validator: A.5.2 excluded while R-4 relies on it (error), A.8.9 included for risk treatment without a risk (warning)');
SELECT alike((SELECT message FROM iso27001.soa_validate('acme') WHERE rule = 'EXCLUDED_WITH_OPEN_RISK'),
			'%R-4%', 'the finding names the open risk');
UPDATE iso27001.risk SET status = 'closed', closed_on = '2026-03-01' WHERE risk_id = 'R-4';
SELECT is((SELECT count(*) FROM iso27001.soa_validate('acme') WHERE rule = 'EXCLUDED_WITH_OPEN_RISK'), 0::bigint,
		  'a closed risk does not hold an exclusion');
UPDATE iso27001.risk SET status = 'open', closed_on = NULL WHERE risk_id = 'R-4';
SELECT is((SELECT count(*) FROM iso27001.soa_validate('beta') WHERE rule IN ('RISK_TREATMENT_WITHOUT_RISK', 'EXCLUDED_WITH_OPEN_RISK')),
		  0::bigint, 'an undecided scope has neither finding');
SELECT throws_like($$SELECT iso27001.soa_approve('acme')$$, '%cannot be approved%',
				   'the approval is refused while an excluded control holds an open risk (among the undecided controls)');

-- the exports carry the links
SELECT results_eq($$SELECT control, risks FROM iso27001.soa_export('acme') WHERE control IN ('A.5.1', 'A.5.2', 'A.8.9', 'ORG-1')$$,
				  $$VALUES ('A.5.1', 'R-1'), ('A.5.2', 'R-4'), ('A.8.9', NULL), ('ORG-1', 'R-1')$$,
				  'soa_export: the risks relying on each control');
SELECT is((SELECT c -> 'risks' FROM jsonb_array_elements(iso27001.soa_export_json('acme') -> 'controls') c
			WHERE c ->> 'control' = 'A.8.8'), '["R-1"]'::jsonb, 'soa_export_json: risks of A.8.8');
SELECT is((SELECT c -> 'risks' FROM jsonb_array_elements(iso27001.soa_export_json('acme') -> 'controls') c
			WHERE c ->> 'control' = 'A.8.9'), '[]'::jsonb, 'soa_export_json: no risk behind A.8.9');

-- the OSCAL plan of action: the open risks (R-1 in treatment, R-3, R-4),
-- not the accepted R-2 or the closed R-5
SELECT is((SELECT array_agg(r ->> 'title' ORDER BY r ->> 'title')
			 FROM jsonb_array_elements(iso27001.oscal_poam('acme') -> 'plan-of-action-and-milestones' -> 'risks') r),
		  '{"Risk R-1","Risk R-3","Risk R-4"}'::text[], 'oscal_poam: the three open risks');
SELECT is((SELECT r ->> 'status' FROM jsonb_array_elements(iso27001.oscal_poam('acme') -> 'plan-of-action-and-milestones' -> 'risks') r
			WHERE r ->> 'title' = 'Risk R-1'), 'remediating', 'a risk in treatment is remediating');
SELECT is((SELECT array_agg(p ->> 'value' ORDER BY p ->> 'value')
			 FROM jsonb_array_elements(iso27001.oscal_poam('acme') -> 'plan-of-action-and-milestones' -> 'risks') r,
				  jsonb_array_elements(r -> 'props') p
			WHERE r ->> 'title' = 'Risk R-1' AND p ->> 'name' IN ('control-id', 'risk-level')),
		  '{12,a.5.1,a.8.8,org-1}'::text[], 'R-1: level 12 and its three controls');
SELECT is((SELECT r ->> 'statement' FROM jsonb_array_elements(iso27001.oscal_poam('acme') -> 'plan-of-action-and-milestones' -> 'risks') r
			WHERE r ->> 'title' = 'Risk R-1'),
		  'Likelihood 3 of 4, impact 4 of 4: level 12, above the acceptance level 6.', 'R-1''s statement');
SELECT is((SELECT count(*) FROM jsonb_array_elements(iso27001.oscal_poam('acme') -> 'plan-of-action-and-milestones' -> 'poam-items') i
			WHERE i -> 'related-risks' -> 0 ->> 'risk-uuid' = iso27001.oscal_uuid('risk/acme/R-4')::text),
		  1::bigint, 'a POA&M item points to R-4');
SELECT throws_ok($$SELECT iso27001.oscal_poam('gamma_none')$$, '22023', NULL, 'an unknown scope');
DO $$ BEGIN PERFORM iso27001.create_scope('gamma'); END $$;
SELECT throws_ok($$SELECT iso27001.oscal_poam('gamma')$$, '22023', 'scope "gamma" has no open nonconformity or risk',
				 'a scope with nothing open has no plan of action');

-- BI
SELECT results_eq($$SELECT risk_id, level, above_acceptance, controls, control_count FROM iso27001_bi.risk
					 WHERE scope = 'acme' AND risk_id IN ('R-1', 'R-2') ORDER BY risk_id$$,
				  $$VALUES ('R-1', 12, true, 'A.5.1, A.8.8, ORG-1', 3), ('R-2', 2, false, '', 0)$$,
				  'iso27001_bi.risk: levels and controls as text');
SELECT results_eq($$SELECT control_id, sort_key, implementation FROM iso27001_bi.risk_control
					 WHERE scope = 'acme' AND risk_id = 'R-1' ORDER BY sort_key NULLS LAST$$,
				  $$VALUES ('A.5.1', 50100, 'implemented'), ('A.8.8', 80800, 'planned'), ('ORG-1', NULL::integer, 'implemented')$$,
				  'iso27001_bi.risk_control: one row per control of R-1, with its implementation');

-- nothing changed by the refusals: five risks of acme, the scale as set
SELECT is((SELECT count(*) FROM iso27001.risk WHERE scope_id = :acme), 5::bigint, 'five risks of acme');
SELECT is((SELECT (likelihood_levels, impact_levels, acceptance_level)::text FROM iso27001.risk_scale WHERE scope_id = :acme),
		  '(4,4,6)', 'the scale as set');

SELECT * FROM finish();
ROLLBACK;
