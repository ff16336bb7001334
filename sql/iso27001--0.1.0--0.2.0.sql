/* sql/iso27001--0.1.0--0.2.0.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION iso27001 UPDATE TO '0.2.0'" to load this file. \quit

-- 0.2.0 adds evidence and reporting: certificates and behaviour data as
-- tables, the BI schema iso27001_bi and its reader role, the evidence pack
-- and chart, and OSCAL export.  It changes nothing that 0.1.0 installed.

--
-- Certificates and behaviour observations: the data the reports read.
-- User data, kept by pg_dump; writable by whom the DBA grants, like the
-- register.
--

CREATE FUNCTION @extschema@.sort_key(@extschema@.iso_control)
	RETURNS integer
	AS 'MODULE_PATHNAME', 'iso_control_sort_key'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.sort_key(@extschema@.iso_control) IS
	'natural-order integer of a control for tools that sort by a number: A.5.7 is 50700, A.12.6.1 is 120601';

CREATE FUNCTION @extschema@.uuid_v5(namespace uuid, name text)
	RETURNS uuid
	AS 'MODULE_PATHNAME', 'uuid_v5'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.uuid_v5(uuid, text) IS
	'the name-based (version 5, SHA-1) UUID of a name in a namespace (RFC 9562): the same input always gives the same UUID';

CREATE TABLE @extschema@.certificate (
	scope_id bigint PRIMARY KEY REFERENCES @extschema@.soa_scope,
	certification_decision date NOT NULL
		CHECK (pg_catalog.isfinite(certification_decision)),
	certificate_number text,
	certification_body text,
	edition integer NOT NULL DEFAULT 2022
		CHECK (edition OPERATOR(pg_catalog.=) ANY (ARRAY[2013, 2022])),
	note text
);
COMMENT ON TABLE @extschema@.certificate IS
	'the ISO/IEC 27001 certificate of a scope: its initial certification decision (the cycle''s anchor), number and certification body';
COMMENT ON COLUMN @extschema@.certificate.certification_decision IS 'date of the initial certification decision';
COMMENT ON COLUMN @extschema@.certificate.edition IS 'edition the certificate is issued against (2013 certificates expired on 2025-10-31)';

CREATE TABLE @extschema@.certification_audit (
	scope_id bigint NOT NULL REFERENCES @extschema@.certificate,
	kind text NOT NULL CHECK (kind OPERATOR(pg_catalog.=) ANY (ARRAY[
		'stage1', 'stage2', 'stage2_major_nonconformity', 'surveillance',
		'recertification_audit', 'recertification_decision', 'restoration_decision',
		'suspension_start', 'suspension_end', 'transition_audit', 'special_audit'])),
	on_date date NOT NULL CHECK (pg_catalog.isfinite(on_date)),
	note text,
	PRIMARY KEY (scope_id, on_date, kind)
);
COMMENT ON TABLE @extschema@.certification_audit IS
	'the audit history of a certificate: one row per event (the kinds of certification_event), read by the calendar and the cycle check';

CREATE TABLE @extschema@.behaviour_metric (
	metric text PRIMARY KEY
		CHECK (metric OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]{0,62}$'),
	name text NOT NULL CHECK (pg_catalog.btrim(name) OPERATOR(pg_catalog.<>) ''),
	description text NOT NULL,
	kind text NOT NULL CHECK (kind OPERATOR(pg_catalog.=) ANY (ARRAY['rate', 'value'])),
	better text NOT NULL CHECK (better OPERATOR(pg_catalog.=) ANY (ARRAY['lower', 'higher'])),
	unit text NOT NULL,
	control @extschema@.iso_control
		CHECK (@extschema@.edition(control) OPERATOR(pg_catalog.=) 2022),
	builtin boolean NOT NULL DEFAULT false,
	UNIQUE (metric, kind)
);
COMMENT ON TABLE @extschema@.behaviour_metric IS
	'behaviour metrics: a rate (events out of trials, such as clicks out of phishing messages) or a value, which direction is better, and the Annex A control it evidences';
COMMENT ON COLUMN @extschema@.behaviour_metric.kind IS 'rate: observations are events out of trials; value: observations are numbers';
COMMENT ON COLUMN @extschema@.behaviour_metric.better IS 'lower or higher: which direction is an improvement';
COMMENT ON COLUMN @extschema@.behaviour_metric.control IS 'the ISO/IEC 27001:2022 control the metric is evidence for';
COMMENT ON COLUMN @extschema@.behaviour_metric.builtin IS 'shipped with the extension (not dumped by pg_dump)';

INSERT INTO @extschema@.behaviour_metric (metric, name, description, kind, better, unit, control, builtin) VALUES
('phishing_click_rate', 'Phishing click rate',
 'share of simulated phishing messages whose link was clicked', 'rate', 'lower', 'share of messages', 'A.6.3', true),
('phishing_report_rate', 'Phishing report rate',
 'share of simulated phishing messages reported to the security team', 'rate', 'higher', 'share of messages', 'A.6.8', true),
('training_overdue_rate', 'Overdue awareness training',
 'share of people whose information security awareness training is overdue', 'rate', 'lower', 'share of people', 'A.6.3', true),
('time_to_report_hours', 'Time to report',
 'median hours from a simulated phishing delivery to its first report', 'value', 'lower', 'hours', 'A.6.8', true);

CREATE TABLE @extschema@.behaviour_observation (
	scope_id bigint NOT NULL REFERENCES @extschema@.soa_scope,
	metric text NOT NULL,
	observed_at timestamptz NOT NULL CHECK (pg_catalog.isfinite(observed_at)),
	events bigint,
	trials bigint,
	value double precision,
	kind text GENERATED ALWAYS AS (CASE WHEN trials IS NULL THEN 'value' ELSE 'rate' END) STORED,
	PRIMARY KEY (scope_id, metric, observed_at),
	FOREIGN KEY (metric, kind) REFERENCES @extschema@.behaviour_metric (metric, kind),
	CHECK ((trials IS NOT NULL AND events IS NOT NULL AND value IS NULL
			AND trials OPERATOR(pg_catalog.>) 0 AND events OPERATOR(pg_catalog.>=) 0
			AND events OPERATOR(pg_catalog.<=) trials)
		   OR (trials IS NULL AND events IS NULL AND value IS NOT NULL
			   AND value OPERATOR(pg_catalog.<>) ALL (ARRAY['NaN', 'Infinity', '-Infinity']::double precision[])))
);
COMMENT ON TABLE @extschema@.behaviour_observation IS
	'behaviour observations per scope, metric and period: events out of trials for a rate metric (say 12 clicks out of 400 messages of one campaign), or a value';
COMMENT ON COLUMN @extschema@.behaviour_observation.observed_at IS 'when the period observed starts (a campaign''s send time, the week''s Monday)';
COMMENT ON COLUMN @extschema@.behaviour_observation.kind IS 'rate or value, from the columns filled; must match the metric''s kind';

CREATE TABLE @extschema@.behaviour_target (
	scope_id bigint NOT NULL REFERENCES @extschema@.soa_scope,
	metric text NOT NULL REFERENCES @extschema@.behaviour_metric,
	target double precision NOT NULL
		CHECK (target OPERATOR(pg_catalog.<>) ALL (ARRAY['NaN', 'Infinity', '-Infinity']::double precision[])),
	due_date date CHECK (pg_catalog.isfinite(due_date)),
	note text,
	PRIMARY KEY (scope_id, metric)
);
COMMENT ON TABLE @extschema@.behaviour_target IS
	'a scope''s target for a metric (a rate as a fraction: 0.05 is 5 %) and when it should be met';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.certificate', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.certification_audit', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.behaviour_metric', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.behaviour_observation', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.behaviour_target', '');
REVOKE ALL ON @extschema@.behaviour_metric FROM PUBLIC;
GRANT SELECT ON @extschema@.behaviour_metric TO PUBLIC;

-- A rate metric's observations as fractions, a value metric's as values,
-- between two dates (inclusive; NULL or infinite is open); the scope and
-- metric must exist
CREATE FUNCTION @extschema@.evidence_period_check(scope text, metric text,
												  period_start date, period_end date)
	RETURNS bigint
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
BEGIN
	IF scope IS NULL OR metric IS NULL THEN
		RAISE EXCEPTION 'scope and metric must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF NOT EXISTS (SELECT FROM @extschema@.behaviour_metric m WHERE m.metric = evidence_period_check.metric) THEN
		RAISE EXCEPTION 'behaviour metric "%" does not exist', metric
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The metrics are the rows of iso27001.behaviour_metric.';
	END IF;
	IF period_start > period_end THEN
		RAISE EXCEPTION 'period ends (%) before it starts (%)', period_end, period_start
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN @extschema@.soa_scope_id(scope);
END
$$;
COMMENT ON FUNCTION @extschema@.evidence_period_check(text, text, date, date) IS
	'the scope_id of an evidence request, after checking scope, metric and period (SQLSTATE 22023 or 22004)';

CREATE FUNCTION @extschema@.evidence_observations(scope text, metric text,
												  period_start date DEFAULT NULL,
												  period_end date DEFAULT NULL)
	RETURNS TABLE (observed_at text, events bigint, trials bigint, value text)
	LANGUAGE sql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
	SET extra_float_digits = 1
AS $$
	SELECT pg_catalog.to_char(o.observed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
		   o.events, o.trials, o.value::text
	  FROM @extschema@.behaviour_observation o
	 WHERE o.scope_id = (SELECT @extschema@.evidence_period_check($1, $2, $3, $4))
	   AND o.metric = $2
	   AND ($3 IS NULL OR o.observed_at >= $3::timestamptz)
	   AND ($4 IS NULL OR o.observed_at < ($4 + 1)::timestamptz)
	 ORDER BY o.observed_at
$$;
COMMENT ON FUNCTION @extschema@.evidence_observations(text, text, date, date) IS
	'the observations an evidence pack digests, in canonical text (UTC times, shortest exact numbers): its SHA-256 is that of this function''s CSV output with header';

--
-- The BI contract: schema iso27001_bi, one view per question a dashboard
-- asks, plain column types only (text, integer, bigint, numeric, boolean,
-- date, timestamptz), control ids as text with an integer sort key.  Every
-- view is security_invoker, so the reader's privileges and row-level
-- security apply through it.  test/bi_contract.sql pins every column.
--

CREATE SCHEMA iso27001_bi;
COMMENT ON SCHEMA iso27001_bi IS
	'iso27001''s views for BI tools (Metabase, Grafana, Superset, Power BI): plain column types, one view per dashboard question, a stable contract';

CREATE VIEW iso27001_bi.annex_a_control WITH (security_invoker = true) AS
SELECT 2022 AS edition, c.control::text AS control_id, @extschema@.sort_key(c.control) AS sort_key,
	   c.theme::text AS theme,
	   pg_catalog.array_position(pg_catalog.enum_range(NULL::@extschema@.annex_a_theme), c.theme) AS theme_order,
	   c.title,
	   pg_catalog.array_to_string(c.control_type, ', ') AS control_type,
	   pg_catalog.array_to_string(c.security_properties, ', ') AS security_properties,
	   pg_catalog.array_to_string(c.cybersecurity_concepts, ', ') AS cybersecurity_concepts,
	   pg_catalog.array_to_string(c.operational_capabilities, ', ') AS operational_capabilities,
	   pg_catalog.array_to_string(c.security_domains, ', ') AS security_domains,
	   NOT EXISTS (SELECT FROM @extschema@.ref_correspondence m
				   WHERE m.control_2022 OPERATOR(@extschema@.=) c.control) AS is_new
  FROM @extschema@.ref_control_2022 c
UNION ALL
SELECT 2013, c.control::text, @extschema@.sort_key(c.control),
	   o.clause OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) cl.title,
	   pg_catalog.substr(o.clause, 3)::integer, c.title,
	   NULL, NULL, NULL, NULL, NULL, NULL
  FROM @extschema@.ref_control_2013 c
  JOIN @extschema@.ref_objective_2013 o ON o.objective OPERATOR(pg_catalog.=) c.objective
  JOIN @extschema@.ref_clause_2013 cl ON cl.clause OPERATOR(pg_catalog.=) o.clause;
COMMENT ON VIEW iso27001_bi.annex_a_control IS
	'Annex A of both editions: one row per control with title, theme (2022) or clause (2013) and the ISO/IEC 27002:2022 attributes as comma-separated text';

CREATE VIEW iso27001_bi.annex_a_attribute WITH (security_invoker = true) AS
SELECT c.control::text AS control_id, @extschema@.sort_key(c.control) AS sort_key, c.title,
	   a.attribute, a.value
  FROM @extschema@.ref_control_2022 c
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
	   v.approved_by AS latest_version_approved_by
  FROM @extschema@.soa_scope s
  LEFT JOIN @extschema@.certificate c ON c.scope_id OPERATOR(pg_catalog.=) s.scope_id
  LEFT JOIN LATERAL (SELECT x.version, x.approved_at, x.approved_by
					   FROM @extschema@.soa_version x
					  WHERE x.scope_id OPERATOR(pg_catalog.=) s.scope_id
					  ORDER BY x.version DESC LIMIT 1) v ON true;
COMMENT ON VIEW iso27001_bi.scope IS
	'ISMS scopes with their certificate and latest approved SoA version (a dashboard''s scope filter)';

CREATE VIEW iso27001_bi.soa_entry WITH (security_invoker = true) AS
SELECT r.scope_id, s.name AS scope, s.edition, r.control_key AS control_id,
	   coalesce(@extschema@.sort_key(r.control), 999999) AS sort_key,
	   r.control IS NOT NULL AS is_annex_a,
	   coalesce(t.title, r.title) AS title,
	   coalesce(x.section, 'Organization-defined') AS theme,
	   r.entry IS NOT NULL AS decided,
	   @extschema@.is_applicable(r.entry) AS applicable,
	   @extschema@.implementation(r.entry) AS implementation,
	   @extschema@.is_implemented(r.entry) AS implemented,
	   @extschema@.oscal_status(r.entry) AS oscal_status,
	   NULLIF(pg_catalog.array_to_string(@extschema@.reasons(r.entry), ', '), '') AS reasons,
	   r.justification, r.owner,
	   pg_catalog.cardinality(r.evidence) AS evidence_links,
	   r.needs_review, r.changed_at, r.changed_by
  FROM @extschema@.soa_register r
  JOIN @extschema@.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) r.scope_id
  LEFT JOIN @extschema@.annex_a_titles t ON t.control OPERATOR(@extschema@.=) r.control
  LEFT JOIN @extschema@.annex_a_sections x ON x.control OPERATOR(@extschema@.=) r.control;
COMMENT ON VIEW iso27001_bi.soa_entry IS
	'each scope''s current Statement of Applicability: one row per control with title, theme, decision, implementation, reasons and justification';

CREATE VIEW iso27001_bi.soa_coverage_by_theme WITH (security_invoker = true) AS
SELECT g.scope_id, s.name AS scope, g.theme, g.theme_order,
	   (g.c).total AS controls, (g.c).undecided, (g.c).excluded, (g.c).applicable,
	   (g.c).not_implemented, (g.c).planned, (g.c).partially_implemented, (g.c).implemented,
	   pg_catalog.round((g.c).implemented::numeric
						OPERATOR(pg_catalog./) NULLIF((g.c).applicable, 0)::numeric, 4) AS implemented_share
  FROM (SELECT r.scope_id, coalesce(x.section, 'Organization-defined') AS theme,
			   coalesce(x.section_order, 1000) AS theme_order,
			   @extschema@.soa_summary(r.entry) AS c
		  FROM @extschema@.soa_register r
		  LEFT JOIN @extschema@.annex_a_sections x ON x.control OPERATOR(@extschema@.=) r.control
		 GROUP BY 1, 2, 3) g
  JOIN @extschema@.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) g.scope_id;
COMMENT ON VIEW iso27001_bi.soa_coverage_by_theme IS
	'SoA coverage per scope and theme (2022) or clause (2013): counts by applicability and implementation, implemented share of applicable controls';

CREATE VIEW iso27001_bi.soa_coverage_by_attribute WITH (security_invoker = true) AS
SELECT s.scope_id, c.scope, c.attribute, c.value, c.controls, c.excluded, c.applicable,
	   c.implemented, c.implemented_share
  FROM @extschema@.soa_coverage_by_attribute() c
  JOIN @extschema@.soa_scope s ON s.name OPERATOR(pg_catalog.=) c.scope;
COMMENT ON VIEW iso27001_bi.soa_coverage_by_attribute IS
	'SoA coverage per 2022 scope and ISO/IEC 27002:2022 attribute value (the implemented share of applicable #Detective controls, say)';

CREATE VIEW iso27001_bi.soa_finding WITH (security_invoker = true) AS
SELECT s.scope_id, f.scope, f.rule, f.severity, f.control_key AS control_id,
	   CASE WHEN f.control_key IS NULL THEN NULL
			WHEN @extschema@.is_valid_control(f.control_key)
			THEN @extschema@.sort_key(f.control_key::@extschema@.iso_control)
			ELSE 999999 END AS sort_key,
	   f.message
  FROM @extschema@.soa_validate() f
  JOIN @extschema@.soa_scope s ON s.name OPERATOR(pg_catalog.=) f.scope;
COMMENT ON VIEW iso27001_bi.soa_finding IS
	'the SoA validator''s findings for every scope: rule, severity (error, warning), control and message';

CREATE VIEW iso27001_bi.certification_calendar WITH (security_invoker = true) AS
SELECT c.scope_id, s.name AS scope, c.certificate_number, c.certification_body,
	   c.certification_decision, d.event, d.due_date, d.window_start, d.window_end,
	   d.days_left, d.requirement, d.ord OPERATOR(pg_catalog.=) 1 AS is_next, d.basis, d.note
  FROM @extschema@.certificate c
  JOIN @extschema@.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) c.scope_id
 CROSS JOIN LATERAL @extschema@.certification_next_due(
		c.certification_decision,
		ARRAY(SELECT ROW(a.kind, a.on_date)::@extschema@.certification_event
				FROM @extschema@.certification_audit a
			   WHERE a.scope_id OPERATOR(pg_catalog.=) c.scope_id
			   ORDER BY a.on_date, a.kind),
		CURRENT_DATE, edition => c.edition) WITH ORDINALITY
		AS d(event, due_date, window_start, window_end, days_left, requirement, basis, note, ord);
COMMENT ON VIEW iso27001_bi.certification_calendar IS
	'the certification calendar of every certified scope as of today: the next audit with its window (is_next), then the hard deadlines still ahead, with days left';

CREATE VIEW iso27001_bi.certification_finding WITH (security_invoker = true) AS
SELECT c.scope_id, s.name AS scope, c.certificate_number, f.rule, f.severity, f.cycle,
	   f.on_date, f.detail, f.basis
  FROM @extschema@.certificate c
  JOIN @extschema@.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) c.scope_id
 CROSS JOIN LATERAL @extschema@.certification_cycle_check(
		c.certification_decision,
		ARRAY(SELECT ROW(a.kind, a.on_date)::@extschema@.certification_event
				FROM @extschema@.certification_audit a
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
			 ELSE o.events::double precision OPERATOR(pg_catalog./) o.trials END)::numeric AS value,
	   m.better, m.unit
  FROM @extschema@.behaviour_observation o
  JOIN @extschema@.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) o.scope_id
  JOIN @extschema@.behaviour_metric m ON m.metric OPERATOR(pg_catalog.=) o.metric;
COMMENT ON VIEW iso27001_bi.behaviour_series IS
	'behaviour observations as a time series (time column observed_at): the rate (events / trials, a fraction) or the value per scope, metric and period';

CREATE VIEW iso27001_bi.behaviour_trend WITH (security_invoker = true) AS
SELECT g.scope_id, s.name AS scope, g.metric, m.name AS metric_name, m.control::text AS control_id,
	   m.better, m.unit,
	   CASE m.kind WHEN 'rate' THEN 'rate (Cochran-Armitage)'
			ELSE 'robust (Theil-Sen, Mann-Kendall)' END AS method,
	   r.n, r.first_time, r.last_time,
	   r.slope::numeric AS slope_per_month, r.slope_lower::numeric AS slope_lower,
	   r.slope_upper::numeric AS slope_upper, r.p_value::numeric AS p_value, r.verdict,
	   (CASE m.kind WHEN 'rate' THEN @extschema@.fitted_last(g.rate_state)
			 ELSE @extschema@.fitted_at(g.robust_state, r.last_time) END)::numeric AS fitted_last,
	   t.target::numeric AS target, t.due_date AS target_date
  FROM (SELECT o.scope_id, o.metric,
			   @extschema@.trend_rate_agg(o.events, o.trials, o.observed_at) AS rate_state,
			   @extschema@.trend_robust_agg(o.value, o.observed_at) AS robust_state
		  FROM @extschema@.behaviour_observation o
		 GROUP BY o.scope_id, o.metric) g
  JOIN @extschema@.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) g.scope_id
  JOIN @extschema@.behaviour_metric m ON m.metric OPERATOR(pg_catalog.=) g.metric
 CROSS JOIN LATERAL (
		SELECT * FROM @extschema@.trend_report(g.rate_state, m.better)
		 WHERE m.kind OPERATOR(pg_catalog.=) 'rate'
		UNION ALL
		SELECT * FROM @extschema@.trend_report(g.robust_state, m.better)
		 WHERE m.kind OPERATOR(pg_catalog.=) 'value') r
  LEFT JOIN @extschema@.behaviour_target t
	ON t.scope_id OPERATOR(pg_catalog.=) g.scope_id AND t.metric OPERATOR(pg_catalog.=) g.metric;
COMMENT ON VIEW iso27001_bi.behaviour_trend IS
	'the trend of every scope''s behaviour metric over all its observations: slope per month with its 95 % interval, p-value and verdict (rate metrics: Cochran-Armitage; value metrics: Theil-Sen and Mann-Kendall), with the target';

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
		"certification_body": "the certification body",
		"certification_decision": "date of the initial certification decision (the cycle''s anchor)",
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
		"due_date": "when the event is due",
		"edition": "edition of ISO/IEC 27001: 2013 or 2022",
		"event": "the audit or deadline",
		"events": "events observed in the period (rate metrics): clicks, reports",
		"evidence_links": "number of evidence links",
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
		"p_value": "two-sided p-value of the trend test",
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

-- The role a BI tool logs in through: CREATE ROLE metabase LOGIN PASSWORD '...' IN ROLE iso27001_reader;
DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'iso27001_reader') THEN
		CREATE ROLE iso27001_reader NOLOGIN;
	END IF;
END
$$;
COMMENT ON ROLE iso27001_reader IS
	'reads iso27001''s BI views (schema iso27001_bi) and the rows under them; grant it to a BI tool''s login role';
GRANT USAGE ON SCHEMA iso27001_bi TO iso27001_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA iso27001_bi TO iso27001_reader;
GRANT SELECT ON @extschema@.soa_scope, @extschema@.soa_register, @extschema@.soa_version,
	@extschema@.certificate, @extschema@.certification_audit,
	@extschema@.behaviour_observation, @extschema@.behaviour_target TO iso27001_reader;

--
-- Evidence for an auditor (controls 6.3 and 6.8, clause 10): one document
-- per scope, metric and period, and its chart.  Both only read.
--

-- The trend states of a scope's metric over a period: least squares and
-- robust over the per-period value (a rate as a fraction), the rate trend
-- over events out of trials
CREATE FUNCTION @extschema@.evidence_states(scope_id bigint, metric text,
											period_start date, period_end date,
											OUT ols @extschema@.trend_ols,
											OUT rate @extschema@.trend_rate,
											OUT robust @extschema@.trend_robust)
	RETURNS record
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT @extschema@.trend_ols_agg(x.y, x.observed_at),
		   @extschema@.trend_rate_agg(x.events, x.trials, x.observed_at),
		   @extschema@.trend_robust_agg(x.y, x.observed_at)
	  FROM (SELECT o.observed_at, o.events, o.trials,
				   CASE WHEN o.trials IS NULL THEN o.value
						ELSE o.events::double precision OPERATOR(pg_catalog./) o.trials END AS y
			  FROM @extschema@.behaviour_observation o
			 WHERE o.scope_id OPERATOR(pg_catalog.=) evidence_states.scope_id
			   AND o.metric OPERATOR(pg_catalog.=) evidence_states.metric
			   AND (evidence_states.period_start IS NULL
					OR o.observed_at OPERATOR(pg_catalog.>=) evidence_states.period_start::timestamptz)
			   AND (evidence_states.period_end IS NULL
					OR o.observed_at OPERATOR(pg_catalog.<)
					   (evidence_states.period_end OPERATOR(pg_catalog.+) 1)::timestamptz)) x;
END;
COMMENT ON FUNCTION @extschema@.evidence_states(bigint, text, date, date) IS
	'the least-squares, rate and robust trend states of a scope''s metric between two dates (inclusive; NULL is open)';

CREATE FUNCTION @extschema@.evidence_pack(scope text, metric text,
										  period_start date DEFAULT NULL,
										  period_end date DEFAULT NULL,
										  alpha double precision DEFAULT 0.05)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
	SET extra_float_digits = 1
AS $$
DECLARE
	sid bigint := @extschema@.evidence_period_check(scope, metric, period_start, period_end);
	m @extschema@.behaviour_metric;
	s @extschema@.soa_scope;
	st record;
	obs jsonb;
	digest text;
	families jsonb := '{}';
	primary_family text;
	verdict text;
	fitted_last double precision;
	target jsonb;
	control jsonb;
	version jsonb;
	level double precision := 1 - alpha;
	q text;
BEGIN
	IF alpha IS NULL OR NOT (alpha > 0 AND alpha < 1) THEN
		RAISE EXCEPTION 'alpha must be between 0 and 1 exclusive'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT * INTO m FROM @extschema@.behaviour_metric b WHERE b.metric = evidence_pack.metric;
	SELECT * INTO s FROM @extschema@.soa_scope x WHERE x.scope_id = sid;

	-- the observations, and the digest of their canonical CSV
	SELECT coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
				'observed_at', e.observed_at, 'events', e.events, 'trials', e.trials,
				'rate', e.events::double precision / e.trials, 'value', e.value::double precision))
				ORDER BY e.observed_at), '[]'),
		   encode(sha256(convert_to('observed_at,events,trials,value' || E'\n' ||
									coalesce(string_agg(format('%s,%s,%s,%s', e.observed_at, e.events, e.trials, e.value),
														E'\n' ORDER BY e.observed_at) || E'\n', ''),
									'UTF8')), 'hex')
	  INTO obs, digest
	  FROM @extschema@.evidence_observations(scope, metric, period_start, period_end) e;

	st := @extschema@.evidence_states(sid, metric, period_start, period_end);
	IF n(st.ols) > 0 THEN
		families := families || jsonb_build_object('least_squares', jsonb_build_object(
			'method', 'ordinary least squares of the per-period ' || CASE m.kind WHEN 'rate' THEN 'rate' ELSE 'value' END,
			'n', n(st.ols), 'slope_per_month', slope(st.ols, '1 month'),
			'slope_lower', slope_lower(st.ols, '1 month', level), 'slope_upper', slope_upper(st.ols, '1 month', level),
			'slope_stderr', slope_stderr(st.ols, '1 month'), 't_value', t_value(st.ols),
			'p_value', p_value(st.ols), 'r2', r2(st.ols),
			'fitted_first', fitted_first(st.ols), 'fitted_last', fitted_last(st.ols),
			'verdict', @extschema@.verdict(st.ols, m.better, alpha)));
	END IF;
	IF m.kind = 'rate' AND n(st.rate) > 0 THEN
		families := families || jsonb_build_object('rate', jsonb_build_object(
			'method', 'slope of the proportion weighted by trials; Cochran-Armitage test for trend',
			'n', n(st.rate), 'pooled_rate', rate(st.rate), 'slope_per_month', slope(st.rate, '1 month'),
			'slope_lower', slope_lower(st.rate, '1 month', level), 'slope_upper', slope_upper(st.rate, '1 month', level),
			'slope_stderr', slope_stderr(st.rate, '1 month'), 'ca_chi2', ca_chi2(st.rate),
			'ca_z', ca_z(st.rate), 'p_value', p_value(st.rate),
			'fitted_first', fitted_first(st.rate), 'fitted_last', fitted_last(st.rate),
			'verdict', @extschema@.verdict(st.rate, m.better, alpha)));
	END IF;
	IF n(st.robust) > 0 THEN
		families := families || jsonb_build_object('robust', jsonb_build_object(
			'method', 'Theil-Sen slope with its rank interval; Mann-Kendall test',
			'n', n(st.robust), 'slope_per_month', slope(st.robust, '1 month'),
			'slope_lower', slope_lower(st.robust, '1 month', level), 'slope_upper', slope_upper(st.robust, '1 month', level),
			'mk_s', mk_s(st.robust), 'mk_var_s', mk_var_s(st.robust), 'mk_z', mk_z(st.robust),
			'p_value', p_value(st.robust), 'kendall_tau_b', kendall_tau_b(st.robust),
			'verdict', @extschema@.verdict(st.robust, m.better, alpha)));
	END IF;

	-- the family the verdict comes from: the rate trend for rates, the
	-- robust trend for values
	primary_family := CASE m.kind WHEN 'rate' THEN 'rate' ELSE 'robust' END;
	verdict := coalesce(families -> primary_family ->> 'verdict', 'insufficient data');
	fitted_last := CASE m.kind WHEN 'rate' THEN fitted_last(st.rate)
					   ELSE fitted_at(st.robust, last_time(st.robust)) END;

	SELECT jsonb_build_object('value', t.target, 'due_date', t.due_date, 'note', t.note,
							  'fitted_last', fitted_last,
							  'met', CASE WHEN m.better = 'lower' THEN fitted_last <= t.target
										  ELSE fitted_last >= t.target END)
	  INTO target
	  FROM @extschema@.behaviour_target t
	 WHERE t.scope_id = sid AND t.metric = evidence_pack.metric;

	IF m.control IS NOT NULL THEN
		SELECT jsonb_build_object('id', m.control::text, 'title', title(m.control),
								  'soa_entry', r.entry::text, 'applicable', is_applicable(r.entry),
								  'implementation', implementation(r.entry),
								  'reasons', to_jsonb(reasons(r.entry)),
								  'justification', r.justification, 'owner', r.owner,
								  'evidence', to_jsonb(r.evidence), 'changed_at', r.changed_at)
		  INTO control
		  FROM @extschema@.soa_register r
		 WHERE r.scope_id = sid AND r.control = m.control;
		control := coalesce(control, jsonb_build_object('id', m.control::text, 'title', title(m.control),
														 'soa_entry', NULL));
	END IF;

	SELECT jsonb_build_object('version', v.version, 'approved_at', v.approved_at,
							  'approved_by', v.approved_by,
							  'soa_entry', (SELECT ve.entry::text FROM @extschema@.soa_version_entry ve
											 WHERE ve.scope_id = v.scope_id AND ve.version = v.version
											   AND ve.control = m.control))
	  INTO version
	  FROM @extschema@.soa_version v
	 WHERE v.scope_id = sid
	 ORDER BY v.version DESC LIMIT 1;

	q := format('COPY (SELECT * FROM iso27001.evidence_observations(%L, %L, %L, %L)) TO STDOUT (FORMAT csv, HEADER)',
				scope, metric, period_start, period_end);
	RETURN jsonb_build_object(
		'document', 'iso27001 evidence pack',
		'format_version', 1,
		'generated_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
		'generated_by', current_user,
		'scope', jsonb_build_object('name', s.name, 'edition', s.edition),
		'metric', jsonb_build_object('key', m.metric, 'name', m.name, 'description', m.description,
									 'kind', m.kind, 'better', m.better, 'unit',
									 CASE m.kind WHEN 'rate' THEN m.unit || ' (a fraction: 0.05 is 5 %)' ELSE m.unit END,
									 'control', m.control::text),
		'period', jsonb_build_object('start', period_start, 'end', period_end,
									 'dates_in_time_zone', current_setting('TimeZone'),
									 'first_observation', obs -> 0 -> 'observed_at',
									 'last_observation', obs -> -1 -> 'observed_at'),
		'observations', obs,
		'observation_count', jsonb_array_length(obs),
		'observations_sha256', digest,
		'digest_of', 'the CSV (with header, LF line ends) of ' || q,
		'confidence_level', level,
		'trends', families,
		'verdict_method', primary_family,
		'verdict', verdict,
		'target', target,
		'control', control,
		'soa_version', version);
END
$$;
COMMENT ON FUNCTION @extschema@.evidence_pack(text, text, date, date, double precision) IS
	'the auditor''s evidence pack of a scope''s behaviour metric over a period (dates inclusive, NULL open): metric, observations with their SHA-256, every trend family that applies, verdict, target, the related control''s SoA entry';

-- Text made safe for SVG (XML) content and attribute values
CREATE FUNCTION @extschema@.svg_text(t text)
	RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
		   pg_catalog.replace(svg_text.t, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'),
		   '"', '&quot;'), '''', '&#39;');
END;
COMMENT ON FUNCTION @extschema@.svg_text(text) IS
	'text escaped for SVG (XML) content and attribute values';

-- Round tick values covering lo .. hi, about five of them
CREATE FUNCTION @extschema@.chart_ticks(lo double precision, hi double precision)
	RETURNS double precision[]
	LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	raw double precision := (hi - lo) / 5;
	mag double precision;
	step double precision;
	v double precision;
	ticks double precision[] := '{}';
BEGIN
	-- NaN compares equal to itself and above everything: keep it out
	IF lo IN ('NaN', 'Infinity', '-Infinity') OR hi IN ('NaN', 'Infinity', '-Infinity') OR hi < lo THEN
		RETURN '{}';
	END IF;
	IF NOT (raw > 0) OR raw = 'Infinity' THEN
		RETURN ARRAY[lo];
	END IF;
	mag := power(10, floor(log(raw)));
	step := mag * CASE WHEN raw / mag < 1.5 THEN 1 WHEN raw / mag < 3 THEN 2
					   WHEN raw / mag < 7 THEN 5 ELSE 10 END;
	v := ceil(lo / step) * step;
	WHILE v <= hi + step * 1e-9 LOOP
		ticks := ticks || (round((v / step)::numeric) * step::numeric)::double precision;
		v := v + step;
	END LOOP;
	RETURN ticks;
END
$$;
COMMENT ON FUNCTION @extschema@.chart_ticks(double precision, double precision) IS
	'round axis tick values (steps of 1, 2 or 5 times a power of ten) covering an interval';

CREATE FUNCTION @extschema@.evidence_chart(scope text, metric text,
										   period_start date DEFAULT NULL,
										   period_end date DEFAULT NULL,
										   alpha double precision DEFAULT 0.05,
										   width integer DEFAULT 800,
										   height integer DEFAULT 450)
	RETURNS text
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	sid bigint := @extschema@.evidence_period_check(scope, metric, period_start, period_end);
	m @extschema@.behaviour_metric;
	st record;
	ts double precision[];		-- observation times, days since the first
	ys double precision[];		-- observed values (a rate in percent)
	ns double precision[];		-- trials (rates)
	t_first timestamptz;
	t_span double precision;
	scale double precision;
	lo double precision;
	hi double precision;
	xbar double precision;
	base_var double precision;	-- variance of the fitted line at xbar
	se_b double precision;		-- standard error of the slope per day
	crit double precision;		-- quantile of the interval
	fit_b double precision;		-- fitted slope per day
	fit_at_xbar double precision;
	target double precision;
	verdict text;
	summary text;
	lm CONSTANT integer := 72;	-- margins
	rm CONSTANT integer := 24;
	tm CONSTANT integer := 70;
	bm CONSTANT integer := 70;
	pw integer;
	ph integer;
	svg text;
	bx double precision[] := '{}';	-- band: day, lower, upper
	bl double precision[] := '{}';
	bu double precision[] := '{}';
	parts text := '';
	tick double precision;
	d date;
	step_months integer;
	x double precision;
	f double precision;
	h double precision;
	j integer;
	title text;
	y_label text;
BEGIN
	IF alpha IS NULL OR NOT (alpha > 0 AND alpha < 1) THEN
		RAISE EXCEPTION 'alpha must be between 0 and 1 exclusive'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF width IS NULL OR height IS NULL OR width NOT BETWEEN 320 AND 4000
	   OR height NOT BETWEEN 240 AND 4000 THEN
		RAISE EXCEPTION 'chart size must be between 320 x 240 and 4000 x 4000 pixels'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	pw := width - lm - rm;
	ph := height - tm - bm;
	SELECT * INTO m FROM @extschema@.behaviour_metric b WHERE b.metric = evidence_chart.metric;
	scale := CASE m.kind WHEN 'rate' THEN 100 ELSE 1 END;
	title := m.name || ' — ' || scope;
	y_label := m.name || CASE m.kind WHEN 'rate' THEN ' (%)' ELSE ' (' || m.unit || ')' END;

	SELECT min(o.observed_at),
		   array_agg(extract(epoch FROM o.observed_at)::double precision ORDER BY o.observed_at),
		   array_agg(scale * CASE WHEN o.trials IS NULL THEN o.value
								  ELSE o.events::double precision / o.trials END ORDER BY o.observed_at),
		   array_agg(o.trials::double precision ORDER BY o.observed_at)
	  INTO t_first, ts, ys, ns
	  FROM @extschema@.behaviour_observation o
	 WHERE o.scope_id = sid AND o.metric = evidence_chart.metric
	   AND (period_start IS NULL OR o.observed_at >= period_start::timestamptz)
	   AND (period_end IS NULL OR o.observed_at < (period_end + 1)::timestamptz);

	svg := format('<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">',
				  width, height, width, height)
		|| '<title>' || svg_text(title) || '</title>'
		|| format('<rect x="0" y="0" width="%s" height="%s" fill="#ffffff"/>', width, height)
		|| format('<text x="%s" y="26" font-size="17" font-weight="bold">%s</text>', lm, svg_text(title));
	IF ts IS NULL THEN
		RETURN svg || format('<text x="%s" y="%s" text-anchor="middle" font-size="14">No observations in this period</text></svg>',
							 width / 2, height / 2);
	END IF;
	-- times in days since the first observation
	SELECT array_agg((t - ts[1]) / 86400 ORDER BY k) INTO ts FROM unnest(ts) WITH ORDINALITY AS u(t, k);
	t_span := greatest(ts[array_length(ts, 1)], 1);

	-- the fitted line and its pointwise band: the rate trend (weighted by
	-- trials) for a rate, least squares for a value
	st := @extschema@.evidence_states(sid, evidence_chart.metric, period_start, period_end);
	IF m.kind = 'rate' THEN
		fit_b := slope(st.rate, '1 day') * scale;
		se_b := slope_stderr(st.rate, '1 day') * scale;
		crit := (slope(st.rate, '1 day') - slope_lower(st.rate, '1 day', 1 - alpha))
				/ NULLIF(slope_stderr(st.rate, '1 day'), 0);
		SELECT sum(t * n) / sum(n) INTO xbar FROM unnest(ts, ns) AS u(t, n);
		fit_at_xbar := rate(st.rate) * scale;
		base_var := rate(st.rate) * (1 - rate(st.rate)) * scale * scale
					/ (SELECT sum(n) FROM unnest(ns) n);
		verdict := @extschema@.verdict(st.rate, m.better, alpha);
		summary := format('rate trend %s pp/month (%s %% interval %s .. %s), Cochran-Armitage p = %s: %s',
						  to_char(slope(st.rate, '1 month') * 100, 'FMS990.00'), trim_scale(round(((1 - alpha) * 100)::numeric, 1)),
						  to_char(slope_lower(st.rate, '1 month', 1 - alpha) * 100, 'FMS990.00'),
						  to_char(slope_upper(st.rate, '1 month', 1 - alpha) * 100, 'FMS990.00'),
						  to_char(p_value(st.rate), '9.9EEEE'), verdict);
	ELSE
		fit_b := slope(st.ols, '1 day');
		se_b := slope_stderr(st.ols, '1 day');
		crit := (slope(st.ols, '1 day') - slope_lower(st.ols, '1 day', 1 - alpha)) / NULLIF(se_b, 0);
		SELECT avg(t) INTO xbar FROM unnest(ts) t;
		fit_at_xbar := fitted_at(st.ols, t_first + make_interval(secs => xbar * 86400));
		-- s^2 / n with s^2 = se_b^2 * Sxx
		base_var := se_b * se_b * (SELECT sum((t - xbar) ^ 2) FROM unnest(ts) t) / array_length(ts, 1);
		verdict := @extschema@.verdict(st.robust, m.better, alpha);
		summary := format('least-squares trend %s %s/month (%s %% interval %s .. %s); Mann-Kendall p = %s: %s',
						  to_char(slope(st.ols, '1 month'), 'FMS999990.00'), m.unit, trim_scale(round(((1 - alpha) * 100)::numeric, 1)),
						  to_char(slope_lower(st.ols, '1 month', 1 - alpha), 'FMS999990.00'),
						  to_char(slope_upper(st.ols, '1 month', 1 - alpha), 'FMS999990.00'),
						  to_char(p_value(st.robust), '9.9EEEE'), verdict);
	END IF;
	SELECT t.target * scale INTO target FROM @extschema@.behaviour_target t
	 WHERE t.scope_id = sid AND t.metric = evidence_chart.metric;

	-- the vertical range: observations, band and target, with a margin
	SELECT min(y), max(y) INTO lo, hi FROM unnest(ys) y;
	IF fit_b IS NOT NULL THEN
		FOR j IN 0..40 LOOP
			x := t_span * j / 40;
			f := fit_at_xbar + fit_b * (x - xbar);
			h := coalesce(crit * sqrt(base_var + (x - xbar) ^ 2 * se_b * se_b), 0);
			lo := least(lo, f - h);
			hi := greatest(hi, f + h);
			bx := bx || x;
			bl := bl || (f - h);
			bu := bu || (f + h);
		END LOOP;
	END IF;
	lo := least(lo, target);
	hi := greatest(hi, target);
	IF m.kind = 'rate' THEN
		lo := greatest(lo, 0);
		hi := least(hi, 100);
	END IF;
	IF hi - lo < 1e-9 THEN
		lo := lo - 1;
		hi := hi + 1;
	END IF;
	h := (hi - lo) * 0.05;
	lo := lo - h;
	hi := hi + h;
	IF m.kind = 'rate' THEN
		lo := greatest(lo, 0);
	END IF;

	-- y grid and labels
	FOREACH tick IN ARRAY chart_ticks(lo, hi) LOOP
		parts := parts || format('<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#e3e3e3"/><text x="%s" y="%s" text-anchor="end">%s</text>',
								 lm, lm + pw, round((tm + ph * (hi - tick) / (hi - lo))::numeric, 1),
								 round((tm + ph * (hi - tick) / (hi - lo))::numeric, 1),
								 lm - 6, round((tm + ph * (hi - tick) / (hi - lo))::numeric + 4, 1),
								 rtrim(rtrim(to_char(tick, 'FM999999990.00'), '0'), '.'));
	END LOOP;
	-- x labels: months, every 1, 3, 6 or 12
	step_months := CASE WHEN t_span <= 200 THEN 1 WHEN t_span <= 700 THEN 3
						WHEN t_span <= 1500 THEN 6 ELSE 12 END;
	d := (date_trunc('month', t_first AT TIME ZONE 'UTC') + interval '1 month')::date;
	WHILE extract(epoch FROM (d::timestamp AT TIME ZONE 'UTC') - t_first) / 86400 <= t_span LOOP
		IF (extract(month FROM d)::integer - 1) % step_months = 0 THEN
			x := lm + pw * (extract(epoch FROM (d::timestamp AT TIME ZONE 'UTC') - t_first) / 86400) / t_span;
			parts := parts || format('<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#e3e3e3"/><text x="%s" y="%s" text-anchor="middle">%s</text>',
									 round(x::numeric, 1), round(x::numeric, 1), tm, tm + ph,
									 round(x::numeric, 1), tm + ph + 18, to_char(d, 'Mon YYYY'));
		END IF;
		d := (d + interval '1 month')::date;
	END LOOP;
	svg := svg || parts
		|| format('<rect x="%s" y="%s" width="%s" height="%s" fill="none" stroke="#888888"/>', lm, tm, pw, ph);

	-- band, fitted line, target, observations
	IF crit IS NOT NULL AND cardinality(bx) > 0 THEN
		SELECT string_agg(format('%s,%s', round((lm + pw * b.x / t_span)::numeric, 1),
								 round((tm + ph * (hi - least(greatest(b.y, lo), hi)) / (hi - lo))::numeric, 1)),
						  ' ' ORDER BY b.k)
		  INTO parts
		  FROM (SELECT u.x, u.y, u.k FROM unnest(bx, bu) WITH ORDINALITY AS u(x, y, k)
				UNION ALL
				SELECT u.x, u.y, 1000 - u.k FROM unnest(bx, bl) WITH ORDINALITY AS u(x, y, k)) b;
		svg := svg || format('<polygon points="%s" fill="#4c78a8" fill-opacity="0.18" stroke="none"/>', parts);
	END IF;
	IF fit_b IS NOT NULL THEN
		svg := svg || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#4c78a8" stroke-width="2.5"/>',
							 lm, round((tm + ph * (hi - (fit_at_xbar - fit_b * xbar)) / (hi - lo))::numeric, 1),
							 lm + pw, round((tm + ph * (hi - (fit_at_xbar + fit_b * (t_span - xbar))) / (hi - lo))::numeric, 1));
	END IF;
	IF target IS NOT NULL THEN
		svg := svg || format('<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#d62728" stroke-dasharray="6 4"/><text x="%s" y="%s" text-anchor="end" fill="#d62728">target %s</text>',
							 lm, lm + pw, round((tm + ph * (hi - target) / (hi - lo))::numeric, 1),
							 round((tm + ph * (hi - target) / (hi - lo))::numeric, 1),
							 lm + pw - 4, round((tm + ph * (hi - target) / (hi - lo))::numeric - 4, 1),
							 rtrim(rtrim(to_char(target, 'FM999999990.00'), '0'), '.'));
	END IF;
	SELECT string_agg(format('%s,%s', round((lm + pw * t / t_span)::numeric, 1),
							 round((tm + ph * (hi - y) / (hi - lo))::numeric, 1)), ' ' ORDER BY k)
	  INTO parts FROM unnest(ts, ys) WITH ORDINALITY AS u(t, y, k);
	svg := svg || format('<polyline points="%s" fill="none" stroke="#555555" stroke-width="1"/>', parts);
	SELECT string_agg(format('<circle cx="%s" cy="%s" r="2.5" fill="#333333"/>',
							 round((lm + pw * t / t_span)::numeric, 1),
							 round((tm + ph * (hi - y) / (hi - lo))::numeric, 1)), '' ORDER BY k)
	  INTO parts FROM unnest(ts, ys) WITH ORDINALITY AS u(t, y, k);
	svg := svg || parts;

	-- labels and legend
	RETURN svg
		|| format('<text x="%s" y="46" font-size="12" fill="#333333">%s</text>', lm, svg_text(summary))
		|| format('<text x="%s" y="%s" text-anchor="middle">Observed at (UTC), %s observations</text>',
				  lm + pw / 2, height - 30, array_length(ts, 1))
		|| format('<text transform="translate(18,%s) rotate(-90)" text-anchor="middle">%s</text>',
				  tm + ph / 2, svg_text(y_label))
		|| format('<text x="%s" y="%s" font-size="11" fill="#555555">● observations   — fitted trend with its %s %% band%s</text>',
				  lm, height - 10, trim_scale(round(((1 - alpha) * 100)::numeric, 1)),
				  CASE WHEN target IS NOT NULL THEN '   - - target' ELSE '' END)
		|| '</svg>';
END
$$;
COMMENT ON FUNCTION @extschema@.evidence_chart(text, text, date, date, double precision, integer, integer) IS
	'an SVG line chart of a scope''s behaviour metric over a period: the observations, the fitted trend with its pointwise confidence band, the target, title, axis labels and verdict';

--
-- OSCAL export (NIST OSCAL 1.2 JSON): the catalogues, a scope's SoA as a
-- system security plan and as a profile, the 2013 -> 2022 correspondence
-- as a mapping collection.  Identifiers, titles and attributes only, never
-- the control text.  UUIDs are version 5 from a fixed namespace, and times
-- come from the data, so the same content gives the same document.
--

-- The UUID of a name in the extension's OSCAL namespace (itself the
-- version 5 UUID of https://pgxn.org/dist/iso27001/oscal in the URL
-- namespace)
CREATE FUNCTION @extschema@.oscal_uuid(name text)
	RETURNS uuid
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT @extschema@.uuid_v5('a09f5098-07ad-570b-ace0-38063a4b642a', oscal_uuid.name);
END;
COMMENT ON FUNCTION @extschema@.oscal_uuid(text) IS
	'the version 5 UUID of a name in the extension''s OSCAL namespace (a09f5098-07ad-570b-ace0-38063a4b642a)';

-- A control's OSCAL props: its label, sort id and ISO/IEC 27002:2022 attributes
CREATE FUNCTION @extschema@.oscal_control_props(control @extschema@.iso_control)
	RETURNS jsonb
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.jsonb_build_array(
			   pg_catalog.jsonb_build_object('name', 'label', 'value', oscal_control_props.control::text),
			   pg_catalog.jsonb_build_object('name', 'sort-id', 'value',
				   pg_catalog.lower(pg_catalog.regexp_replace(
					   pg_catalog.regexp_replace(oscal_control_props.control::text, '\.([0-9])(?=\.|$)', '.0\1', 'g'),
					   '\.([0-9])(?=\.|$)', '.0\1', 'g'))))
		   OPERATOR(pg_catalog.||) coalesce((
			SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
					   'name', a.name, 'ns', 'https://pgxn.org/dist/iso27001/ns/oscal', 'value', a.value)
					   ORDER BY a.ord, a.k)
			  FROM @extschema@.ref_control_2022 c
			 CROSS JOIN LATERAL (
					SELECT 1 AS ord, 'control-type' AS name, v::text AS value, k
					  FROM pg_catalog.unnest(c.control_type) WITH ORDINALITY AS u(v, k)
					UNION ALL
					SELECT 2, 'security-property', v::text, k
					  FROM pg_catalog.unnest(c.security_properties) WITH ORDINALITY AS u(v, k)
					UNION ALL
					SELECT 3, 'cybersecurity-concept', v::text, k
					  FROM pg_catalog.unnest(c.cybersecurity_concepts) WITH ORDINALITY AS u(v, k)
					UNION ALL
					SELECT 4, 'operational-capability', v::text, k
					  FROM pg_catalog.unnest(c.operational_capabilities) WITH ORDINALITY AS u(v, k)
					UNION ALL
					SELECT 5, 'security-domain', v::text, k
					  FROM pg_catalog.unnest(c.security_domains) WITH ORDINALITY AS u(v, k)) a
			 WHERE c.control OPERATOR(@extschema@.=) oscal_control_props.control), '[]');
END;
COMMENT ON FUNCTION @extschema@.oscal_control_props(@extschema@.iso_control) IS
	'OSCAL props of a control: label (A.5.7), sort-id (a.05.07) and, for 2022, its ISO/IEC 27002:2022 attributes';

CREATE FUNCTION @extschema@.oscal_catalog(edition integer DEFAULT 2022)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	groups jsonb;
BEGIN
	IF edition IS NULL OR edition NOT IN (2013, 2022) THEN
		RAISE EXCEPTION 'edition must be 2013 or 2022'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF edition = 2022 THEN
		SELECT jsonb_agg(jsonb_build_object(
				   'id', 'a.' || (t.ord + 4), 'class', 'theme',
				   'title', t.theme || ' controls',
				   'controls', (SELECT jsonb_agg(jsonb_build_object(
									   'id', lower(c.control::text), 'class', 'annex-a-control',
									   'title', c.title, 'props', oscal_control_props(c.control))
									   ORDER BY c.control)
								  FROM ref_control_2022 c WHERE c.theme = t.theme))
				   ORDER BY t.ord)
		  INTO groups
		  FROM unnest(enum_range(NULL::annex_a_theme)) WITH ORDINALITY AS t(theme, ord);
	ELSE
		SELECT jsonb_agg(jsonb_build_object(
				   'id', lower(cl.clause), 'class', 'clause', 'title', cl.title,
				   'groups', (SELECT jsonb_agg(jsonb_build_object(
									 'id', lower(o.objective), 'class', 'objective', 'title', o.title,
									 'controls', (SELECT jsonb_agg(jsonb_build_object(
														 'id', lower(c.control::text), 'class', 'annex-a-control',
														 'title', c.title, 'props', oscal_control_props(c.control))
														 ORDER BY c.control)
													FROM ref_control_2013 c WHERE c.objective = o.objective))
									 ORDER BY split_part(o.objective, '.', 3)::integer)
								FROM ref_objective_2013 o WHERE o.clause = cl.clause))
				   ORDER BY substr(cl.clause, 3)::integer)
		  INTO groups
		  FROM ref_clause_2013 cl;
	END IF;
	RETURN jsonb_build_object('catalog', jsonb_build_object(
		'uuid', oscal_uuid('catalog/iso27001:' || edition),
		'metadata', jsonb_build_object(
			'title', 'ISO/IEC 27001:' || edition || ' Annex A: identifiers, titles'
					 || CASE WHEN edition = 2022 THEN ' and ISO/IEC 27002:2022 attributes' ELSE '' END,
			'last-modified', CASE WHEN edition = 2022 THEN '2022-10-25T00:00:00Z' ELSE '2013-10-01T00:00:00Z' END,
			'version', 'ISO/IEC 27001:' || edition,
			'oscal-version', '1.2.1',
			'remarks', 'Control identifiers, short titles and attributes only; the control text is ISO''s and is not reproduced. Exported by the iso27001 PostgreSQL extension.'),
		'groups', groups));
END
$$;
COMMENT ON FUNCTION @extschema@.oscal_catalog(integer) IS
	'the Annex A catalogue of an edition (2022: groups are themes, with the ISO/IEC 27002:2022 attributes as props; 2013: clauses and objectives) as an OSCAL catalog, without control text';

-- The entries of a scope's SoA for export: current (version NULL) or an
-- approved version, with the time it stood
CREATE FUNCTION @extschema@.oscal_entries(scope text, version integer)
	RETURNS TABLE (control @extschema@.iso_control, entry @extschema@.soa_entry,
				   justification text, as_of timestamptz)
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	id bigint := @extschema@.soa_scope_id(scope);
BEGIN
	IF version IS NULL THEN
		RETURN QUERY
		SELECT r.control, r.entry, r.justification, max(r.changed_at) OVER ()
		  FROM @extschema@.soa_register r
		 WHERE r.scope_id = id AND r.control IS NOT NULL
		 ORDER BY r.control;
	ELSE
		RETURN QUERY
		SELECT e.control, e.entry, e.justification,
			   @extschema@.soa_version_time(scope, oscal_entries.version)
		  FROM @extschema@.soa_as_of_version(scope, oscal_entries.version) e
		 WHERE e.control IS NOT NULL
		 ORDER BY e.control;
	END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.oscal_entries(text, integer) IS
	'the Annex A entries of a scope''s SoA (current when version is NULL, else an approved version) and the time they stood, for the OSCAL exports';

CREATE FUNCTION @extschema@.oscal_profile(scope text, version integer DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	s @extschema@.soa_scope;
	ids jsonb;
	as_of timestamptz;
	tag text := coalesce('version ' || version, 'current');
BEGIN
	PERFORM @extschema@.soa_scope_id(scope);
	SELECT * INTO s FROM @extschema@.soa_scope x WHERE x.name = scope;
	SELECT jsonb_agg(lower(e.control::text) ORDER BY e.control) FILTER (WHERE is_applicable(e.entry)),
		   max(e.as_of)
	  INTO ids, as_of
	  FROM @extschema@.oscal_entries(scope, version) e;
	IF ids IS NULL THEN
		RAISE EXCEPTION 'the SoA of scope "%" (%) has no applicable control', scope, tag
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'An OSCAL profile selects at least one control.';
	END IF;
	RETURN jsonb_build_object('profile', jsonb_build_object(
		'uuid', oscal_uuid('profile/' || scope || '/' || tag),
		'metadata', jsonb_build_object(
			'title', 'Applicable ISO/IEC 27001:' || s.edition || ' Annex A controls of ' || scope || ' (' || tag || ')',
			'last-modified', to_char(as_of AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
			'version', tag,
			'oscal-version', '1.2.1'),
		'imports', jsonb_build_array(jsonb_build_object(
			'href', '#' || oscal_uuid('resource/catalog/iso27001:' || s.edition),
			'include-controls', jsonb_build_array(jsonb_build_object('with-ids', ids)))),
		'merge', jsonb_build_object('as-is', true),
		'back-matter', jsonb_build_object('resources', jsonb_build_array(jsonb_build_object(
			'uuid', oscal_uuid('resource/catalog/iso27001:' || s.edition),
			'title', 'ISO/IEC 27001:' || s.edition || ' Annex A catalogue (iso27001.oscal_catalog(' || s.edition || '))',
			'rlinks', jsonb_build_array(jsonb_build_object(
				'href', 'iso27001-' || s.edition || '-catalog.json',
				'media-type', 'application/oscal.catalog+json')))))));
END
$$;
COMMENT ON FUNCTION @extschema@.oscal_profile(text, integer) IS
	'the applicable Annex A controls of a scope''s SoA (current, or an approved version) as an OSCAL profile of the catalogue';

CREATE FUNCTION @extschema@.oscal_ssp(scope text, version integer DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	s @extschema@.soa_scope;
	reqs jsonb;
	as_of timestamptz;
	tag text := coalesce('version ' || version, 'current');
	ns CONSTANT text := 'https://pgxn.org/dist/iso27001/ns/oscal';
	component uuid;
	profile uuid := oscal_uuid('profile/' || scope || '/' || tag);
BEGIN
	PERFORM @extschema@.soa_scope_id(scope);
	SELECT * INTO s FROM @extschema@.soa_scope x WHERE x.name = scope;
	component := oscal_uuid('component/' || scope);
	SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
			   'uuid', oscal_uuid('requirement/' || scope || '/' || tag || '/' || e.control::text),
			   'control-id', lower(e.control::text),
			   'props', jsonb_build_array(jsonb_build_object(
							'name', 'soa-decision', 'ns', ns,
							'value', CASE WHEN e.entry IS NULL THEN 'undecided'
										  WHEN is_applicable(e.entry) THEN 'applicable'
										  ELSE 'excluded' END))
						|| coalesce((SELECT jsonb_agg(jsonb_build_object(
											 'name', 'inclusion-reason', 'ns', ns,
											 'value', replace(r, ' ', '-')) ORDER BY k)
									   FROM unnest(reasons(e.entry)) WITH ORDINALITY AS u(r, k)), '[]'),
			   'remarks', nullif(btrim(e.justification), ''),
			   'by-components', CASE WHEN e.entry IS NOT NULL THEN jsonb_build_array(jsonb_build_object(
					'component-uuid', component,
					'uuid', oscal_uuid('by-component/' || scope || '/' || tag || '/' || e.control::text),
					'description', coalesce(nullif(btrim(e.justification), ''), e.entry::text),
					'implementation-status', jsonb_build_object('state', oscal_status(e.entry)))) END))
			   ORDER BY e.control),
		   max(e.as_of)
	  INTO reqs, as_of
	  FROM @extschema@.oscal_entries(scope, version) e;
	RETURN jsonb_build_object('system-security-plan', jsonb_build_object(
		'uuid', oscal_uuid('ssp/' || scope || '/' || tag),
		'metadata', jsonb_build_object(
			'title', 'Statement of Applicability of ' || scope || ' (ISO/IEC 27001:' || s.edition || ', ' || tag || ')',
			'last-modified', to_char(as_of AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
			'version', tag,
			'oscal-version', '1.2.1',
			'remarks', 'Exported by the iso27001 PostgreSQL extension from its SoA register. Organization-defined controls are not part of the Annex A catalogue and are not exported here.'),
		'import-profile', jsonb_build_object('href', '#' || profile),
		'system-characteristics', jsonb_build_object(
			'system-ids', jsonb_build_array(jsonb_build_object(
				'identifier-type', 'https://ietf.org/rfc/rfc4122',
				'id', oscal_uuid('scope/' || scope)::text)),
			'system-name', scope,
			'description', coalesce(nullif(btrim(s.description), ''), 'The ISMS scope ' || scope || '.'),
			'system-information', jsonb_build_object('information-types', jsonb_build_array(jsonb_build_object(
				'uuid', oscal_uuid('information-type/' || scope),
				'title', 'Information within the ISMS scope',
				'description', 'The information the ISMS scope ' || scope || ' protects.'))),
			'status', jsonb_build_object('state', 'operational'),
			'authorization-boundary', jsonb_build_object(
				'description', 'The scope of the information security management system ' || scope
							   || ', as its Statement of Applicability states.')),
		'system-implementation', jsonb_build_object(
			'users', jsonb_build_array(jsonb_build_object(
				'uuid', oscal_uuid('user/' || scope), 'title', 'ISMS owner')),
			'components', jsonb_build_array(jsonb_build_object(
				'uuid', component, 'type', 'this-system', 'title', scope,
				'description', 'The whole ISMS scope ' || scope || '.',
				'status', jsonb_build_object('state', 'operational')))),
		'control-implementation', jsonb_build_object(
			'description', 'Statement of Applicability (ISO/IEC 27001:2022 clause 6.1.3 d)): every Annex A control, '
						   || 'applicable or excluded with its justification, its implementation status and reasons for inclusion.',
			'implemented-requirements', reqs),
		'back-matter', jsonb_build_object('resources', jsonb_build_array(jsonb_build_object(
			'uuid', profile,
			'title', 'Applicable controls of ' || scope || ' (iso27001.oscal_profile)',
			'rlinks', jsonb_build_array(jsonb_build_object(
				'href', 'urn:uuid:' || profile, 'media-type', 'application/oscal.profile+json')))))));
END
$$;
COMMENT ON FUNCTION @extschema@.oscal_ssp(text, integer) IS
	'a scope''s SoA (current, or an approved version) as an OSCAL system security plan: one implemented requirement per Annex A control with its decision, inclusion reasons, justification (remarks) and implementation status';

CREATE FUNCTION @extschema@.oscal_mapping_2013_2022()
	RETURNS jsonb
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.jsonb_build_object('mapping-collection', pg_catalog.jsonb_build_object(
		'uuid', @extschema@.oscal_uuid('mapping/iso27001:2013/iso27001:2022'),
		'metadata', pg_catalog.jsonb_build_object(
			'title', 'ISO/IEC 27001:2013 Annex A to ISO/IEC 27001:2022 Annex A (ISO/IEC 27002:2022 Annex B correspondence)',
			'last-modified', '2022-02-15T00:00:00Z',
			'version', 'ISO/IEC 27002:2022 Annex B',
			'oscal-version', '1.2.1',
			'remarks', 'Relationships are read off the shape of the correspondence: one-to-one is equivalent-to, a 2013 control merged into a 2022 one is subset-of, one split over several is superset-of, split and merged is intersects-with.'),
		'provenance', pg_catalog.jsonb_build_object(
			'method', 'human', 'matching-rationale', 'semantic', 'status', 'complete',
			'mapping-description', 'The 115 pairs of ISO/IEC 27002:2022 Annex B, Table B.2.'),
		'mappings', pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
			'uuid', @extschema@.oscal_uuid('mapping/iso27001:2013/iso27001:2022/maps'),
			'source-resource', pg_catalog.jsonb_build_object('type', 'catalog', 'href', 'iso27001-2013-catalog.json'),
			'target-resource', pg_catalog.jsonb_build_object('type', 'catalog', 'href', 'iso27001-2022-catalog.json'),
			'maps', (SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
							'uuid', @extschema@.oscal_uuid('map/' OPERATOR(pg_catalog.||) c.control_2013::text
														   OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) c.control_2022::text),
							'relationship', CASE c.kind::text WHEN 'one-to-one' THEN 'equivalent-to'
														WHEN 'merge' THEN 'subset-of'
														WHEN 'split' THEN 'superset-of'
														ELSE 'intersects-with' END,
							'sources', pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
								'type', 'control', 'id-ref', pg_catalog.lower(c.control_2013::text))),
							'targets', pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
								'type', 'control', 'id-ref', pg_catalog.lower(c.control_2022::text))),
							'props', pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
								'name', 'correspondence-kind', 'ns', 'https://pgxn.org/dist/iso27001/ns/oscal',
								'value', c.kind::text)))
							ORDER BY c.control_2013, c.control_2022)
					   FROM @extschema@.correspondence c)))));
END;
COMMENT ON FUNCTION @extschema@.oscal_mapping_2013_2022() IS
	'the 2013 -> 2022 Annex A correspondence as an OSCAL 1.2 mapping collection (one map per pair, relationship from the pair''s shape)';
