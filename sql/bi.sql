--
-- The BI contract: schema iso27001_bi, one view per question a dashboard
-- asks, plain column types only (text, integer, bigint, double precision,
-- boolean, date, timestamptz: no numeric, which BI tools round or show as
-- text), control ids as text with an integer sort key.  Every
-- view is security_invoker, so the reader's privileges and row-level
-- security apply through it.  test/bi_contract.sql pins every column.
--

CREATE SCHEMA iso27001_bi;
COMMENT ON SCHEMA iso27001_bi IS
	'iso27001''s views for BI tools (Metabase, Grafana, Superset, Power BI): plain column types, one view per dashboard question, a stable contract';

CREATE VIEW iso27001_bi.annex_a_control WITH (security_invoker = true) AS
SELECT 2022 AS edition, c.control::text AS control_id, iso27001.sort_key(c.control) AS sort_key,
	   c.theme::text AS theme,
	   pg_catalog.array_position(pg_catalog.enum_range(NULL::iso27001.annex_a_theme), c.theme) AS theme_order,
	   c.title,
	   pg_catalog.array_to_string(c.control_type, ', ') AS control_type,
	   pg_catalog.array_to_string(c.security_properties, ', ') AS security_properties,
	   pg_catalog.array_to_string(c.cybersecurity_concepts, ', ') AS cybersecurity_concepts,
	   pg_catalog.array_to_string(c.operational_capabilities, ', ') AS operational_capabilities,
	   pg_catalog.array_to_string(c.security_domains, ', ') AS security_domains,
	   NOT EXISTS (SELECT FROM iso27001.ref_correspondence m
				   WHERE m.control_2022 OPERATOR(@extschema@.=) c.control) AS is_new
  FROM iso27001.ref_control_2022 c
UNION ALL
SELECT 2013, c.control::text, iso27001.sort_key(c.control),
	   o.clause OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) cl.title,
	   pg_catalog.substr(o.clause, 3)::integer, c.title,
	   NULL, NULL, NULL, NULL, NULL, NULL
  FROM iso27001.ref_control_2013 c
  JOIN iso27001.ref_objective_2013 o ON o.objective OPERATOR(pg_catalog.=) c.objective
  JOIN iso27001.ref_clause_2013 cl ON cl.clause OPERATOR(pg_catalog.=) o.clause;
COMMENT ON VIEW iso27001_bi.annex_a_control IS
	'Annex A of both editions: one row per control with title, theme (2022) or clause (2013) and the ISO/IEC 27002:2022 attributes as comma-separated text';

CREATE VIEW iso27001_bi.annex_a_attribute WITH (security_invoker = true) AS
SELECT c.control::text AS control_id, iso27001.sort_key(c.control) AS sort_key, c.title,
	   a.attribute, a.value
  FROM iso27001.ref_control_2022 c
 CROSS JOIN LATERAL (
		SELECT 'control_type' AS attribute, v::text AS value FROM pg_catalog.unnest(c.control_type) v
		UNION ALL
		SELECT 'security_properties', v::text FROM pg_catalog.unnest(c.security_properties) v
		UNION ALL
		SELECT 'cybersecurity_concepts', v::text FROM pg_catalog.unnest(c.cybersecurity_concepts) v
		UNION ALL
		SELECT 'operational_capabilities', v::text FROM pg_catalog.unnest(c.operational_capabilities) v
		UNION ALL
		SELECT 'security_domains', v::text FROM pg_catalog.unnest(c.security_domains) v) a;
COMMENT ON VIEW iso27001_bi.annex_a_attribute IS
	'one row per ISO/IEC 27001:2022 control and ISO/IEC 27002:2022 attribute value, for filters such as "#Detective controls"';

CREATE VIEW iso27001_bi.scope WITH (security_invoker = true) AS
SELECT s.scope_id, s.name AS scope, s.edition, s.description, s.created_at,
	   c.certificate_number, c.certification_body, c.certification_decision,
	   v.version AS latest_version, v.approved_at AS latest_version_approved_at,
	   v.approved_by AS latest_version_approved_by,
	   CASE WHEN c.scope_id IS NULL THEN NULL
			WHEN c.withdrawn_on IS NULL THEN 'in force' ELSE 'withdrawn' END AS certificate_status
  FROM iso27001.soa_scope s
  LEFT JOIN iso27001.certificate c ON c.scope_id OPERATOR(pg_catalog.=) s.scope_id
  LEFT JOIN LATERAL (SELECT x.version, x.approved_at, x.approved_by
					   FROM iso27001.soa_version x
					  WHERE x.scope_id OPERATOR(pg_catalog.=) s.scope_id
					  ORDER BY x.version DESC LIMIT 1) v ON true;
COMMENT ON VIEW iso27001_bi.scope IS
	'ISMS scopes with their certificate and latest approved SoA version (a dashboard''s scope filter)';

CREATE VIEW iso27001_bi.soa_entry WITH (security_invoker = true) AS
SELECT r.scope_id, s.name AS scope, s.edition, r.control_key AS control_id,
	   coalesce(iso27001.sort_key(r.control), 999999) AS sort_key,
	   r.control IS NOT NULL AS is_annex_a,
	   coalesce(t.title, r.title) AS title,
	   coalesce(x.section, 'Organization-defined') AS theme,
	   r.entry IS NOT NULL AS decided,
	   iso27001.is_applicable(r.entry) AS applicable,
	   iso27001.implementation(r.entry) AS implementation,
	   iso27001.is_implemented(r.entry) AS implemented,
	   iso27001.oscal_status(r.entry) AS oscal_status,
	   NULLIF(pg_catalog.array_to_string(iso27001.reasons(r.entry), ', '), '') AS reasons,
	   r.justification, r.owner,
	   pg_catalog.cardinality(r.evidence) AS evidence_links,
	   r.needs_review, r.changed_at, r.changed_by
  FROM iso27001.soa_register r
  JOIN iso27001.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) r.scope_id
  LEFT JOIN iso27001.annex_a_titles t ON t.control OPERATOR(@extschema@.=) r.control
  LEFT JOIN iso27001.annex_a_sections x ON x.control OPERATOR(@extschema@.=) r.control;
COMMENT ON VIEW iso27001_bi.soa_entry IS
	'each scope''s current Statement of Applicability: one row per control with title, theme, decision, implementation, reasons and justification';

