-- The iso27001 demo, run by tools/demo.sh on a throwaway cluster.
\pset null '(null)'

\echo
\echo '== 1. Install the extension =='
\echo 'CREATE EXTENSION iso27001;   -- everything lives in schema iso27001'
CREATE EXTENSION iso27001;
SET search_path = public, iso27001;

\echo
\echo '== 2. ISO/IEC 27001:2022 Annex A: 93 controls in four themes =='
SELECT theme, count(*) AS controls, min(control) AS first, max(control) AS last
  FROM annex_a_2022 GROUP BY theme ORDER BY theme;

\echo
\echo '== 3. A few controls with their ISO/IEC 27002:2022 attributes =='
SELECT control, title, control_type, cybersecurity_concepts, security_domains
  FROM annex_a_2022
 WHERE control IN ('5.7', '6.3', '6.8', '8.8', '8.16')
 ORDER BY control;

\echo
\echo '== 4. Attributes are typed and filterable: every control tagged #Respond =='
SELECT control, title FROM annex_a_2022
 WHERE 'Respond' = ANY (cybersecurity_concepts) ORDER BY control;

\echo
\echo '== 5. From ISO/IEC 27001:2013 to 2022: where A.7.2.2, A.16.1.2 and A.12.6.1 went =='
SELECT c.control_2013, c.title_2013, c.control_2022, c.title_2022, c.kind,
	   (SELECT string_agg(p::text, ', ') FROM predecessors(c.control_2022) AS p)
		   AS all_2013_predecessors
  FROM correspondence c
 WHERE c.control_2013 IN ('A.7.2.2', 'A.16.1.2', 'A.12.6.1')
 ORDER BY c.control_2013;

\echo
\echo '== 6. The 11 controls new in 2022 (no 2013 predecessor) =='
SELECT control, theme, title FROM annex_a_2022 WHERE is_new ORDER BY control;

\echo
\echo '== 7. The iso_control type: any spelling in, canonical out, natural order =='
SELECT input, input::iso_control AS control, edition(input::iso_control)
  FROM (VALUES ('5.10'), ('a.5.9'), (' A.6.1 '), ('8.34'), ('A.7.2.2'),
			   ('05.1.1')) AS t(input)
 ORDER BY control;

\echo
\echo '== 8. Controls that do not exist are errors that say why (SQLSTATE 22P02) =='
\set ON_ERROR_STOP 0
\set VERBOSITY default
SELECT 'A.5.38'::iso_control;
SELECT 'A.9.5.1'::iso_control;
SELECT 'A.12.6'::iso_control;
\set ON_ERROR_STOP 1

\echo
\echo '== 9. Your own tables use the type and join the catalogue =='
CREATE TABLE risk_treatment (control iso_control PRIMARY KEY, owner text);
INSERT INTO risk_treatment VALUES ('A.8.8', 'IT operations'), ('6.3', 'HR'),
	('5.10', 'Legal'), ('5.9', 'Asset owners');
SELECT r.control, a.theme, a.title, r.owner
  FROM risk_treatment r JOIN annex_a_2022 a USING (control)
 ORDER BY r.control;

\echo
\echo '== 10. A Statement of Applicability: ACME, a remote-only company =='
\echo 'create_scope() gives every Annex A control an undecided entry; decisions are soa_entry values.'
SELECT create_scope('acme', description => 'ACME Ltd, all operations') AS scope_id \gset
SELECT count(soa_set('acme', control,
			CASE WHEN theme = 'Physical' THEN 'excluded'
				 WHEN control = '5.7' THEN 'applicable, planned (risk treatment)'
				 WHEN control = '6.3' THEN 'applicable, implemented (risk treatment, contractual)'
				 WHEN control = '8.11' THEN 'applicable, partially implemented (legal)'
				 ELSE 'applicable, implemented (best practice)' END::soa_entry,
			CASE WHEN theme = 'Physical' THEN 'No premises: the company works remotely.'
				 ELSE 'Risk assessment RA-2026.' END,
			owner => 'CISO',
			evidence => CASE WHEN theme <> 'Physical' AND control NOT IN ('5.7', '8.11', '8.12')
							 THEN ARRAY['https://evidence.example/' || control] END)) AS decisions
  FROM annex_a_2022;
SELECT control_key, entry FROM soa_register
 WHERE scope_id = :scope_id AND control_key IN ('A.5.7', 'A.6.3', 'A.7.4', 'A.8.11')
 ORDER BY control;

