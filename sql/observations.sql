--
-- Certificates and behaviour observations: the data the reports read.
-- User data, kept by pg_dump; writable by whom the DBA grants, like the
-- register.
--

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
	min_effect double precision
		CHECK (min_effect OPERATOR(pg_catalog.>=) 0
			   AND min_effect OPERATOR(pg_catalog.<>) 'Infinity'::double precision),
	UNIQUE (metric, kind)
);
COMMENT ON TABLE @extschema@.behaviour_metric IS
	'behaviour metrics: a rate (events out of trials, such as clicks out of phishing messages) or a value, which direction is better, and the Annex A control it evidences';
COMMENT ON COLUMN @extschema@.behaviour_metric.kind IS 'rate: observations are events out of trials; value: observations are numbers';
COMMENT ON COLUMN @extschema@.behaviour_metric.better IS 'lower or higher: which direction is an improvement';
COMMENT ON COLUMN @extschema@.behaviour_metric.control IS 'the ISO/IEC 27001:2022 control the metric is evidence for';
COMMENT ON COLUMN @extschema@.behaviour_metric.builtin IS 'shipped with the extension (not dumped by pg_dump)';
COMMENT ON COLUMN @extschema@.behaviour_metric.min_effect IS
	'the smallest change a year that counts as material, in the metric''s unit (a rate as a fraction: 0.02 is two percentage points a year); a smaller significant trend is "no material change"; NULL: every significant trend counts';

-- The built-in metrics: the awareness catalogue of docs/metrics.md, with
-- their smallest material change a year (docs/trend_statistics.md §8.4)
INSERT INTO @extschema@.behaviour_metric (metric, name, description, kind, better, unit, control, builtin, min_effect) VALUES
('phishing_click_rate', 'Phishing click rate',
 'share of simulated phishing messages whose link was clicked', 'rate', 'lower', 'share of messages', 'A.6.3', true, 0.02),
('phishing_report_rate', 'Phishing report rate',
 'share of simulated phishing messages reported to the security team', 'rate', 'higher', 'share of messages', 'A.6.8', true, 0.02),
('training_overdue_rate', 'Overdue awareness training',
 'share of people whose information security awareness training is overdue', 'rate', 'lower', 'share of people', 'A.6.3', true, 0.02),
('time_to_report_hours', 'Time to report',
 'median hours from a simulated phishing delivery to its first report', 'value', 'lower', 'hours', 'A.6.8', true, 1),
('phish_prone_rate', 'Phish-prone percentage',
 'share of recipients of simulated phishing who failed it: clicked its link, opened its attachment or entered data (each recipient once)', 'rate', 'lower', 'share of recipients', 'A.6.3', true, 0.02),
('phishing_miss_rate', 'Phishing miss rate',
 'share of recipients of simulated phishing who neither reported nor failed it: the messages nobody acted on', 'rate', 'lower', 'share of recipients', 'A.6.8', true, 0.02),
('resilience_ratio', 'Resilience ratio',
 'reports per failure of a simulated phishing campaign: reports divided by clicks, opens and entries', 'value', 'higher', 'reports per failure', 'A.6.8', true, 0.5),
('repeat_failures_per_person', 'Repeat failures per person',
 'failures of simulated phishing beyond each person''s first in the period, per person targeted', 'value', 'lower', 'failures per person', 'A.6.3', true, 0.05),
('training_completion_rate', 'Awareness training completed',
 'share of people who have completed their required information security awareness training (a snapshot, to show beside the behaviour it should change)', 'rate', 'higher', 'share of people', 'A.6.3', true, 0.02);

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