CREATE VIEW iso27001_bi.soa_coverage_by_theme WITH (security_invoker = true) AS
SELECT g.scope_id, s.name AS scope, coalesce(x.section, 'Organization-defined') AS theme,
	   coalesce(x.section_order, 1000) AS theme_order,
	   (g.c).total AS controls, (g.c).undecided, (g.c).excluded, (g.c).applicable,
	   (g.c).not_implemented, (g.c).planned, (g.c).partially_implemented, (g.c).implemented,
	   (g.c).implemented::double precision
		 OPERATOR(pg_catalog./) NULLIF((g.c).applicable, 0) AS implemented_share
  FROM (SELECT r.scope_id, iso27001.edition(r.control) AS edition,
			   iso27001.sort_key(r.control) OPERATOR(pg_catalog./) 10000 AS head,
			   iso27001.soa_summary(r.entry) AS c
		  FROM iso27001.soa_register r
		 GROUP BY 1, 2, 3) g
  JOIN iso27001.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) g.scope_id
  LEFT JOIN (SELECT DISTINCT a.edition, iso27001.sort_key(a.control) OPERATOR(pg_catalog./) 10000 AS head,
				    a.section, a.section_order
			   FROM iso27001.annex_a_sections a) x
	ON x.edition OPERATOR(pg_catalog.=) g.edition AND x.head OPERATOR(pg_catalog.=) g.head;
COMMENT ON VIEW iso27001_bi.soa_coverage_by_theme IS
	'SoA coverage per scope and theme (2022) or clause (2013): counts by applicability and implementation, implemented share of applicable controls';

CREATE VIEW iso27001_bi.soa_coverage_by_attribute WITH (security_invoker = true) AS
SELECT s.scope_id, c.scope, c.attribute, c.value, c.controls, c.excluded, c.applicable,
	   c.implemented, c.implemented_share::double precision AS implemented_share
  FROM iso27001.soa_coverage_by_attribute() c
  JOIN iso27001.soa_scope s ON s.name OPERATOR(pg_catalog.=) c.scope;
COMMENT ON VIEW iso27001_bi.soa_coverage_by_attribute IS
	'SoA coverage per 2022 scope and ISO/IEC 27002:2022 attribute value (the implemented share of applicable #Detective controls, say)';

CREATE VIEW iso27001_bi.soa_finding WITH (security_invoker = true) AS
SELECT s.scope_id, f.scope, f.rule, f.severity, f.control_key AS control_id,
	   CASE WHEN f.control_key IS NULL THEN NULL
			WHEN iso27001.is_valid_control(f.control_key)
			THEN iso27001.sort_key(f.control_key::iso27001.iso_control)
			ELSE 999999 END AS sort_key,
	   f.message
  FROM iso27001.soa_validate() f
  JOIN iso27001.soa_scope s ON s.name OPERATOR(pg_catalog.=) f.scope;
COMMENT ON VIEW iso27001_bi.soa_finding IS
	'the SoA validator''s findings for every scope: rule, severity (error, warning), control and message';

CREATE VIEW iso27001_bi.certification_calendar WITH (security_invoker = true) AS
SELECT c.scope_id, s.name AS scope, c.certificate_number, c.certification_body,
	   c.certification_decision, d.event, d.due_date, d.window_start, d.window_end,
	   d.days_left, d.requirement, d.ord OPERATOR(pg_catalog.=) 1 AS is_next, d.basis, d.note
  FROM iso27001.certificate c
  JOIN iso27001.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) c.scope_id
		AND c.withdrawn_on IS NULL
 CROSS JOIN LATERAL iso27001.certification_next_due(
		c.certification_decision,
		ARRAY(SELECT ROW(a.kind, a.on_date)::iso27001.certification_event
				FROM iso27001.certification_audit a
			   WHERE a.scope_id OPERATOR(pg_catalog.=) c.scope_id
			   ORDER BY a.on_date, a.kind),
		CURRENT_DATE, edition => c.edition) WITH ORDINALITY
		AS d(event, due_date, window_start, window_end, days_left, requirement, basis, note, ord);
COMMENT ON VIEW iso27001_bi.certification_calendar IS
	'the certification calendar of every certificate in force as of today: the next audit with its window (is_next), then the hard deadlines still ahead, with days left';

CREATE VIEW iso27001_bi.certificate_history WITH (security_invoker = true) AS
SELECT e.scope_id, s.name AS scope, e.seq, e.kind AS event, e.on_date, e.certificate_number,
	   e.certification_body, e.note, e.recorded_at, e.recorded_by
  FROM iso27001.certificate_event e
  JOIN iso27001.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) e.scope_id;
COMMENT ON VIEW iso27001_bi.certificate_history IS
	'what happened to each scope''s certificate, in order: issued, reissued, scope changed, transferred, withdrawn, with the number and body after each event';

CREATE VIEW iso27001_bi.certification_finding WITH (security_invoker = true) AS
SELECT c.scope_id, s.name AS scope, c.certificate_number, f.rule, f.severity, f.cycle,
	   f.on_date, f.detail, f.basis
  FROM iso27001.certificate c
  JOIN iso27001.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) c.scope_id
		AND c.withdrawn_on IS NULL
 CROSS JOIN LATERAL iso27001.certification_cycle_check(
		c.certification_decision,
		ARRAY(SELECT ROW(a.kind, a.on_date)::iso27001.certification_event
				FROM iso27001.certification_audit a
			   WHERE a.scope_id OPERATOR(pg_catalog.=) c.scope_id
			   ORDER BY a.on_date, a.kind),
		CURRENT_DATE, edition => c.edition) f;
COMMENT ON VIEW iso27001_bi.certification_finding IS
	'the certification-cycle rules each scope''s audit history breaks as of today (none for a compliant history)';

CREATE VIEW iso27001_bi.behaviour_series WITH (security_invoker = true) AS
SELECT o.scope_id, s.name AS scope, o.metric, m.name AS metric_name,
	   m.control::text AS control_id, o.observed_at,
	   o.events, o.trials,
	   (CASE WHEN o.trials IS NULL THEN o.value
			 ELSE o.events::double precision OPERATOR(pg_catalog./) o.trials END) AS value,
	   m.better, m.unit, o.cohort, o.difficulty
  FROM iso27001.behaviour_campaign o
  JOIN iso27001.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) o.scope_id
  JOIN iso27001.behaviour_metric m ON m.metric OPERATOR(pg_catalog.=) o.metric
 -- not a whole-scope value known only per cohort
 WHERE o.trials IS NOT NULL OR o.value IS NOT NULL;