\echo
\echo '== 11. Coverage by theme (plain columns, ready for a BI tool) =='
SELECT theme, controls, excluded, applicable, implemented, implemented_share
  FROM soa_coverage('acme');

\echo
\echo '== 12. What an auditor would find (errors block approval; these are warnings) =='
SELECT rule, severity, control_key, message FROM soa_validate('acme');

\echo
\echo '== 13. Approve version 1, change three decisions, approve version 2, compare =='
SELECT soa_approve('acme', approved_by => 'Jane Doe, CISO', note => 'Initial certification') AS version;
SELECT (soa_set('acme', '5.7', 'applicable, implemented (risk treatment)',
				'Threat intelligence feed contracted.', evidence => '{https://evidence.example/5.7}')).entry AS "A.5.7 now";
SELECT (soa_set('acme', '7.4', 'excluded', 'Co-working spaces are monitored by their operators.')).entry AS "A.7.4 now";
SELECT (soa_set_custom('acme', 'ORG-1', 'Quarterly phishing simulation',
					   'applicable, implemented (risk treatment)', 'Risk R-12: phishing.')).entry AS "ORG-1 now";
SELECT soa_approve('acme', 'Jane Doe, CISO', 'Surveillance audit 1') AS version;
SELECT control_key, change, old_entry, new_entry FROM soa_diff('acme', 1, 2);

\echo
\echo '== 14. Migrating a 2013 SoA to 2022 through the correspondence =='
SELECT create_scope('legacy', 2013) AS legacy_id \gset
UPDATE soa_register
   SET entry = CASE control_key WHEN 'A.16.1.3' THEN 'excluded'
								ELSE 'applicable, implemented (legal)' END::soa_entry,
	   justification = 'Decision of the 2013 SoA on ' || control_key
 WHERE scope_id = :legacy_id;
SELECT outcome, count(*) AS controls
  FROM soa_migrate_2013_to_2022('legacy', 'legacy-2022') GROUP BY outcome ORDER BY outcome;
SELECT control_key, entry, needs_review, justification FROM soa_register
 WHERE scope_id = soa_scope_id('legacy-2022') AND control_key IN ('A.6.3', 'A.6.8', 'A.8.8', 'A.5.7')
 ORDER BY control;
\echo

\echo '== 15. A certificate''s cycle: decision 2025-03-14 after stage 2 on 2025-02-20 =='
SELECT cycle, event, due_date, window_start, window_end, requirement, basis
  FROM certification_cycle('2025-03-14', stage1_date => '2025-01-15',
						   stage2_last_day => '2025-02-20', cycles => 2);

\echo
\echo '== 16. Its audit history, with surveillance 1 two weeks late: what the checker says =='
SELECT rule, severity, on_date, detail
  FROM certification_cycle_check('2025-03-14',
		ARRAY[('stage1', '2025-01-15'), ('stage2', '2025-02-20'),
			  ('surveillance', '2026-03-30')]::certification_event[],
		as_of => '2026-11-28');

\echo
\echo '== 17. What is due next on 2026-11-28 (a GRC dashboard''s line) =='
SELECT event, due_date, window_start, window_end, days_left, requirement, note
  FROM certification_next_due('2025-03-14',
		ARRAY[('surveillance', '2026-03-30')]::certification_event[], as_of => '2026-11-28');

\echo
\echo '== 18. Audit time for 450 persons (ISO/IEC 27006:2015 Table B.1), and 3 sites =='
SELECT persons_min, persons_max, table_days, stage1_days, stage2_days,
	   surveillance_days, recertification_days
  FROM isms_audit_time(450);
SELECT * FROM ms_site_sample(3);
\echo
\echo '== 19. Two years of weekly phishing simulations for a 400-person organization =='
-- reproducible: no random(), a deterministic wobble around a slow improvement
CREATE TEMP TABLE phishing AS
SELECT week, sent_at, recipients,
	   round(recipients * (0.18 - 0.10 * week / 103.0 + 0.025 * sin(week * 1.7)))::bigint AS clicks,
	   round(recipients * (0.10 + 0.25 * week / 103.0 + 0.03 * cos(week * 2.3)))::bigint AS reports
  FROM (SELECT week, '2024-12-02 09:00+00'::timestamptz + week * interval '1 week' AS sent_at,
			   400 - (week * 7) % 23 AS recipients
		  FROM generate_series(0, 103) AS week) w;
SELECT week, sent_at::date, recipients, clicks, reports FROM phishing WHERE week IN (0, 1, 2, 51, 52, 102, 103) ORDER BY week;

\echo
\echo '== 20. What the LMS export says, and what the behaviour says (slope per month) =='
SELECT 'training completion (LMS export)' AS evidence, '100 %' AS value, NULL AS "95 % interval",
	   NULL::text AS "p-value", 'no trend: a snapshot' AS verdict
UNION ALL
SELECT 'click rate, Cochran-Armitage (lower is better)',
	   to_char(slope * 100, 'S0.00') || ' pp/month',
	   to_char(slope_lower * 100, 'S0.00') || ' .. ' || to_char(slope_upper * 100, 'S0.00'),
	   to_char(p_value, '9.9EEEE'), verdict
  FROM trend_report((SELECT trend_rate_agg(clicks, recipients, sent_at) FROM phishing), 'lower')
UNION ALL
SELECT 'click rate, Sen / Mann-Kendall (lower is better)',
	   to_char(slope * 100, 'S0.00') || ' pp/month',
	   to_char(slope_lower * 100, 'S0.00') || ' .. ' || to_char(slope_upper * 100, 'S0.00'),
	   to_char(p_value, '9.9EEEE'), verdict
  FROM trend_report((SELECT trend_robust_agg(clicks::float8 / recipients, sent_at) FROM phishing), 'lower')
UNION ALL
SELECT 'report rate, Cochran-Armitage (higher is better)',
	   to_char(slope * 100, 'S0.00') || ' pp/month',
	   to_char(slope_lower * 100, 'S0.00') || ' .. ' || to_char(slope_upper * 100, 'S0.00'),
	   to_char(p_value, '9.9EEEE'), verdict
  FROM trend_report((SELECT trend_rate_agg(reports, recipients, sent_at) FROM phishing), 'higher')
UNION ALL
SELECT 'click rate, last 12 weeks only (least squares)',
	   to_char(slope * 100, 'S0.00') || ' pp/month',
	   to_char(slope_lower * 100, 'S0.00') || ' .. ' || to_char(slope_upper * 100, 'S0.00'),
	   to_char(p_value, '9.9EEEE'), verdict
  FROM trend_report((SELECT trend_ols_agg(clicks::float8 / recipients, sent_at) FROM phishing WHERE week >= 92), 'lower');

\echo
\echo '== 21. A rolling 12-week click-rate slope (window frame), every 13th week =='
SELECT week, sent_at::date,
	   round((slope(s, '1 month') * 100)::numeric, 2) AS "pp/month",
	   verdict(s, 'lower') AS verdict
  FROM (SELECT week, sent_at, trend_ols_agg(clicks::float8 / recipients, sent_at)
				 OVER (ORDER BY sent_at ROWS BETWEEN 11 PRECEDING AND CURRENT ROW) AS s
		  FROM phishing) q
 WHERE week % 13 = 12 ORDER BY week;
\echo
\echo '== 22. The whole story for ACME: certificate, audit history and behaviour data in the register =='
SELECT certificate_record('acme', 'issued', '2025-03-14', 'ISMS-2025-0042', 'Example Certification Ltd') AS event,
	   certificate_record('acme', 'scope_changed', '2026-01-12', note => 'Lyon data centre added') AS event;
SELECT seq, event, on_date, certificate_number, note FROM iso27001_bi.certificate_history
 WHERE scope = 'acme' ORDER BY seq;
INSERT INTO certification_audit (scope_id, kind, on_date)
VALUES (:scope_id, 'stage1', '2025-01-15'), (:scope_id, 'stage2', '2025-02-20'),
	   (:scope_id, 'surveillance', '2026-03-30');
INSERT INTO behaviour_observation (scope_id, metric, observed_at, events, trials)
SELECT :scope_id, 'phishing_click_rate', sent_at, clicks, recipients FROM phishing
UNION ALL
SELECT :scope_id, 'phishing_report_rate', sent_at, reports, recipients FROM phishing;
INSERT INTO behaviour_target (scope_id, metric, target, due_date, note)
VALUES (:scope_id, 'phishing_click_rate', 0.05, '2027-03-14', 'Board objective for recertification');
SELECT metric, count(*) AS periods, min(observed_at)::date AS "from", max(observed_at)::date AS "to"
  FROM behaviour_observation GROUP BY metric ORDER BY metric;

\echo
\echo '== 23. What a BI dashboard reads (schema iso27001_bi, plain types): coverage and next audits =='
SELECT theme, controls, applicable, implemented, round(implemented_share::numeric, 3) AS implemented_share
  FROM iso27001_bi.soa_coverage_by_theme WHERE scope = 'acme' ORDER BY theme_order;