COMMENT ON VIEW iso27001_bi.behaviour_series IS
	'behaviour observations as a time series (time column observed_at): the rate (events / trials, a fraction) or the value per scope, metric, cohort and period, with the campaign''s difficulty; cohort '''' is the whole scope (a campaign split by cohort summed)';

-- The behaviour trends of every scope, metric and cohort over the campaigns
-- of a period (dates inclusive, NULL open): what iso27001_bi.behaviour_trend
-- shows for all time and the period views for their periods.  A SQL body
-- without SET clauses, so that the planner inlines it into those views and
-- pushes a dashboard's filter on scope or metric into it.
CREATE FUNCTION iso27001.behaviour_trend_between(period_start date DEFAULT NULL,
													period_end date DEFAULT NULL)
	RETURNS TABLE (scope_id bigint, scope text, metric text, metric_name text, control_id text,
				   better text, unit text, method text, n bigint,
				   first_time timestamptz, last_time timestamptz,
				   slope_per_month double precision, slope_lower double precision,
				   slope_upper double precision, p_value double precision, verdict text,
				   fitted_last double precision, target double precision, target_date date,
				   dispersion double precision, min_effect double precision, cohort text,
				   adjusted_slope_per_month double precision, adjusted_slope_lower double precision,
				   adjusted_slope_upper double precision, adjusted_p_value double precision,
				   adjusted_verdict text, difficulty_levels integer, difficulty_levels_left_out integer,
				   projected double precision, projected_lower double precision,
				   projected_upper double precision, target_status text)
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
SELECT g.scope_id, s.name AS scope, g.metric, m.name AS metric_name, m.control::text AS control_id,
	   m.better, m.unit,
	   CASE m.kind WHEN 'rate' THEN 'rate (Cochran-Armitage with dispersion)'
			ELSE 'robust (Theil-Sen, Mann-Kendall)' END AS method,
	   coalesce(r.n, 0) AS n, r.first_time, r.last_time,
	   r.slope AS slope_per_month, r.slope_lower AS slope_lower,
	   r.slope_upper AS slope_upper, r.p_value AS p_value,
	   -- a month is a twelfth of the Gregorian year (docs/trend_statistics.md §2.3)
	   iso27001.material_verdict(r.verdict, r.slope OPERATOR(pg_catalog.*) 12, m.min_effect) AS verdict,
	   (CASE m.kind WHEN 'rate' THEN iso27001.fitted_last(g.rate_state)
			 ELSE iso27001.fitted_at(g.robust_state, r.last_time) END) AS fitted_last,
	   t.target AS target, t.due_date AS target_date,
	   CASE m.kind WHEN 'rate' THEN iso27001.dispersion(g.rate_state) END AS dispersion,
	   m.min_effect AS min_effect,
	   -- 0.2.2, issue 14 item 4: the cohort ('' the whole scope) and the
	   -- trend adjusted for difficulty (rates; docs/trend_statistics.md §13)
	   g.cohort,
	   a.slope AS adjusted_slope_per_month, a.slope_lower AS adjusted_slope_lower,
	   a.slope_upper AS adjusted_slope_upper, a.p_value AS adjusted_p_value,
	   iso27001.material_verdict(a.verdict, a.slope OPERATOR(pg_catalog.*) 12, m.min_effect) AS adjusted_verdict,
	   a.strata AS difficulty_levels, a.strata_left_out AS difficulty_levels_left_out,
	   -- 0.2.2, issue 14 item 3: the target's projection at its due date
	   -- (the rate trend for rates, least squares for values; §3.10, §4.9)
	   p.projected AS projected, p.projected_lower AS projected_lower,
	   p.projected_upper AS projected_upper, p.status AS target_status
  FROM (SELECT d.scope_id, d.metric, d.cohort,
			   iso27001.rollup(d.rate_state) AS rate_state,
			   iso27001.rollup(d.robust_state) AS robust_state,
			   iso27001.rollup(d.ols_state) AS ols_state,
			   pg_catalog.array_agg(d.rate_state) AS rate_strata
		  -- one state per difficulty level, rolled up for the cohort's trend
		  FROM (SELECT c.scope_id, c.metric, c.cohort, c.difficulty,
					   iso27001.trend_rate_agg(c.events, c.trials, c.observed_at) AS rate_state,
					   iso27001.trend_robust_agg(c.value, c.observed_at) AS robust_state,
					   iso27001.trend_ols_agg(c.value, c.observed_at) AS ols_state
				  FROM iso27001.behaviour_campaign c
				 -- the period's campaigns, dates inclusive (NULL: open)
				 WHERE (behaviour_trend_between.period_start IS NULL
						OR c.observed_at OPERATOR(pg_catalog.>=) behaviour_trend_between.period_start::timestamptz)
				   AND (behaviour_trend_between.period_end IS NULL
						OR c.observed_at OPERATOR(pg_catalog.<)
						   (behaviour_trend_between.period_end OPERATOR(pg_catalog.+) 1)::timestamptz)
				 GROUP BY c.scope_id, c.metric, c.cohort, c.difficulty) d
		 GROUP BY d.scope_id, d.metric, d.cohort) g
  JOIN iso27001.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) g.scope_id
  JOIN iso27001.behaviour_metric m ON m.metric OPERATOR(pg_catalog.=) g.metric
 CROSS JOIN LATERAL (
		SELECT * FROM iso27001.trend_report(g.rate_state, m.better)
		 WHERE m.kind OPERATOR(pg_catalog.=) 'rate'
		UNION ALL
		SELECT * FROM iso27001.trend_report(g.robust_state, m.better)
		 WHERE m.kind OPERATOR(pg_catalog.=) 'value') r
  LEFT JOIN LATERAL (
		-- one difficulty level (none given): the adjusted trend is the trend
		SELECT r.slope, r.slope_lower, r.slope_upper, r.p_value, r.verdict,
			   CASE WHEN r.p_value IS NULL THEN 0 ELSE 1 END AS strata,
			   CASE WHEN r.p_value IS NULL THEN 1 ELSE 0 END AS strata_left_out
		 WHERE m.kind OPERATOR(pg_catalog.=) 'rate'
		   AND pg_catalog.cardinality(g.rate_strata) OPERATOR(pg_catalog.=) 1
		UNION ALL
		SELECT x.slope, x.slope_lower, x.slope_upper, x.p_value, x.verdict, x.strata, x.strata_left_out
		  FROM iso27001.stratified_trend(g.rate_strata, m.better) x
		 WHERE m.kind OPERATOR(pg_catalog.=) 'rate'
		   AND pg_catalog.cardinality(g.rate_strata) OPERATOR(pg_catalog.>) 1) a ON true
  LEFT JOIN iso27001.behaviour_target t
	ON t.scope_id OPERATOR(pg_catalog.=) g.scope_id AND t.metric OPERATOR(pg_catalog.=) g.metric
  -- projected at the start of the due date in the session's time zone
  LEFT JOIN LATERAL (
		SELECT * FROM iso27001.target_projection(g.rate_state, t.target,
													 t.due_date::timestamptz, m.better)
		 WHERE m.kind OPERATOR(pg_catalog.=) 'rate' AND t.due_date IS NOT NULL
		UNION ALL
		SELECT * FROM iso27001.target_projection(g.ols_state, t.target,
													 t.due_date::timestamptz, m.better)
		 WHERE m.kind OPERATOR(pg_catalog.=) 'value' AND t.due_date IS NOT NULL) p ON true;
END;
COMMENT ON FUNCTION iso27001.behaviour_trend_between(date, date) IS
	'the behaviour trends of every scope, metric and cohort over the campaigns of a period (dates inclusive, NULL open), as iso27001_bi.behaviour_trend shows them: for a BI tool''s date filter';

CREATE VIEW iso27001_bi.behaviour_trend WITH (security_invoker = true) AS
SELECT * FROM iso27001.behaviour_trend_between(NULL, NULL);
COMMENT ON VIEW iso27001_bi.behaviour_trend IS
	'the trend of every scope''s behaviour metric over all its observations, for the whole scope (cohort '''') and each cohort: slope per month with its 95 % interval, p-value and verdict (rate metrics: Cochran-Armitage widened by the campaigns'' dispersion, and adjusted for difficulty; value metrics: Theil-Sen and Mann-Kendall; no material change below the metric''s min_effect a year), with the scope''s target';