SELECT event, due_date, window_start, window_end, days_left, requirement, is_next
  FROM iso27001_bi.certification_calendar WHERE scope = 'acme' ORDER BY due_date;
SELECT rule, on_date, detail FROM iso27001_bi.certification_finding WHERE scope = 'acme';

\echo
\echo '== 24. Behaviour trends with verdicts (iso27001_bi.behaviour_trend) =='
SELECT metric, control_id, method, n,
	   round((slope_per_month * 100)::numeric, 2) AS "pp/month",
	   round((slope_lower * 100)::numeric, 2) || ' .. ' || round((slope_upper * 100)::numeric, 2) AS "95 % interval",
	   to_char(p_value, '9.9EEEE') AS "p-value", verdict,
	   round((fitted_last * 100)::numeric, 1) AS "now %", round((target * 100)::numeric, 1) AS "target %",
	   round((projected * 100)::numeric, 1) AS "at due date %", target_status
  FROM iso27001_bi.behaviour_trend WHERE scope = 'acme' AND cohort = '' ORDER BY metric;

\echo
\echo '== 25. The evidence pack for control 6.3 (an auditor''s file), written to disk =='
\set pack_file :outdir '/acme-phishing-click-rate-evidence.json'
\set chart_file :outdir '/acme-phishing-click-rate.svg'
\set ssp_file :outdir '/acme-oscal-ssp.json'
\pset format unaligned
\pset tuples_only on
SELECT jsonb_pretty(evidence_pack('acme', 'phishing_click_rate', '2024-12-01', '2026-11-30')) \g :pack_file
SELECT evidence_chart('acme', 'phishing_click_rate', '2024-12-01', '2026-11-30') \g :chart_file
SELECT jsonb_pretty(oscal_ssp('acme', 2)) \g :ssp_file
\pset format aligned
\pset tuples_only off
SELECT p -> 'control' ->> 'id' AS control, p -> 'control' ->> 'soa_entry' AS soa_entry,
	   p ->> 'observation_count' AS observations, p ->> 'verdict' AS verdict,
	   (p -> 'target' ->> 'met') AS target_met, left(p ->> 'observations_sha256', 16) || '...' AS sha256
  FROM (SELECT evidence_pack('acme', 'phishing_click_rate', '2024-12-01', '2026-11-30') AS p) q;
SELECT family, round((t ->> 'slope_per_month')::numeric * 100, 3) AS "pp/month",
	   to_char((t ->> 'p_value')::float8, '9.9EEEE') AS "p-value", t ->> 'verdict' AS verdict
  FROM jsonb_each(evidence_pack('acme', 'phishing_click_rate', '2024-12-01', '2026-11-30') -> 'trends') AS e(family, t);
\echo 'evidence pack written to' :pack_file
\echo 'check its digest:  psql -c "COPY (SELECT * FROM iso27001.evidence_observations(''acme'', ''phishing_click_rate'', ''2024-12-01'', ''2026-11-30'')) TO STDOUT (FORMAT csv, HEADER)" | sha256sum'

\echo
\echo '== 26. Its chart: observations, fitted trend, 95 % band and target, as SVG =='
\echo 'chart written to' :chart_file '(open it in any browser)'

\echo
\echo '== 27. The approved SoA (version 2) for a GRC tool: an OSCAL system security plan =='
SELECT r ->> 'control-id' AS "control-id",
	   r -> 'by-components' -> 0 -> 'implementation-status' ->> 'state' AS "implementation-status",
	   (SELECT string_agg(p ->> 'value', ', ') FROM jsonb_array_elements(r -> 'props') p) AS props
  FROM jsonb_array_elements(oscal_ssp('acme', 2) -> 'system-security-plan'
							-> 'control-implementation' -> 'implemented-requirements') r
 WHERE r ->> 'control-id' IN ('a.5.7', 'a.6.3', 'a.7.4', 'a.8.11');
\echo 'OSCAL SSP written to' :ssp_file

\echo
\echo '== 28. Clause 10.2: a worsening metric, a nonconformity, its corrective action, verified =='
-- 26 weekly campaigns of 300 in 2025 whose phish-prone rate climbs from
-- 12 % to 20 %; a corrective action (training before the first login)
-- takes effect on 2025-08-04; 26 campaigns after it around 10 %
INSERT INTO behaviour_observation (scope_id, metric, observed_at, events, trials)
SELECT :scope_id, 'phish_prone_rate', '2025-01-06 09:00+00'::timestamptz + w * interval '1 week',
	   round(300 * CASE WHEN w < 30 THEN 0.12 + 0.08 * w / 29.0 ELSE 0.10 END + 300 * 0.015 * sin(w * 2.1))::bigint, 300
  FROM generate_series(0, 55) w WHERE w < 26 OR w >= 30;
SELECT verdict, round((slope_per_month * 1200)::numeric, 1) AS "pp/year", to_char(p_value, '9.9EEEE') AS "p-value"
  FROM behaviour_trend_between('2025-01-01', '2025-07-06')
 WHERE scope = 'acme' AND metric = 'phish_prone_rate' AND cohort = '';
INSERT INTO nonconformity (scope_id, nc_id, source, grade, control, description, raised_on, owner, due_date, metric)
VALUES (:scope_id, 'NC-2025-04', 'behaviour_metric', 'minor', 'A.6.3',
		'Phish-prone rate rose from 12 % to 20 % over the first half of 2025', '2025-07-07', 'CISO', '2025-09-30',
		'phish_prone_rate');
UPDATE nonconformity
   SET root_cause = 'New hires had no awareness training before their first login',
	   correction = 'Targeted session for the 40 newest staff',
	   corrective_action = 'Awareness training required before the first login',
	   action_on = '2025-08-04', closed_on = '2025-09-15'
 WHERE nc_id = 'NC-2025-04';
\echo 'the register''s rules before the verification (as of 2026-03-01):'
SELECT nc_id, rule, severity FROM nonconformity_check('acme', '2026-03-01');
SELECT metric, campaigns_before, campaigns_after, round((rate_before * 100)::numeric, 1) AS "before %",
	   round((rate_after * 100)::numeric, 1) AS "after %",
	   round((change_lower * 100)::numeric, 1) || ' .. ' || round((change_upper * 100)::numeric, 1) AS "95 % interval (points)",
	   to_char(p_value, '9.9EEEE') AS "p-value", verdict
  FROM nonconformity_effectiveness('acme', 'NC-2025-04');
UPDATE nonconformity
   SET verification = 'nonconformity_effectiveness: the rate fell after the action (rate_change, 95 %)',
	   verified_on = '2026-02-02'
 WHERE nc_id = 'NC-2025-04';
\echo 'after the verification:'
SELECT nc_id, rule, severity FROM nonconformity_check('acme', '2026-03-01');
SELECT nc_id, grade, status, days_open FROM iso27001_bi.nonconformity WHERE scope = 'acme';

\echo
\echo '== 29. Clause 6.1.3: the risks behind the SoA, and what the validator makes of them =='
INSERT INTO risk_scale (scope_id, acceptance_level) VALUES (:scope_id, 8);
INSERT INTO risk (scope_id, risk_id, description, owner, likelihood, impact, treatment, controls, status, identified_on)
VALUES (:scope_id, 'R-1', 'Credential phishing leads to account takeover', 'CISO', 4, 4, 'modify', '{6.3, 8.5}',
		'in treatment', '2025-07-07'),
	   (:scope_id, 'R-2', 'Unpatched servers exploited', 'CTO', 3, 5, 'modify', '{8.8}', 'open', '2025-09-01'),
	   (:scope_id, 'R-3', 'Outage of the payroll supplier', NULL, NULL, NULL, NULL, '{}', 'open', '2026-01-10');
SELECT risk_id, likelihood || ' x ' || impact AS "L x I", level, above_acceptance, treatment, controls
  FROM risk_level WHERE scope_id = :scope_id ORDER BY risk_id;
SELECT risk_id, rule, severity FROM risk_check('acme');
SELECT rule, severity, count(*) FROM soa_validate('acme') WHERE rule LIKE '%RISK%' GROUP BY 1, 2 ORDER BY 1;

\echo
\echo '== 30. Clause 9.3: the management review input for 2025, with the digest of its data =='
SELECT i.key AS input, i.value ->> 'clause' AS clause, left(i.value ->> 'label', 60) AS label
  FROM jsonb_each(management_review_pack('acme', '2025-01-01', '2025-12-31') -> 'inputs') i ORDER BY 2;
SELECT p #> '{inputs,nonconformities,by_grade,minor}' AS "minor nonconformities",
	   jsonb_path_query_array(p, '$.inputs.risk_treatment.risks.open_above_acceptance[*].risk_id') AS "open risks above acceptance",
	   left(p ->> 'data_sha256', 16) || '...' AS data_sha256
  FROM (SELECT management_review_pack('acme', '2025-01-01', '2025-12-31') p) q;