CREATE VIEW iso27001_bi.behaviour_trend_12_months WITH (security_invoker = true) AS
SELECT t.*, p.period_start, p.period_end
  FROM (SELECT (CURRENT_DATE OPERATOR(pg_catalog.-) interval '1 year')::date
				OPERATOR(pg_catalog.+) 1 AS period_start,
			   CURRENT_DATE AS period_end) p
 CROSS JOIN LATERAL iso27001.behaviour_trend_between(p.period_start, p.period_end) t;
COMMENT ON VIEW iso27001_bi.behaviour_trend_12_months IS
	'the behaviour trends of the last 12 months (today and the 364 or 365 days before), as behaviour_trend shows them for all time';

CREATE VIEW iso27001_bi.behaviour_trend_quarterly WITH (security_invoker = true) AS
SELECT t.*, q.quarter, q.period_start, q.period_end
  FROM (SELECT pg_catalog.to_char(b.qs, 'YYYY"-Q"Q') AS quarter,
			   (b.pe OPERATOR(pg_catalog.-) interval '1 year')::date OPERATOR(pg_catalog.+) 1 AS period_start,
			   b.pe AS period_end
		  FROM (SELECT g.qs,
					   LEAST((g.qs OPERATOR(pg_catalog.+) interval '3 months')::date OPERATOR(pg_catalog.-) 1,
							 CURRENT_DATE) AS pe
				  FROM pg_catalog.generate_series(
						   pg_catalog.date_trunc('quarter', (SELECT pg_catalog.min(o.observed_at)
															   FROM iso27001.behaviour_observation o)),
						   pg_catalog.date_trunc('quarter', CURRENT_DATE::timestamptz),
						   interval '3 months') g(qs)) b) q
 CROSS JOIN LATERAL iso27001.behaviour_trend_between(q.period_start, q.period_end) t;
COMMENT ON VIEW iso27001_bi.behaviour_trend_quarterly IS
	'at the end of each calendar quarter since the first observation (today for the current one), the behaviour trends of the 12 months up to it: verdicts over time, filterable by quarter or period_end';

CREATE VIEW iso27001_bi.soa_evidence WITH (security_invoker = true) AS
SELECT r.scope_id, s.name AS scope, r.control_key AS control_id,
	   coalesce(iso27001.sort_key(r.control), 999999) AS sort_key,
	   e.position::integer AS position, e.link, r.owner, r.changed_at
  FROM iso27001.soa_register r
  JOIN iso27001.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) r.scope_id
 CROSS JOIN LATERAL pg_catalog.unnest(r.evidence) WITH ORDINALITY AS e(link, position);
COMMENT ON VIEW iso27001_bi.soa_evidence IS
	'the evidence links of every scope''s controls, one row per link in the register''s order (soa_entry.evidence_links counts them)';

-- The freshness of every scope's evidence records as of today, per control
-- and owner (a record of several controls counts for each): how many are
-- valid beyond the next 30 days, due within them, expired, and the
-- control's status; a control the scope requires current evidence for
-- shows with no record as missing.  Records collected after today are not
-- counted (the validator's rule, EVIDENCE_STALE, as of today).
CREATE VIEW iso27001_bi.evidence_freshness WITH (security_invoker = true) AS
SELECT coalesce(a.scope_id, q.scope_id) AS scope_id, s.name AS scope,
	   coalesce(a.control_key, q.control_key) AS control_id,
	   CASE WHEN iso27001.is_valid_control(coalesce(a.control_key, q.control_key))
			THEN iso27001.sort_key(coalesce(a.control_key, q.control_key)::iso27001.iso_control)
			ELSE 999999 END AS sort_key,
	   a.owner, coalesce(a.records, 0) AS records, coalesce(a.valid_records, 0) AS valid_records,
	   coalesce(a.due_records, 0) AS due_records, coalesce(a.expired_records, 0) AS expired_records,
	   a.latest_valid_until, (a.latest_valid_until OPERATOR(pg_catalog.-) CURRENT_DATE) AS days_left,
	   CASE WHEN a.latest_valid_until IS NULL THEN 'missing'
			WHEN a.latest_valid_until OPERATOR(pg_catalog.<) CURRENT_DATE THEN 'overdue'
			WHEN a.latest_valid_until OPERATOR(pg_catalog.<=) (CURRENT_DATE OPERATOR(pg_catalog.+) 30) THEN 'due'
			ELSE 'current' END AS status,
	   q.scope_id IS NOT NULL AS required
  FROM (SELECT e.scope_id, k.control_key, e.owner, pg_catalog.count(*) AS records,
			   pg_catalog.count(*) FILTER (WHERE e.valid_until OPERATOR(pg_catalog.>)
										   (CURRENT_DATE OPERATOR(pg_catalog.+) 30)) AS valid_records,
			   pg_catalog.count(*) FILTER (WHERE e.valid_until OPERATOR(pg_catalog.>=) CURRENT_DATE
										     AND e.valid_until OPERATOR(pg_catalog.<=)
												 (CURRENT_DATE OPERATOR(pg_catalog.+) 30)) AS due_records,
			   pg_catalog.count(*) FILTER (WHERE e.valid_until OPERATOR(pg_catalog.<) CURRENT_DATE) AS expired_records,
			   pg_catalog.max(e.valid_until) AS latest_valid_until
		  FROM iso27001.evidence e
		 CROSS JOIN LATERAL pg_catalog.unnest(e.control_keys) AS k(control_key)
		 WHERE e.collected_at OPERATOR(pg_catalog.<) (CURRENT_DATE OPERATOR(pg_catalog.+) 1)::timestamptz
		 GROUP BY e.scope_id, k.control_key, e.owner) a
  FULL JOIN iso27001.evidence_requirement q
	ON q.scope_id OPERATOR(pg_catalog.=) a.scope_id AND q.control_key OPERATOR(pg_catalog.=) a.control_key
  JOIN iso27001.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) coalesce(a.scope_id, q.scope_id);
COMMENT ON VIEW iso27001_bi.evidence_freshness IS
	'the freshness of every scope''s evidence records as of today, per control and owner: records valid beyond 30 days, due within 30 days, expired, the latest valid_until with days left, and the status (current, due, overdue; missing for a required control without a record)';

-- Column comments (BI tools such as Metabase show them as descriptions):
-- one text per column name, or per view and column where a name means
-- different things in different views
DO $$
DECLARE
	c record;
	text_of jsonb := '{
		"applicable": "number of applicable (included) controls",
		"attribute": "ISO/IEC 27002:2022 attribute: control_type, security_properties, cybersecurity_concepts, operational_capabilities or security_domains",
		"basis": "the clause of ISO/IEC 17021-1, IAF MD 26 or ISO/IEC 27006 the rule comes from",
		"better": "which direction is an improvement: lower or higher",
		"certificate_number": "the certificate''s number",
		"certificate_history.certificate_number": "the certificate''s number after the event",
		"certificate_history.certification_body": "the certification body after the event",
		"certificate_history.event": "issued, reissued, scope_changed, transferred or withdrawn",
		"certificate_history.note": "what changed (a scope change says what)",
		"certificate_status": "in force or withdrawn; empty without a certificate",
		"certificate_history.on_date": "the date of the event",
		"recorded_at": "when the event was recorded",
		"recorded_by": "database role that recorded the event",
		"seq": "the event''s place in the scope''s history (1 first)",
		"certification_body": "the certification body",
		"certification_decision": "date of the initial certification decision (the cycle''s anchor)",
		"cohort": "the cohort (department, site, role); empty is the whole scope: filter cohort = '''' for one row per scope and metric",
		"adjusted_p_value": "two-sided p-value of the trend adjusted for difficulty (rate metrics)",
		"adjusted_slope_lower": "lower end of the 95 % interval of the slope adjusted for difficulty, per month",
		"adjusted_slope_per_month": "slope per month adjusted for difficulty: the slopes within each difficulty level, pooled (rate metrics; empty for value metrics)",
		"adjusted_slope_upper": "upper end of the 95 % interval of the slope adjusted for difficulty, per month",
		"adjusted_verdict": "the verdict on the trend adjusted for difficulty: an easier mix of templates is not improvement (rate metrics)",
		"difficulty": "the campaign''s template or difficulty level; empty when not given",
		"difficulty_levels": "difficulty levels pooled in the adjusted trend (1 when no difficulty is given)",
		"difficulty_levels_left_out": "difficulty levels left out of the adjusted trend: fewer than 5 campaigns, or no events at all",
		"changed_at": "time of the last change",
		"changed_by": "database role of the last change",
		"control_id": "the control as text: A.5.7 for Annex A (OSCAL: a.5.7), the organization''s key otherwise",
		"control_type": "ISO/IEC 27002:2022 control types, comma-separated",
		"controls": "number of controls",
		"created_at": "when the scope was created",
		"cybersecurity_concepts": "ISO/IEC 27002:2022 cybersecurity concepts, comma-separated",
		"cycle": "three-year certification cycle (1 for the initial certificate)",
		"days_left": "days from today to the due date",
		"decided": "a decision has been recorded",
		"description": "description of the scope",
		"detail": "what the rule found, in a sentence",
		"min_effect": "the smallest change a year that counts as material (a rate as a fraction); a smaller significant trend is no material change",
		"dispersion": "how much more the campaigns scatter around the trend than chance alone would make them (1: as chance; 3: three times as much); the test is widened by it; empty with fewer than 5 campaigns and for value metrics",
		"due_date": "when the event is due",
		"edition": "edition of ISO/IEC 27001: 2013 or 2022",
		"event": "the audit or deadline",
		"events": "events observed in the period (rate metrics): clicks, reports",
		"evidence_links": "number of evidence links (one row each in soa_evidence)",
		"link": "an evidence link (a URL, a document reference)",
		"records": "number of evidence records of the control collected by today (a record of several controls counts for each)",
		"valid_records": "records valid beyond the next 30 days",
		"due_records": "records whose validity ends within the next 30 days (today included)",
		"expired_records": "records whose validity ended before today",
		"latest_valid_until": "the last day the freshest record is valid; empty without a record",
		"evidence_freshness.days_left": "days from today to latest_valid_until (negative: overdue)",
		"evidence_freshness.status": "current, due (within 30 days), overdue (expired), or missing (a required control without a record)",
		"evidence_freshness.owner": "who collects the evidence (the records'' owner)",
		"required": "the scope requires current evidence for the control (evidence_requirement): EVIDENCE_STALE is then an error",
		"excluded": "number of excluded controls",
		"first_time": "first observation of the trend",
		"fitted_last": "the trend''s fitted value at the last observation (a rate as a fraction)",
		"implementation": "implementation state: not implemented, planned, partially implemented or implemented",
		"implemented": "number of implemented controls",
		"implemented_share": "implemented controls as a share of applicable controls (0 to 1)",
		"is_annex_a": "an ISO/IEC 27001 Annex A control (false: organization-defined)",
		"is_new": "an ISO/IEC 27001:2022 control with no 2013 predecessor",
		"is_next": "the next audit (one row per scope)",
		"justification": "justification of the inclusion or exclusion",
		"last_time": "last observation of the trend",
		"latest_version": "latest approved version of the SoA",
		"latest_version_approved_at": "when the latest version was approved",
		"latest_version_approved_by": "who approved the latest version",
		"message": "what the validator found, in a sentence",
		"method": "how the trend is computed",
		"metric": "key of the behaviour metric",
		"metric_name": "name of the behaviour metric",
		"n": "number of observations",
		"needs_review": "flagged for review",
		"not_implemented": "number of applicable controls not implemented",
		"note": "note",
		"observed_at": "start of the period observed (the time column)",
		"on_date": "date the finding refers to",
		"operational_capabilities": "ISO/IEC 27002:2022 operational capabilities, comma-separated",
		"oscal_status": "OSCAL implementation status: implemented, partial, planned or not-applicable",
		"owner": "who is responsible for the control",
		"period_end": "last day of the period the trend covers (inclusive)",
		"period_start": "first day of the period the trend covers (inclusive)",
		"position": "the link''s place in the control''s list of evidence (1 first)",
		"quarter": "the calendar quarter at whose end (today for the current one) the 12 months end, as 2025-Q3",
		"p_value": "two-sided p-value of the trend test",
		"projected": "the trend''s value at the target''s due date (rate metrics: the rate trend, within 0 and 1; value metrics: the least-squares line); empty without a target and due date",
		"projected_lower": "lower end of the 95 % confidence interval of the projected value",
		"projected_upper": "upper end of the 95 % confidence interval of the projected value",
		"partially_implemented": "number of partially implemented controls",
		"planned": "number of planned controls",
		"reasons": "reasons for inclusion, comma-separated",
		"requirement": "hard (a rule of the standard) or practice",
		"rule": "identifier of the rule",
		"scope": "name of the ISMS scope",
		"scope_id": "identifier of the ISMS scope",
		"security_domains": "ISO/IEC 27002:2022 security domains, comma-separated",
		"security_properties": "ISO/IEC 27002:2022 information security properties, comma-separated",
		"severity": "error or warning",
		"slope_lower": "lower end of the 95 % interval of the slope, per month",
		"slope_per_month": "slope per month (a rate as a fraction: -0.004 is -0.4 percentage points a month)",
		"slope_upper": "upper end of the 95 % interval of the slope, per month",
		"sort_key": "integer for natural order: A.5.7 is 50700, A.12.6.1 is 120601 (organization-defined: 999999)",
		"target": "the scope''s target for the metric (a rate as a fraction)",
		"target_date": "when the target should be met",
		"target_status": "on track (the projection''s whole 95 % interval meets the target), off track (none of it does), at risk (it straddles the target) or insufficient data; empty without a target and due date",
		"theme": "theme (2022) or clause (2013)",
		"theme_order": "order of the theme or clause in the catalogue",
		"title": "short title of the control",
		"trials": "trials in the period (rate metrics): messages sent, people",
		"undecided": "number of controls without a decision",
		"unit": "unit of the metric",
		"value": "the observation: a rate as a fraction (events / trials) or a value",
		"verdict": "improving, worsening, no significant trend or insufficient data",
		"window_end": "last day of the window",
		"window_start": "first day of the window",
		"annex_a_attribute.value": "the attribute''s value, such as Detective",
		"soa_entry.applicable": "the control is included (false: excluded; NULL: undecided)",
		"soa_entry.implemented": "the control is implemented",
		"certification_calendar.note": "how the due date was set"
	}';
BEGIN
	FOR c IN SELECT a.attrelid::regclass AS rel, cl.relname, a.attname
			   FROM pg_catalog.pg_attribute a
			   JOIN pg_catalog.pg_class cl ON cl.oid = a.attrelid
			  WHERE cl.relnamespace = 'iso27001_bi'::regnamespace AND a.attnum > 0 LOOP
		EXECUTE pg_catalog.format('COMMENT ON COLUMN %s.%I IS %L', c.rel, c.attname,
			coalesce(text_of ->> (c.relname || '.' || c.attname), text_of ->> c.attname));
	END LOOP;
END
$$;

-- What a BI reader may read, granted by the DBA in each database: nothing
-- by default (a role is cluster-wide, so a role granted here by the
-- install would read every database that installs the extension; see
-- docs/security.md).  The reader's tables are listed once, here, by name
-- (a name this version does not have is skipped); test/pgtap/bi_rls.sql
-- checks that they are every table with a scope_id but soa_history.
CREATE FUNCTION iso27001.reader_tables()
	RETURNS regclass[]
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.array_agg(c.oid::regclass ORDER BY c.relname)
	  FROM pg_catalog.pg_class c
	 WHERE c.relnamespace OPERATOR(pg_catalog.=) 'iso27001'::regnamespace
	   AND c.relkind OPERATOR(pg_catalog.=) 'r'
	   AND c.relname OPERATOR(pg_catalog.=) ANY (ARRAY['soa_scope', 'soa_register', 'soa_version',
			'soa_version_entry', 'certificate', 'certificate_event', 'certification_audit',
			'behaviour_observation', 'behaviour_target', 'nonconformity', 'internal_audit_programme',
			'internal_audit', 'risk', 'risk_scale', 'management_review', 'management_review_action',
			'evidence', 'evidence_requirement']::name[]);
END;
COMMENT ON FUNCTION iso27001.reader_tables() IS
	'the tables under the BI views that grant_reader grants SELECT on: every table with a scope_id but the change history (soa_history)';

-- The role checked before its privileges change: not a predefined role
-- (pg_*, whose members the DBA does not choose one by one), and the
-- caller may grant every privilege a reader needs (else nothing changes)
CREATE FUNCTION iso27001.reader_check(reader regrole)
	RETURNS regrole
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
AS $$
DECLARE
	t regclass;
BEGIN
	IF reader IS NULL THEN
		RAISE EXCEPTION 'reader role must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF (SELECT r.rolname FROM pg_catalog.pg_roles r WHERE r.oid = reader) LIKE 'pg\_%' THEN
		RAISE EXCEPTION 'role "%" is a predefined role', reader
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Grant the reader''s privileges to a role of your own: CREATE ROLE bi_reader NOLOGIN.';
	END IF;
	IF NOT pg_catalog.has_schema_privilege('iso27001_bi', 'USAGE WITH GRANT OPTION') THEN
		RAISE EXCEPTION 'permission denied to grant or revoke iso27001''s reader privileges'
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'The current role may not grant USAGE on schema iso27001_bi.';
	END IF;
	FOREACH t IN ARRAY iso27001.reader_tables() OPERATOR(pg_catalog.||)
			ARRAY(SELECT c.oid::regclass FROM pg_catalog.pg_class c
				   WHERE c.relnamespace OPERATOR(pg_catalog.=) 'iso27001_bi'::regnamespace AND c.relkind = 'v'
				   ORDER BY c.relname) LOOP
		IF NOT pg_catalog.has_table_privilege(t, 'SELECT WITH GRANT OPTION') THEN
			RAISE EXCEPTION 'permission denied to grant or revoke iso27001''s reader privileges'
				USING ERRCODE = 'insufficient_privilege',
					  DETAIL = pg_catalog.format('The current role may not grant SELECT on %s.', t);
		END IF;
	END LOOP;
	RETURN reader;
END
$$;
COMMENT ON FUNCTION iso27001.reader_check(regrole) IS
	'refuses (22023) a predefined role as a BI reader, and (42501) a caller that may not grant every privilege a reader needs; returns the role';

-- Makes a role a BI reader in this database: USAGE on iso27001_bi, SELECT
-- on its views and on the tables under them (reader_tables), no writes,
-- no change history.  A dashboard's login: CREATE ROLE metabase LOGIN;
-- SELECT iso27001.grant_reader('metabase');
CREATE FUNCTION iso27001.grant_reader(reader regrole)
	RETURNS void
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
AS $$
DECLARE
	checked regrole := iso27001.reader_check(reader);	-- refusals raised from here
BEGIN
	EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA iso27001_bi TO %s', reader);
	EXECUTE pg_catalog.format('GRANT SELECT ON ALL TABLES IN SCHEMA iso27001_bi TO %s', reader);
	EXECUTE pg_catalog.format('GRANT SELECT ON %s TO %s',
		pg_catalog.array_to_string(iso27001.reader_tables(), ', '), reader);
	IF (SELECT r.rolsuper OR r.rolbypassrls FROM pg_catalog.pg_roles r WHERE r.oid = reader) THEN
		RAISE WARNING 'role "%" bypasses row-level security: it reads every scope', reader;
	END IF;
END
$$;
COMMENT ON FUNCTION iso27001.grant_reader(regrole) IS
	'grants a role what a BI reader needs in this database only: USAGE on schema iso27001_bi, SELECT on its views and on the tables under them (reader_tables()); no writes, no change history';

-- Takes back exactly what grant_reader gives, in this database
CREATE FUNCTION iso27001.revoke_reader(reader regrole)
	RETURNS void
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
AS $$
DECLARE
	checked regrole := iso27001.reader_check(reader);	-- refusals raised from here
BEGIN
	EXECUTE pg_catalog.format('REVOKE SELECT ON %s FROM %s',
		pg_catalog.array_to_string(iso27001.reader_tables(), ', '), reader);
	EXECUTE pg_catalog.format('REVOKE SELECT ON ALL TABLES IN SCHEMA iso27001_bi FROM %s', reader);
	EXECUTE pg_catalog.format('REVOKE USAGE ON SCHEMA iso27001_bi FROM %s', reader);
END
$$;
COMMENT ON FUNCTION iso27001.revoke_reader(regrole) IS
	'revokes from a role, in this database, what grant_reader gives: USAGE on schema iso27001_bi, SELECT on its views and on reader_tables()';

-- Makes a role an auditor in this database: what a reader has, and SELECT
-- on the SoA's change history, so that every read and export function
-- runs for it (evidence_pack, evidence_chart, soa_export, soa_export_json,
-- soa_as_of, soa_as_of_version, soa_diff, soa_diff_at, soa_validate, the
-- OSCAL exports, nonconformity_check); no writes.  The scopes it sees are
-- those its row-level security policies allow (docs/scope_policies.sql).
CREATE FUNCTION iso27001.grant_auditor(auditor regrole)
	RETURNS void
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
AS $$
DECLARE
	checked regrole := iso27001.reader_check(auditor);	-- refusals raised from here
BEGIN
	IF NOT pg_catalog.has_table_privilege('iso27001.soa_history', 'SELECT WITH GRANT OPTION') THEN
		RAISE EXCEPTION 'permission denied to grant or revoke iso27001''s auditor privileges'
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'The current role may not grant SELECT on iso27001.soa_history.';
	END IF;
	PERFORM iso27001.grant_reader(auditor);
	EXECUTE pg_catalog.format('GRANT SELECT ON iso27001.soa_history TO %s', auditor);
END
$$;
COMMENT ON FUNCTION iso27001.grant_auditor(regrole) IS
	'grants a role what an auditor needs in this database only: what grant_reader gives and SELECT on the SoA''s change history, so that every read and export function runs for it; no writes';

-- Takes back exactly what grant_auditor gives, in this database
CREATE FUNCTION iso27001.revoke_auditor(auditor regrole)
	RETURNS void
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
AS $$
DECLARE
	checked regrole := iso27001.reader_check(auditor);	-- refusals raised from here
BEGIN
	EXECUTE pg_catalog.format('REVOKE SELECT ON iso27001.soa_history FROM %s', auditor);
	PERFORM iso27001.revoke_reader(auditor);
END
$$;
COMMENT ON FUNCTION iso27001.revoke_auditor(regrole) IS
	'takes back exactly what grant_auditor gives, in this database';

-- BI: the risk register with its levels (a heat map: likelihood against
-- impact, counted), and one row per risk and control it relies on
CREATE VIEW iso27001_bi.risk WITH (security_invoker = true) AS
SELECT r.scope_id, s.name AS scope, r.risk_id, r.description, r.owner,
	   r.likelihood, r.impact, r.level, r.residual_likelihood, r.residual_impact, r.residual_level,
	   r.likelihood_levels, r.impact_levels, r.acceptance_level, r.above_acceptance,
	   r.treatment, r.status, r.is_open,
	   pg_catalog.array_to_string(r.controls, ', ') AS controls,
	   pg_catalog.cardinality(r.controls) AS control_count,
	   r.identified_on, r.accepted_on, r.closed_on
  FROM iso27001.risk_level r
  JOIN iso27001.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) r.scope_id;
COMMENT ON VIEW iso27001_bi.risk IS
	'one row per risk of a scope''s register: levels before and after treatment (likelihood × impact), above the acceptance level or not, treatment option, status, the controls it relies on (a heat map: count by likelihood and impact)';

CREATE VIEW iso27001_bi.risk_control WITH (security_invoker = true) AS
SELECT r.scope_id, s.name AS scope, r.risk_id, r.status, r.is_open, c.control_key AS control_id,
	   iso27001.sort_key(g.control) AS sort_key, g.control IS NOT NULL AS is_annex_a,
	   coalesce(iso27001.title(g.control), g.title) AS title,
	   CASE WHEN g.entry IS NULL THEN NULL ELSE iso27001.is_applicable(g.entry) END AS applicable,
	   iso27001.implementation(g.entry) AS implementation
  FROM iso27001.risk_level r
  JOIN iso27001.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) r.scope_id
 CROSS JOIN LATERAL pg_catalog.unnest(r.controls) c(control_key)
  LEFT JOIN iso27001.soa_register g
	ON g.scope_id OPERATOR(pg_catalog.=) r.scope_id AND g.control_key OPERATOR(pg_catalog.=) c.control_key;
COMMENT ON VIEW iso27001_bi.risk_control IS
	'one row per risk and SoA control its treatment relies on, with the control''s decision and implementation: a drill-down from a risk to its controls, and from a control to the risks behind it';
COMMENT ON COLUMN iso27001_bi.risk.scope_id IS 'the scope''s key';
COMMENT ON COLUMN iso27001_bi.risk.scope IS 'the scope''s name';
COMMENT ON COLUMN iso27001_bi.risk.risk_id IS 'the risk''s identifier within the scope';
COMMENT ON COLUMN iso27001_bi.risk.description IS 'what the risk is';
COMMENT ON COLUMN iso27001_bi.risk.owner IS 'the risk owner';
COMMENT ON COLUMN iso27001_bi.risk.likelihood IS 'likelihood before treatment (1 = lowest)';
COMMENT ON COLUMN iso27001_bi.risk.impact IS 'impact before treatment (1 = lowest)';
COMMENT ON COLUMN iso27001_bi.risk.level IS 'likelihood × impact before treatment';
COMMENT ON COLUMN iso27001_bi.risk.residual_likelihood IS 'likelihood after treatment';
COMMENT ON COLUMN iso27001_bi.risk.residual_impact IS 'impact after treatment';
COMMENT ON COLUMN iso27001_bi.risk.residual_level IS 'likelihood × impact after treatment';
COMMENT ON COLUMN iso27001_bi.risk.likelihood_levels IS 'the number of likelihood levels of the scope''s scale';
COMMENT ON COLUMN iso27001_bi.risk.impact_levels IS 'the number of impact levels of the scope''s scale';
COMMENT ON COLUMN iso27001_bi.risk.acceptance_level IS 'the highest level accepted without treatment (NULL: none set)';
COMMENT ON COLUMN iso27001_bi.risk.above_acceptance IS 'level above the acceptance level';
COMMENT ON COLUMN iso27001_bi.risk.treatment IS 'modify, retain, avoid or share';
COMMENT ON COLUMN iso27001_bi.risk.status IS 'open, in treatment, accepted or closed';
COMMENT ON COLUMN iso27001_bi.risk.is_open IS 'open or in treatment';
COMMENT ON COLUMN iso27001_bi.risk.controls IS 'the SoA controls the treatment relies on, comma-separated';
COMMENT ON COLUMN iso27001_bi.risk.control_count IS 'how many SoA controls the treatment relies on';
COMMENT ON COLUMN iso27001_bi.risk.identified_on IS 'when the risk was identified';
COMMENT ON COLUMN iso27001_bi.risk.accepted_on IS 'when the owner accepted the residual risk';
COMMENT ON COLUMN iso27001_bi.risk.closed_on IS 'when the risk was closed';
COMMENT ON COLUMN iso27001_bi.risk_control.scope_id IS 'the scope''s key';
COMMENT ON COLUMN iso27001_bi.risk_control.scope IS 'the scope''s name';
COMMENT ON COLUMN iso27001_bi.risk_control.risk_id IS 'the risk''s identifier within the scope';
COMMENT ON COLUMN iso27001_bi.risk_control.status IS 'the risk''s status: open, in treatment, accepted or closed';
COMMENT ON COLUMN iso27001_bi.risk_control.is_open IS 'the risk is open or in treatment';
COMMENT ON COLUMN iso27001_bi.risk_control.control_id IS 'a control the risk''s treatment relies on (A.5.7, or an organization-defined key)';
COMMENT ON COLUMN iso27001_bi.risk_control.sort_key IS 'integer key for the natural order of Annex A controls (A.5.7: 50700; NULL for organization-defined controls)';
COMMENT ON COLUMN iso27001_bi.risk_control.is_annex_a IS 'an Annex A control';
COMMENT ON COLUMN iso27001_bi.risk_control.title IS 'the control''s title';
COMMENT ON COLUMN iso27001_bi.risk_control.applicable IS 'the SoA includes the control (NULL: undecided)';
COMMENT ON COLUMN iso27001_bi.risk_control.implementation IS 'the control''s implementation state (NULL when excluded or undecided)';
